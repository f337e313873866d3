package projects

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// filterKeys are the list/board filters kept in the URL and remembered.
var filterKeys = []string{"q", "stage", "type", "industry", "zone", "unit", "officer", "source_event", "approval", "from", "to", "stale", "overdue", "sort",
	"date", "entered", "reached", "left"}

const filterCookie = "zs_pf"

// rememberFilters keeps the filters across navigation: a bare /projects
// (or /projects/board) restores the last filters; ?reset=1 clears them.
func rememberFilters(c *fiber.Ctx, base string) (redirect bool) {
	if c.Query("reset") == "1" {
		// Expire it on the path it was set with, or the browser keeps it.
		c.Cookie(&fiber.Cookie{Name: filterCookie, Value: "", Path: "/projects", HTTPOnly: true, SameSite: "Lax",
			MaxAge: -1, Expires: time.Unix(1, 0)})
		return false
	}
	vals := url.Values{}
	for _, k := range filterKeys {
		if v := c.Query(k); v != "" {
			vals.Set(k, v)
		}
	}
	if len(vals) == 0 && c.Query("page") == "" {
		if saved := c.Cookies(filterCookie); saved != "" {
			if sv, err := url.ParseQuery(saved); err == nil && len(sv) > 0 {
				_ = c.Redirect(base+"?"+sv.Encode(), fiber.StatusSeeOther)
				return true
			}
		}
		return false
	}
	c.Cookie(&fiber.Cookie{Name: filterCookie, Value: vals.Encode(), Path: "/projects", HTTPOnly: true, SameSite: "Lax", MaxAge: 30 * 86400})
	return false
}

// ListView is the Data of the "projects" and "board" pages.
type ListView struct {
	Query    ListQuery
	Raw      map[string]string
	Items    []*Project
	Columns  []Column
	Total    int
	Pages    int
	Base     string
	Export   string // the list's .xlsx export with the same filters
	Error    string
	UnitName func(string) string
	Person   func(string) string
	Units    [][2]string
	Cat      Catalog
	Stages   []string
	Types    []string
	Counts   map[string]int
	Now      core.Date // today: a next step due before it is overdue
	Stale    int
	CanMove  bool
	// Members are the 负责人 the filter and bulk assignment offer.
	Members []templates.Member
	// SourceEventTitle names the source_event filter's event.
	SourceEventTitle string
}

// StageList is the list of one stage under the other filters (the kanban
// column's "more" link).
func (v ListView) StageList(stage string) string {
	vals := url.Values{}
	for k, x := range v.Raw {
		vals.Set(k, x)
	}
	vals.Set("stage", stage)
	return "/projects?" + vals.Encode()
}

func (h *Handlers) person(u string) string {
	if h.People != nil {
		if n := h.People(u); n != "" {
			return n
		}
	}
	return u
}

func (h *Handlers) listView(c *fiber.Ctx) (ListView, ListQuery, error) {
	q, err := queryFrom(c)
	cat, cerr := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if cerr != nil {
		return ListView{}, q, cerr
	}
	q.StaleDays = cat.StaleDays
	v := ListView{Query: q, UnitName: h.Names.Name, Person: h.person, Stages: Stages, Types: Types, Cat: cat,
		Now: core.Today(time.Now()), Stale: cat.StaleDays, Raw: map[string]string{}}
	if h.UnitOptions != nil {
		for _, u := range h.UnitOptions() {
			if web.Me(c).Scope.Allows(u[0]) {
				v.Units = append(v.Units, u)
			}
		}
	}
	vals := url.Values{}
	for _, k := range filterKeys {
		if val := c.Query(k); val != "" {
			vals.Set(k, val)
			v.Raw[k] = val
		}
	}
	v.Base = "?" + vals.Encode()
	v.Members = h.members(c, v.Units, v.Raw["officer"])
	v.SourceEventTitle = web.RecordName(c, "events", v.Raw["source_event"])
	return v, q, err
}

