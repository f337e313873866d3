package batch_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/resources"
)

// The other kinds go through the same engine: a messy ledger of each is
// previewed (exact counts, rejected rows named by the file's column),
// committed, undone, committed again, re-imported unchanged, updated in
// one cell and that update undone.

type kindCase struct {
	kind  string
	actor core.Actor
	rows  map[int][]any
	want  counts
	// errs: rejected row → the file's column named ("" for the whole row).
	errs    map[int]string
	reviews []int
	// update changes one cell of target's row; field reads that value.
	update        func(rows map[int][]any)
	target        string
	field         func(core.Record) string
	before, after string
}

func runKind(t *testing.T, im *batch.Importer, c kindCase, rows map[int][]any, dry bool, tweak ...func(*batch.Request)) *batch.Report {
	t.Helper()
	req := batch.Request{Kind: c.kind, File: c.kind + "台账.xlsx", Book: book(t, rows), Actor: c.actor, Scope: zp,
		Unit: "zs-zp", DryRun: dry}
	for _, f := range tweak {
		f(&req)
	}
	rep, err := im.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("%s run: %v", c.kind, err)
	}
	return rep
}

func records(t *testing.T, im *batch.Importer, kind string) []core.Record {
	t.Helper()
	k, ok := im.Kind(kind)
	if !ok {
		t.Fatalf("kind %s not registered", kind)
	}
	var out []core.Record
	if err := k.Store().Scan(context.Background(), func(r core.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func nameOf(r core.Record) string {
	switch x := r.(type) {
	case resources.Resource:
		return x.DisplayName()
	case *events.Event:
		return x.Title
	case *policies.Policy:
		return x.Title
	}
	return ""
}

func find(t *testing.T, im *batch.Importer, kind, name string) core.Record {
	t.Helper()
	for _, r := range records(t, im, kind) {
		if nameOf(r) == name {
			return r
		}
	}
	t.Fatalf("%s: no record named %s", kind, name)
	return nil
}

func cloneRows(rows map[int][]any) map[int][]any {
	out := make(map[int][]any, len(rows))
	for n, r := range rows {
		out[n] = slices.Clone(r)
	}
	return out
}

func flow(t *testing.T, a *testapp.App, c kindCase) {
	t.Helper()
	ctx := context.Background()
	im := a.P.Imports
	base := len(records(t, im, c.kind))

	pre := runKind(t, im, c, c.rows, true)
	if got := countsOf(pre); got != c.want {
		t.Fatalf("%s preview counts %+v, want %+v\nerrors %+v\nreviews %+v", c.kind, got, c.want, pre.Errors, pre.Reviews)
	}
	got := map[int]string{}
	for _, e := range pre.Errors {
		got[e.Row] = e.Column
		if e.Message == "" {
			t.Errorf("%s row %d: no message", c.kind, e.Row)
		}
	}
	for row, col := range c.errs {
		if v, ok := got[row]; !ok || v != col {
			t.Errorf("%s row %d rejected on %q (%v), want %q; errors %+v", c.kind, row, v, ok, col, pre.Errors)
		}
	}
	var reviews []int
	for _, e := range pre.Reviews {
		reviews = append(reviews, e.Row)
	}
	sort.Ints(reviews)
	if !slices.Equal(reviews, c.reviews) {
		t.Errorf("%s review rows %v, want %v (%+v)", c.kind, reviews, c.reviews, pre.Reviews)
	}
	if n := len(records(t, im, c.kind)); n != base {
		t.Fatalf("%s preview wrote %d records", c.kind, n-base)
	}

	// Commit, then undo: the created records go.
	com := runKind(t, im, c, c.rows, false)
	if got := countsOf(com); got != c.want {
		t.Fatalf("%s commit counts %+v, want %+v\nerrors %+v", c.kind, got, c.want, com.Errors)
	}
	inBatch := 0
	for _, r := range records(t, im, c.kind) {
		if r.GetMeta().Batch == com.BatchID {
			inBatch++
		}
	}
	if inBatch != c.want.created {
		t.Fatalf("%s batch holds %d records, want %d", c.kind, inBatch, c.want.created)
	}
	if _, err := im.Undo(ctx, c.actor, com.BatchID); err != nil {
		t.Fatalf("%s undo: %v", c.kind, err)
	}
	if n := len(records(t, im, c.kind)); n != base {
		t.Fatalf("%s after undo: %d records left", c.kind, n-base)
	}

	// Commit again; the same file once more changes nothing.
	com = runKind(t, im, c, c.rows, false)
	if com.Created != c.want.created {
		t.Fatalf("%s second commit %+v", c.kind, countsOf(com))
	}
	again := runKind(t, im, c, c.rows, false)
	w := c.want
	w.unchanged, w.created = w.created, 0
	if got := countsOf(again); got != w {
		t.Fatalf("%s re-import counts %+v, want %+v\nerrors %+v", c.kind, got, w, again.Errors)
	}

	// One changed cell updates that record only; undo restores it.
	changed := cloneRows(c.rows)
	c.update(changed)
	upd := runKind(t, im, c, changed, false)
	if upd.Updated != 1 || upd.Unchanged != c.want.created-1 || upd.Created != 0 {
		t.Fatalf("%s update counts %+v, errors %+v", c.kind, countsOf(upd), upd.Errors)
	}
	r := find(t, im, c.kind, c.target)
	if v := c.field(r); v != c.after || r.GetMeta().Batch != upd.BatchID || r.GetMeta().Version != 2 {
		t.Fatalf("%s updated %s: %q (batch %s v%d), want %q", c.kind, c.target, v, r.GetMeta().Batch, r.GetMeta().Version, c.after)
	}
	if _, err := im.Undo(ctx, c.actor, upd.BatchID); err != nil {
		t.Fatalf("%s undo update: %v", c.kind, err)
	}
	if v := c.field(find(t, im, c.kind, c.target)); v != c.before {
		t.Fatalf("%s after undo: %q, want %q", c.kind, v, c.before)
	}
}

func TestTalentsLedger(t *testing.T) {
	a := testapp.Start(t)
	if err := a.P.Records.Talents.Create(context.Background(), core.System, &resources.Talent{Name: "孙八", Phone: "13900001111",
		Level: "其他", Industry: "新能源", Unit: "kfq"}); err != nil {
		t.Fatal(err)
	}
	flow(t, a, kindCase{kind: "talents", actor: officer,
		rows: map[int][]any{
			1:  {"2024年张浦镇双创人才台账"},
			2:  {"填报单位：张浦镇", "", "", "日期：2024-05-01"},
			3:  {"序号", "姓名", "性别", "人才类别", "手机", "工作单位", "职称", "研究领域", "意向区镇", "产业领域", "所属单位"},
			4:  {1, "张三", "男", "省双创人才", "138 1234 5678", "某大学", "教授", "新材料", "张浦", "新材料", ""},
			5:  {2, "李四", "女", "其他", "12345", "", "", "", "", "新能源", ""},
			6:  {3, "王五", "男", "院士", "", "某研究所", "", "", "", "新能源", ""},
			7:  {4, "张三", "男", "省双创", "13812345678", "某大学", "", "", "", "新材料", ""},
			9:  {5, "赵六", "", "昆山双创", "", "昆山某某科技有限公司", "高级工程师", "", "", "新智造", ""},
			10: {6, "钱七", "", "其他", "", "", "", "", "", "新能源", "开发区分队"},
			11: {7, "孙八", "", "其他", "139-0000-1111", "", "", "", "", "新能源", ""},
			12: {"", "合计"},
		},
		want:    counts{rows: 9, created: 2, skipped: 2, rejected: 4, review: 1},
		errs:    map[int]string{5: "手机", 6: "人才类别", 10: "所属单位", 11: ""},
		reviews: []int{7},
		update:  func(r map[int][]any) { r[4][6] = "研究员" },
		target:  "张三", field: func(r core.Record) string { return r.(*resources.Talent).Title }, before: "教授", after: "研究员",
	})
}

func TestEnterprisesLedger(t *testing.T) {
	a := testapp.Start(t)
	code := func(s string) string {
		c, _ := cells.CreditCodeCheckChar(s)
		return s + string(c)
	}
	cc1, cc2, cc3, cc4, ccKfq := code("91320583MA1M9XY4P"), code("91320583MA1N00001"), code("91320583MA1N00002"),
		code("91320583MA1N00003"), code("91320583MA1N00004")
	if err := a.P.Records.Enterprises.Create(context.Background(), core.System, &resources.Enterprise{Name: "外区企业有限公司",
		CreditCode: ccKfq, Industry: "新材料", Unit: "kfq"}); err != nil {
		t.Fatal(err)
	}
	flow(t, a, kindCase{kind: "enterprises", actor: officer,
		rows: map[int][]any{
			1:  {"张浦镇重点企业台账"},
			3:  {"序号", "企业名称", "统一社会信用代码", "法人", "注册资本（亿元）", "成立时间", "注册地址", "联系人", "联系电话", "行业", "所属单位"},
			4:  {1, "昆山某某传感科技有限公司", cc1, "张三", "1.5", "2019/5/8", "张浦镇某路1号", "李四", "0512-57001234", "新智造", ""},
			5:  {2, "苏州某某新材料有限公司", cc2, "王五", "5000万元", "2020年3月", "", "", "", "新材料", ""},
			6:  {3, "某某传感科技（昆山）有限公司", cc1, "", "", "", "", "", "", "新智造", ""},
			7:  {4, "某某储能有限公司", "91320583MA1N0000X9", "", "", "", "", "", "", "新能源", ""},
			8:  {5, "昆山某某医疗器械有限公司", cc3, "", "0.08", "", "", "", "", "新医疗", ""},
			9:  {6, "外区企业", ccKfq, "", "", "", "", "", "", "新材料", ""},
			10: {7, "开发区新企业有限公司", cc4, "", "", "", "", "", "", "新材料", "开发区分队"},
			12: {"小计"},
		},
		want:    counts{rows: 9, created: 2, skipped: 2, rejected: 4, review: 1},
		errs:    map[int]string{5: "成立时间", 7: "统一社会信用代码", 9: "", 10: "所属单位"},
		reviews: []int{6},
		update:  func(r map[int][]any) { r[4][4] = "2" },
		target:  "昆山某某传感科技有限公司",
		field: func(r core.Record) string {
			return strconv.FormatFloat(r.(*resources.Enterprise).RegisteredCapital, 'f', -1, 64)
		},
		before: "15000", after: "20000",
	})
}

// Credit codes stay unique without failing a commit: a code held by
// another stored record or by an earlier row is refused on its row, even
// when a review row is confirmed.
func TestEnterpriseCreditCodes(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	code := func(s string) string {
		c, _ := cells.CreditCodeCheckChar(s)
		return s + string(c)
	}
	ccA, ccB, ccC := code("91320583MA1P00001"), code("91320583MA1P00002"), code("91320583MA1P00003")
	entA := &resources.Enterprise{Name: "甲企业有限公司", CreditCode: ccA, Industry: "新材料", Unit: "zs-zp"}
	entB := &resources.Enterprise{Name: "乙企业有限公司", CreditCode: ccB, Industry: "新材料", Unit: "zs-zp"}
	for _, e := range []*resources.Enterprise{entA, entB} {
		if err := a.P.Records.Enterprises.Create(ctx, core.System, e); err != nil {
			t.Fatal(err)
		}
	}
	c := kindCase{kind: "enterprises", actor: officer}
	rows := map[int][]any{
		1: {"企业名称", "统一社会信用代码", "记录ID", "法定代表人", "行业"},
		2: {"甲企业（新名）有限公司", ccA, "", "张三", "新材料"}, // same code: update of 甲
		3: {"乙企业有限公司", ccA, entB.ID, "", "新材料"},  // 乙's row given 甲's code (a twin of row 2: confirmed)
		4: {"丙企业有限公司", ccC, "", "", "新材料"},       // new
		5: {"丁企业有限公司", ccC, "", "", "新材料"},       // same code as row 4 (a twin: confirmed)
	}
	rep := runKind(t, a.P.Imports, c, rows, false, func(r *batch.Request) { r.Confirm = map[int]bool{3: true, 5: true} })
	if got := countsOf(rep); got != (counts{rows: 4, created: 1, updated: 1, rejected: 2}) {
		t.Fatalf("counts %+v errors %+v", got, rep.Errors)
	}
	for _, e := range rep.Errors {
		if e.Column != "统一社会信用代码" || (e.Row != 3 && e.Row != 5) {
			t.Errorf("error %+v", e)
		}
	}
	if x, _ := a.P.Records.Enterprises.Get(ctx, entA.ID); x.Name != "甲企业（新名）有限公司" || x.LegalPerson != "张三" {
		t.Errorf("甲 = %+v", x)
	}
	if x, _ := a.P.Records.Enterprises.Get(ctx, entB.ID); x.CreditCode != ccB || x.Version != 1 {
		t.Errorf("乙 = %+v", x)
	}
	if n := len(records(t, a.P.Imports, "enterprises")); n != 3 {
		t.Errorf("%d enterprises, want 3", n)
	}
}

func TestInstitutesLedger(t *testing.T) {
	a := testapp.Start(t)
	flow(t, a, kindCase{kind: "institutes", actor: officer,
		rows: map[int][]any{
			1:  {"张浦镇创新载体台账"},
			2:  {"填报单位：张浦镇"},
			3:  {"序号", "平台名称", "平台类型", "依托单位", "级别", "成立时间", "产业领域", "所在区镇", "所属单位"},
			4:  {1, "某某先进技术研究院", "新研机构", "某大学", "江苏省级", "2020-06-01", "新材料", "张浦", ""},
			5:  {2, "某大学昆山研究院", "高校院所", "某大学", "", "2021-13-01", "新智造", "", ""},
			6:  {3, "某某企业研发中心", "企业研发中心", "某企业", "昆山级", "", "新智造", "张浦镇", ""},
			7:  {4, "某某先进技术研究院", "新型研发机构", "", "", "", "新材料", "", ""},
			8:  {5, "某某研究所", "研究所", "", "", "", "新材料", "", ""},
			9:  {6, "某某检测中心", "新型研发机构", "", "", "", "芯片", "", ""},
			11: {"合计"},
			12: {7, "外区平台", "新型研发机构", "", "", "", "新材料", "", "开发区分队"},
		},
		want:    counts{rows: 9, created: 2, skipped: 2, rejected: 4, review: 1},
		errs:    map[int]string{5: "成立时间", 8: "平台类型", 9: "产业领域", 12: "所属单位"},
		reviews: []int{7},
		update:  func(r map[int][]any) { r[6][4] = "苏州市级" },
		target:  "某某企业研发中心", field: func(r core.Record) string { return r.(*resources.Institute).Level },
		before: "昆山市级", after: "苏州市级",
	})
}

func TestEventsLedger(t *testing.T) {
	a := testapp.Start(t)
	flow(t, a, kindCase{kind: "events", actor: officer,
		rows: map[int][]any{
			1:  {"2024年张浦镇科技招商活动台账"},
			3:  {"序号", "活动主题", "活动形式", "举办时间", "活动地点", "主办单位", "协办单位", "参会人数", "参会企业数", "产业", "状态"},
			4:  {1, "新能源项目路演", "项目路演", "2024年3月5日", "张浦镇会议中心", "", "某协会", "120人", "30家", "新能源", "已举办"},
			5:  {2, "新材料沙龙", "沙龙", "2024-02-30", "", "", "", "", "", "新材料", ""},
			6:  {3, "人才政策培训", "培训", "待定", "", "", "", "", "", "", ""},
			7:  {4, "新能源项目路演", "路演", "2024.3.5", "", "", "", "", "", "", ""},
			8:  {5, "智能制造论坛", "论坛", "2024/04/18", "", "", "", "约200", "", "新智造", ""},
			9:  {6, "开发区推介会", "推介会", "2024-05-01", "", "开发区分队", "", "", "", "", ""},
			10: {7, "医疗专场对接会", "对接会", "2024-06-01", "", "张浦", "", "60", "", "新医疗", "已举办"},
			12: {"合计", "", "", "", "", "", "", "180"},
		},
		want:    counts{rows: 9, created: 2, skipped: 2, rejected: 4, review: 1},
		errs:    map[int]string{5: "举办时间", 6: "举办时间", 8: "参会人数", 9: "主办单位"},
		reviews: []int{7},
		update:  func(r map[int][]any) { r[4][7] = "150人" },
		target:  "新能源项目路演", field: func(r core.Record) string { return strconv.Itoa(r.(*events.Event).Attendees) },
		before: "120", after: "150",
	})
}

func TestPoliciesLedger(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "zp_manager", "张浦负责人", "manager", []string{"zs-zp"}, "Demo@2025x"); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Records.Policies.Create(ctx, core.System, &policies.Policy{Title: "昆山市科技创新政策", DocNo: "昆科字〔2023〕53号",
		Level: "市级", Status: policies.StatusValid, Issuer: "昆山市科技局", Unit: policies.DefaultUnit}); err != nil {
		t.Fatal(err)
	}
	rows := map[int][]any{
		1:  {"张浦镇政策汇编"},
		3:  {"序号", "政策名称", "发文字号", "发文机关", "政策级别", "有效性", "政策分类", "发文日期", "维护单位"},
		4:  {1, "张浦镇科技人才新政", "张政发〔2024〕12号", "张浦镇人民政府", "区镇级", "现行有效", "人才", "2024-03-01", ""},
		5:  {2, "张浦镇产业扶持办法", "张政发[2024] 13号", "张浦镇人民政府", "区级", "", "产业扶持", "2024-02-30", ""},
		6:  {3, "张浦镇科技人才新政（修订）", "张政发(2024)12号", "张浦镇人民政府", "区级", "", "", "", ""},
		7:  {4, "昆山市科技创新政策", "昆科字〔2023〕53号", "昆山市科技局", "市级", "", "", "2023-05-01", ""},
		8:  {5, "张浦镇招商奖励办法", "", "张浦镇人民政府", "镇级", "", "", "2024-01-10", ""},
		9:  {6, "某政策", "", "", "省级", "", "", "", ""},
		10: {7, "科技局政策", "昆科字〔2024〕1号", "昆山市科技局", "市级", "", "", "", "科技局"},
		12: {"合计"},
	}
	// Officers read policies but do not write them: the file is refused.
	_, err := a.P.Imports.Run(ctx, batch.Request{Kind: "policies", File: "x.xlsx", Book: book(t, rows), Actor: officer,
		Scope: zp, Unit: "zs-zp", DryRun: true})
	if !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("officer import: %v", err)
	}
	flow(t, a, kindCase{kind: "policies", actor: core.Actor{User: "zp_manager"}, rows: rows,
		want:    counts{rows: 9, created: 2, skipped: 2, rejected: 4, review: 1},
		errs:    map[int]string{5: "发文日期", 7: "", 9: "发文机关", 10: "维护单位"},
		reviews: []int{6},
		update:  func(r map[int][]any) { r[8][7] = "2024-01-15" },
		target:  "张浦镇招商奖励办法", field: func(r core.Record) string { return r.(*policies.Policy).IssuedOn.String() },
		before: "2024-01-10", after: "2024-01-15",
	})
}

// exported writes the kind's records of unit zs-zp as the list export does.
func exported(t *testing.T, a *testapp.App, kind string) map[int][]any {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	var err error
	mine := func(u string) bool { return u == "zs-zp" }
	switch kind {
	case "talents":
		_, err = export.Write(&buf, resources.ExportSheet[*resources.Talent](resources.TalentKind, a.P.Matrix.Name),
			func(fn func(*resources.Talent) error) error {
				return a.P.Records.Talents.Each(ctx, func(x *resources.Talent) error {
					if mine(x.Unit) {
						return fn(x)
					}
					return nil
				})
			})
	case "enterprises":
		_, err = export.Write(&buf, resources.ExportSheet[*resources.Enterprise](resources.EnterpriseKind, a.P.Matrix.Name),
			func(fn func(*resources.Enterprise) error) error {
				return a.P.Records.Enterprises.Each(ctx, func(x *resources.Enterprise) error {
					if mine(x.Unit) {
						return fn(x)
					}
					return nil
				})
			})
	case "institutes":
		_, err = export.Write(&buf, resources.ExportSheet[*resources.Institute](resources.InstituteKind, a.P.Matrix.Name),
			func(fn func(*resources.Institute) error) error {
				return a.P.Records.Institutes.Each(ctx, func(x *resources.Institute) error {
					if mine(x.Unit) {
						return fn(x)
					}
					return nil
				})
			})
	case "events":
		_, err = export.Write(&buf, events.ExportSheet(a.P.Matrix.Name), func(fn func(*events.Event) error) error {
			return a.P.Records.Events.Each(ctx, func(x *events.Event) error {
				if mine(x.Unit) {
					return fn(x)
				}
				return nil
			})
		})
	case "policies":
		_, err = export.Write(&buf, policies.ExportSheet(a.P.Matrix.Name), func(fn func(*policies.Policy) error) error {
			return a.P.Records.Policies.Each(ctx, func(x *policies.Policy) error {
				if mine(x.Unit) {
					return fn(x)
				}
				return nil
			})
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return ledgerRows(t, &buf)
}

// ledgerRows reads an exported workbook back as ledger rows (row number →
// cells), the input of book.
func ledgerRows(t *testing.T, buf *bytes.Buffer) map[int][]any {
	t.Helper()
	f, err := excelize.OpenReader(buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]any{}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		out[i+1] = cells
	}
	return out
}

// An exported ledger re-imports onto the same records, unchanged.
func TestExportedLedgersReimportUnchanged(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "zp_manager", "张浦负责人", "manager", []string{"zs-zp"}, "Demo@2025x"); err != nil {
		t.Fatal(err)
	}
	day := core.NewDate(2024, 3, 5)
	recs := []struct {
		kind string
		rec  core.Record
	}{
		{"talents", &resources.Talent{Name: "张三", Gender: "男", Level: "省双创", Industry: "新材料", Phone: "13812345678", Institution: "某大学",
			Title: "教授", IntendedZone: "张浦镇", Tags: []string{"海归", "博士"}, Summary: "=1+1 以等号开头的简介（导出时被中和）", Unit: "zs-zp"}},
		{"enterprises", &resources.Enterprise{Name: "昆山某某传感科技有限公司", CreditCode: "91350100M000100Y43", Industry: "新智造",
			RegisteredCapital: 1234.5, Founded: day, Phone: "051257001234", Tags: []string{"高新技术企业"}, Unit: "zs-zp"}},
		{"institutes", &resources.Institute{Name: "某某先进技术研究院", Kind: resources.InstituteNewRD, Industry: "新材料", Level: "省级",
			Established: day, Unit: "zs-zp"}},
		{"events", &events.Event{Title: "新能源项目路演", Type: "路演", Date: day, EndDate: day.AddDays(1), Unit: "zs-zp",
			CoOrganisers: []string{"某协会", "某园区"}, Industries: []string{"新能源"}, Attendees: 120, Status: events.StatusHeld,
			Participants: events.Participants{EnterpriseCount: 30, TalentCount: 5}}},
		{"policies", &policies.Policy{Title: "张浦镇科技人才新政", DocNo: "张政发〔2024〕12号", Level: "区级", Status: policies.StatusValid,
			Issuer: "张浦镇人民政府", IssuedOn: day, Categories: []string{"人才政策"}, Industries: []string{"新能源", "其他"}, Unit: "zs-zp",
			Clauses: []policies.Clause{{No: "1", Title: "安家补贴", Amount: 50}}}},
	}
	for _, r := range recs {
		var err error
		switch x := r.rec.(type) {
		case *resources.Talent:
			err = a.P.Records.Talents.Create(ctx, core.System, x)
		case *resources.Enterprise:
			err = a.P.Records.Enterprises.Create(ctx, core.System, x)
		case *resources.Institute:
			err = a.P.Records.Institutes.Create(ctx, core.System, x)
		case *events.Event:
			err = a.P.Records.Events.Create(ctx, core.System, x)
		case *policies.Policy:
			err = a.P.Records.Policies.Create(ctx, core.System, x)
		}
		if err != nil {
			t.Fatal(err)
		}
		actor := officer
		if r.kind == "policies" {
			actor = core.Actor{User: "zp_manager"}
		}
		rep := runKind(t, a.P.Imports, kindCase{kind: r.kind, actor: actor}, exported(t, a, r.kind), true)
		if got := countsOf(rep); got != (counts{rows: 1, unchanged: 1}) {
			t.Errorf("%s: re-import of the export %+v, errors %+v reviews %+v", r.kind, got, rep.Errors, rep.Reviews)
		}
	}
}
