package policies

import (
	"context"
	"net/url"

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

func writerOf(c *fiber.Ctx) Writer { return writerFor(web.Actor(c), web.Me(c).Scope) }

// writerFor is the Writer of an actor (whose role it carries) in scope.
func writerFor(a core.Actor, scope core.Scope) Writer {
	return Writer{Actor: a, Role: a.Role, Scope: scope}
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	routes := []web.Route{
		web.GET("/policies", web.Signed, h.listPage),
		web.GET("/policies/export.xlsx", web.Signed, h.exportList), // before /policies/:id
		web.GET("/policies/new", web.Manager, h.newPage),
		web.POST("/policies/new", web.Manager, h.createForm),
		web.GET("/policies/:id", web.Signed, h.detailPage),
		web.GET("/policies/:id/edit", web.Manager, h.editPage),
		web.POST("/policies/:id/edit", web.Manager, h.editForm),
		web.POST("/policies/:id/delete", web.Manager, h.deleteForm),
	}
	routes = append(routes, h.records().Routes("/api/v1/policies", web.Signed, web.Manager, web.Manager)...)
	return append(routes, web.GET("/api/v1/policies/:id/clauses/:no", web.Signed, h.apiClause))
}

// records serves the policies' list, get, create, update and delete API:
// every signed-in user reads every policy (no scope), writers are checked
// by the service.
func (h *Handlers) records() *web.Records[ListQuery, *Policy, Input] {
	return &web.Records[ListQuery, *Policy, Input]{Kind: Kind, Stale: "该政策已被他人修改，请刷新后重试", Audit: h.Audit,
		Query: queryFrom, Item: func(_ *fiber.Ctx, p *Policy, _ bool) any { return h.item(p) },
		List: func(ctx context.Context, _ core.Scope, q ListQuery) (Page, error) { return h.Svc.List(ctx, q) },
		Get:  func(ctx context.Context, _ core.Scope, id string) (*Policy, error) { return h.Svc.Get(ctx, id) },
		Create: func(ctx context.Context, a core.Actor, scope core.Scope, in Input) (*Policy, error) {
			return h.Svc.Create(ctx, writerFor(a, scope), in)
		},
		Update: func(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in Input) (*Policy, error) {
			return h.Svc.Update(ctx, writerFor(a, scope), id, version, in)
		},
		Delete: func(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
			return h.Svc.Delete(ctx, writerFor(a, scope), id, version)
		}}
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

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

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
