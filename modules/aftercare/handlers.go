package aftercare

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves the aftercare pages and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
	// UnitName names a unit id.
	UnitName func(id string) string
	// Units lists the units for the filter picker (id, name), display order.
	Units func() [][2]string
	// PersonName shows a user name as the person's name; nil shows user names.
	PersonName func(username string) string
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	routes := []web.Route{
		web.GET("/aftercare", web.Signed, h.listPage),
		web.GET("/aftercare/new", web.Write, h.newPage),
		web.POST("/aftercare/new", web.Write, h.createForm),
		web.GET("/aftercare/:id", web.Signed, h.detailPage),
		web.POST("/aftercare/:id", web.Write, h.editForm),
		web.POST("/aftercare/:id/delete", web.Manager, h.deleteForm),
	}
	return append(routes, h.records().Routes("/api/v1/aftercare", web.Signed, web.Write, web.Manager)...)
}

// records serves the requests' list, get, create, update and delete API;
// a single request is answered with its clause's title.
func (h *Handlers) records() *web.Records[ListQuery, *Request, Input] {
	return &web.Records[ListQuery, *Request, Input]{Kind: Kind, Stale: "该服务诉求已被他人修改，请刷新后重试", Audit: h.Audit,
		Query: queryFrom, Item: func(c *fiber.Ctx, r *Request, one bool) any { return h.item(c, r, one) },
		List: h.Svc.List, Get: h.Svc.Get, Create: h.Svc.Create, Update: h.Svc.Update, Delete: h.Svc.Delete}
}

func queryFrom(c *fiber.Ctx) (ListQuery, error) {
	q := ListQuery{Text: c.Query("q"), Status: c.Query("status"), Type: c.Query("type"), Unit: c.Query("unit"),
		Owner: c.Query("owner"), ProjectID: c.Query("project"), Sort: c.Query("sort")}
	switch c.Query("overdue") {
	case "", "0", "false":
	case "1", "true":
		q.Overdue = true
	default:
		return q, core.Invalid("overdue", "overdue 只能为 1 或 0")
	}
	var err error
	if q.Page, q.PerPage, err = web.Paging(c); err != nil {
		return q, err
	}
	return q, nil
}

// auditDenied records an attempt on another unit's request.
func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

// APIItem is a request in API answers.
type APIItem struct {
	*Request
	UnitName    string `json:"unit_name" edit:"derived"`
	Overdue     bool   `json:"overdue" edit:"derived"`
	DaysOverdue int    `json:"days_overdue" edit:"derived"`
	ClauseTitle string `json:"clause_title,omitempty" edit:"derived"`
}

func (h *Handlers) item(c *fiber.Ctx, r *Request, withClause bool) APIItem {
	now := h.Svc.now()
	it := APIItem{Request: r, UnitName: h.UnitName(r.Unit), Overdue: r.Overdue(now), DaysOverdue: r.DaysOverdue(now)}
	if withClause {
		it.ClauseTitle = h.clauseTitle(c.UserContext(), r)
	}
	return it
}

func (h *Handlers) clauseTitle(ctx context.Context, r *Request) string {
	if h.Svc.ClauseTitle == nil || r.PolicyID == "" || r.ClauseNo == "" {
		return ""
	}
	t, err := h.Svc.ClauseTitle(ctx, r.PolicyID, r.ClauseNo)
	if err != nil {
		return ""
	}
	return t
}

// load gets a request in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx) (*Request, error) { return h.records().Load(c) }
