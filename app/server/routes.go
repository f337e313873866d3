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
	"zhaoshang/templates"
)

// routes registers every route. The access table test walks app.GetRoutes()
// and fails for a route it has no rule for.
func (s *srv) routes(app *fiber.App) {
	s.access = web.Rules{
		"GET /healthz": web.Public, "GET /readyz": web.Public, "GET /favicon.ico": web.Public,
		"GET /login": web.Public, "POST /login": web.Public, "POST /api/v1/auth/login": web.Public,
		"POST /logout": web.Signed, "POST /api/v1/auth/logout": web.Signed, "GET /api/v1/auth/me": web.Signed,
		"GET /": web.Signed,
	}
	app.Get("/login", s.loginPage)
	app.Post("/login", s.loginForm)
	app.Post("/logout", s.logout)
	app.Post("/api/v1/auth/login", s.apiLogin)
	app.Post("/api/v1/auth/logout", s.logout)
	app.Get("/api/v1/auth/me", s.me)
	app.Get("/", s.home)

	ph := &projects.Handlers{Svc: s.projects(), Names: s.p.Matrix, Audit: s.p.Users,
		Attachments: &projects.AttachmentStore{Dir: s.p.Cfg.Files("attachments")},
		People:      s.personName, UnitOptions: s.unitOptions}
	ph.Routes(app)
	s.access.Add(ph.Access())
	uh := &users.Handlers{Svc: s.p.Users, Units: unitsAdapter{s}}
	uh.Routes(app)
	s.access.Add(uh.Access())
	var gates []matrix.GateInfo
	for _, g := range projects.Gates {
		gates = append(gates, matrix.GateInfo{Key: g.Key, Label: g.Label})
	}
	mh := &matrix.Handlers{Svc: s.p.Matrix, Users: s.p.Users, Gates: gates, Stages: projects.Stages,
		Usage: matrix.EngineUsage{Engine: s.p.Sync.Engine(), Kinds: s.p.Sync.Kinds}}
	mh.Routes(app)
	s.access.Add(mh.Access())
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
	ah.Routes(app)
	s.access.Add(ah.Access())
	ts := transfers.NewService(s.p.Records.Deals, s.p.Records.Brokers, s.p.Matrix)
	ts.Result = func(ctx context.Context, id string) (string, string, error) {
		r, err := s.p.Records.Results.Get(ctx, id)
		if err != nil {
			return "", "", err
		}
		return r.Title, r.OwnerUnit(), nil
	}
	th := &transfers.Handlers{Svc: ts, Audit: s.p.Users, UnitName: s.p.Matrix.Name, Units: s.unitOptions}
	th.Routes(app)
	s.access.Add(th.Access())
	es := events.NewService(s.p.Records.Events, s.p.Matrix)
	es.Participant = s.participant
	eh := &events.Handlers{Svc: es, Audit: s.p.Users}
	eh.Routes(app)
	s.access.Add(eh.Access())
	poh := &policies.Handlers{Svc: policies.NewService(s.p.Records.Policies, s.p.Matrix), Audit: s.p.Users}
	poh.Routes(app)
	s.access.Add(poh.Access())
	rh := &resources.Handlers{Svc: resources.NewService(s.p.Records.Talents, s.p.Records.Enterprises, s.p.Records.Institutes,
		s.p.Records.Results, s.p.Matrix), Units: s.p.Matrix, Audit: s.p.Users}
	rh.Routes(app)
	s.access.Add(rh.Access())
	dh := &dashboard.Handlers{Svc: &dashboard.Service{Projects: ph.Svc, Engine: s.p.Sync.Engine(), Targets: s.p.Matrix.Targets,
		HasUnit: s.p.Matrix.HasUnit, StaleDays: s.staleDays, Units: s.unitOptions}, Audit: s.p.Users, Units: s.unitOptions,
		PersonName: s.personName, EventTitle: func(ctx context.Context, scope core.Scope, id string) string {
			if e, err := es.Get(ctx, scope, id); err == nil {
				return e.Title
			}
			return ""
		}}
	dh.Routes(app)
	s.access.Add(dh.Access())
	sh := &discover.Handlers{Svc: &discover.Service{Engine: s.p.Sync.Engine()}, UnitName: s.p.Matrix.Name}
	sh.Routes(app)
	s.access.Add(sh.Access())
	pu := &push.Handlers{Svc: s.p.Push, Audit: s.p.Users}
	pu.Routes(app)
	s.access.Add(pu.Access())
	xh := &imports.TemplateHandlers{Vocab: func(ctx context.Context) (export.Vocab, error) { return ImportVocab(ctx, s.p.Matrix) }}
	xh.Routes(app)
	s.access.Add(xh.Access())
	ih := &imports.Handlers{Svc: &imports.Service{Imports: s.p.Imports, Mappings: imports.NewMappings(s.p.Store.DB, s.p.Users)},
		Audit: s.p.Users, UnitName: s.p.Matrix.Name, Units: s.unitOptions, PersonName: s.personName}
	ih.Routes(app) // after the template downloads under /imports/templates/
	s.access.Add(ih.Access())

	for _, e := range emptySections {
		e := e
		app.Get(e.path, func(c *fiber.Ctx) error {
			return web.Page(c, "empty", e.title, e.nav, templates.EmptyData{Heading: e.heading, Text: e.text})
		})
		s.access["GET "+e.path] = web.Signed
	}
}

// Sections that later releases fill; until then they say so honestly.
var emptySections = []struct{ path, nav, title, heading, text string }{}

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
