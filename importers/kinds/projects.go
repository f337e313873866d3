package kinds

import (
	"context"
	"errors"
	"slices"
	"strings"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

// TypeSynonyms maps 项目类型 cells to type keys.
var TypeSynonyms = map[string]string{
	"人才": projects.TypeTalent, "人才项目": projects.TypeTalent,
	"产业": projects.TypeIndustry, "产业项目": projects.TypeIndustry,
	"平台": projects.TypePlatform, "平台项目": projects.TypePlatform,
}

// StageWords resolves 阶段 cells: the catalog's words (系统设置 › 目录与规则)
// and, whatever the catalog says, the stage keys and the pages' labels.
type StageWords map[string]string

// NewStageWords builds the lookup from the catalog's word → stage key table.
func NewStageWords(catalog map[string]string) StageWords {
	out := StageWords{}
	for w, k := range catalog {
		out[cells.Norm(w)] = k
	}
	for _, k := range projects.Stages {
		out[k], out[cells.Norm(matrix.StageLabel(k))] = k, k
	}
	return out
}

// Stage returns the stage key a cell names, or the folded cell itself when
// it names none (validation then rejects it).
func (w StageWords) Stage(s string) string {
	if k, ok := w[cells.Norm(s)]; ok {
		return k
	}
	return cells.Fold(s)
}

// unknownStage is the message for a 阶段 cell naming no stage.
func unknownStage() string {
	labels := make([]string, len(projects.Stages))
	for i, k := range projects.Stages {
		labels[i] = matrix.StageLabel(k)
	}
	return "未知阶段（可填：" + strings.Join(labels, "、") + "，或系统设置 › 目录与规则中的导入阶段用语）"
}

// ProjectType returns the project type key a cell names, or the folded cell.
func ProjectType(s string) string {
	n := cells.Norm(s)
	if k, ok := TypeSynonyms[n]; ok {
		return k
	}
	for _, t := range projects.Types {
		if n == t {
			return t
		}
	}
	return cells.Fold(s)
}

// Projects is the projects kind.
type Projects struct {
	Repo  *projects.Repo
	Vocab projects.Vocab
	Units core.UnitLookup
	// Member tells whether a user is a member of a unit (a row's 负责人
	// must be one); nil checks nothing.
	Member func(ctx context.Context, unit, user string) bool
}

func (k *Projects) Key() string            { return "projects" }
func (k *Projects) Label() string          { return "项目" }
func (k *Projects) Fields() []header.Field { return header.ProjectFields }
func (k *Projects) Store() batch.Store     { return batch.StoreOf(k.Repo) }

// Open loads the catalog once for the run.
func (k *Projects) Open(ctx context.Context, env batch.Env) (batch.Planner, error) {
	cat, err := k.Vocab.ProjectCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return &projectPlanner{ctx: ctx, k: k, env: env, cat: cat, stages: NewStageWords(cat.StageWords)}, nil
}

type projectPlanner struct {
	ctx    context.Context
	k      *Projects
	env    batch.Env
	cat    projects.Catalog
	stages StageWords
}

type projectRow struct {
	in      projects.Input     // its Contacts: the 对接人 / 联系电话 contact, if any
	others  []projects.Contact // the 其他联系人 cell: contacts 2..n
	present map[string]bool    // fields the ledger has a column for
	reason  string
}

func projectKeys(credit, name, typ, unit string) []string {
	var keys []string
	if c := cells.Norm(credit); c != "" {
		keys = append(keys, "cc:"+strings.ToUpper(c))
	}
	if n := cells.Norm(name); n != "" {
		keys = append(keys, "name:"+n+"|"+typ+"|"+unit)
	}
	return keys
}

func (p *projectPlanner) Keys(rec core.Record) ([]string, string, string, string) {
	x := rec.(*projects.Project)
	return projectKeys(x.CreditCode, x.Name, x.Type, x.Unit), x.Unit, x.Name, cells.SimilarKey(x.Name)
}

func (p *projectPlanner) Parse(row map[string]string) (*batch.Candidate, []batch.FieldError) {
	res := p.env.Header
	r := &projectRow{present: map[string]bool{}}
	for _, k := range res.Columns {
		r.present[k] = true
	}
	var errs []batch.FieldError
	bad := func(key, msg string) { errs = append(errs, batch.FieldError{Field: key, Message: msg}) }
	in := &r.in
	in.Type, in.Name = ProjectType(row["type"]), strings.TrimSpace(row["name"])
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
		if !projects.ValidStage(in.Stage) {
			bad("stage", unknownStage())
		}
	}
	r.reason = strings.TrimSpace(row["reason"])
	if name, phone := strings.TrimSpace(row["contact_name"]), strings.TrimSpace(row["contact_phone"]); name != "" || phone != "" {
		if name == "" {
			bad("contact_name", "填写了联系电话，但缺少对接人姓名")
		}
		ph, err := projects.ContactPhone(phone)
		if err != nil {
			bad("contact_phone", err.Error())
		}
		in.Contacts = []projects.Contact{{Name: name, Phone: ph}}
	}
	if others, err := projects.ParseContacts(row["other_contacts"]); err != nil {
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
	return &batch.Candidate{Keys: projectKeys(in.CreditCode, in.Name, in.Type, in.Unit), Similar: cells.SimilarKey(in.Name),
		Unit: in.Unit, Name: in.Name, Value: r}, nil
}

// fieldKeys maps the module's validation fields to import columns.
var fieldKeys = map[string]string{"contacts": "contact_name", "milestones": "signed_at", "to": "stage", "note": "reason"}

func (p *projectPlanner) Build(c *batch.Candidate, cur core.Record) (core.Record, bool, error) {
	r := c.Value.(*projectRow)
	run := projects.ImportRun{By: p.env.Actor.User, At: p.env.Now, Batch: p.env.Batch, Note: r.reason,
		Manager: p.env.Actor.Role == users.RoleManager || p.env.Actor.Role == users.RoleAdmin}
	if p.k.Member != nil {
		run.Member = func(unit, user string) bool { return p.k.Member(p.ctx, unit, user) }
	}
	var (
		out     *projects.Project
		changed = true
		err     error
	)
	if cur == nil {
		in := r.in
		in.Contacts = append(slices.Clip(in.Contacts), r.others...)
		out, err = projects.ImportCreate(in, p.cat, p.k.Vocab, p.env.Scope, run)
	} else {
		x := cur.(*projects.Project)
		in := projects.InputOf(x)
		overlay(&in, r)
		out, changed, err = projects.ImportUpdate(x, in, p.cat, p.k.Vocab, p.env.Scope, run)
	}
	if err != nil {
		return nil, false, importError(err)
	}
	return out, !changed, nil
}

// overlay copies the columns the ledger has onto the stored input: a
// column the file lacks never clears a stored value, a blank cell in a
// column it has does (except the unit, which is kept).
func overlay(in *projects.Input, r *projectRow) {
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
func overlayContacts(stored []projects.Contact, r *projectRow) []projects.Contact {
	var first, others []projects.Contact
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
func keepDetails(stored, row []projects.Contact, byPosition bool) []projects.Contact {
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

// importError turns the module's errors into field errors on import keys.
func importError(err error) error {
	if nm := (*projects.NeedsManager)(nil); errors.As(err, &nm) {
		return &batch.Review{Message: nm.Message}
	}
	if ge, ok := projects.AsGateError(err); ok {
		return core.Invalid("stage", "%s", ge.Message)
	}
	return batch.OnColumns(err, fieldKeys)
}
