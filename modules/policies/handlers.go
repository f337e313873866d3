package policies

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves the policy-library pages and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
}

// canWrite: everyone signed in reads, managers and admins write.
func canWrite(c *fiber.Ctx) bool {
	me := web.Me(c)
	return me != nil && CanWrite(me.Role)
}

func writerOf(c *fiber.Ctx) Writer {
	me := web.Me(c)
	return Writer{Actor: web.Actor(c), Role: me.Role, Scope: me.Scope}
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/policies", web.Signed, h.listPage),
		web.GET("/policies/export.xlsx", web.Signed, h.exportList), // before /policies/:id
		web.GET("/policies/new", web.Manager, h.newPage),
		web.POST("/policies/new", web.Manager, h.createForm),
		web.GET("/policies/:id", web.Signed, h.detailPage),
		web.GET("/policies/:id/edit", web.Manager, h.editPage),
		web.POST("/policies/:id/edit", web.Manager, h.editForm),
		web.POST("/policies/:id/delete", web.Manager, h.deleteForm),

		web.GET("/api/v1/policies", web.Signed, h.apiList),
		web.POST("/api/v1/policies", web.Manager, h.apiCreate),
		web.GET("/api/v1/policies/:id", web.Signed, h.apiGet),
		web.PUT("/api/v1/policies/:id", web.Manager, h.apiUpdate),
		web.DELETE("/api/v1/policies/:id", web.Manager, h.apiDelete),
		web.GET("/api/v1/policies/:id/clauses/:no", web.Signed, h.apiClause),
	}
}

// queryFrom reads the list filters (the same for the page and the API).
func queryFrom(c *fiber.Ctx) (ListQuery, error) {
	q := ListQuery{Text: c.Query("q"), Level: c.Query("level"), Status: c.Query("status"), Category: c.Query("category"),
		SupportMode: c.Query("support_mode"), Industry: c.Query("industry"), Issuer: c.Query("issuer"), Year: c.Query("year"),
		Sort: c.Query("sort")}
	var err error
	if q.Page, q.PerPage, err = web.Paging(c); err != nil {
		return q, err
	}
	return q, nil
}

// apiItem is a policy in API answers.
type apiItem struct {
	*Policy
	UnitName string `json:"unit_name" edit:"derived"`
}

func (h *Handlers) item(p *Policy) apiItem { return apiItem{p, h.Svc.Matrix.Name(p.Unit)} }

func (h *Handlers) apiList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err == nil {
		var page Page
		if page, err = h.Svc.List(c.UserContext(), q); err == nil {
			items := make([]apiItem, len(page.Items))
			for i, p := range page.Items {
				items[i] = h.item(p)
			}
			return c.JSON(fiber.Map{"items": items, "total": page.Total})
		}
	}
	if fe, ok := core.AsFieldError(err); ok {
		return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return web.Fail(c, err)
}

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

// fail answers a service error as JSON, with conflict details.
func (h *Handlers) fail(c *fiber.Ctx, err error) error {
	h.auditDenied(c, err)
	return web.FailStale(c, err, "该政策已被他人修改，请刷新后重试")
}

func (h *Handlers) apiGet(c *fiber.Ctx) error {
	p, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.item(p))
}

func (h *Handlers) apiClause(c *fiber.Ctx) error {
	no, err := url.PathUnescape(c.Params("no")) // "5(1)" arrives as 5%281%29
	if err != nil {
		return web.Fail(c, &web.BadInput{Field: "no", Message: "条款号格式不正确"})
	}
	ref, err := h.Svc.Clause(c.UserContext(), c.Params("id"), no)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(ref)
}

func (h *Handlers) apiCreate(c *fiber.Ctx) error {
	var in Input
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	p, err := h.Svc.Create(c.UserContext(), writerOf(c), in)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(h.item(p))
}

type updateRequest struct {
	Input
	Version int64 `json:"version"`
}

func (h *Handlers) apiUpdate(c *fiber.Ctx) error {
	var req updateRequest
	if err := web.DecodeEdit(c, &req, func() (any, error) {
		p, err := h.Svc.Get(c.UserContext(), c.Params("id"))
		if err != nil {
			return nil, err
		}
		return h.item(p), nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	p, err := h.Svc.Update(c.UserContext(), writerOf(c), c.Params("id"), req.Version, req.Input)
	if err != nil {
		return h.fail(c, err)
	}
	web.Result(c, req.Version, p.Version)
	return c.JSON(h.item(p))
}

func (h *Handlers) apiDelete(c *fiber.Ctx) error {
	version, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供 ?version="})
	}
	if err := h.Svc.Delete(c.UserContext(), writerOf(c), c.Params("id"), version); err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}
