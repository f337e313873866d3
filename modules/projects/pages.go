package projects

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

func (h *Handlers) person(u string) string {
	if h.People != nil {
		if n := h.People(u); n != "" {
			return n
		}
	}
	return u
}

// members are the 负责人 a picker offers: the people of the viewer's units
// (grouped by unit), and the one a filter names if not among them.
func (h *Handlers) members(c *fiber.Ctx, units [][2]string, current string) []templates.Member {
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u[0]
	}
	ms := web.MembersOf(c, ids)
	if current != "" && !slices.ContainsFunc(ms, func(m templates.Member) bool { return m.Username == current }) {
		ms = append(ms, templates.Member{Username: current, Name: h.person(current), Unit: "其他"})
	}
	return ms
}

// back redirects to the project page with a flash.
func back(c *fiber.Ctx, id, kind, msg string) error {
	web.Flash(c, kind, msg)
	return c.Redirect("/projects/"+id, fiber.StatusSeeOther)
}

func (h *Handlers) formError(c *fiber.Ctx, id string, err error) error {
	h.auditDenied(c, err)
	if errors.Is(err, core.ErrConflict) { // a *ConflictError is one too
		return back(c, id, "error", "项目刚被他人修改，已显示最新内容，请核对后重试")
	}
	if ge, ok := AsGateError(err); ok {
		return back(c, id, "error", "无法变更阶段："+ge.Message)
	}
	if fe, ok := core.AsFieldError(err); ok {
		return back(c, id, "error", fe.Message)
	}
	return web.Fail(c, err)
}
