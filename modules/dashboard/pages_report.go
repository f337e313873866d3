package dashboard

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// report answers the monthly report of ?month= and ?unit=; a bad month or
// unit is a 400 naming the field.
func (h *Handlers) report(c *fiber.Ctx) (*Report, error) {
	unit := strings.TrimSpace(c.Query("unit"))
	r, err := h.Svc.Report(c.UserContext(), web.Me(c).Scope, c.Query("month"), unit)
	if err != nil {
		web.AuditDenied(c, h.Audit, "dashboard", err)
		if fe, ok := core.AsFieldError(err); ok {
			return nil, &web.BadInput{Field: fe.Field, Message: fe.Message}
		}
		return nil, err
	}
	r.UnitName = h.unitNames()[unit]
	for i := range r.Stuck {
		h.nameRows(r.Stuck[i].Items)
	}
	return r, nil
}

func (h *Handlers) reportAPI(c *fiber.Ctx) error {
	r, err := h.report(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(r)
}

// reportExport downloads the monthly report's numbers (ReportSheets).
func (h *Handlers) reportExport(c *fiber.Ctx) error {
	r, err := h.report(c)
	if err != nil {
		return web.Fail(c, err)
	}
	ascii, zh := r.Month, r.Month
	if r.Unit != "" {
		ascii += "-" + r.Unit
		zh += "-" + firstOf(r.UnitName, r.Unit)
	}
	return h.sendWorkbook(c, ReportSheets(r, templates.Label), "report-"+ascii, "月度报告-"+zh,
		fmt.Sprintf("月度报告 %s unit=%s", r.Month, r.Unit))
}

// ReportView is the data of the "dashboard_report" page.
type ReportView struct {
	*Report
	// Scope names what the report covers (a unit, 全市 or the user's units).
	Scope string
	// UnitOptions are the units in the caller's scope, for the selector.
	UnitOptions [][2]string
	// StuckLabels name the stuck lists.
	StuckLabels map[string]string
	Links       reportLinks
	// Author is who generated the report.
	Author string
}

type reportLinks struct{ Export, API, Cockpit string }

func (h *Handlers) reportPage(c *fiber.Ctx) error {
	r, err := h.report(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	v := ReportView{Report: r, StuckLabels: stuckLabels, Author: firstOf(me.Name, me.Username)}
	switch {
	case r.Unit != "":
		v.Scope = firstOf(r.UnitName, r.Unit)
	case me.Scope.All:
		v.Scope = "全市"
	case len(me.UnitNames) > 0:
		v.Scope = strings.Join(me.UnitNames, "、")
	default:
		v.Scope = strings.Join(me.Units, "、")
	}
	if h.Units != nil {
		for _, u := range h.Units() {
			if me.Scope.Allows(u[0]) {
				v.UnitOptions = append(v.UnitOptions, u)
			}
		}
	}
	q := []string{"month", r.Month, "unit", r.Unit}
	v.Links = reportLinks{Export: link("/dashboard/report.xlsx", q...), API: link("/api/v1/dashboard/report", q...),
		Cockpit: link("/dashboard", "from", r.MonthRange.From, "to", r.MonthRange.To, "unit", r.Unit)}
	return web.Page(c, "dashboard_report", "月度报告 · "+r.Label, "dashboard", v)
}
