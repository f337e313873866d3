package dashboard

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/app/web"
	"zhaoshang/modules/core"
	"zhaoshang/templates"
)

// Handlers serves the cockpit page and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
	// Units lists every unit as {id, name}; the page offers those in scope.
	Units func() [][2]string
}

// Access declares the access class of every route Routes registers. Every
// signed-in user may open the cockpit; the figures are limited to their scope.
func (h *Handlers) Access() web.Rules {
	return web.Rules{"GET /dashboard": web.Signed, "GET /api/v1/dashboard": web.Signed,
		"GET /api/v1/dashboard/stuck": web.Signed, "GET /dashboard/export.xlsx": web.Signed}
}

// Routes registers the cockpit routes.
func (h *Handlers) Routes(r fiber.Router) {
	r.Get("/dashboard", h.page)
	r.Get("/api/v1/dashboard", h.api)
	r.Get("/api/v1/dashboard/stuck", h.stuckAPI)
	r.Get("/dashboard/export.xlsx", h.export)
}

var nowFunc = time.Now

func (h *Handlers) cockpit(c *fiber.Ctx) (*Cockpit, error) {
	year, err := ParseYear(c.Query("year"), nowFunc())
	if err != nil {
		return nil, err
	}
	cp, err := h.Svc.Cockpit(c.UserContext(), web.Me(c).Scope, year, c.Query("unit"))
	if err != nil {
		web.AuditDenied(c, h.Audit, "dashboard", err)
	}
	return cp, err
}

func (h *Handlers) api(c *fiber.Ctx) error {
	cp, err := h.cockpit(c)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(cp)
}

// apiFail answers a bad query parameter with 400 naming the field.
func apiFail(c *fiber.Ctx, err error) error {
	if fe, ok := core.AsFieldError(err); ok {
		return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return web.Fail(c, err)
}

// positive reads an optional positive integer parameter.
func positive(c *fiber.Ctx, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, core.Invalid(name, "%s 须为正整数", name)
	}
	return n, nil
}

// stuck answers one stuck list; kindParam names the kind's parameter.
func (h *Handlers) stuck(c *fiber.Ctx, kindParam string) (*StuckPage, error) {
	q := StuckQuery{Kind: c.Query(kindParam), Unit: c.Query("unit"), Sort: c.Query("sort")}
	var err error
	if q.Page, err = positive(c, "page"); err != nil {
		return nil, err
	}
	if q.PerPage, err = positive(c, "per_page"); err != nil {
		return nil, err
	}
	p, err := h.Svc.Stuck(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		web.AuditDenied(c, h.Audit, "dashboard", err)
		return nil, err
	}
	names := map[string]string{}
	if h.Units != nil {
		for _, u := range h.Units() {
			names[u[0]] = u[1]
		}
	}
	for i := range p.Items {
		p.Items[i].UnitName = names[p.Items[i].Unit]
	}
	return p, nil
}

func (h *Handlers) stuckAPI(c *fiber.Ctx) error {
	p, err := h.stuck(c, "kind")
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(fiber.Map{"items": p.Items, "total": p.Total, "link": p.Link})
}

// export downloads the cockpit's figures, one sheet per widget.
func (h *Handlers) export(c *fiber.Ctx) error {
	cp, err := h.cockpit(c)
	if err != nil {
		return web.Fail(c, err)
	}
	b, err := Workbook(Sheets(cp, templates.Label))
	if err != nil {
		return web.Fail(c, err)
	}
	if h.Audit != nil {
		h.Audit.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "export", Kind: "dashboard",
			Note: fmt.Sprintf("驾驶舱 %d 年 unit=%s", cp.Year, cp.Unit)})
	}
	name := fmt.Sprintf("驾驶舱-%d", cp.Year)
	if cp.Unit != "" {
		name += "-" + cp.Unit
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="dashboard-%d.xlsx"; filename*=UTF-8''%s.xlsx`,
		cp.Year, url.PathEscape(name)))
	return c.Send(b)
}

// View is the page's data.
type View struct {
	*Cockpit
	Years []int
	Units [][2]string // units in scope, for the selector
	// Chart is the JSON the charts draw (data-chart attribute).
	Chart string
	// Stuck is the stuck-work list chosen with ?stuck= (sort=, page=).
	Stuck *StuckPage
	// StuckBase is the page URL without stuck/sort/page, for tabs and sorting.
	StuckBase string
}

type chartData struct {
	Stages []chartBar `json:"stages"`
	Funnel []chartBar `json:"funnel"`
}

type chartBar struct {
	Label string `json:"label"`
	Value int    `json:"value"`
	Link  string `json:"link"`
}

func (h *Handlers) page(c *fiber.Ctx) error {
	cp, err := h.cockpit(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	v := View{Cockpit: cp}
	now := nowFunc().In(cst).Year()
	for y := now; y >= 2023; y-- {
		v.Years = append(v.Years, y)
	}
	if h.Units != nil {
		for _, u := range h.Units() {
			if me.Scope.Allows(u[0]) {
				v.Units = append(v.Units, u)
			}
		}
	}
	var cd chartData
	for _, s := range cp.Stages {
		cd.Stages = append(cd.Stages, chartBar{Label: templates.Label("stage", s.Stage), Value: s.Count, Link: s.Link})
	}
	for _, f := range cp.Funnel {
		cd.Funnel = append(cd.Funnel, chartBar{Label: templates.Label("stage", f.Stage), Value: f.Reached, Link: f.Link})
	}
	b, _ := json.Marshal(cd)
	v.Chart = string(b)
	if v.Stuck, err = h.stuck(c, "stuck"); err != nil {
		return web.Fail(c, err)
	}
	v.StuckBase = link("/dashboard", "year", strconv.Itoa(cp.Year), "unit", cp.Unit)
	return web.Page(c, "dashboard", "驾驶舱", "dashboard", v)
}
