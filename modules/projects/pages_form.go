package projects

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// FormView is the Data of the "project_form" page.
type FormView struct {
	// FormState: which project, the stored version, a field error or what
	// a stale save changed.
	web.FormState
	In        Input
	Cat       Catalog
	Units     [][2]string
	Types     []string
	Stages    []string
	ActionSet map[string]bool
	// Duplicates are stored projects the new one may repeat (create asks to confirm).
	Duplicates []DuplicateView
	// Members are the 负责人 the form offers (the stored one included).
	Members []templates.Member
	// ContactRows are the contacts' rows: each contact, then a blank one.
	ContactRows []Contact
}

// DuplicateView is a likely duplicate shown on the create form.
type DuplicateView struct {
	Candidate
	UnitName string
}

func (h *Handlers) formView(c *fiber.Ctx, in Input) (FormView, error) {
	cat, err := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if err != nil {
		return FormView{}, err
	}
	v := FormView{In: in, Cat: cat, Types: Types, Stages: []string{StageSearch, StagePush, StageAttract}, ActionSet: map[string]bool{}}
	for _, l := range in.ActionLines {
		v.ActionSet[l] = true
	}
	if h.UnitOptions != nil {
		for _, u := range h.UnitOptions() {
			if web.Me(c).Scope.Allows(u[0]) {
				v.Units = append(v.Units, u)
			}
		}
	}
	v.Members = h.members(c, v.Units, in.Officer)
	v.ContactRows = append(slices.Clone(in.Contacts), Contact{})
	return v, nil
}

// formInput reads the project form; bad amounts and dates are field
// errors, all of them at once.
func formInput(c *fiber.Ctx) (Input, error) {
	num := func(field string) (float64, error) {
		// The importer's parser: 1200, 1,200, 500万元, 2亿, 3000000元.
		f, _, err := cells.ParseAmount(c.FormValue(field))
		if err != nil {
			return 0, core.Invalid(field, "%v（单位：万元）", err)
		}
		return f, nil
	}
	in := Input{Type: c.FormValue("type"), Name: c.FormValue("name"), Industry: c.FormValue("industry"),
		Zone: c.FormValue("zone"), Unit: c.FormValue("unit"), Officer: c.FormValue("officer"), Summary: c.FormValue("summary"),
		Enterprise: c.FormValue("enterprise"), CreditCode: c.FormValue("credit_code"), EnterpriseID: c.FormValue("enterprise_id"),
		TalentID: c.FormValue("talent_id"), InstituteID: c.FormValue("institute_id"), ResultID: c.FormValue("result_id"),
		SourceEvent: c.FormValue("source_event"),
		NextAction:  c.FormValue("next_action"), Stage: c.FormValue("stage"), ConfirmDuplicate: c.FormValue("confirm_duplicate") == "1"}
	var ps core.Problems
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"investment", &in.Investment}, {"registered_capital", &in.RegisteredCapital}, {"capital_arrived", &in.CapitalArrived}} {
		var err error
		*f.dst, err = num(f.name)
		ps.Check(f.name, err)
	}
	for _, f := range []struct {
		name string
		dst  *core.Date
	}{{"next_due", &in.NextDue}, {"signed", &in.Milestones.Signed}, {"registered", &in.Milestones.Registered},
		{"started", &in.Milestones.Started}, {"producing", &in.Milestones.Producing}, {"funded", &in.Milestones.Funded}} {
		var err error
		*f.dst, err = core.ParseDateField(f.name, c.FormValue(f.name))
		ps.Check(f.name, err)
	}
	// Tags are separated by commas (or 、), not spaces: "AI 芯片" is one tag.
	for _, t := range strings.FieldsFunc(c.FormValue("tags"), func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		in.Tags = append(in.Tags, t)
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "action_lines" && len(v) > 0 {
			in.ActionLines = append(in.ActionLines, string(v))
		}
	})
	in.Contacts = formContacts(c)
	return in, ps.Err()
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	me := web.Me(c)
	in := Input{Type: TypeIndustry, Stage: StageSearch, Officer: me.Username, TalentID: c.Query("talent"),
		EnterpriseID: c.Query("enterprise"), InstituteID: c.Query("institute"), ResultID: c.Query("result"),
		SourceEvent: c.Query("event")}
	if len(me.Units) > 0 {
		in.Unit = me.Units[0]
	}
	if in.TalentID != "" {
		in.Type = TypeTalent
	} else if in.InstituteID != "" {
		in.Type = TypePlatform
	}
	if n := c.Query("name"); n != "" {
		in.Name = n
	}
	return h.forms().NewPage(c, in)
}

