package projects

import (
	"io"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/web"
)

func (h *Handlers) uploadForm(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return back(c, c.Params("id"), "error", "请选择要上传的文件")
	}
	if fh.Size > MaxAttachment {
		return web.Fail(c, fiber.NewError(413, "文件超过 10 MB 上限"))
	}
	f, err := fh.Open()
	if err != nil {
		return web.Fail(c, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxAttachment+1))
	f.Close()
	if err != nil {
		return web.Fail(c, err)
	}
	if len(data) > MaxAttachment {
		return web.Fail(c, fiber.NewError(413, "文件超过 10 MB 上限"))
	}
	if _, err := h.Svc.AddAttachment(c.UserContext(), web.Actor(c), web.Me(c).Scope, h.Attachments, c.Params("id"), fh.Filename, data); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已上传附件 "+fh.Filename)
}

func (h *Handlers) download(c *fiber.Ctx) error {
	att, f, err := h.Svc.OpenAttachment(c.UserContext(), web.Me(c).Scope, h.Attachments, c.Params("id"), c.Params("att"))
	if err != nil {
		h.auditDenied(c, err)
		return web.Fail(c, err)
	}
	defer f.Close()
	c.Set(fiber.HeaderContentType, att.ContentType)
	c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+url.PathEscape(att.Name))
	data, err := io.ReadAll(f)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.Send(data)
}
