package aftercare

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/web"
)

// Row is a request in the list page.
type Row struct {
	*Request
	Overdue     bool
	DaysOverdue int
}

// ListView is the Data of the "aftercare" page.
type ListView struct {
	Query    ListQuery
	Rows     []Row
	Total    int
	Pages    int
	Base     string // current filters without page and sort
	PageBase string // current filters and sort, for the pager
	Error    string
	Types    []string
	Statuses []string
	Units    [][2]string
	Counts   map[string]int
	Overdue  int
	UnitName func(string) string
	Person   func(string) string
}

// SortURL returns the list URL sorted by field, toggling the direction when
// the list is already sorted by it.
func (v ListView) SortURL(field string) string {
	s := field
	if v.Query.Sort == field {
		s = "-" + field
	}
	return v.Base + "&sort=" + url.QueryEscape(s)
}

// SortMark is the arrow of a sorted column.
func (v ListView) SortMark(field string) string {
	switch v.Query.Sort {
	case field:
		return "↑"
	case "-" + field:
		return "↓"
	}
	return ""
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	me := web.Me(c)
	q, err := queryFrom(c)
	v := ListView{Types: Types, Statuses: Statuses, UnitName: h.UnitName, Person: h.person}
	if h.Units != nil {
		for _, u := range h.Units() {
			if me.Scope.Allows(u[0]) {
				v.Units = append(v.Units, u)
			}
		}
	}
	if err == nil {
		var page Page
		page, err = h.Svc.List(c.UserContext(), me.Scope, q)
		now := h.Svc.now()
		for _, r := range page.Items {
			v.Rows = append(v.Rows, Row{Request: r, Overdue: r.Overdue(now), DaysOverdue: r.DaysOverdue(now)})
		}
		v.Total = page.Total
	}
	if v.Error, err = web.ListProblem(c, err); err != nil {
		return web.Fail(c, err)
	}
	v.Query = q
	v.Query.Page = max(q.Page, 1)
	per := cmpOr(q.PerPage, 20)
	v.Pages = (v.Total + per - 1) / per
	vals := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "status": q.Status, "type": q.Type, "unit": q.Unit,
		"owner": q.Owner, "project": q.ProjectID} {
		if val != "" {
			vals.Set(k, val)
		}
	}
	if q.Overdue {
		vals.Set("overdue", "1")
	}
	v.Base = "/aftercare?" + vals.Encode()
	if q.Sort != "" {
		vals.Set("sort", q.Sort)
	}
	v.PageBase = "/aftercare?" + vals.Encode()
	if counts, overdue, cerr := h.Svc.Counts(c.UserContext(), me.Scope); cerr == nil {
		v.Counts, v.Overdue = counts, overdue
	}
	title := "后道服务"
	if q.Overdue {
		title = "后道服务 · 督办"
	}
	return web.Page(c, "aftercare", title, "aftercare", v)
}

// FormView is the Data of the "aftercare_form" page (new and detail/edit).
type FormView struct {
	Request  *Request // nil when creating
	Project  *projects.Project
	Form     Input
	Version  int64
	Errors   map[string]string
	Error    string
	Changes  []Change // what someone else changed (after a conflict)
	Types    []string
	Statuses []string
	Owners   [][2]string
	UnitName string
	Clause   string // clause title, when the policy library names it
	Overdue  bool
	Days     int
	Manager  bool
	Today    string
	Person   func(string) string
}

func formInput(c *fiber.Ctx) (Input, error) {
	in := Input{ProjectID: c.FormValue("project_id"), Type: c.FormValue("type"), Title: c.FormValue("title"),
		Detail: c.FormValue("detail"), Owner: c.FormValue("owner"), Status: c.FormValue("status"),
		Resolution: c.FormValue("resolution"), PolicyID: c.FormValue("policy_id"), ClauseNo: c.FormValue("clause_no")}
	d, err := core.ParseDateField("due", c.FormValue("due"))
	in.Due = d
	return in, err
}

