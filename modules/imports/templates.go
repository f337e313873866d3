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

// Access declares the access class of every route Routes registers.
func (h *TemplateHandlers) Access() web.Rules {
	return web.Rules{"GET /imports/templates/:kind.xlsx": web.Signed}
}

// Routes registers the template downloads.
func (h *TemplateHandlers) Routes(r fiber.Router) {
	r.Get("/imports/templates/:kind.xlsx", h.template)
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
