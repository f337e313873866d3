package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// Handlers serves the cockpit page and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
	// Units lists every unit as {id, name}; the page offers those in scope.
	Units func() [][2]string
	// PersonName names a user (user name → 姓名); may be nil.
	PersonName func(username string) string
	// EventTitle names an event the scope may see ("" otherwise or when
	// unknown); may be nil.
	EventTitle func(ctx context.Context, scope core.Scope, id string) string
}

// Routes is the module's route table, each route with the action it needs.
// Every signed-in user may open the cockpit; the figures are limited to their scope.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/dashboard", web.Signed, h.page),
		web.GET("/api/v1/dashboard", web.Signed, h.api),
		web.GET("/api/v1/dashboard/stuck", web.Signed, h.stuckAPI),
		web.GET("/api/v1/dashboard/funnel", web.Signed, h.funnelAPI),
		web.GET("/api/v1/dashboard/trends", web.Signed, h.trendsAPI),
		web.GET("/dashboard/export.xlsx", web.Signed, h.export),
		web.GET("/dashboard/funnel.xlsx", web.Signed, h.funnelExport),
		web.GET("/dashboard/trends.xlsx", web.Signed, h.trendsExport),
		web.GET("/dashboard/report", web.Signed, h.reportPage),
		web.GET("/dashboard/report.xlsx", web.Signed, h.reportExport),
		web.GET("/api/v1/dashboard/report", web.Signed, h.reportAPI),
	}
}

// period reads year=, period=plan or from=&to=.
func (h *Handlers) period(c *fiber.Ctx) (Period, error) {
	return ParsePeriod(c.Query("year"), c.Query("period"), c.Query("from"), c.Query("to"), h.Svc.now())
}

// forPeriod computes a figure for the asked period and unit=; a unit
// outside the caller's scope is audited.
func forPeriod[T any](h *Handlers, c *fiber.Ctx, figure func(context.Context, core.Scope, Period, string) (*T, error)) (*T, error) {
	p, err := h.period(c)
	if err != nil {
		return nil, err
	}
	v, err := figure(c.UserContext(), web.Me(c).Scope, p, c.Query("unit"))
	if err != nil {
		web.AuditDenied(c, h.Audit, "dashboard", err)
	}
	return v, err
}

func (h *Handlers) cockpit(c *fiber.Ctx) (*Cockpit, error) { return forPeriod(h, c, h.Svc.Cockpit) }

func (h *Handlers) funnel(c *fiber.Ctx) (*FunnelReport, error) {
	p, err := h.period(c)
	if err != nil {
		return nil, err
	}
	q := FunnelQuery{Period: p, Start: c.Query("stage"), By: c.Query("by"), Unit: c.Query("unit"), Type: c.Query("type"),
		Industry: c.Query("industry"), Zone: c.Query("zone"), Officer: c.Query("officer"), SourceEvent: c.Query("source_event")}
	fr, err := h.Svc.Funnel(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		web.AuditDenied(c, h.Audit, "dashboard", err)
		return nil, err
	}
	h.groupLabels(c, fr)
	return fr, nil
}

func (h *Handlers) trends(c *fiber.Ctx) (*Trends, error) { return forPeriod(h, c, h.Svc.Trends) }

// groupLabels names the funnel's breakdown groups: types and units by
// their labels, officers by their display names, source events by their
// titles (an event outside the caller's scope keeps its id).
func (h *Handlers) groupLabels(c *fiber.Ctx, fr *FunnelReport) {
	names := h.unitNames()
	scope, ctx := web.Me(c).Scope, c.UserContext()
	var jobs []func() error
	for i := range fr.Groups {
		g := &fr.Groups[i]
		switch fr.By {
		case "type":
			g.Label = firstOf(templates.Label("ptype", g.Key), g.Key)
		case "unit":
			g.Label = firstOf(names[g.Key], g.Key)
		case "officer":
			g.Label = firstOf(h.personName(g.Key), g.Key)
		case "source_event":
			if h.EventTitle != nil { // one read by _id per event, a few at a time
				jobs = append(jobs, func() error { g.Label = firstOf(h.EventTitle(ctx, scope, g.Key), g.Key); return nil })
			}
		}
	}
	_ = parallel(jobs...)
}

