package projects

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Names resolves unit ids and user names for pages.
type Names interface {
	Name(unitID string) string
}

// Handlers serves the pipeline pages and API.
type Handlers struct {
	Svc         *Service
	Names       Names
	Audit       core.Auditor
	Attachments *AttachmentStore
	// People names users (user name → 姓名); may be nil.
	People func(username string) string
	// UnitOptions lists units for pickers (id, name) in display order.
	UnitOptions func() [][2]string
	// Sections lets other modules (aftercare) add blocks to the project
	// page without this package importing them.
	Sections func(c *fiber.Ctx, p *Project) []Section
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	routes := []web.Route{
		web.GET("/projects", web.Signed, h.listPage),
		web.GET("/projects/board", web.Signed, h.boardPage),
		web.GET("/projects/new", web.Write, h.newPage),
		web.POST("/projects/new", web.Write, h.createForm),
		web.POST("/projects/bulk", web.Write, h.bulkForm),
		web.GET("/projects/export.xlsx", web.Signed, h.exportList), // before /projects/:id
		web.GET("/projects/:id", web.Signed, h.detailPage),
		web.GET("/projects/:id/edit", web.Write, h.editPage),
		web.POST("/projects/:id/edit", web.Write, h.editForm),
		web.POST("/projects/:id/stage", web.Write, h.stageForm),
		web.POST("/projects/:id/followups", web.Write, h.followUpForm),
		web.POST("/projects/:id/instructions", web.Manager, h.instructionForm),
		web.POST("/projects/:id/assessment", web.Write, h.assessmentForm),
		web.POST("/projects/:id/decision", web.Manager, h.decisionForm),
		web.POST("/projects/:id/decision/withdraw", web.Manager, h.withdrawForm),
		web.POST("/projects/:id/attachments", web.Write, h.uploadForm),
		web.GET("/projects/:id/attachments/:att", web.Signed, h.download),

		web.POST("/api/v1/projects/bulk", web.Write, h.apiBulk),
		web.GET("/api/v1/projects/board", web.Signed, h.apiBoard), // before /api/v1/projects/:id
	}
	routes = append(routes, h.records().Routes("/api/v1/projects", web.Signed, web.Write, web.Manager)...)
	return append(routes,
		web.GET("/api/v1/projects/:id/history", web.Signed, h.apiHistory),
		web.POST("/api/v1/projects/:id/stage", web.Write, h.apiStage),
		web.POST("/api/v1/projects/:id/followups", web.Write, h.apiFollowUp),
		web.POST("/api/v1/projects/:id/instructions", web.Manager, h.apiInstruction),
		web.POST("/api/v1/projects/:id/assessment", web.Write, h.apiAssessment),
		web.POST("/api/v1/projects/:id/decision", web.Manager, h.apiDecision),
		web.POST("/api/v1/projects/:id/decision/withdraw", web.Manager, h.apiWithdraw),
	)
}

func queryFrom(c *fiber.Ctx) (ListQuery, error) {
	q := ListQuery{Text: c.Query("q"), Stage: c.Query("stage"), Unit: c.Query("unit"), Industry: c.Query("industry"),
		Type: c.Query("type"), Zone: c.Query("zone"), Officer: c.Query("officer"), Sort: c.Query("sort"),
		SourceEvent: c.Query("source_event"), Approval: c.Query("approval"), Stale: c.Query("stale") == "1", Overdue: c.Query("overdue") == "1",
		DateField: c.Query("date"), Entered: c.Query("entered"), Reached: c.Query("reached"), Left: c.Query("left") == "1"}
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

// withStaleDays fills the configured stale threshold.
func (h *Handlers) withStaleDays(c *fiber.Ctx, q *ListQuery) {
	if cat, err := h.Svc.Vocab.ProjectCatalog(c.UserContext()); err == nil {
		q.StaleDays = cat.StaleDays
	}
}

// apiItem is a project in API answers.
type apiItem struct {
	*Project
	UnitName string `json:"unit_name" edit:"derived"`
}

// load gets a project in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx) (*Project, error) { return h.records().Load(c) }

// records serves the projects' list, get, create, update and delete API.
func (h *Handlers) records() *web.Records[ListQuery, *Project, Input] {
	return &web.Records[ListQuery, *Project, Input]{Kind: Kind, Stale: "该项目已被他人修改，请刷新后重试", Audit: h.Audit,
		Query: func(c *fiber.Ctx) (ListQuery, error) {
			q, err := queryFrom(c)
			if err == nil {
				h.withStaleDays(c, &q)
			}
			return q, err
		},
		Item:    func(_ *fiber.Ctx, p *Project, _ bool) any { return apiItem{p, h.Names.Name(p.Unit)} },
		Explain: h.explain,
		List:    h.Svc.List, Get: h.Svc.Get, Create: h.Svc.Create, Update: h.Svc.Update,
		Delete: func(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
			if _, err := h.Svc.Get(ctx, scope, id); err != nil {
				return err
			}
			return h.Svc.Repo.Delete(ctx, a, id, version)
		}}
}

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, Kind, err) }

