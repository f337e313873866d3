package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// guard is the one access check, mounted in front of every route by the
// action the route declares: a public route lets anyone through, any other
// needs a session, and the signed-in user's role must be allowed the
// action by the role × action table (web.Allowed).
func (s *srv) guard(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if action == web.Public {
			return c.Next()
		}
		me := web.Me(c)
		if me == nil {
			return unauthenticated(c)
		}
		if !web.May(me.Role, action) {
			web.AuditDenied(c, s.p.Users, "route", core.ErrForbidden)
			msg := "无权执行此操作"
			if action == web.Write && web.May(me.Role, web.Signed) {
				msg = "您的角色只能查看本单位记录、导入导出本单位台账，不能修改记录"
			}
			return web.Fail(c, fiber.NewError(fiber.StatusForbidden, msg))
		}
		return c.Next()
	}
}

// notFound answers a path no route declares: without a session the same
// as a protected page (nothing about which paths exist is given away).
func (s *srv) notFound(c *fiber.Ctx) error {
	if web.Me(c) == nil {
		return unauthenticated(c)
	}
	return fiber.ErrNotFound
}

// unauthenticated answers a request that needs a session: 401 for the API,
// the login page (back here afterwards) for pages.
func unauthenticated(c *fiber.Ctx) error {
	if web.IsAPI(c) {
		return web.JSONError(c, 401, "unauthenticated", "请先登录", "")
	}
	next := c.OriginalURL()
	if c.Method() != fiber.MethodGet || next == "/" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect("/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
}
