package projects

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/web"
)

func (h *Handlers) apiBoard(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	h.withStaleDays(c, &q)
	cols, err := h.Svc.Board(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	return c.JSON(fiber.Map{"columns": cols})
}

func (h *Handlers) apiBulk(c *fiber.Ctx) error {
	var req BulkRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	res, err := h.bulk(c, req)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(fiber.Map{"results": res})
}
