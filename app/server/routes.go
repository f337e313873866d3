package server

import (
	"path/filepath"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/app/web"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
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
		Attachments: &projects.AttachmentStore{Dir: filepath.Join(s.p.Cfg.DataDir, "attachments")},
		People:      s.personName, UnitOptions: s.unitOptions}
	ph.Routes(app)
	s.access.Add(ph.Access())
	uh := &users.Handlers{Svc: s.p.Users, Units: unitsAdapter{s}}
	uh.Routes(app)
	s.access.Add(uh.Access())

	for _, e := range emptySections {
		e := e
		app.Get(e.path, func(c *fiber.Ctx) error {
			return web.Page(c, "empty", e.title, e.nav, templates.EmptyData{Heading: e.heading, Text: e.text})
		})
		s.access["GET "+e.path] = web.Signed
	}
}

// Sections that later releases fill; until then they say so honestly.
var emptySections = []struct{ path, nav, title, heading, text string }{
	{"/resources", "resources", "资源库", "资源库尚未开放", "人才、企业、院所平台与科技成果的检索和维护将在下一版本提供；演示数据已经载入，可在项目管线中按企业与联系人查找。"},
	{"/events", "events", "活动", "活动管理尚未开放", "论坛、沙龙、路演、培训与专场对接会的登记及成果追踪将在下一版本提供。"},
	{"/policies", "policies", "政策库", "政策库尚未开放", "政策条款检索与后道服务关联将在下一版本提供。"},
	{"/dashboard", "dashboard", "驾驶舱", "驾驶舱尚未开放", "目标完成度、阶段漏斗与督办统计将在下一版本提供。"},
	{"/imports", "imports", "导入导出", "导入导出尚未开放", "Excel 台账导入（预览、撤销）与导出将在下一版本提供。"},
	{"/settings", "settings", "系统设置", "系统设置尚未开放", "“2+4+5”招商矩阵、七个一行动与年度目标的维护将在下一版本提供；当前使用默认配置。"},
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
