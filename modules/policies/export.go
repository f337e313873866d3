package policies

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/modules/web"
)

// ExportSheet is the policy library as exported. Keys are the import keys
// (the JSON field names); labels come from the importer's field registry
// once policies are registered there, else from Label here. Clauses stay
// out (one row per policy). unitName may be nil.
func ExportSheet(unitName func(string) string) export.Sheet[*Policy] {
	return export.Sheet[*Policy]{Kind: Kind, Name: "政策", Columns: []export.Column[*Policy]{
		{Key: "title", Label: "标题", Width: 40, Value: func(p *Policy) any { return p.Title }},
		{Key: "doc_no", Label: "文号", Width: 22, Value: func(p *Policy) any { return p.DocNo }},
		{Key: "issuer", Label: "发文单位", Value: func(p *Policy) any { return p.Issuer }},
		{Key: "level", Label: "级别", Width: 10, Value: func(p *Policy) any { return p.Level }},
		{Key: "status", Label: "状态", Width: 10, Value: func(p *Policy) any { return p.Status }},
		{Key: "categories", Label: "分类", Value: func(p *Policy) any { return p.Categories }},
		{Key: "support_modes", Label: "支持方式", Value: func(p *Policy) any { return p.SupportModes }},
		{Key: "industries", Label: "支持产业", Value: func(p *Policy) any { return p.Industries }},
		{Key: "issued_on", Label: "发布日期", Type: export.Date, Value: func(p *Policy) any { return p.IssuedOn }},
		{Key: "effective_from", Label: "生效日期", Type: export.Date, Value: func(p *Policy) any { return p.EffectiveFrom }},
		{Key: "effective_to", Label: "失效日期", Type: export.Date, Value: func(p *Policy) any { return p.EffectiveTo }},
		{Key: "unit", Label: "维护单位", Value: func(p *Policy) any {
			if unitName == nil {
				return p.Unit
			}
			return unitName(p.Unit)
		}},
		{Key: "body", Label: "正文", Width: 50, Value: func(p *Policy) any { return p.Body }},
	}}
}

var _ = export.Declare(ExportSheet(nil))

// exportList downloads GET /policies/export.xlsx?<list filters>: every
// policy the list shows for the same filters (the library is read by all),
// audited.
func (h *Handlers) exportList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sq, err := h.Svc.SearchQuery(&q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sheet := ExportSheet(h.Svc.Matrix.Name)
	return web.Download(c, h.Audit, Kind, "政策库", "policies", func(w io.Writer) (int, error) {
		return export.Records(c.UserContext(), w, sheet, h.Svc.Repo, sq)
	})
}
