package events

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/web"
)

// stageOrder is the pipeline order the outcome block shows.
var stageOrder = projects.Stages

// filterKeys are the list filters kept in the URL.
var filterKeys = []string{"q", "type", "year", "from", "to", "unit", "industry", "action_line", "status", "sort"}

// ListView is the Data of the "events" page.
type ListView struct {
	Query ListQuery
	Raw   map[string]string
	web.Listed[*Event]
	Base     string // list URL with the filters, for pager and sort links
	Export   string // the list's .xlsx export with the same filters
	UnitName func(string) string
	Units    []*matrix.Unit
	Cat      *matrix.Catalog
	Years    []string
	Statuses []string
}

// visibleUnits are the units in the caller's scope, in display order.
func (h *Handlers) visibleUnits(c *fiber.Ctx) []*matrix.Unit {
	var out []*matrix.Unit
	for _, u := range h.Svc.Matrix.Units() {
		if web.Me(c).Scope.Allows(u.ID) {
			out = append(out, u)
		}
	}
	return out
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	ctx, scope := c.UserContext(), web.Me(c).Scope
	cat, err := h.Svc.Matrix.Catalog(ctx)
	if err != nil {
		return web.Fail(c, err)
	}
	v := ListView{UnitName: h.Svc.Matrix.Name, Units: h.visibleUnits(c), Cat: cat, Statuses: Statuses}
	var filters string
	v.Raw, filters = web.Filters(c, filterKeys)
	v.Base, v.Export = "/events?"+filters, "/events/export.xlsx?"+filters
	if v.Years, err = h.Svc.Years(ctx, scope); err != nil {
		return web.Fail(c, err)
	}
	q, err := queryFrom(c)
	if v.Listed, err = web.ShowList(c, q, err, func(q ListQuery) (Page, error) { return h.Svc.List(ctx, scope, q) }); err != nil {
		return web.Fail(c, err)
	}
	v.Query = q
	return web.Page(c, "events", "活动", "events", v)
}

// DetailView is the Data of the "event" page.
type DetailView struct {
	E         *Event
	UnitName  string
	Outcome   Outcome
	Stages    []string
	CanDelete bool
}

func (h *Handlers) detailPage(c *fiber.Ctx) error {
	e, o, err := h.outcome(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "events_detail", e.Title, "events",
		DetailView{E: e, UnitName: h.Svc.Matrix.Name(e.Unit), Outcome: o, Stages: stageOrder, CanDelete: web.IsManager(c)})
}

// FormView is the Data of the "events_form" page.
type FormView struct {
	// FormState: which event, the stored version, a field error or what a
	// stale save changed.
	web.FormState
	In       Input
	Cat      *matrix.Catalog
	Units    []*matrix.Unit
	Statuses []string
	// Text areas: one participant per line ("名称 #编号"), co-organisers per line.
	Enterprises, Talents, CoOrganisers string
}

func refLines(rs []Ref) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = r.Name
		if r.ID != "" {
			lines[i] += " #" + r.ID
		}
	}
	return strings.Join(lines, "\n")
}

// parseRefs reads one participant per line: a name, optionally followed by
// " #<资源编号>" to link a pool record (the form writes them that way).
func parseRefs(text string) []Ref {
	var out []Ref
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		r := Ref{Name: line}
		if i := strings.LastIndex(line, "#"); i >= 0 && idRE.MatchString(strings.TrimSpace(line[i+1:])) {
			r = Ref{Name: strings.TrimSpace(line[:i]), ID: strings.TrimSpace(line[i+1:])}
		}
		out = append(out, r)
	}
	return out
}

func lines(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == '；' || r == ';' })
}

func (h *Handlers) formView(c *fiber.Ctx, in Input) (FormView, error) {
	cat, err := h.Svc.Matrix.Catalog(c.UserContext())
	if err != nil {
		return FormView{}, err
	}
	return FormView{In: in, Cat: cat, Units: h.visibleUnits(c), Statuses: Statuses,
		Enterprises: refLines(in.Participants.Enterprises), Talents: refLines(in.Participants.Talents),
		CoOrganisers: strings.Join(in.CoOrganisers, "\n")}, nil
}

// formInput reads the event form; a non-number count is a field error.
func formInput(c *fiber.Ctx) (Input, error) {
	in := Input{Title: c.FormValue("title"), Type: c.FormValue("type"), Date: c.FormValue("date"), EndDate: c.FormValue("end_date"),
		Place: c.FormValue("place"), Unit: c.FormValue("unit"), Summary: c.FormValue("summary"), Status: c.FormValue("status"),
		CoOrganisers: lines(c.FormValue("co_organisers"))}
	in.Participants.Enterprises = parseRefs(c.FormValue("enterprises"))
	in.Participants.Talents = parseRefs(c.FormValue("talents"))
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		switch string(k) {
		case "action_lines":
			in.ActionLines = append(in.ActionLines, string(v))
		case "industries":
			in.Industries = append(in.Industries, string(v))
		}
	})
	for _, f := range []struct {
		name string
		dst  *int
	}{{"attendees", &in.Attendees}, {"enterprise_count", &in.Participants.EnterpriseCount}, {"talent_count", &in.Participants.TalentCount}} {
		s := strings.TrimSpace(c.FormValue(f.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			field := f.name
			if field != "attendees" {
				field = "participants"
			}
			return in, core.Invalid(field, "请填写整数")
		}
		*f.dst = n
	}
	return in, nil
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	in := Input{Status: StatusPlanned}
	if me := web.Me(c); len(me.Units) > 0 {
		in.Unit = me.Units[0]
	}
	return h.forms().NewPage(c, in)
}

// forms is the flow of the new and edit pages.
func (h *Handlers) forms() *web.Forms[*Event, Input, FormView, *FormView] {
	return &web.Forms[*Event, Input, FormView, *FormView]{Kind: Kind, Audit: h.Audit, Page: "events_form", Nav: "events",
		NewTitle: "新建活动", EditTitle: "编辑活动", Path: "/events", Read: formInput, View: h.formView,
		Created: func(e *Event) string { return "已新建活动“" + e.Title + "”" },
		Create: func(c *fiber.Ctx, in Input) (*Event, error) {
			return h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
		},
		Update: func(c *fiber.Ctx, id string, version int64, in Input) (*Event, error) {
			return h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version, in)
		}}
}

func (h *Handlers) createForm(c *fiber.Ctx) error { return h.forms().CreateHandler(c) }

func (h *Handlers) editPage(c *fiber.Ctx) error {
	e, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return h.forms().EditPage(c, e, InputOf(e))
}

func (h *Handlers) editForm(c *fiber.Ctx) error { return h.forms().UpdateHandler(c) }

func (h *Handlers) deleteForm(c *fiber.Ctx) error {
	id := c.Params("id")
	return web.DeleteForm(c, h.Audit, web.Deleted{Kind: Kind, Done: "已删除活动", Stale: "该活动刚被他人修改，请核对后再删除",
		List: "/events", Detail: "/events/" + url.PathEscape(id)}, func(version int64) error {
		return h.Svc.Delete(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version)
	})
}
