package projects

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/app/web"
	"zhaoshang/modules/core"
)

// Names resolves unit ids and catalog values for pages.
type Names interface {
	Name(unitID string) string
}

// Handlers serves the pipeline pages and API.
type Handlers struct {
	Svc   *Service
	Names Names
	Audit core.Auditor
}

// Access declares the access class of every route Routes registers.
func (h *Handlers) Access() web.Rules {
	return web.Rules{
		"GET /projects": web.Signed, "GET /api/v1/projects": web.Signed, "GET /api/v1/projects/:id": web.Signed,
		"GET /api/v1/projects/:id/history": web.Signed,
	}
}

// Routes registers the pipeline routes.
func (h *Handlers) Routes(app fiber.Router) {
	app.Get("/projects", h.listPage)
	app.Get("/api/v1/projects", h.apiList)
	app.Get("/api/v1/projects/:id", h.apiGet)
	app.Get("/api/v1/projects/:id/history", h.apiHistory)
}

func queryFrom(c *fiber.Ctx) (ListQuery, error) {
	q := ListQuery{Text: c.Query("q"), Stage: c.Query("stage"), Unit: c.Query("unit"), Industry: c.Query("industry"),
		Type: c.Query("type"), Zone: c.Query("zone"), Officer: c.Query("officer"), Sort: c.Query("sort")}
	var err error
	if v := c.Query("page"); v != "" {
		if q.Page, err = strconv.Atoi(v); err != nil || q.Page < 1 {
			return q, core.Invalid("page", "页码须为正整数")
		}
	}
	if v := c.Query("per_page"); v != "" {
		if q.PerPage, err = strconv.Atoi(v); err != nil || q.PerPage < 1 {
			return q, core.Invalid("per_page", "每页条数须为正整数")
		}
	}
	return q, nil
}

// apiItem is a project in API answers.
type apiItem struct {
	*Project
	UnitName string `json:"unit_name"`
}

func (h *Handlers) apiList(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	if err == nil {
		var page Page
		page, err = h.Svc.List(c.UserContext(), web.Me(c).Scope, q)
		if err == nil {
			items := make([]apiItem, len(page.Items))
			for i, p := range page.Items {
				items[i] = apiItem{p, h.Names.Name(p.Unit)}
			}
			return c.JSON(fiber.Map{"items": items, "total": page.Total})
		}
	}
	if fe, ok := core.AsFieldError(err); ok {
		return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return web.Fail(c, err)
}

// load gets a project in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx) (*Project, error) {
	p, err := h.Svc.Get(c.UserContext(), web.Me(c).Scope, c.Params("id"))
	if errors.Is(err, core.ErrForbidden) && h.Audit != nil {
		h.Audit.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "denied", Kind: Kind, RecordID: c.Params("id"),
			Note: c.Method() + " " + c.Path()})
	}
	return p, err
}

func (h *Handlers) apiGet(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(apiItem{p, h.Names.Name(p.Unit)})
}

func (h *Handlers) apiHistory(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	items := p.History
	if items == nil {
		items = []StageChange{}
	}
	return c.JSON(fiber.Map{"items": items})
}

// ListView is the Data of the "projects" page.
type ListView struct {
	Query    ListQuery
	Items    []*Project
	Total    int
	Pages    int
	Base     string
	Error    string
	UnitName func(string) string
	Stages   []string
	Types    []string
	Counts   map[string]int
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	q, err := queryFrom(c)
	v := ListView{Query: q, UnitName: h.Names.Name, Stages: Stages, Types: Types}
	if err == nil {
		var page Page
		page, err = h.Svc.List(c.UserContext(), web.Me(c).Scope, q)
		v.Items, v.Total = page.Items, page.Total
	}
	if err != nil {
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		v.Error = fe.Message
		c.Status(400)
	}
	v.Query.Page = max(q.Page, 1)
	per := max(q.PerPage, 20)
	v.Pages = (v.Total + per - 1) / per
	vals := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "stage": q.Stage, "type": q.Type, "industry": q.Industry,
		"zone": q.Zone, "unit": q.Unit, "sort": q.Sort} {
		if val != "" {
			vals.Set(k, val)
		}
	}
	v.Base = "/projects?" + vals.Encode()
	if counts, _, cerr := h.Svc.StageCounts(c.UserContext(), web.Me(c).Scope); cerr == nil {
		v.Counts = counts
	}
	return web.Page(c, "projects", "项目管线", "projects", v)
}
