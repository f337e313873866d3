package imports

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// undoForm reverts a batch; with conflicts the page lists them (409).
func (h *Handlers) undoForm(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.load(c, u)
	if err != nil {
		return web.Fail(c, err)
	}
	_, err = h.Svc.Undo(c.UserContext(), u, j.ID)
	var ce *batch.ConflictError
	if errors.As(err, &ce) {
		v, verr := h.jobView(c, u, j)
		if verr != nil {
			return web.Fail(c, verr)
		}
		v.Conflicts = h.conflicts(j.Kind, ce)
		return web.Page(c.Status(409), "imports_job", h.title(j), "imports", v)
	}
	if err != nil {
		h.auditDenied(c, err)
		if fe, ok := core.AsFieldError(err); ok {
			return back(c, j.ID, "error", fe.Message)
		}
		return web.Fail(c, err)
	}
	web.Flash(c, "ok", fmt.Sprintf("已撤销批次 %s：新建的 %d 条已删除，更新的 %d 条已恢复原值", j.ID, j.Report.Created, j.Report.Updated))
	return c.Redirect("/imports/"+j.ID, fiber.StatusSeeOther)
}