// members are the 负责人 a picker offers: the people of the viewer's units
// (grouped by unit), and the one a filter names if not among them.
func (h *Handlers) members(c *fiber.Ctx, units [][2]string, current string) []templates.Member {
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u[0]
	}
	ms := web.MembersOf(c, ids)
	if current != "" && !slices.ContainsFunc(ms, func(m templates.Member) bool { return m.Username == current }) {
		ms = append(ms, templates.Member{Username: current, Name: h.person(current), Unit: "其他"})
	}
	return ms
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	if rememberFilters(c, "/projects") {
		return nil
	}
	v, q, err := h.listView(c)
	if err == nil {
		var page Page
		page, err = h.Svc.List(c.UserContext(), web.Me(c).Scope, q)
		v.Items, v.Total = page.Items, page.Total
	}
	if err != nil {
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		v.Error = fe.Message
		c.Status(400)
	}
	v.Query.Page = max(q.Page, 1)
	per := max(q.PerPage, 20)
	v.Pages = (v.Total + per - 1) / per
	v.Export = "/projects/export.xlsx" + v.Base
	v.Base = "/projects" + v.Base
	if counts, _, cerr := h.Svc.StageCounts(c.UserContext(), web.Me(c).Scope); cerr == nil {
		v.Counts = counts
	}
	return web.Page(c, "projects", "项目管线", "projects", v)
}

func (h *Handlers) boardPage(c *fiber.Ctx) error {
	if rememberFilters(c, "/projects/board") {
		return nil
	}
	v, q, err := h.listView(c)
	if err == nil {
		v.Columns, err = h.Svc.Board(c.UserContext(), web.Me(c).Scope, q)
	}
	if err != nil {
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		v.Error = fe.Message
		c.Status(400)
	}
	for _, col := range v.Columns {
		v.Total += col.Count
	}
	v.Base = "/projects/board" + v.Base
	return web.Page(c, "board", "项目看板", "projects", v)
}

