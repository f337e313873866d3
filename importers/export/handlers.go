package export

import (
	"bytes"
	"context"
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/app/web"
	"zhaoshang/importers/header"
	"zhaoshang/templates"
)

// Handlers serves the import templates.
type Handlers struct {
	// Vocab returns the allowed values of the enumerations (catalog and
	// module vocabularies) at request time.
	Vocab func(ctx context.Context) (Vocab, error)
}

// Access declares the access class of every route Routes registers.
func (h *Handlers) Access() web.Rules {
	return web.Rules{"GET /imports/templates/:kind.xlsx": web.Signed}
}

// Routes registers the template downloads.
func (h *Handlers) Routes(r fiber.Router) {
	r.Get("/imports/templates/:kind.xlsx", h.template)
}

// template downloads GET /imports/templates/<kind>.xlsx.
func (h *Handlers) template(c *fiber.Ctx) error {
	kind := c.Params("kind")
	if len(header.FieldsFor(kind)) == 0 {
		return web.Fail(c, fiber.NewError(fiber.StatusNotFound, fmt.Sprintf("没有“%s”的导入模板", kind)))
	}
	vocab, err := h.Vocab(c.UserContext())
	if err != nil {
		return web.Fail(c, err)
	}
	var buf bytes.Buffer
	if err := Template(&buf, kind, vocab); err != nil {
		return web.Fail(c, err)
	}
	name := templates.Label("kind", kind) + "导入模板.xlsx"
	c.Set(fiber.HeaderContentType, ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-template.xlsx"; filename*=UTF-8''%s`,
		kind, url.PathEscape(name)))
	return c.Send(buf.Bytes())
}
