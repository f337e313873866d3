package imports

import (
	"bytes"
	"context"
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// TemplateHandlers serves the import templates.
type TemplateHandlers struct {
	// Vocab returns the allowed values of the enumerations (catalog and
	// module vocabularies) at request time.
	Vocab func(ctx context.Context) (export.Vocab, error)
}

// Routes is the module's route table, each route with the action it needs.
func (h *TemplateHandlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/imports/templates/:kind.xlsx", web.Signed, h.template),
	}
}

// template downloads GET /imports/templates/<kind>.xlsx.
func (h *TemplateHandlers) template(c *fiber.Ctx) error {
	kind := c.Params("kind")
	if len(header.FieldsFor(kind)) == 0 {
		return web.Fail(c, fiber.NewError(fiber.StatusNotFound, fmt.Sprintf("没有“%s”的导入模板", kind)))
	}
	vocab, err := h.Vocab(c.UserContext())
	if err != nil {
		return web.Fail(c, err)
	}
	var buf bytes.Buffer
	if err := export.Template(&buf, kind, vocab); err != nil {
		return web.Fail(c, err)
	}
	name := templates.Label("kind", kind) + "导入模板.xlsx"
	c.Set(fiber.HeaderContentType, web.XLSX)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-template.xlsx"; filename*=UTF-8''%s`,
		kind, url.PathEscape(name)))
	return c.Send(buf.Bytes())
}
