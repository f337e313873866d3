package resources

import (
	"context"
	"slices"
	"strings"
	"testing"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/batch/batchtest"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/matrix/matrixtest"
)

func openResource(t *testing.T, k batch.Kind, env batch.Env) batch.Planner {
	t.Helper()
	p, err := k.Open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// parsedRow is a row's cells and what parsing it gives: its keys, the name
// it is compared by for similar records, the fields it has bad values in.
type parsedRow struct {
	name    string
	cells   []string
	keys    []string
	similar string
	bad     []string
}

// checkParsed parses each row's cells with p, as a file with env's columns.
func checkParsed(t *testing.T, p batch.Planner, env batch.Env, rows []parsedRow) {
	t.Helper()
	for _, c := range rows {
		batchtest.CheckKeys(t, p, env, c.name, c.cells, c.keys, c.similar, c.bad)
	}
}

func TestTalentRows(t *testing.T) {
	k := TalentLedger(nil, matrixtest.Defaults{}, matrixtest.Defaults{})
	env := batchtest.Env(t, k.Fields(), "姓名", "人才类别", "手机", "工作单位", "职称", "研究领域", "意向区镇", "性别", "产业")
	p := openResource(t, k, env)
	checkParsed(t, p, env, []parsedRow{
		{"phone key", []string{"张 三", "省双创人才", "+86 138-1234-5678", "某大学", "教授", "材料", "张浦", "男", "新材料"},
			[]string{"np:张三|13812345678"}, "张三", nil},
		{"no phone: name + 工作单位", []string{"李四", "其他", "", "昆山某某大学", "", "", "", "", "新材料"},
			[]string{"ni:李四|昆山某某大学"}, "李四", nil},
		{"no phone, no 单位: no key", []string{"王五", "其他", "", "", "", "", "", "", "新材料"}, nil, "王五", nil},
		{"bad phone", []string{"赵六", "其他", "12345", "", "", "", "", "", "新材料"}, nil, "", []string{"phone"}},
		{"phone with words", []string{"赵六", "其他", "138 1234 5678 转 8", "", "", "", "", "", "新材料"}, nil, "", []string{"phone"}},
	})

	// Build goes through the pool's Check: vocabularies, required fields.
	build := func(cur core.Record, cells ...string) (*Talent, bool, error) {
		c, errs := p.Parse(batchtest.Row(env, cells...))
		if len(errs) > 0 {
			t.Fatalf("parse %q: %v", cells, errs)
		}
		rec, same, err := p.Build(c, cur)
		if err != nil {
			return nil, false, err
		}
		return rec.(*Talent), same, nil
	}
	got, _, err := build(nil, "张三", "省双创人才", "13812345678", "某大学", "教授", "材料", "张浦", "男性", "新材料产业")
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != "省双创" || got.IntendedZone != "张浦镇" || got.Gender != "男" || got.Industry != "新材料" || got.Unit != "zs-zp" || got.Phone != "13812345678" {
		t.Errorf("built %+v", got)
	}
	for _, c := range []struct {
		cells []string
		field string
	}{
		{[]string{"张三", "院士", "", "", "", "", "", "", "新材料"}, "level"},
		{[]string{"张三", "", "", "", "", "", "", "", "新材料"}, "level"},
		{[]string{"张三", "其他", "", "", "", "", "", "", "芯片"}, "industry"},
		{[]string{"张三", "其他", "", "", "", "", "开发区", "", "新材料"}, "intended_zone"},
	} {
		_, _, err := build(nil, c.cells...)
		if fe, ok := core.AsFieldError(err); !ok || fe.Field != c.field {
			t.Errorf("build %q: err %v, want field %s", c.cells, err, c.field)
		}
	}

	// Updates overlay the file's columns: a column the file lacks keeps
	// the stored value, a blank cell in one it has clears it.
	stored := &Talent{Meta: core.Meta{ID: "t1", Version: 3}, Name: "张三", Level: "省双创", Industry: "新材料",
		Phone: "13812345678", Institution: "某大学", Title: "教授", Field: "材料", IntendedZone: "张浦镇", Gender: "男",
		Summary: "导入文件没有这一列", Email: "zs@example.com", Unit: "zs-zp"}
	if _, same, err := build(stored, "张三", "省双创", "13812345678", "某大学", "教授", "材料", "张浦镇", "男", "新材料"); err != nil || !same {
		t.Errorf("unchanged row: same=%v err=%v", same, err)
	}
	upd, same, err := build(stored, "张三", "姑苏领军", "13812345678", "某大学", "", "材料", "张浦镇", "男", "新材料")
	if err != nil || same || upd.Level != "姑苏领军" || upd.Title != "" || upd.Summary != stored.Summary || upd.Email != stored.Email || upd.ID != "t1" {
		t.Errorf("update: %+v same=%v err=%v", upd, same, err)
	}
	if stored.Level != "省双创" || stored.Title != "教授" {
		t.Errorf("Build changed the stored record: %+v", stored)
	}
	// A row out of the importer's scope is refused on its unit column.
	env2 := batchtest.Env(t, k.Fields(), "姓名", "人才层次", "产业领域", "所属单位")
	p2 := openResource(t, k, env2)
	c, errs := p2.Parse(batchtest.Row(env2, "钱七", "其他", "新材料", "开发区分队"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, _, err := p2.Build(c, nil); err == nil || !strings.Contains(err.Error(), "无权") {
		t.Errorf("other unit's talent: %v", err)
	}
	if _, _, bad := batchtest.Parsed(p2, batchtest.Row(env2, "钱七", "其他", "新材料", "火星分队")); !slices.Equal(bad, []string{"unit"}) {
		t.Errorf("unknown unit: bad %q", bad)
	}
}

func TestEnterpriseRows(t *testing.T) {
	k := EnterpriseLedger(nil, matrixtest.Defaults{}, matrixtest.Defaults{})
	env := batchtest.Env(t, k.Fields(), "企业名称", "统一社会信用代码", "法人", "注册资本（亿元）", "成立时间", "注册地址", "联系人", "联系电话", "行业")
	p := openResource(t, k, env)
	cc := "91350100M000100Y43"
	checkParsed(t, p, env, []parsedRow{
		{"credit code key", []string{"昆山某某传感科技有限公司", " 9135 0100 m000 100y43 ", "张三", "1.5", "2019/5/8", "", "", "", "新智造"},
			[]string{"cc:" + cc}, "某某传感", nil},
		{"no code: name", []string{"苏州某某材料股份有限公司", "", "", "", "", "", "", "", "新材料"}, []string{"name:苏州某某材料股份有限公司"}, "某某材料", nil},
		{"bad check character", []string{"某公司", "91350100M000100Y44", "", "", "", "", "", "", ""}, nil, "", []string{"credit_code"}},
		{"month only", []string{"某公司", cc, "", "", "2019年5月", "", "", "", ""}, nil, "", []string{"founded"}},
		{"待定", []string{"某公司", cc, "", "", "待定", "", "", "", ""}, nil, "", []string{"founded"}},
		{"amount words", []string{"某公司", cc, "", "约五千万", "", "", "", "", ""}, nil, "", []string{"registered_capital"}},
	})
	c, _ := p.Parse(batchtest.Row(env, "昆山某某传感科技有限公司", cc, "张三", "1.5", "2019/5/8", "", "", "", "新智造"))
	rec, _, err := p.Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := rec.(*Enterprise); e.RegisteredCapital != 15000 || e.Founded.String() != "2019-05-08" || e.LegalPerson != "张三" {
		t.Errorf("built %+v", e)
	}

	// A credit code held by a stored enterprise, or by an earlier row of
	// the file, is refused on its column (the store keeps codes unique).
	p = openResource(t, k, env)
	held := &Enterprise{Meta: core.Meta{ID: "e1"}, Name: "已登记企业有限公司", CreditCode: cc, Industry: "新材料", Unit: "kfq"}
	if keys, unit, _, _ := p.Keys(held); !slices.Equal(keys, []string{"cc:" + cc, "name:已登记企业有限公司"}) || unit != "kfq" {
		t.Errorf("stored keys %q %s", keys, unit)
	}
	c, _ = p.Parse(batchtest.Row(env, "换了名字的公司", cc, "", "", "", "", "", "", "新材料"))
	if _, _, err := p.Build(c, nil); !batchtest.IsField(err, "credit_code", "已登记为企业「已登记企业有限公司」") {
		t.Errorf("code of a stored enterprise: %v", err)
	}
	other := validCode(t, "91320583MA1M9XY4P")
	c, _ = p.Parse(batchtest.Row(env, "甲公司", other, "", "", "", "", "", "", "新材料"))
	if _, _, err := p.Build(c, nil); err != nil {
		t.Fatal(err)
	}
	c, _ = p.Parse(batchtest.Row(env, "乙公司", other, "", "", "", "", "", "", "新材料"))
	if _, _, err := p.Build(c, nil); !batchtest.IsField(err, "credit_code", "本文件中的「甲公司」") {
		t.Errorf("code of an earlier row: %v", err)
	}
	// Updating the holder itself is fine.
	c, _ = p.Parse(batchtest.Row(env, "已登记企业有限公司", cc, "李四", "", "", "", "", "", "新材料"))
	if rec, same, err := p.Build(c, held); err != nil || same || rec.(*Enterprise).LegalPerson != "李四" {
		t.Errorf("update of the holder: %v %v", same, err)
	}
}

func TestInstituteAndResultRows(t *testing.T) {
	k := InstituteLedger(nil, matrixtest.Defaults{}, matrixtest.Defaults{})
	env := batchtest.Env(t, k.Fields(), "名称", "平台类型", "依托单位", "级别", "成立时间", "产业领域")
	p := openResource(t, k, env)
	keys, similar, bad := batchtest.Parsed(p, batchtest.Row(env, "某某先进技术研究院", "新研机构", "某大学", "江苏省级", "2020-06-01", "新材料"))
	if !slices.Equal(keys, []string{"nku:某某先进技术研究院|新型研发机构|zs-zp"}) || similar != "某某先进技术" || bad != nil {
		t.Errorf("institute keys %q %q %q", keys, similar, bad)
	}
	c, _ := p.Parse(batchtest.Row(env, "某某先进技术研究院", "新研机构", "某大学", "江苏省级", "2020-06-01", "新材料"))
	rec, _, err := p.Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in := rec.(*Institute); in.Kind != InstituteNewRD || in.Level != "省级" || in.Parent != "某大学" {
		t.Errorf("built %+v", in)
	}
	c, _ = p.Parse(batchtest.Row(env, "某某研究院", "研究所", "", "", "", "新材料"))
	if _, _, err := p.Build(c, nil); !batchtest.IsField(err, "kind", "") {
		t.Errorf("unknown kind: %v", err)
	}
	stored := &Institute{Meta: core.Meta{ID: "i1"}, Name: "某某先进技术研究院", Kind: InstituteNewRD, Industry: "新材料", Unit: "zs-zp"}
	if keys, _, _, _ := p.Keys(stored); !slices.Equal(keys, []string{"nku:某某先进技术研究院|新型研发机构|zs-zp", "nu:某某先进技术研究院|zs-zp"}) {
		t.Errorf("stored institute keys %q", keys)
	}
	env = batchtest.Env(t, k.Fields(), "平台名称", "产业领域")
	p = openResource(t, k, env)
	if keys, _, _ := batchtest.Parsed(p, batchtest.Row(env, "某某先进技术研究院", "新材料")); !slices.Equal(keys, []string{"nu:某某先进技术研究院|zs-zp"}) {
		t.Errorf("institute without 类别: keys %q", keys)
	}

	r := ResultLedger(nil, matrixtest.Defaults{}, matrixtest.Defaults{})
	env = batchtest.Env(t, r.Fields(), "成果名称", "持有单位", "产业领域", "转化方式", "转化状态", "成交日期", "成交金额（万元）")
	p = openResource(t, r, env)
	if keys, similar, _ := batchtest.Parsed(p, batchtest.Row(env, "一种 传感器", "某大学", "新智造", "转让", "待转化", "", "")); !slices.Equal(keys, []string{"to:一种传感器|某大学"}) || similar != "一种传感器" {
		t.Errorf("result keys %q %q", keys, similar)
	}
	c, _ = p.Parse(batchtest.Row(env, "一种传感器", "某大学", "新智造", "转让", "待转化", "2024-05-01", "30"))
	if _, _, err := p.Build(c, nil); !batchtest.IsField(err, "status", "已转化") {
		t.Errorf("deal on a listed result: %v", err)
	}
	c, _ = p.Parse(batchtest.Row(env, "一种传感器", "某大学", "新智造", "转让", "已成交", "2024-05-01", "30"))
	if rec, _, err := p.Build(c, nil); err != nil || rec.(*TechResult).TransferMode != "技术转让" {
		t.Errorf("transferred result: %v", err)
	}
}

func validCode(t *testing.T, first17 string) string {
	t.Helper()
	c, ok := cells.CreditCodeCheckChar(first17)
	if !ok {
		t.Fatal("no check character")
	}
	return first17 + string(c)
}

func TestFieldsRegistered(t *testing.T) {
	for kind, fs := range map[string][]header.Field{"talents": TalentLedgerFields, "enterprises": EnterpriseLedgerFields,
		"institutes": InstituteLedgerFields, "results": ResultLedgerFields} {
		batchtest.CheckFields(t, kind, fs)
	}
	// Every pool field is importable, under the same key.
	for _, k := range Kinds {
		fs := header.FieldsFor(k.Key)
		for _, f := range k.Fields {
			if !slices.ContainsFunc(fs, func(x header.Field) bool { return x.Key == f.Key }) {
				t.Errorf("%s: field %s has no import column", k.Key, f.Key)
			}
		}
	}
}
