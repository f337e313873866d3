package dashboard

import (
	"encoding/json"
	"slices"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// View is the page's data.
type View struct {
	*Cockpit
	Funnel *FunnelReport
	Trends *Trends
	Years  []int
	Units  [][2]string // units in scope, for the selector
	// Chart is the JSON the charts draw (data-chart attribute).
	Chart string
	// Stuck is the stuck-work list chosen with ?stuck= (sort=, page=).
	Stuck *StuckPage
	// StuckBase is the page URL of the period, unit and funnel choices
	// (for the stuck tabs and sorting).
	StuckBase    string
	Links        pageLinks
	FunnelBy     []string
	FunnelStarts []string
	KPIKeys      []string
	// ReportMonth is the month picker's default and latest month (YYYY-MM).
	ReportMonth string
}

// pageLinks are the page's exports and its JSON, for the same figures.
type pageLinks struct{ Export, API, Funnel, Trends string }

type chartData struct {
	Stages []chartBar  `json:"stages"`
	Funnel []chartBar  `json:"funnel"`
	Trends *chartTrend `json:"trends"`
}

type chartBar struct {
	Label string `json:"label"`
	Value int    `json:"value"`
	Link  string `json:"link"`
}

// chartTrend is the trends chart: one series per figure, one point a month.
type chartTrend struct {
	Months []string      `json:"months"`
	Series []chartSeries `json:"series"`
}

type chartSeries struct {
	Name   string    `json:"name"`
	Axis   int       `json:"axis"` // 0 counts, 1 万元
	Values []float64 `json:"values"`
	Links  []string  `json:"links"`
}

func (h *Handlers) page(c *fiber.Ctx) error {
	cp, err := h.cockpit(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	v := View{Cockpit: cp, FunnelBy: FunnelBy, FunnelStarts: pipeline[:len(pipeline)-1], KPIKeys: kpiKeys,
		ReportMonth: h.Svc.now().In(core.Zone()).Format("2006-01")}
	if v.Funnel, err = h.funnel(c); err != nil {
		return web.Fail(c, err)
	}
	if v.Trends, err = h.trends(c); err != nil {
		return web.Fail(c, err)
	}
	now := h.Svc.now().In(core.Zone()).Year()
	for y := now; y >= PlanFirstYear; y-- {
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
	for _, f := range v.Funnel.Steps {
		cd.Funnel = append(cd.Funnel, chartBar{Label: templates.Label("stage", f.Stage), Value: f.Reached, Link: f.Link})
	}
	ct := &chartTrend{Series: []chartSeries{{Name: "新建项目"}, {Name: "签约项目"}, {Name: "举办活动"}, {Name: "到资(万元)", Axis: 1}}}
	for _, m := range v.Trends.Months {
		ct.Months = append(ct.Months, m.Month)
		for i, pt := range []struct {
			v float64
			l string
		}{{float64(m.Projects), m.ProjectsLink}, {float64(m.Signed), m.SignedLink}, {float64(m.Events), m.EventsLink},
			{m.Capital, m.CapitalLink}} {
			ct.Series[i].Values = append(ct.Series[i].Values, pt.v)
			ct.Series[i].Links = append(ct.Series[i].Links, pt.l)
		}
	}
	cd.Trends = ct
	b, _ := json.Marshal(cd)
	v.Chart = string(b)
	if v.Stuck, err = h.stuck(c, "stuck"); err != nil {
		return web.Fail(c, err)
	}
	base := append(cp.Period.Params(), "unit", cp.Unit)
	funnel := append(slices.Clone(base), "by", v.Funnel.By, "stage", stageParam(v.Funnel.Start))
	v.Links = pageLinks{Export: link("/dashboard/export.xlsx", base...), API: link("/api/v1/dashboard", base...),
		Funnel: link("/dashboard/funnel.xlsx", funnel...), Trends: link("/dashboard/trends.xlsx", base...)}
	v.StuckBase = link("/dashboard", append(cp.Period.Params(), "unit", cp.Unit, "by", v.Funnel.By, "stage", stageParam(v.Funnel.Start))...)
	return web.Page(c, "dashboard", "驾驶舱", "dashboard", v)
}

// stageParam leaves the default funnel start out of URLs.
func stageParam(s string) string {
	if s == pipeline[0] {
		return ""
	}
	return s
}