// fail answers a service error as JSON, with gate and conflict details.
func (h *Handlers) fail(c *fiber.Ctx, err error) error { return h.records().Fail(c, err) }

// explain words a blocked stage gate (422) and a likely duplicate (409
// with the candidates).
func (h *Handlers) explain(c *fiber.Ctx, err error) (bool, error) {
	if ge, ok := AsGateError(err); ok {
		return true, c.Status(422).JSON(fiber.Map{"error": fiber.Map{"code": "gate", "gate": ge.Gate, "message": ge.Message, "field": "to"}})
	}
	var dw *DuplicateWarning
	if errors.As(err, &dw) {
		cands := make([]fiber.Map, len(dw.Candidates))
		for i, x := range dw.Candidates {
			cands[i] = fiber.Map{"id": x.ID, "name": x.Name, "unit": x.Unit, "unit_name": h.Names.Name(x.Unit), "stage": x.Stage, "reason": x.Reason}
		}
		return true, c.Status(409).JSON(fiber.Map{"error": web.APIError{Code: "possible_duplicate",
			Message: dw.Error() + "；确认不是重复后请带上 \"confirm_duplicate\": true 重新提交"}, "candidates": cands})
	}
	return false, nil
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

type stageRequest struct {
	To      string `json:"to"`
	Version int64  `json:"version"`
	Note    string `json:"note"`
}

func (h *Handlers) move(c *fiber.Ctx, id string, req stageRequest) (*Project, error) {
	cat, err := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	if err != nil {
		return nil, err
	}
	return h.Svc.MoveStage(c.UserContext(), web.Actor(c), web.Me(c).Scope, id,
		Move{To: strings.TrimSpace(req.To), Version: req.Version, Note: req.Note, Disabled: cat.DisabledGates})
}

func (h *Handlers) apiStage(c *fiber.Ctx) error {
	var req stageRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	p, err := h.move(c, c.Params("id"), req)
	if errors.Is(err, core.ErrConflict) {
		cur, _ := h.Svc.Repo.Get(c.UserContext(), c.Params("id"))
		if cur != nil {
			err = &ConflictError{Current: cur}
		}
	}
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(apiItem{p, h.Names.Name(p.Unit)})
}

type followUpRequest struct {
	Kind       string    `json:"kind"`
	Text       string    `json:"text"`
	NextAction string    `json:"next_action"`
	NextDue    core.Date `json:"next_due"`
}

func (h *Handlers) apiFollowUp(c *fiber.Ctx) error {
	var req followUpRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	p, err := h.Svc.AddFollowUp(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"),
		FollowUp{Kind: req.Kind, Text: req.Text}, req.NextAction, req.NextDue)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(apiItem{p, h.Names.Name(p.Unit)})
}

func (h *Handlers) apiInstruction(c *fiber.Ctx) error {
	var req struct {
		Text string `json:"text"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	p, err := h.Svc.AddInstruction(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), req.Text)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(apiItem{p, h.Names.Name(p.Unit)})
}

func (h *Handlers) apiAssessment(c *fiber.Ctx) error {
	var req struct {
		Version int64       `json:"version"`
		Items   []ScoreItem `json:"items"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	p, err := h.Svc.SetAssessment(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), req.Version, req.Items)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(apiItem{p, h.Names.Name(p.Unit)})
}

func (h *Handlers) apiDecision(c *fiber.Ctx) error {
	var req struct {
		Version  int64  `json:"version"`
		Approved bool   `json:"approved"`
		Veto     string `json:"veto"`
		Note     string `json:"note"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	p, err := h.Svc.Decide(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), req.Version, req.Approved, req.Veto, req.Note)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(apiItem{p, h.Names.Name(p.Unit)})
}

// apiWithdraw answers POST /api/v1/projects/{id}/decision/withdraw
// {"version","note"}: the standing decision is withdrawn (it stays in the
// decision record).
func (h *Handlers) apiWithdraw(c *fiber.Ctx) error {
	var req struct {
		Version int64  `json:"version"`
		Note    string `json:"note"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	p, err := h.Svc.Withdraw(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), req.Version, req.Note)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(apiItem{p, h.Names.Name(p.Unit)})
}