func (h *Handlers) apiBoard(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	h.withStaleDays(c, &q)
	cols, err := h.Svc.Board(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	return c.JSON(fiber.Map{"columns": cols})
}

// FormView is the Data of the "project_form" page.
type FormView struct {
	ID string
	// FormState: the stored version, a field error or what a stale save changed.
	web.FormState
	In        Input
	Cat       Catalog
	Units     [][2]string
	Types     []string
	Stages    []string
	Creating  bool
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
	v, err := h.formView(c, in)
	if err != nil {
		return web.Fail(c, err)
	}
	v.Creating = true
	return web.Page(c, "project_form", "新建项目", "projects", v)
}

func (h *Handlers) formFail(c *fiber.Ctx, v FormView, err error) error {
	var dw *DuplicateWarning
	if errors.As(err, &dw) {
		for _, x := range dw.Candidates {
			v.Duplicates = append(v.Duplicates, DuplicateView{Candidate: x, UnitName: h.Names.Name(x.Unit)})
		}
		return web.Page(c.Status(409), "project_form", "新建项目", "projects", v)
	}
	title := "编辑项目"
	if v.Creating {
		title = "新建项目"
	}
	return web.FormFailed(c, err, &v.FormState, func() error { return web.Page(c, "project_form", title, "projects", v) }, h.Audit, Kind)
}

func (h *Handlers) createForm(c *fiber.Ctx) error {
	in, err := h.readForm(c)
	v, verr := h.formView(c, in)
	if verr != nil {
		return web.Fail(c, verr)
	}
	v.Creating = true
	if err == nil {
		var p *Project
		p, err = h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
		if err == nil {
			web.Flash(c, "ok", "已新建项目“"+p.Name+"”")
			return c.Redirect("/projects/"+p.ID, fiber.StatusSeeOther)
		}
	}
	return h.formFail(c, v, err)
}

func (h *Handlers) editPage(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	v, err := h.formView(c, InputOf(p))
	if err != nil {
		return web.Fail(c, err)
	}
	v.ID, v.Version = p.ID, p.Version
	return web.Page(c, "project_form", "编辑项目", "projects", v)
}

func (h *Handlers) editForm(c *fiber.Ctx) error {
	in, err := h.readForm(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	v, verr := h.formView(c, in)
	if verr != nil {
		return web.Fail(c, verr)
	}
	v.ID, v.Version = c.Params("id"), version
	if err == nil {
		var p *Project
		p, err = h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version, in)
		if err == nil {
			web.Saved(c, version, p.Version)
			return c.Redirect("/projects/"+p.ID, fiber.StatusSeeOther)
		}
	}
	return h.formFail(c, v, err)
}

// DetailView is the Data of the "project" page.
type DetailView struct {
	P           *Project
	UnitName    string
	Person      func(string) string
	Timeline    []TimelineItem
	Targets     []string
	TimeInStage string
	Stale       bool
	Overdue     bool
	IsManager   bool
	// MayDecide: a decision may be recorded now (MayDecide); MayWithdraw:
	// withdrawing the standing one keeps the stage's conditions.
	MayDecide, MayWithdraw bool
	// Decisions is the decision record, newest first.
	Decisions []TimelineItem
	Error     string
	Extra     []Section
	Criteria  []ScoreItem
	// Names are the linked records' names by id (source event, talent …).
	Names map[string]string
}

// Section is a block another module adds to the project page (aftercare).
type Section struct {
	Title string
	Rows  [][]string
	Link  string
}

// TimelineItem merges history, follow-ups and 批示 in time order.
type TimelineItem struct {
	At   time.Time
	Kind string // stage, followup, instruction, decision, attachment
	By   string
	Text string
	From string
	To   string
}

func (h *Handlers) detailPage(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	cat, _ := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	v := DetailView{P: p, UnitName: h.Names.Name(p.Unit), Person: h.person, Timeline: Timeline(p),
		IsManager: me.May(web.Manager), Error: c.Query("err")}
	now := time.Now()
	v.TimeInStage = humanDuration(now.Sub(p.StageSince))
	v.MayDecide = MayDecide(p)
	if p.Approval != nil {
		cp := *p
		cp.Approval = nil
		v.MayWithdraw = CheckState(p, &cp, cat.DisabledGates) == nil
	}
	v.Decisions = decisionItems(p)
	slices.Reverse(v.Decisions)
	v.Stale = slicesContains(ActiveStages, p.Stage) && (p.LastFollowUp.IsZero() || now.Sub(p.LastFollowUp) > time.Duration(max(cat.StaleDays, 1))*24*time.Hour)
	v.Overdue = slicesContains(ActiveStages, p.Stage) && !p.NextDue.IsZero() && p.NextDue.Before(core.Today(now))
	for _, s := range Stages {
		if s != p.Stage {
			v.Targets = append(v.Targets, s)
		}
	}
	if h.Sections != nil {
		v.Extra = h.Sections(c, p)
	}
	v.Names = map[string]string{}
	for kind, id := range map[string]string{"events": p.SourceEvent, "talents": p.TalentID, "institutes": p.InstituteID, "results": p.ResultID} {
		if n := web.RecordName(c, kind, id); n != "" {
			v.Names[id] = n
		}
	}
	for _, d := range DefaultCriteria {
		for _, a := range p.Assessment {
			if a.Criterion == d.Criterion {
				d.Score = a.Score
			}
		}
		v.Criteria = append(v.Criteria, d)
	}
	return web.Page(c, "project", p.Name, "projects", v)
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func humanDuration(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days >= 1:
		return fmt.Sprintf("%d 天", days)
	case d >= time.Hour:
		return fmt.Sprintf("%d 小时", int(d.Hours()))
	}
	return "不足 1 小时"
}

// decisionItems are the project's decision record as timeline entries.
func decisionItems(p *Project) []TimelineItem {
	out := make([]TimelineItem, 0, len(p.Decisions))
	for _, d := range p.Decisions {
		out = append(out, TimelineItem{At: d.At, Kind: "decision", By: d.By, Text: DecisionText(d)})
	}
	return out
}

// DecisionText says what a decision record entry was, in the page's words.
func DecisionText(d Decision) string {
	var t string
	switch d.Kind {
	case DecisionScore:
		t = fmt.Sprintf("填写评估打分表，合计 %s 分", strconv.FormatFloat(d.Score, 'f', -1, 64))
	case DecisionApprove:
		t = "审批通过"
	case DecisionReject:
		t = "审批不予通过"
	case DecisionVeto:
		t = "一票否决（" + d.Veto + "）"
	case DecisionWithdraw:
		t = "撤回审批决定"
	case DecisionExternal:
		t = "记录系统外审批"
	default:
		t = d.Kind
	}
	if d.Note != "" {
		t += "：" + d.Note
	}
	return t
}

// Timeline merges a project's history, follow-ups, 批示 and attachments, newest first.
func Timeline(p *Project) []TimelineItem {
	var out []TimelineItem
	for _, h := range p.History {
		out = append(out, TimelineItem{At: h.At, Kind: "stage", By: h.By, Text: h.Note, From: h.From, To: h.To})
	}
	for _, f := range p.FollowUps {
		t := f.Text
		if f.Kind != "" {
			t = "【" + f.Kind + "】" + t
		}
		out = append(out, TimelineItem{At: f.At, Kind: "followup", By: f.By, Text: t})
	}
	for _, i := range p.Instructions {
		out = append(out, TimelineItem{At: i.At, Kind: "instruction", By: i.By, Text: i.Text})
	}
	for _, a := range p.Attachments {
		out = append(out, TimelineItem{At: a.At, Kind: "attachment", By: a.By, Text: a.Name})
	}
	out = append(out, decisionItems(p)...)
	// newest first, stable for equal times
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].At.After(out[j-1].At); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// back redirects to the project page with a flash.
func back(c *fiber.Ctx, id, kind, msg string) error {
	web.Flash(c, kind, msg)
	return c.Redirect("/projects/"+id, fiber.StatusSeeOther)
}

func (h *Handlers) formError(c *fiber.Ctx, id string, err error) error {
	h.auditDenied(c, err)
	if errors.Is(err, core.ErrConflict) { // a *ConflictError is one too
		return back(c, id, "error", "项目刚被他人修改，已显示最新内容，请核对后重试")
	}
	if ge, ok := AsGateError(err); ok {
		return back(c, id, "error", "无法变更阶段："+ge.Message)
	}
	if fe, ok := core.AsFieldError(err); ok {
		return back(c, id, "error", fe.Message)
	}
	return web.Fail(c, err)
}

func (h *Handlers) stageForm(c *fiber.Ctx) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if c.FormValue("to") == "" {
		// The page offers no stage by default: pressing 变更阶段 without
		// choosing one must not move the project back to the first.
		return back(c, c.Params("id"), "error", "请选择要转入的阶段")
	}
	p, err := h.move(c, c.Params("id"), stageRequest{To: c.FormValue("to"), Version: version, Note: c.FormValue("note")})
	if err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, p.ID, "ok", "已转入“"+stageName(p.Stage)+"”")
}