// personName is a user's display name ("" when unknown or unnamed).
func (h *Handlers) personName(username string) string {
	if h.PersonName == nil || username == "" {
		return ""
	}
	if n := h.PersonName(username); n != username {
		return n
	}
	return ""
}

func (h *Handlers) unitNames() map[string]string {
	names := map[string]string{}
	if h.Units != nil {
		for _, u := range h.Units() {
			names[u[0]] = u[1]
		}
	}
	return names
}

func (h *Handlers) funnelAPI(c *fiber.Ctx) error {
	fr, err := h.funnel(c)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(fr)
}

func (h *Handlers) trendsAPI(c *fiber.Ctx) error {
	tr, err := h.trends(c)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(tr)
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
	h.nameRows(p.Items)
	return p, nil
}

// nameRows fills the unit and officer names of stuck rows.
func (h *Handlers) nameRows(rows []StuckRow) {
	names := h.unitNames()
	for i := range rows {
		rows[i].UnitName = names[rows[i].Unit]
		rows[i].OfficerName = h.personName(rows[i].Officer)
	}
}

func (h *Handlers) stuckAPI(c *fiber.Ctx) error {
	p, err := h.stuck(c, "kind")
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(fiber.Map{"items": p.Items, "total": p.Total, "link": p.Link})
}

// sendWorkbook answers an .xlsx download named name (ASCII fallback ascii)
// and audits the export.
func (h *Handlers) sendWorkbook(c *fiber.Ctx, sheets []Sheet, ascii, name, note string) error {
	b, err := Workbook(sheets)
	if err != nil {
		return web.Fail(c, err)
	}
	if h.Audit != nil {
		h.Audit.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "export", Kind: "dashboard", Note: note})
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.xlsx"; filename*=UTF-8''%s.xlsx`,
		ascii, url.PathEscape(name)))
	return c.Send(b)
}

// fileSuffix names the period and unit in a file name.
func fileSuffix(p Period, unit string) (ascii, zh string) {
	ascii = p.From + "_" + p.To
	zh = p.Label
	if p.Kind == PeriodYear {
		ascii = strconv.Itoa(p.Year)
	}
	if unit != "" {
		ascii += "-" + unit
		zh += "-" + unit
	}
	return ascii, zh
}

// export downloads the cockpit's figures, one sheet per widget.
func (h *Handlers) export(c *fiber.Ctx) error {
	cp, err := h.cockpit(c)
	if err != nil {
		return web.Fail(c, err)
	}
	a, z := fileSuffix(cp.Period, cp.Unit)
	return h.sendWorkbook(c, Sheets(cp, templates.Label), "dashboard-"+a, "驾驶舱-"+z,
		fmt.Sprintf("驾驶舱 %s unit=%s", cp.Period.Label, cp.Unit))
}

// funnelExport downloads the funnel's tables.
func (h *Handlers) funnelExport(c *fiber.Ctx) error {
	fr, err := h.funnel(c)
	if err != nil {
		return web.Fail(c, err)
	}
	a, z := fileSuffix(fr.Period, fr.Unit)
	return h.sendWorkbook(c, FunnelSheets(fr, templates.Label), "funnel-"+a, "推进漏斗-"+z,
		fmt.Sprintf("推进漏斗 %s unit=%s by=%s", fr.Period.Label, fr.Unit, fr.By))
}

// trendsExport downloads the monthly trends.
func (h *Handlers) trendsExport(c *fiber.Ctx) error {
	tr, err := h.trends(c)
	if err != nil {
		return web.Fail(c, err)
	}
	a, z := fileSuffix(tr.Period, tr.Unit)
	return h.sendWorkbook(c, TrendSheets(tr), "trends-"+a, "月度趋势-"+z,
		fmt.Sprintf("月度趋势 %s unit=%s", tr.Period.Label, tr.Unit))
}