func (h *Handlers) formView(c *fiber.Ctx, r *Request, p *projects.Project) *FormView {
	me := web.Me(c)
	v := &FormView{Request: r, Project: p, Types: Types, Statuses: Statuses, Errors: map[string]string{},
		Manager: me.May(web.Manager), Today: core.Today(h.Svc.now()).String(), Person: h.person}
	unit := ""
	switch {
	case r != nil:
		unit = r.Unit
		v.Form, v.Version = InputOf(r), r.Version
		now := h.Svc.now()
		v.Overdue, v.Days = r.Overdue(now), r.DaysOverdue(now)
		v.Clause = h.clauseTitle(c.UserContext(), r)
	case p != nil:
		unit = p.Unit
		// The project's officer answers for it; a week is the feedback SLA.
		owner := p.Officer
		if owner == "" {
			owner = me.Username
		}
		v.Form = Input{ProjectID: p.ID, Owner: owner, Status: StatusPending,
			Due: core.Today(h.Svc.now()).AddDays(7)}
	}
	if unit != "" {
		v.UnitName = h.UnitName(unit)
		v.Owners = h.Svc.Owners(c.UserContext(), unit)
	}
	return v
}

func (h *Handlers) person(username string) string {
	if h.PersonName == nil || username == "" {
		return username
	}
	return h.PersonName(username)
}

// formError puts err into the view; false when err is no user mistake.
func formError(v *FormView, err error) bool {
	if fe, ok := core.AsFieldError(err); ok {
		v.Errors[fe.Field] = fe.Message
		v.Error = fe.Message
		return true
	}
	return false
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	id := c.Query("project")
	if id == "" {
		v := h.formView(c, nil, nil)
		return web.Page(c, "aftercare_form", "登记服务诉求", "aftercare", v)
	}
	p, err := h.Svc.landed(c.UserContext(), web.Me(c).Scope, id)
	if err != nil {
		h.auditDenied(c, err)
		v := h.formView(c, nil, nil)
		v.Form.ProjectID = id
		if !formError(v, err) {
			return web.Fail(c, err)
		}
		return web.Page(c.Status(422), "aftercare_form", "登记服务诉求", "aftercare", v)
	}
	return web.Page(c, "aftercare_form", "登记服务诉求", "aftercare", h.formView(c, nil, p))
}

func (h *Handlers) createForm(c *fiber.Ctx) error {
	in, perr := formInput(c)
	var r *Request
	err := perr
	if err == nil {
		r, err = h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
	}
	if err != nil {
		h.auditDenied(c, err)
		p, _ := h.Svc.landed(c.UserContext(), web.Me(c).Scope, in.ProjectID)
		v := h.formView(c, nil, p)
		v.Form = in
		if !formError(v, err) {
			return web.Fail(c, err)
		}
		return web.Page(c.Status(422), "aftercare_form", "登记服务诉求", "aftercare", v)
	}
	web.Flash(c, "ok", "已登记服务诉求“"+r.Title+"”")
	return c.Redirect("/aftercare/"+r.ID, fiber.StatusSeeOther)
}

func (h *Handlers) detailPage(c *fiber.Ctx) error {
	r, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "aftercare_form", "服务诉求", "aftercare", h.formView(c, r, nil))
}

func (h *Handlers) editForm(c *fiber.Ctx) error {
	r, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	in, err := formInput(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	var saved *Request
	if err == nil {
		saved, err = h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, r.ID, version, in)
	}
	if err == nil {
		web.Saved(c, version, saved.Version)
		return c.Redirect("/aftercare/"+saved.ID, fiber.StatusSeeOther)
	}
	h.auditDenied(c, err)
	var ce *ConflictError
	if errors.As(err, &ce) {
		// Show the stored record with what changed; the user's text stays in
		// the form so nothing typed is lost, with the current version to retry.
		v := h.formView(c, ce.Current, nil)
		v.Form, v.Changes = in, ce.Changes
		v.Error = "该服务诉求已被他人修改。下表列出了不同之处；核对后再次保存即以您的内容为准。"
		return web.Page(c.Status(409), "aftercare_form", "服务诉求", "aftercare", v)
	}
	v := h.formView(c, r, nil)
	v.Form = in
	if !formError(v, err) {
		return web.Fail(c, err)
	}
	return web.Page(c.Status(422), "aftercare_form", "服务诉求", "aftercare", v)
}

func (h *Handlers) deleteForm(c *fiber.Ctx) error {
	id := c.Params("id")
	return web.DeleteForm(c, h.Audit, web.Deleted{Kind: Kind, Done: "已删除该服务诉求", Stale: "该服务诉求刚被他人修改，请核对后再删除",
		List: "/aftercare", Detail: "/aftercare/" + id}, func(version int64) error {
		return h.Svc.Delete(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version)
	})
}
