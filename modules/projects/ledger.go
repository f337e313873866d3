package projects

import (
	"context"
	"errors"
	"slices"
	"strings"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// The projects kind of the import engine (importers/batch): the ledger's
// columns, how a row becomes an Input, its natural keys, and the record
// built through ImportCreate / ImportUpdate.

// LedgerFields are the columns of a projects ledger (the export writes the
// same, so an exported ledger re-imports onto the same projects).
var LedgerFields = header.Register(Kind, []header.Field{
	{Key: "name", Label: "项目名称", Synonyms: []string{"名称", "项目", "项目名"}, Required: true},
	{Key: "type", Label: "项目类型", Synonyms: []string{"类型", "类别", "项目类别"}, Choices: header.ChoiceProjectType},
	{Key: "enterprise", Label: "投资方", Synonyms: []string{"企业名称", "投资主体", "投资方名称", "投资企业", "企业", "公司名称", "投资单位"}},
	{Key: "credit_code", Label: "统一社会信用代码", Synonyms: []string{"信用代码", "社会信用代码", "统一代码"}},
	{Key: "contact_name", Label: "对接人", Synonyms: []string{"联系人", "对接人姓名", "联系人姓名", "企业联系人", "对接信息对接人", "联系方式联系人"}},
	{Key: "contact_phone", Label: "联系电话", Synonyms: []string{"手机", "电话", "手机号", "手机号码", "电话号码", "对接人电话", "联系人电话", "联系方式", "对接信息联系电话", "联系方式电话"}},
	{Key: "other_contacts", Label: "其他联系人", Synonyms: []string{"其他对接人", "更多联系人", "其他联系人及电话", "其他联系方式"},
		Format: "姓名 电话；姓名 电话（多人用“；”或换行分隔，电话可不填；手机 11 位，座机请带区号；留空表示没有其他联系人）"},
	{Key: "investment", Label: "总投资", Synonyms: []string{"投资额", "投资总额", "计划总投资", "总投资额", "项目总投资"}},
	{Key: "industry", Label: "所属行业", Synonyms: []string{"行业", "产业", "产业领域", "行业领域", "所属产业"}, Choices: header.ChoiceIndustry},
	{Key: "zone", Label: "所属区镇", Synonyms: []string{"区镇", "所在区镇", "属地", "所属区域", "区域"}, Choices: header.ChoiceZone},
	{Key: "stage", Label: "阶段", Synonyms: []string{"项目阶段", "进展", "项目进展", "进展情况", "推进情况", "状态", "项目状态"}, Choices: header.ChoiceStage},
	{Key: "reason", Label: "暂缓/终止原因", Synonyms: []string{"原因", "暂缓原因", "终止原因", "阶段说明"}},
	{Key: "signed_at", Label: "签约时间", Synonyms: []string{"签约日期", "签约时间节点"}},
	{Key: "unit", Label: "责任单位", Synonyms: []string{"招引单位", "牵头单位", "负责单位", "所属单位", "单位"}},
	{Key: "officer", Label: "负责人", Synonyms: []string{"招商负责人", "责任人", "经办人"}},
	{Key: "summary", Label: "项目简介", Synonyms: []string{"简介", "项目概况", "项目内容", "建设内容", "备注"}},
})

// typeSynonyms maps 项目类型 cells to type keys.
var typeSynonyms = map[string]string{
	"人才": TypeTalent, "人才项目": TypeTalent,
	"产业": TypeIndustry, "产业项目": TypeIndustry,
	"平台": TypePlatform, "平台项目": TypePlatform,
}

// stageWords resolves 阶段 cells: the catalog's words (系统设置 › 目录与规则)
// and, whatever the catalog says, the stage keys and the pages' labels.
type stageWords map[string]string

// newStageWords builds the lookup from the catalog's word → stage key table.
func newStageWords(catalog map[string]string) stageWords {
	out := stageWords{}
	for w, k := range catalog {
		out[cells.Norm(w)] = k
	}
	for _, k := range Stages {
		out[k], out[cells.Norm(templates.Label("stage", k))] = k, k
	}
	return out
}

// Stage returns the stage key a cell names, or the folded cell itself when
// it names none (validation then rejects it).
func (w stageWords) Stage(s string) string {
	if k, ok := w[cells.Norm(s)]; ok {
		return k
	}
	return cells.Fold(s)
}

// unknownStage is the message for a 阶段 cell naming no stage.
func unknownStage() string {
	labels := make([]string, len(Stages))
	for i, k := range Stages {
		labels[i] = templates.Label("stage", k)
	}
	return "未知阶段（可填：" + strings.Join(labels, "、") + "，或系统设置 › 目录与规则中的导入阶段用语）"
}

// ledgerType returns the project type key a cell names, or the folded cell.
func ledgerType(s string) string {
	n := cells.Norm(s)
	if k, ok := typeSynonyms[n]; ok {
		return k
	}
	for _, t := range Types {
		if n == t {
			return t
		}
	}
	return cells.Fold(s)
}

// Ledger is the projects kind.
type Ledger struct {
	Repo  *Repo
	Vocab Vocab
	Units core.UnitLookup
	// Member tells whether a user is a member of a unit (a row's 负责人
	// must be one); nil checks nothing.
	Member func(ctx context.Context, unit, user string) bool
}

func (k *Ledger) Key() string            { return Kind }
func (k *Ledger) Label() string          { return "项目" }
func (k *Ledger) Fields() []header.Field { return LedgerFields }
func (k *Ledger) Store() batch.Store     { return batch.StoreOf(k.Repo) }

// Open loads the catalog once for the run.
func (k *Ledger) Open(ctx context.Context, env batch.Env) (batch.Planner, error) {
	cat, err := k.Vocab.ProjectCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return &ledgerPlanner{ctx: ctx, k: k, env: env, cat: cat, stages: newStageWords(cat.StageWords)}, nil
}

type ledgerPlanner struct {
	ctx    context.Context
	k      *Ledger
	env    batch.Env
	cat    Catalog
	stages stageWords
}

type ledgerRow struct {
	in      Input           // its Contacts: the 对接人 / 联系电话 contact, if any
	others  []Contact       // the 其他联系人 cell: contacts 2..n
	present map[string]bool // fields the ledger has a column for
	reason  string
}

func ledgerKeys(credit, name, typ, unit string) []string {
	var keys []string
	if c := cells.Norm(credit); c != "" {
		keys = append(keys, "cc:"+strings.ToUpper(c))
	}
	if n := cells.Norm(name); n != "" {
		keys = append(keys, "name:"+n+"|"+typ+"|"+unit)
	}
	return keys
}

func (p *ledgerPlanner) Keys(rec core.Record) ([]string, string, string, string) {
	x := rec.(*Project)
	return ledgerKeys(x.CreditCode, x.Name, x.Type, x.Unit), x.Unit, x.Name, cells.SimilarKey(x.Name)
}

func (p *ledgerPlanner) Parse(row map[string]string) (*batch.Candidate, []batch.FieldError) {
	res := p.env.Header
	r := &ledgerRow{present: batch.Present(res)}
	var errs []batch.FieldError
	bad := func(key, msg string) { errs = append(errs, batch.FieldError{Field: key, Message: msg}) }
	in := &r.in
	in.Type, in.Name = ledgerType(row["type"]), strings.TrimSpace(row["name"])
	in.Industry, in.Zone = cells.Fold(row["industry"]), cells.Fold(row["zone"])
	in.Officer, in.Summary = strings.TrimSpace(row["officer"]), strings.TrimSpace(row["summary"])
	in.Enterprise, in.CreditCode = strings.TrimSpace(row["enterprise"]), strings.ToUpper(cells.Fold(row["credit_code"]))
	in.Unit = p.env.Unit
	if u := strings.TrimSpace(row["unit"]); u != "" {
		if in.Unit = p.k.Units.UnitID(u); in.Unit == "" {
			bad("unit", "未知责任单位 "+u)
		}
	}
	if s := strings.TrimSpace(row["stage"]); s != "" {
		in.Stage = p.stages.Stage(s)
		if !ValidStage(in.Stage) {
			bad("stage", unknownStage())
		}
	}
	r.reason = strings.TrimSpace(row["reason"])
	if name, phone := strings.TrimSpace(row["contact_name"]), strings.TrimSpace(row["contact_phone"]); name != "" || phone != "" {
		if name == "" {
			bad("contact_name", "填写了联系电话，但缺少对接人姓名")
		}
		ph, err := ContactPhone(phone)
		if err != nil {
			bad("contact_phone", err.Error())
		}
		in.Contacts = []Contact{{Name: name, Phone: ph}}
	}
	if others, err := ParseContacts(row["other_contacts"]); err != nil {
		bad("other_contacts", err.Error())
	} else {
		r.others = others
	}
	if v := row["investment"]; strings.TrimSpace(v) != "" {
		wan, _, err := cells.ParseAmount(cells.WithUnit(v, res.Units[res.Field("investment")]))
		if err != nil {
			bad("investment", err.Error())
		}
		in.Investment = wan
	}
	if v := row["signed_at"]; strings.TrimSpace(v) != "" {
		d, err := core.ParseDate(v)
		if err != nil {
			bad("signed_at", err.Error())
		}
		in.Milestones.Signed = d
	}
	if len(errs) > 0 {
		return &batch.Candidate{Name: in.Name}, errs
	}
	return &batch.Candidate{Keys: ledgerKeys(in.CreditCode, in.Name, in.Type, in.Unit), Similar: cells.SimilarKey(in.Name),
		Unit: in.Unit, Name: in.Name, Value: r}, nil
}

// ledgerColumns maps the module's validation fields to import columns.
var ledgerColumns = map[string]string{"contacts": "contact_name", "milestones": "signed_at", "to": "stage", "note": "reason"}

func (p *ledgerPlanner) Build(c *batch.Candidate, cur core.Record) (core.Record, bool, error) {
	r := c.Value.(*ledgerRow)
	run := ImportRun{By: p.env.Actor.User, At: p.env.Now, Batch: p.env.Batch, Note: r.reason,
		Manager: web.May(p.env.Actor.Role, web.Manager)}
	if p.k.Member != nil {
		run.Member = func(unit, user string) bool { return p.k.Member(p.ctx, unit, user) }
	}
	var (
		out     *Project
		changed = true
		err     error
	)
	if cur == nil {
		in := r.in
		in.Contacts = append(slices.Clip(in.Contacts), r.others...)
		out, err = ImportCreate(in, p.cat, p.k.Vocab, p.env.Scope, run)
	} else {
		x := cur.(*Project)
		in := InputOf(x)
		overlayRow(&in, r)
		out, changed, err = ImportUpdate(x, in, p.cat, p.k.Vocab, p.env.Scope, run)
	}
	if err != nil {
		return nil, false, ledgerError(err)
	}
	return out, !changed, nil
}

// overlayRow copies the columns the ledger has onto the stored input: a
// column the file lacks never clears a stored value, a blank cell in a
// column it has does (except the unit, which is kept).
func overlayRow(in *Input, r *ledgerRow) {
	row, present := &r.in, r.present
	batch.Pick(present, "type", &in.Type, row.Type)
	batch.Pick(present, "name", &in.Name, row.Name)
	batch.Pick(present, "industry", &in.Industry, row.Industry)
	batch.Pick(present, "zone", &in.Zone, row.Zone)
	batch.Pick(present, "summary", &in.Summary, row.Summary)
	batch.Pick(present, "enterprise", &in.Enterprise, row.Enterprise)
	batch.Pick(present, "credit_code", &in.CreditCode, row.CreditCode)
	batch.Pick(present, "investment", &in.Investment, row.Investment)
	batch.Pick(present, "signed_at", &in.Milestones.Signed, row.Milestones.Signed)
	// A blank 负责人 or 责任单位 keeps the stored one.
	if present["officer"] && row.Officer != "" {
		in.Officer = row.Officer
	}
	if present["unit"] && row.Unit != "" {
		in.Unit = row.Unit
	}
	in.Contacts = overlayContacts(in.Contacts, r)
	in.Stage = ""
	if present["stage"] {
		in.Stage = row.Stage
	}
}

// overlayContacts returns the stored contacts with the ledger's columns
// applied: 对接人 / 联系电话 replace the first contact (a blank pair drops
// it), 其他联系人 replaces the others (a blank cell drops them); a column
// the file lacks keeps what it would replace.
func overlayContacts(stored []Contact, r *ledgerRow) []Contact {
	var first, others []Contact
	if len(stored) > 0 {
		first, others = stored[:1:1], stored[1:]
	}
	if r.present["contact_name"] || r.present["contact_phone"] {
		first = keepDetails(first, r.in.Contacts, true)
	}
	if r.present["other_contacts"] {
		others = keepDetails(others, r.others, false)
	}
	return append(slices.Clip(first), others...)
}

// keepDetails returns the ledger's contacts with the title and e-mail of
// the stored ones, which the ledger does not hold: by position when
// byPosition (the first contact), else from the stored contact of the same
// name.
func keepDetails(stored, row []Contact, byPosition bool) []Contact {
	out := slices.Clone(row)
	used := make([]bool, len(stored))
	for i := range out {
		for j, s := range stored {
			if !used[j] && (byPosition && i == j || !byPosition && s.Name == out[i].Name) {
				used[j], out[i].Title, out[i].Email = true, s.Title, s.Email
				break
			}
		}
	}
	return out
}

// ledgerError turns the module's errors into field errors on import keys.
func ledgerError(err error) error {
	if nm := (*NeedsManager)(nil); errors.As(err, &nm) {
		return &batch.Review{Message: nm.Message}
	}
	if ge, ok := AsGateError(err); ok {
		return core.Invalid("stage", "%s", ge.Message)
	}
	return batch.OnColumns(err, ledgerColumns)
}