// forms is the flow of the new and edit pages; a likely duplicate shows
// the candidates to confirm (409).
func (h *Handlers) forms() *web.Forms[*Project, Input, FormView, *FormView] {
	return &web.Forms[*Project, Input, FormView, *FormView]{Kind: Kind, Audit: h.Audit, Page: "project_form", Nav: "projects",
		NewTitle: "新建项目", EditTitle: "编辑项目", Path: "/projects", Read: h.readForm, View: h.formView,
		Created: func(p *Project) string { return "已新建项目“" + p.Name + "”" },
		Create: func(c *fiber.Ctx, in Input) (*Project, error) {
			return h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
		},
		Update: func(c *fiber.Ctx, id string, version int64, in Input) (*Project, error) {
			return h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version, in)
		},
		Failed: func(c *fiber.Ctx, v *FormView, err error) (bool, error) {
			var dw *DuplicateWarning
			if !errors.As(err, &dw) {
				return false, nil
			}
			for _, x := range dw.Candidates {
				v.Duplicates = append(v.Duplicates, DuplicateView{Candidate: x, UnitName: h.Names.Name(x.Unit)})
			}
			return true, web.Page(c.Status(409), "project_form", "新建项目", "projects", *v)
		}}
}

func (h *Handlers) createForm(c *fiber.Ctx) error { return h.forms().CreateHandler(c) }

func (h *Handlers) editPage(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return h.forms().EditPage(c, p, InputOf(p))
}

func (h *Handlers) editForm(c *fiber.Ctx) error { return h.forms().UpdateHandler(c) }

// readForm is formInput with every problem at once: when some values
// cannot be read, the rules are checked on the rest too.
func (h *Handlers) readForm(c *fiber.Ctx) (Input, error) {
	in, err := formInput(c)
	if err == nil {
		return in, nil
	}
	rest := in
	rest.Contacts = slices.Clone(in.Contacts)
	rest.Tags = slices.Clone(in.Tags)
	if verr := h.Svc.Check(c.UserContext(), web.Me(c).Scope, rest); verr != nil {
		read := map[string]bool{}
		for _, fe := range core.FieldErrors(err) {
			read[fe.Field] = true
		}
		ps := core.Problems(core.FieldErrors(err))
		for _, fe := range core.FieldErrors(verr) {
			if !read[fe.Field] { // a value not read is no value to check
				ps = append(ps, fe)
			}
		}
		err = ps.Err()
	}
	return in, err
}

// formContacts reads the form's contact rows: every row submits its name,
// title, phone and e-mail under the same four names, in page order; a row
// left empty (the blank row for a new contact, a cleared one) is no contact.
func formContacts(c *fiber.Ctx) []Contact {
	args := c.Request().PostArgs()
	col := func(name string) []string {
		var out []string
		for _, v := range args.PeekMulti(name) {
			out = append(out, strings.TrimSpace(string(v)))
		}
		return out
	}
	names, titles, phones, emails := col("contact_name"), col("contact_title"), col("contact_phone"), col("contact_email")
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	var out []Contact
	for i := range max(len(names), len(titles), len(phones), len(emails)) {
		ct := Contact{Name: at(names, i), Title: at(titles, i), Phone: at(phones, i), Email: at(emails, i)}
		if ct != (Contact{}) {
			out = append(out, ct)
		}
	}
	return out
}
