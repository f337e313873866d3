package projects

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// BulkView is the Data of the "bulk_result" page.
type BulkView struct {
	Req     BulkRequest
	Results []BulkResult
	OK      int
	Failed  int
	Officer string // the assignee's name
}

func (h *Handlers) bulk(c *fiber.Ctx, req BulkRequest) ([]BulkResult, error) {
	cat, err := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if err != nil {
		return nil, err
	}
	res, err := h.Svc.Bulk(c.UserContext(), web.Actor(c), web.Me(c).Scope, req, cat.DisabledGates)
	// A failed item is named too, when the caller may see it.
	for i, r := range res {
		if r.Name == "" {
			if p, gerr := h.Svc.Get(c.UserContext(), web.Me(c).Scope, r.ID); gerr == nil {
				res[i].Name = p.Name
			}
		}
	}
	return res, err
}

func (h *Handlers) bulkForm(c *fiber.Ctx) error {
	req := BulkRequest{Action: c.FormValue("action"), To: c.FormValue("to"), Officer: c.FormValue("officer"), Note: c.FormValue("note")}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "ids" && len(v) > 0 {
			req.IDs = append(req.IDs, string(v))
		}
	})
	res, err := h.bulk(c, req)
	if err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			web.Flash(c, "error", fe.Message)
			return c.Redirect("/projects", fiber.StatusSeeOther)
		}
		return web.Fail(c, err)
	}
	v := BulkView{Req: req, Results: res, Officer: h.person(req.Officer)}
	for _, r := range res {
		if r.OK {
			v.OK++
		} else {
			v.Failed++
		}
	}
	return web.Page(c, "bulk_result", "批量操作结果", "projects", v)
}