func (h *Handlers) followUpForm(c *fiber.Ctx) error {
	due, err := core.ParseDateField("next_due", c.FormValue("next_due"))
	if err == nil {
		_, err = h.Svc.AddFollowUp(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"),
			FollowUp{Kind: c.FormValue("kind"), Text: c.FormValue("text")}, c.FormValue("next_action"), due)
	}
	if err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已记录跟进")
}

func (h *Handlers) instructionForm(c *fiber.Ctx) error {
	me := web.Me(c)
	if _, err := h.Svc.AddInstruction(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), c.FormValue("text")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已添加批示")
}

// DefaultCriteria is the default assessment score sheet.
var DefaultCriteria = []ScoreItem{{Criterion: "技术先进性", Max: 25}, {Criterion: "团队与人才", Max: 20},
	{Criterion: "产业匹配度", Max: 20}, {Criterion: "投资规模与效益", Max: 20}, {Criterion: "落地可行性", Max: 15}}

func (h *Handlers) assessmentForm(c *fiber.Ctx) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	var items []ScoreItem
	for i, d := range DefaultCriteria {
		s := strings.TrimSpace(c.FormValue(fmt.Sprintf("score_%d", i)))
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return back(c, c.Params("id"), "error", "请为“"+d.Criterion+"”填写 0–"+strconv.Itoa(int(d.Max))+" 的分数")
		}
		items = append(items, ScoreItem{Criterion: d.Criterion, Score: f, Max: d.Max})
	}
	if _, err := h.Svc.SetAssessment(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version, items); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已保存评估打分表")
}

