package server

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
)

// HomeView is the Data of the "home" page (工作台).
type HomeView struct {
	ScopeLabel string
	Total      int
	Stages     []string
	Counts     map[string]int
	// Mine: the user's own overdue next actions (officers) or the scope's 督办 (managers).
	Overdue      []*projects.Project
	OverdueTotal int
	Stale        int
	Pending      int // decisions waiting for a manager's approval
	Instructed   []*projects.Project
	Person       func(string) string
	IsManager    bool
	OverdueLink  string
}

func (s *srv) home(c *fiber.Ctx) error {
	me := web.Me(c)
	svc := s.projects()
	ctx := c.UserContext()
	counts, total, err := svc.StageCounts(ctx, me.Scope)
	if err != nil {
		return web.Fail(c, err)
	}
	v := HomeView{Total: total, Stages: projects.Stages, Counts: counts, Person: s.personName,
		IsManager: me.May(web.Manager), OverdueLink: "/projects?overdue=1&sort=next_due"}
	v.ScopeLabel = "全部单位"
	if !me.Scope.All {
		v.ScopeLabel = ""
		for i, id := range me.Units {
			if i > 0 {
				v.ScopeLabel += "、"
			}
			v.ScopeLabel += s.p.Matrix.Name(id)
		}
		if me.Role == users.RoleManager {
			v.ScopeLabel += "（含下属单位）"
		}
	}
	cat, _ := vocab{s}.ProjectCatalog(ctx)
	q := projects.ListQuery{Overdue: true, Sort: "next_due", PerPage: 8, StaleDays: cat.StaleDays}
	if !v.IsManager {
		q.Officer = me.Username
		v.OverdueLink += "&officer=" + me.Username
	}
	if page, err := svc.List(ctx, me.Scope, q); err == nil {
		v.Overdue, v.OverdueTotal = page.Items, page.Total
	}
	sq := projects.ListQuery{Stale: true, PerPage: 1, StaleDays: cat.StaleDays}
	if !v.IsManager {
		sq.Officer = me.Username
	}
	if page, err := svc.List(ctx, me.Scope, sq); err == nil {
		v.Stale = page.Total
	}
	if v.IsManager {
		if page, err := svc.List(ctx, me.Scope, projects.ListQuery{Stage: projects.StageDecision, Approval: "pending", PerPage: 1}); err == nil {
			v.Pending = page.Total
		}
	}
	return web.Page(c, "home", "工作台", "home", v)
}
