package projects

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
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
	_, filters := web.Filters(c, filterKeys)
	if filters == "" && c.Query("page") == "" {
		if saved := c.Cookies(filterCookie); saved != "" {
			if sv, err := url.ParseQuery(saved); err == nil && len(sv) > 0 {
				_ = c.Redirect(base+"?"+sv.Encode(), fiber.StatusSeeOther)
				return true
			}
		}
		return false
	}
	c.Cookie(&fiber.Cookie{Name: filterCookie, Value: filters, Path: "/projects", HTTPOnly: true, SameSite: "Lax", MaxAge: 30 * 86400})
	return false
}

// ListView is the Data of the "projects" and "board" pages.
type ListView struct {
	Query ListQuery
	Raw   map[string]string
	web.Listed[*Project]
	Columns  []Column // the board's (Total counts their cards)
	Base     string
	Export   string // the list's .xlsx export with the same filters
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

func (h *Handlers) listView(c *fiber.Ctx) (ListView, ListQuery, error) {
	q, err := queryFrom(c)
	cat, cerr := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if cerr != nil {
		return ListView{}, q, cerr
	}
	q.StaleDays = cat.StaleDays
	v := ListView{Query: q, UnitName: h.Names.Name, Person: h.person, Stages: Stages, Types: Types, Cat: cat,
		Now: core.Today(time.Now()), Stale: cat.StaleDays}
	if h.UnitOptions != nil {
		for _, u := range h.UnitOptions() {
			if web.Me(c).Scope.Allows(u[0]) {
				v.Units = append(v.Units, u)
			}
		}
	}
	var filters string
	v.Raw, filters = web.Filters(c, filterKeys)
	v.Base = "?" + filters
	v.Members = h.members(c, v.Units, v.Raw["officer"])
	v.SourceEventTitle = web.RecordName(c, "events", v.Raw["source_event"])
	return v, q, err
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	if rememberFilters(c, "/projects") {
		return nil
	}
	ctx, scope := c.UserContext(), web.Me(c).Scope
	v, q, err := h.listView(c)
	if v.Listed, err = web.ShowList(c, q, err, func(q ListQuery) (Page, error) { return h.Svc.List(ctx, scope, q) }); err != nil {
		return web.Fail(c, err)
	}
	v.Export = "/projects/export.xlsx" + v.Base
	v.Base = "/projects" + v.Base
	if counts, _, cerr := h.Svc.StageCounts(ctx, scope); cerr == nil {
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
	if v.Error, err = web.ListProblem(c, err); err != nil {
		return web.Fail(c, err)
	}
	for _, col := range v.Columns {
		v.Total += col.Count
	}
	v.Base = "/projects/board" + v.Base
	return web.Page(c, "board", "项目看板", "projects", v)
}
