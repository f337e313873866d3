package resources

import (
	"context"
	"maps"
	"slices"
	"strings"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// The four kinds of the resource pool (talents, enterprises, institutes,
// technology results) share one adapter of the import engine
// (importers/batch): a row's cells become the Input the form would send
// (import field keys are the pool's field keys), and Importer builds the
// record through the pool's own Check. Natural keys:
//   - talents: name + phone, else (no phone in the row) name + 工作单位;
//     likely duplicates by name;
//   - enterprises: 统一社会信用代码, else (no code in the row) name; likely
//     duplicates by the name's core (nameCore);
//   - institutes: name + 平台类别 + owning unit (name + unit when the row has
//     no 类别); likely duplicates by the name without its suffix;
//   - results: title + 成果持有方; likely duplicates by title.

// unitField is the owning matrix unit of a pool record.
var unitField = header.Field{Key: "unit", Label: "所属单位", Synonyms: []string{"责任单位", "填报单位", "对接单位", "招引单位", "负责单位", "归属单位"}}

var industryField = header.Field{Key: "industry", Label: "产业领域", Synonyms: []string{"所属产业", "产业", "行业", "所属行业", "行业领域", "产业方向"}, Choices: header.ChoiceIndustry}

// TalentLedgerFields are the columns of a talents ledger.
var TalentLedgerFields = header.Register(KindTalents, []header.Field{
	{Key: "name", Label: "姓名", Synonyms: []string{"人才姓名", "专家姓名", "名字", "人才名称", "领军人才"}, Required: true},
	{Key: "gender", Label: "性别", Choices: header.ChoiceGender},
	{Key: "level", Label: "人才层次", Synonyms: []string{"人才类别", "人才类型", "人才级别", "层次", "类别", "人才计划", "入选计划", "入选人才计划"}, Choices: header.ChoiceTalentLevel},
	industryField,
	{Key: "field", Label: "研究方向", Synonyms: []string{"研究领域", "专业方向", "技术领域", "专业", "技术方向"}},
	{Key: "institution", Label: "工作单位", Synonyms: []string{"单位", "所在单位", "现工作单位", "任职单位", "就职单位", "工作单位及职务"}},
	{Key: "title", Label: "职称/职务", Synonyms: []string{"职称", "职务", "职位", "职称职务"}},
	{Key: "phone", Label: "联系电话", Synonyms: []string{"手机", "手机号", "手机号码", "电话", "联系方式", "电话号码"}},
	{Key: "email", Label: "电子邮箱", Synonyms: []string{"邮箱", "email", "e-mail", "电子邮件"}},
	{Key: "intended_zone", Label: "意向区镇", Synonyms: []string{"意向落户区镇", "拟落户区镇", "落户区镇", "意向落户地", "意向区域"}, Choices: header.ChoiceZone},
	{Key: "tags", Label: "标签", Synonyms: []string{"人才标签"}},
	{Key: "summary", Label: "简介", Synonyms: []string{"个人简介", "人才简介", "主要成果", "备注"}},
	unitField,
})

// EnterpriseLedgerFields are the columns of an enterprises ledger.
var EnterpriseLedgerFields = header.Register(KindEnterprises, []header.Field{
	{Key: "name", Label: "企业名称", Synonyms: []string{"企业", "公司名称", "企业全称", "单位名称", "名称"}, Required: true},
	{Key: "credit_code", Label: "统一社会信用代码", Synonyms: []string{"信用代码", "社会信用代码", "统一代码", "统一信用代码", "税号"}},
	industryField,
	{Key: "zone", Label: "所在区镇", Synonyms: []string{"区镇", "所属区镇", "属地", "所在地", "所在区域"}, Choices: header.ChoiceZone},
	{Key: "legal_person", Label: "法定代表人", Synonyms: []string{"法人", "法人代表", "法定代表", "法人姓名"}},
	{Key: "registered_capital", Label: "注册资本（万元）", Synonyms: []string{"注册资本", "注册资金", "注册资本金"}},
	{Key: "founded", Label: "成立日期", Synonyms: []string{"成立时间", "注册日期", "注册时间", "设立日期"}},
	{Key: "address", Label: "注册地址", Synonyms: []string{"地址", "企业地址", "住所", "经营地址", "办公地址"}},
	{Key: "contact", Label: "联系人", Synonyms: []string{"企业联系人", "对接人", "联系人姓名"}},
	{Key: "phone", Label: "联系电话", Synonyms: []string{"手机", "电话", "联系方式", "手机号", "联系人电话", "手机号码"}},
	{Key: "tags", Label: "企业标签", Synonyms: []string{"标签", "企业资质", "资质"}},
	unitField,
})

// InstituteLedgerFields are the columns of an institutes and platforms ledger.
var InstituteLedgerFields = header.Register(KindInstitutes, []header.Field{
	{Key: "name", Label: "平台名称", Synonyms: []string{"名称", "机构名称", "院所名称", "载体名称", "平台", "研发机构名称"}, Required: true},
	{Key: "kind", Label: "平台类别", Synonyms: []string{"类型", "平台类型", "机构类型", "类别", "平台性质"}, Choices: header.ChoiceInstituteKind},
	{Key: "parent", Label: "依托单位", Synonyms: []string{"依托机构", "共建单位", "依托高校", "合作院所"}},
	industryField,
	{Key: "zone", Label: "所在区镇", Synonyms: []string{"区镇", "所属区镇", "属地", "所在地"}, Choices: header.ChoiceZone},
	{Key: "level", Label: "认定级别", Synonyms: []string{"级别", "平台级别", "认定等级", "等级"}, Choices: header.ChoiceInstituteLvl},
	{Key: "established", Label: "成立日期", Synonyms: []string{"成立时间", "建立时间", "揭牌时间", "挂牌时间", "签约时间"}},
	{Key: "summary", Label: "简介", Synonyms: []string{"平台简介", "主要方向", "建设内容", "备注"}},
	unitField,
})

// ResultLedgerFields are the columns of a technology results ledger.
var ResultLedgerFields = header.Register(KindResults, []header.Field{
	{Key: "title", Label: "成果名称", Synonyms: []string{"名称", "技术名称", "成果", "项目名称"}, Required: true},
	{Key: "owner", Label: "成果持有方", Synonyms: []string{"持有单位", "成果单位", "完成单位", "权利人", "专利权人", "持有方"}},
	industryField,
	{Key: "maturity", Label: "成熟度", Synonyms: []string{"技术成熟度", "成果成熟度"}, Choices: header.ChoiceMaturity},
	{Key: "patent_no", Label: "专利号", Synonyms: []string{"专利号码", "专利申请号", "申请号"}},
	{Key: "transfer_mode", Label: "转化方式", Synonyms: []string{"合作方式", "转让方式", "技术合同类型"}, Choices: header.ChoiceTransferMode},
	{Key: "asking_price", Label: "意向价格（万元）", Synonyms: []string{"意向价格", "转让价格", "价格", "报价"}},
	{Key: "status", Label: "转化状态", Synonyms: []string{"状态"}, Choices: header.ChoiceResultStatus},
	{Key: "deal_date", Label: "成交日期", Synonyms: []string{"成交时间"}},
	{Key: "deal_amount", Label: "成交金额（万元）", Synonyms: []string{"成交金额", "成交额", "合同金额"}},
	{Key: "summary", Label: "成果简介", Synonyms: []string{"简介", "成果描述", "备注"}},
	unitField,
})

// choiceRule says how a choice field's cells are mapped (see choice).
type choiceRule struct {
	synonyms map[string]string
	loose    bool
}

var resourceChoices = map[string]choiceRule{
	"gender": {synonyms: map[string]string{"男性": "男", "女性": "女", "m": "男", "f": "女"}},
	"level": {loose: true, synonyms: map[string]string{ // institute levels; talent levels match loosely
		"国家": "国家级", "部级": "国家级", "省": "省级", "江苏省": "省级", "苏州": "苏州市级", "苏州级": "苏州市级", "苏州市": "苏州市级",
		"昆山": "昆山市级", "昆山级": "昆山市级", "昆山市": "昆山市级", "无": "未认定", "暂无": "未认定"}},
	"kind": {loose: true, synonyms: map[string]string{"新研机构": InstituteNewRD, "高校": InstituteUniversity,
		"科研院所": InstituteUniversity, "企业技术中心": InstituteCorporate, "企业工程技术研究中心": InstituteCorporate,
		"大院大所分支机构": InstituteMajor}},
	"industry":      {},
	"zone":          {loose: true},
	"intended_zone": {loose: true},
	"maturity":      {loose: true},
	"transfer_mode": {loose: true},
	"status":        {synonyms: map[string]string{"已成交": ResultTransferred, "已转让": ResultTransferred, "在谈": ResultNegotiating, "未转化": ResultListed}},
}

type resourcePtr[T any] interface {
	*T
	Resource
}

// resourceKind is one kind of the pool.
type resourceKind[T any, P resourcePtr[T]] struct {
	kind    *Kind
	fields  []header.Field
	repo    *core.Repo[T, P]
	vocab   Vocab
	units   core.UnitLookup
	keys    func(v map[string]string, unit string) []string
	similar func(v map[string]string) string
}

// TalentLedger is the talents kind.
func TalentLedger(repo *TalentRepo, v Vocab, u core.UnitLookup) batch.Kind {
	return &resourceKind[Talent, *Talent]{kind: TalentKind, fields: TalentLedgerFields, repo: repo, vocab: v, units: u,
		keys: talentKeys, similar: func(v map[string]string) string { return cells.Norm(v["name"]) }}
}

// EnterpriseLedger is the enterprises kind.
func EnterpriseLedger(repo *EnterpriseRepo, v Vocab, u core.UnitLookup) batch.Kind {
	return &resourceKind[Enterprise, *Enterprise]{kind: EnterpriseKind, fields: EnterpriseLedgerFields, repo: repo, vocab: v, units: u,
		keys: enterpriseKeys, similar: enterpriseSimilar}
}

// enterpriseSimilar is the core of the name the pool's duplicate check
// compares (no place, legal form or brackets), at least 2 runes.
func enterpriseSimilar(v map[string]string) string {
	if n := cells.Norm(nameCore(v["name"])); len([]rune(n)) >= 2 {
		return n
	}
	return ""
}

// InstituteLedger is the institutes and platforms kind.
func InstituteLedger(repo *InstituteRepo, v Vocab, u core.UnitLookup) batch.Kind {
	return &resourceKind[Institute, *Institute]{kind: InstituteKind, fields: InstituteLedgerFields, repo: repo, vocab: v, units: u,
		keys: instituteKeys, similar: func(v map[string]string) string { return cells.SimilarKey(v["name"]) }}
}

// ResultLedger is the technology results kind.
func ResultLedger(repo *ResultRepo, v Vocab, u core.UnitLookup) batch.Kind {
	return &resourceKind[TechResult, *TechResult]{kind: ResultKind, fields: ResultLedgerFields, repo: repo, vocab: v, units: u,
		keys: resultKeys, similar: func(v map[string]string) string { return cells.Norm(v["title"]) }}
}

// Natural keys from a record's values as the form shows them (phone and
// credit code normalised, choices canonical) and its owning unit.

func talentKeys(v map[string]string, _ string) []string {
	n := cells.Norm(v["name"])
	switch {
	case n == "":
		return nil
	case v["phone"] != "":
		return []string{"np:" + n + "|" + v["phone"]}
	case cells.Norm(v["institution"]) != "":
		return []string{"ni:" + n + "|" + cells.Norm(v["institution"])}
	}
	return nil
}

func enterpriseKeys(v map[string]string, _ string) []string {
	if c := v["credit_code"]; c != "" {
		return []string{"cc:" + c}
	}
	if n := cells.Norm(v["name"]); n != "" {
		return []string{"name:" + n}
	}
	return nil
}

func instituteKeys(v map[string]string, unit string) []string {
	n := cells.Norm(v["name"])
	switch {
	case n == "":
		return nil
	case v["kind"] != "":
		return []string{"nku:" + n + "|" + v["kind"] + "|" + unit}
	}
	return []string{"nu:" + n + "|" + unit}
}

func resultKeys(v map[string]string, _ string) []string {
	if n := cells.Norm(v["title"]); n != "" {
		return []string{"to:" + n + "|" + cells.Norm(v["owner"])}
	}
	return nil
}

// storedKeys are all the keys a stored record answers to: a row's keys
// use the first its cells allow (name + phone when it has a phone), a
// stored record answers to each of them (also name + 工作单位).
func storedKeys(keys func(map[string]string, string) []string, v map[string]string, unit string) []string {
	out := keys(v, unit)
	for _, f := range []string{"phone", "credit_code", "kind"} {
		if v[f] == "" {
			continue
		}
		w := maps.Clone(v)
		w[f] = ""
		for _, k := range keys(w, unit) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

func (k *resourceKind[T, P]) Key() string            { return k.kind.Key }
func (k *resourceKind[T, P]) Label() string          { return k.kind.Name() }
func (k *resourceKind[T, P]) Fields() []header.Field { return k.fields }
func (k *resourceKind[T, P]) Store() batch.Store     { return batch.StoreOf(k.repo) }

// Open reads the catalog once for the run.
func (k *resourceKind[T, P]) Open(ctx context.Context, env batch.Env) (batch.Planner, error) {
	im, err := NewImporter(ctx, k.vocab, env.Now)
	if err != nil {
		return nil, err
	}
	return &resourcePlanner[T, P]{k: k, env: env, im: im, present: batch.Present(env.Header), codes: map[string]owner{}}, nil
}

// owner is who holds a 统一社会信用代码: a stored record, or a row of the run.
type owner struct{ id, name string }

type resourcePlanner[T any, P resourcePtr[T]] struct {
	k       *resourceKind[T, P]
	env     batch.Env
	im      *Importer
	present map[string]bool
	codes   map[string]owner // enterprises: credit code → holder
}

type resourceRow struct {
	values map[string]string // the file's columns, as the form would send them
	unit   string            // named in the row; "" keeps a stored record's
}

func (p *resourcePlanner[T, P]) Keys(rec core.Record) ([]string, string, string, string) {
	r := rec.(Resource)
	v := InputOf(p.k.kind, r).Values
	if c := v["credit_code"]; c != "" && p.k.kind == EnterpriseKind {
		if _, ok := p.codes[c]; !ok {
			p.codes[c] = owner{rec.GetMeta().ID, r.DisplayName()}
		}
	}
	return storedKeys(p.k.keys, v, r.OwnerUnit()), r.OwnerUnit(), r.DisplayName(), p.k.similar(v)
}

func (p *resourcePlanner[T, P]) Parse(row map[string]string) (*batch.Candidate, []batch.FieldError) {
	var errs []batch.FieldError
	bad := func(key, msg string) { errs = append(errs, batch.FieldError{Field: key, Message: msg}) }
	cat := p.im.Catalog()
	r := &resourceRow{values: map[string]string{}}
	for _, f := range p.k.kind.Fields {
		if !p.present[f.Key] {
			continue
		}
		cell := row[f.Key]
		v := strings.TrimSpace(cell)
		var err error
		switch f.Type {
		case TypeChoice:
			rule := resourceChoices[f.Key]
			v = batch.Choice(cell, f.Options(cat), rule.synonyms, rule.loose)
		case TypeAmount:
			v, err = batch.AmountText(cell, p.env.Header, f.Key)
		case TypeDate:
			v, err = batch.DateText(cell)
		case TypePhone:
			v, err = NormalizePhone(cell)
		case TypeCreditCode:
			v, err = NormalizeCreditCode(cell)
		}
		if err != nil {
			bad(f.Key, err.Error())
			continue
		}
		r.values[f.Key] = v
	}
	keyUnit := p.env.Unit
	if u := strings.TrimSpace(row["unit"]); u != "" {
		if r.unit = p.k.units.UnitID(u); r.unit == "" {
			bad("unit", "未知单位 "+u)
		}
		keyUnit = r.unit
	}
	name := r.values[p.k.kind.Fields[0].Key]
	if len(errs) > 0 {
		return &batch.Candidate{Name: name}, errs
	}
	return &batch.Candidate{Keys: p.k.keys(r.values, keyUnit), Similar: p.k.similar(r.values), Unit: keyUnit, Name: name, Value: r}, nil
}

func (p *resourcePlanner[T, P]) Build(c *batch.Candidate, cur core.Record) (core.Record, bool, error) {
	r := c.Value.(*resourceRow)
	in := Input{Values: r.values, Unit: r.unit}
	var before Resource
	id := ""
	if cur != nil {
		before, id = cur.(Resource), cur.GetMeta().ID
	} else if in.Unit == "" {
		in.Unit = p.env.Unit
	}
	rec, same, err := p.im.Build(p.k.kind.Key, in, before, p.env.Scope)
	if err != nil {
		return nil, false, err
	}
	if e, ok := rec.(*Enterprise); ok && e.CreditCode != "" {
		// The store keeps credit codes unique: a code held by another
		// record, or by an earlier row of this file, is refused here
		// rather than failing the commit.
		if o, ok := p.codes[e.CreditCode]; ok && (id == "" || o.id != id) {
			if strings.HasPrefix(o.id, "row:") {
				return nil, false, core.Invalid("credit_code", "统一社会信用代码 %s 与本文件中的「%s」相同", e.CreditCode, o.name)
			}
			return nil, false, core.Invalid("credit_code", "统一社会信用代码 %s 已登记为企业「%s」", e.CreditCode, o.name)
		}
		if id == "" {
			id = "row:" + c.Name
		}
		p.codes[e.CreditCode] = owner{id, c.Name}
	}
	return rec, same, nil
}
