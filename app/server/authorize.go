package server

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// authorize checks the signed-in user's role against the action the route
// declares (web.Allowed), before any handler runs: the one place roles are
// decided. A path no route declares falls through to the 404.
func (s *srv) authorize(c *fiber.Ctx) error {
	me := web.Me(c)
	if me == nil {
		return c.Next() // public paths; session already refused the rest
	}
	method := c.Method()
	if method == fiber.MethodHead {
		method = fiber.MethodGet
	}
	class, ok := s.access.Class(method, c.Path())
	if ok && !web.May(me.Role, class) {
		web.AuditDenied(c, s.p.Users, "route", core.ErrForbidden)
		msg := "无权执行此操作"
		if class == web.Write && web.May(me.Role, web.Signed) {
			msg = "您的角色只能查看本单位记录、导入导出本单位台账，不能修改记录"
		}
		return web.Fail(c, fiber.NewError(fiber.StatusForbidden, msg))
	}
	return c.Next()
}
