package dashboard

import (
	"encoding/json"
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
	return web.Rules{"GET /dashboard": web.Signed, "GET /api/v1/dashboard": web.Signed}
}

// Routes registers the cockpit routes.
func (h *Handlers) Routes(r fiber.Router) {
	r.Get("/dashboard", h.page)
	r.Get("/api/v1/dashboard", h.api)
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
		if fe, ok := core.AsFieldError(err); ok {
			return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
		}
		return web.Fail(c, err)
	}
	return c.JSON(cp)
}

// View is the page's data.
type View struct {
	*Cockpit
	Years []int
	Units [][2]string // units in scope, for the selector
	// Chart is the JSON the charts draw (data-chart attribute).
	Chart string
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
	return web.Page(c, "dashboard", "驾驶舱", "dashboard", v)
}
