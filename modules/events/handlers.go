package events

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves the event pages and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/events", web.Signed, h.listPage),
		web.GET("/events/new", web.Write, h.newPage),
		web.POST("/events/new", web.Write, h.createForm),
		web.GET("/events/export.xlsx", web.Signed, h.exportList), // before /events/:id
		web.GET("/events/:id", web.Signed, h.detailPage),
		web.GET("/events/:id/edit", web.Write, h.editPage),
		web.POST("/events/:id/edit", web.Write, h.editForm),
		web.POST("/events/:id/delete", web.Manager, h.deleteForm),

		web.GET("/api/v1/events", web.Signed, h.apiList),
		web.POST("/api/v1/events", web.Write, h.apiCreate),
		web.GET("/api/v1/events/:id", web.Signed, h.apiGet),
		web.PUT("/api/v1/events/:id", web.Write, h.apiUpdate),
		web.DELETE("/api/v1/events/:id", web.Manager, h.apiDelete),
		web.GET("/api/v1/events/:id/outcome", web.Signed, h.apiOutcome),
	}
}

// queryFrom reads the list filters (the same for the page and the API).
func queryFrom(c *fiber.Ctx) (ListQuery, error) {
	q := ListQuery{Text: c.Query("q"), Type: c.Query("type"), Year: c.Query("year"), Unit: c.Query("unit"),
		Industry: c.Query("industry"), ActionLine: c.Query("action_line"), Status: c.Query("status"), Sort: c.Query("sort")}
	var err error
	if q.Page, q.PerPage, err = web.Paging(c); err != nil {
		return q, err
	}
	if q.From, err = core.ParseDateField("from", c.Query("from")); err != nil {
		return q, err
	}
	if q.To, err = core.ParseDateField("to", c.Query("to")); err != nil {
		return q, err
	}
	return q, nil
}

// apiItem is an event in API answers.
type apiItem struct {
	*Event
	UnitName string `json:"unit_name" edit:"derived"`
}

func (h *Handlers) item(e *Event) apiItem { return apiItem{e, h.Svc.Matrix.Name(e.Unit)} }

func (h *Handlers) apiList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	page, err := h.Svc.List(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	items := make([]apiItem, len(page.Items))
	for i, e := range page.Items {
		items[i] = h.item(e)
	}
	return c.JSON(fiber.Map{"items": items, "total": page.Total})
}

// load gets an event in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx) (*Event, error) {
	e, err := h.Svc.Get(c.UserContext(), web.Me(c).Scope, c.Params("id"))
	h.auditDenied(c, err)
	return e, err
}

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

// fail answers a service error as JSON, with conflict details.
func (h *Handlers) fail(c *fiber.Ctx, err error) error {
	h.auditDenied(c, err)
	return web.FailStale(c, err, "该活动已被他人修改，请刷新后重试")
}

func (h *Handlers) apiGet(c *fiber.Ctx) error {
	e, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.item(e))
}

func (h *Handlers) apiOutcome(c *fiber.Ctx) error {
	e, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	o, err := h.Svc.Outcome(c.UserContext(), web.Me(c).Scope, e.ID)
	if err != nil {
		return web.Fail(c, err)
	}
	stages := make([]fiber.Map, 0, len(o.Stages))
	for _, s := range stageOrder {
		stages = append(stages, fiber.Map{"stage": s, "count": o.Stages[s]})
	}
	return c.JSON(fiber.Map{"total": o.Total, "stages": stages, "signed": o.Signed, "signed_investment": o.Investment})
}

func (h *Handlers) apiCreate(c *fiber.Ctx) error {
	var in Input
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	e, err := h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(h.item(e))
}

type updateRequest struct {
	Input
	Version int64 `json:"version"`
}

func (h *Handlers) apiUpdate(c *fiber.Ctx) error {
	var req updateRequest
	if err := web.DecodeEdit(c, &req, func() (any, error) {
		e, err := h.load(c)
		if err != nil {
			return nil, err
		}
		return h.item(e), nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	e, err := h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), req.Version, req.Input)
	if err != nil {
		return h.fail(c, err)
	}
	web.Result(c, req.Version, e.Version)
	return c.JSON(h.item(e))
}

func (h *Handlers) apiDelete(c *fiber.Ctx) error {
	version, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供 ?version="})
	}
	if err := h.Svc.Delete(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version); err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}
