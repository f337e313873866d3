package events

import (
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
	routes := []web.Route{
		web.GET("/events", web.Signed, h.listPage),
		web.GET("/events/new", web.Write, h.newPage),
		web.POST("/events/new", web.Write, h.createForm),
		web.GET("/events/export.xlsx", web.Signed, h.exportList), // before /events/:id
		web.GET("/events/:id", web.Signed, h.detailPage),
		web.GET("/events/:id/edit", web.Write, h.editPage),
		web.POST("/events/:id/edit", web.Write, h.editForm),
		web.POST("/events/:id/delete", web.Manager, h.deleteForm),
	}
	routes = append(routes, h.records().Routes("/api/v1/events", web.Signed, web.Write, web.Manager)...)
	return append(routes, web.GET("/api/v1/events/:id/outcome", web.Signed, h.apiOutcome))
}

// records serves the events' list, get, create, update and delete API.
func (h *Handlers) records() *web.Records[ListQuery, *Event, Input] {
	return &web.Records[ListQuery, *Event, Input]{Kind: Kind, Stale: "该活动已被他人修改，请刷新后重试", Audit: h.Audit,
		Query: queryFrom, Item: func(_ *fiber.Ctx, e *Event, _ bool) any { return h.item(e) },
		List: h.Svc.List, Get: h.Svc.Get, Create: h.Svc.Create, Update: h.Svc.Update, Delete: h.Svc.Delete}
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

// load gets an event in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx) (*Event, error) { return h.records().Load(c) }

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

// outcome loads the event :id names (load) and its outcome.
func (h *Handlers) outcome(c *fiber.Ctx) (*Event, Outcome, error) {
	e, err := h.load(c)
	if err != nil {
		return nil, Outcome{}, err
	}
	o, err := h.Svc.Outcome(c.UserContext(), web.Me(c).Scope, e.ID)
	return e, o, err
}

func (h *Handlers) apiOutcome(c *fiber.Ctx) error {
	_, o, err := h.outcome(c)
	if err != nil {
		return web.Fail(c, err)
	}
	stages := make([]fiber.Map, 0, len(o.Stages))
	for _, s := range stageOrder {
		stages = append(stages, fiber.Map{"stage": s, "count": o.Stages[s]})
	}
	return c.JSON(fiber.Map{"total": o.Total, "stages": stages, "signed": o.Signed, "signed_investment": o.Investment})
}
