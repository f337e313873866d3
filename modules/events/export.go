package events

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// ExportSheet is the events ledger as exported. Keys are the import keys
// (the JSON field names); labels come from the importer's field registry
// once events are registered there, else from Label here. unitName may be nil.
func ExportSheet(unitName func(string) string) export.Sheet[*Event] {
	return export.Sheet[*Event]{Kind: Kind, Name: "活动", Columns: []export.Column[*Event]{
		{Key: "title", Label: "活动名称", Width: 30, Value: func(e *Event) any { return e.Title }},
		{Key: "type", Label: "活动类型", Width: 12, Value: func(e *Event) any { return e.Type }},
		{Key: "status", Label: "状态", Width: 10, Value: func(e *Event) any { return templates.Label("event_status", e.Status) }},
		{Key: "date", Label: "活动日期", Type: export.Date, Value: func(e *Event) any { return e.Date }},
		{Key: "end_date", Label: "结束日期", Type: export.Date, Value: func(e *Event) any { return e.EndDate }},
		{Key: "place", Label: "地点", Value: func(e *Event) any { return e.Place }},
		{Key: "unit", Label: "主办单位", Value: func(e *Event) any {
			if unitName == nil {
				return e.Unit
			}
			return unitName(e.Unit)
		}},
		{Key: "co_organisers", Label: "协办单位", Value: func(e *Event) any { return e.CoOrganisers }},
		{Key: "action_lines", Label: "“七个一”专项行动", Value: func(e *Event) any { return e.ActionLines }},
		{Key: "industries", Label: "产业领域", Value: func(e *Event) any { return e.Industries }},
		{Key: "attendees", Label: "参会人数", Type: export.Int, Value: func(e *Event) any { return e.Attendees }},
		{Key: "enterprise_count", Label: "参与企业数", Type: export.Int, Value: func(e *Event) any { return e.Participants.EnterpriseCount }},
		{Key: "talent_count", Label: "参与人才数", Type: export.Int, Value: func(e *Event) any { return e.Participants.TalentCount }},
		{Key: "participant_enterprises", Label: "参与企业名单", Width: 40, Value: func(e *Event) any { return joinRefs(e.Participants.Enterprises) }},
		{Key: "participant_talents", Label: "参与人才名单", Width: 30, Value: func(e *Event) any { return joinRefs(e.Participants.Talents) }},
		{Key: "summary", Label: "活动纪要", Width: 40, Value: func(e *Event) any { return e.Summary }},
	}}
}

var _ = export.Declare(ExportSheet(nil))

// exportList downloads GET /events/export.xlsx?<list filters>: every event
// the list shows for the same filters and scope, audited.
func (h *Handlers) exportList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sq, ok, err := h.Svc.SearchQuery(web.Me(c).Scope, &q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sheet := ExportSheet(h.Svc.Matrix.Name)
	return web.Download(c, h.Audit, Kind, "活动台账", "events", func(w io.Writer) (int, error) {
		if !ok {
			return export.Write(w, sheet, func(func(*Event) error) error { return nil })
		}
		return export.Records(c.UserContext(), w, sheet, h.Svc.Repo, sq)
	})
}
