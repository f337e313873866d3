package projects

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// ExportSheet is the projects ledger as exported: the import fields
// (LedgerFields keys, so labels and re-import mapping follow the
// importer) with values as the importer reads them back: Chinese type and
// stage labels, unit names, dates as dates, 万元 as numbers, the first
// contact in 对接人 / 联系电话 and the others in 其他联系人 (FormatContacts).
// unitName names a unit id (nil leaves the id).
func ExportSheet(unitName func(string) string) export.Sheet[*Project] {
	unit := func(p *Project) any {
		if unitName == nil {
			return p.Unit
		}
		return unitName(p.Unit)
	}
	contact := func(p *Project) Contact {
		if len(p.Contacts) > 0 {
			return p.Contacts[0]
		}
		return Contact{}
	}
	return export.Sheet[*Project]{Kind: Kind, Name: "项目", Columns: []export.Column[*Project]{
		{Key: "name", Width: 30, Value: func(p *Project) any { return p.Name }},
		{Key: "type", Width: 10, Value: func(p *Project) any { return templates.Label("ptype", p.Type) }},
		{Key: "enterprise", Width: 26, Value: func(p *Project) any { return p.Enterprise }},
		{Key: "credit_code", Width: 22, Value: func(p *Project) any { return p.CreditCode }},
		{Key: "contact_name", Width: 10, Value: func(p *Project) any { return contact(p).Name }},
		{Key: "contact_phone", Width: 15, Value: func(p *Project) any { return contact(p).Phone }},
		{Key: "other_contacts", Width: 30, Value: func(p *Project) any { return FormatContacts(p.Contacts[min(1, len(p.Contacts)):]) }},
		{Key: "investment", Type: export.Amount, Value: func(p *Project) any { return p.Investment }},
		{Key: "industry", Width: 14, Value: func(p *Project) any { return p.Industry }},
		{Key: "zone", Width: 12, Value: func(p *Project) any { return p.Zone }},
		{Key: "stage", Width: 10, Value: func(p *Project) any { return templates.Label("stage", p.Stage) }},
		{Key: "reason", Value: func(p *Project) any { return p.Reason }},
		{Key: "signed_at", Type: export.Date, Value: func(p *Project) any { return p.Milestones.Signed }},
		{Key: "unit", Value: unit},
		{Key: "officer", Width: 12, Value: func(p *Project) any { return p.Officer }},
		{Key: "summary", Width: 40, Value: func(p *Project) any { return p.Summary }},
	}}
}

var _ = export.Declare(ExportSheet(nil))

// exportList downloads GET /projects/export.xlsx?<list filters>: every
// project the list shows for the same filters and scope, audited.
func (h *Handlers) exportList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	h.withStaleDays(c, &q)
	sq, ok, err := h.Svc.SearchQuery(web.Me(c).Scope, &q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sheet := ExportSheet(h.Names.Name)
	return web.Download(c, h.Audit, Kind, "项目台账", "projects", func(w io.Writer) (int, error) {
		if !ok {
			return export.Write(w, sheet, func(func(*Project) error) error { return nil })
		}
		return export.Records(c.UserContext(), w, sheet, h.Svc.Repo, sq)
	})
}
