package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/discover"
	"zhaoshang/modules/events"
	"zhaoshang/modules/imports"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/push"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/transfers"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
)

// routes mounts every module's route table. The access table test walks
// app.GetRoutes() and fails for a route no table declares.
func (s *srv) routes(app *fiber.App) {
	s.mount(app, []web.Route{
		web.GET("/login", web.Public, s.loginPage),
		web.POST("/login", web.Public, s.loginForm),
		web.POST("/logout", web.Signed, s.logout),
		web.POST("/api/v1/auth/login", web.Public, s.apiLogin),
		web.POST("/api/v1/auth/logout", web.Signed, s.logout),
		web.GET("/api/v1/auth/me", web.Signed, s.me),
		web.GET("/", web.Signed, s.home),
	})

	ph := &projects.Handlers{Svc: s.projects(), Names: s.p.Matrix, Audit: s.p.Users,
		Attachments: &projects.AttachmentStore{Dir: s.p.Cfg.Files("attachments")},
		People:      s.personName, UnitOptions: s.unitOptions}
	s.mount(app, ph.Routes())
	uh := &users.Handlers{Svc: s.p.Users, Units: unitsAdapter{s}}
	s.mount(app, uh.Routes())
	var gates []matrix.GateInfo
	for _, g := range projects.Gates {
		gates = append(gates, matrix.GateInfo{Key: g.Key, Label: g.Label})
	}
	mh := &matrix.Handlers{Svc: s.p.Matrix, Users: s.p.Users, Gates: gates, Stages: projects.Stages,
		Usage: matrix.EngineUsage{Engine: s.p.Sync.Engine(), Kinds: s.p.Sync.Kinds}}
	s.mount(app, mh.Routes())
	as := aftercare.NewService(s.p.Records.Aftercare, ph.Svc, s.p.Users, s.p.Matrix)
	clauses := policies.NewService(s.p.Records.Policies, s.p.Matrix)
	as.ClauseTitle = func(ctx context.Context, policyID, no string) (string, error) {
		c, err := clauses.Clause(ctx, policyID, no)
		if err != nil {
			return "", err
		}
		return c.PolicyTitle + " · " + c.Title, nil
	}
	ph.Sections = func(c *fiber.Ctx, p *projects.Project) []projects.Section {
		return aftercareSection(c, as, p)
	}
	ah := &aftercare.Handlers{Svc: as, Audit: s.p.Users, UnitName: s.p.Matrix.Name, Units: s.unitOptions,
		PersonName: s.personName}
	s.mount(app, ah.Routes())
	ts := transfers.NewService(s.p.Records.Deals, s.p.Records.Brokers, s.p.Matrix)
	ts.Result = func(ctx context.Context, id string) (string, string, error) {
		r, err := s.p.Records.Results.Get(ctx, id)
		if err != nil {
			return "", "", err
		}
		return r.Title, r.OwnerUnit(), nil
	}
	th := &transfers.Handlers{Svc: ts, Audit: s.p.Users, UnitName: s.p.Matrix.Name, Units: s.unitOptions}
	s.mount(app, th.Routes())
	es := events.NewService(s.p.Records.Events, s.p.Matrix)
	es.Participant = s.participant
	eh := &events.Handlers{Svc: es, Audit: s.p.Users}
	s.mount(app, eh.Routes())
	poh := &policies.Handlers{Svc: policies.NewService(s.p.Records.Policies, s.p.Matrix), Audit: s.p.Users}
	s.mount(app, poh.Routes())
	rh := &resources.Handlers{Svc: resources.NewService(s.p.Records.Talents, s.p.Records.Enterprises, s.p.Records.Institutes,
		s.p.Records.Results, s.p.Matrix), Units: s.p.Matrix, Audit: s.p.Users}
	s.mount(app, rh.Routes())
	dh := &dashboard.Handlers{Svc: &dashboard.Service{Projects: ph.Svc, Engine: s.p.Sync.Engine(), Targets: s.p.Matrix.Targets,
		HasUnit: s.p.Matrix.HasUnit, StaleDays: s.staleDays, Units: s.unitOptions}, Audit: s.p.Users, Units: s.unitOptions,
		PersonName: s.personName, EventTitle: func(ctx context.Context, scope core.Scope, id string) string {
			if e, err := es.Get(ctx, scope, id); err == nil {
				return e.Title
			}
			return ""
		}}
	s.mount(app, dh.Routes())
	sh := &discover.Handlers{Svc: &discover.Service{Engine: s.p.Sync.Engine()}, UnitName: s.p.Matrix.Name}
	s.mount(app, sh.Routes())
	pu := &push.Handlers{Svc: s.p.Push, Audit: s.p.Users}
	s.mount(app, pu.Routes())
	xh := &imports.TemplateHandlers{Vocab: func(ctx context.Context) (export.Vocab, error) { return ImportVocab(ctx, s.p.Matrix) }}
	s.mount(app, xh.Routes())
	ih := &imports.Handlers{Svc: &imports.Service{Imports: s.p.Imports, Mappings: imports.NewMappings(s.p.Store.DB, s.p.Users)},
		Audit: s.p.Users, UnitName: s.p.Matrix.Name, Units: s.unitOptions, PersonName: s.personName}
	s.mount(app, ih.Routes()) // after the template downloads under /imports/templates/
}

// staleDays is the configured staleness threshold of projects.
func (s *srv) staleDays(ctx context.Context) int {
	if cat, err := (vocab{s}).ProjectCatalog(ctx); err == nil {
		return cat.StaleDays
	}
	return 0
}

type unitsAdapter struct{ s *srv }

func (u unitsAdapter) Subtree(ids []string) []string { return u.s.p.Matrix.Subtree(ids) }
func (u unitsAdapter) HasUnit(id string) bool        { return u.s.p.Matrix.HasUnit(id) }
func (u unitsAdapter) Name(id string) string         { return u.s.p.Matrix.Name(id) }
func (u unitsAdapter) Options() []users.UnitOption {
	var out []users.UnitOption
	for _, x := range u.s.p.Matrix.Units() {
		out = append(out, users.UnitOption{ID: x.ID, Name: x.Name})
	}
	return out
}

// participant names a talent or enterprise an event links, with its unit.
func (s *srv) participant(ctx context.Context, kind, id string) (string, string, error) {
	if kind == events.KindTalents {
		t, err := s.p.Records.Talents.Get(ctx, id)
		if err != nil {
			return "", "", err
		}
		return t.Name, t.Unit, nil
	}
	e, err := s.p.Records.Enterprises.Get(ctx, id)
	if err != nil {
		return "", "", err
	}
	return e.Name, e.Unit, nil
}

// mount registers a route table behind the access check and keeps it for
// the access rules NewWithRules returns.
func (s *srv) mount(r fiber.Router, routes []web.Route) {
	web.Mount(r, s.guard, routes)
	s.table = append(s.table, routes...)
}