func (h *Handlers) decisionForm(c *fiber.Ctx) error {
	me := web.Me(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	approved := c.FormValue("decision") == "approve"
	if _, err := h.Svc.Decide(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), version, approved,
		c.FormValue("veto"), c.FormValue("note")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", map[bool]string{true: "已审批通过", false: "已记录不予通过"}[approved])
}

func (h *Handlers) withdrawForm(c *fiber.Ctx) error {
	me := web.Me(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if _, err := h.Svc.Withdraw(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), version, c.FormValue("note")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已撤回审批决定")
}

func (h *Handlers) uploadForm(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return back(c, c.Params("id"), "error", "请选择要上传的文件")
	}
	if fh.Size > MaxAttachment {
		return web.Fail(c, fiber.NewError(413, "文件超过 10 MB 上限"))
	}
	f, err := fh.Open()
	if err != nil {
		return web.Fail(c, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxAttachment+1))
	f.Close()
	if err != nil {
		return web.Fail(c, err)
	}
	if len(data) > MaxAttachment {
		return web.Fail(c, fiber.NewError(413, "文件超过 10 MB 上限"))
	}
	if _, err := h.Svc.AddAttachment(c.UserContext(), web.Actor(c), web.Me(c).Scope, h.Attachments, c.Params("id"), fh.Filename, data); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已上传附件 "+fh.Filename)
}

func (h *Handlers) download(c *fiber.Ctx) error {
	att, f, err := h.Svc.OpenAttachment(c.UserContext(), web.Me(c).Scope, h.Attachments, c.Params("id"), c.Params("att"))
	if err != nil {
		h.auditDenied(c, err)
		return web.Fail(c, err)
	}
	defer f.Close()
	c.Set(fiber.HeaderContentType, att.ContentType)
	c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+url.PathEscape(att.Name))
	data, err := io.ReadAll(f)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.Send(data)
}

// BulkView is the Data of the "bulk_result" page.
type BulkView struct {
	Req     BulkRequest
	Results []BulkResult
	OK      int
	Failed  int
	Officer string // the assignee's name
}

func (h *Handlers) bulk(c *fiber.Ctx, req BulkRequest) ([]BulkResult, error) {
	cat, err := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if err != nil {
		return nil, err
	}
	res, err := h.Svc.Bulk(c.UserContext(), web.Actor(c), web.Me(c).Scope, req, cat.DisabledGates)
	// A failed item is named too, when the caller may see it.
	for i, r := range res {
		if r.Name == "" {
			if p, gerr := h.Svc.Get(c.UserContext(), web.Me(c).Scope, r.ID); gerr == nil {
				res[i].Name = p.Name
			}
		}
	}
	return res, err
}

func (h *Handlers) apiBulk(c *fiber.Ctx) error {
	var req BulkRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	res, err := h.bulk(c, req)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(fiber.Map{"results": res})
}

func (h *Handlers) bulkForm(c *fiber.Ctx) error {
	req := BulkRequest{Action: c.FormValue("action"), To: c.FormValue("to"), Officer: c.FormValue("officer"), Note: c.FormValue("note")}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "ids" && len(v) > 0 {
			req.IDs = append(req.IDs, string(v))
		}
	})
	res, err := h.bulk(c, req)
	if err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			web.Flash(c, "error", fe.Message)
			return c.Redirect("/projects", fiber.StatusSeeOther)
		}
		return web.Fail(c, err)
	}
	v := BulkView{Req: req, Results: res, Officer: h.person(req.Officer)}
	for _, r := range res {
		if r.OK {
			v.OK++
		} else {
			v.Failed++
		}
	}
	return web.Page(c, "bulk_result", "批量操作结果", "projects", v)
}

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
