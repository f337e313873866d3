// Package server builds the Fiber application: middleware (request ids,
// logs, recovery, security headers, sessions, CSRF, rate limits) and the
// routes of every module.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"zhaoshang/app/platform"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// MaxBody is the request body limit (attachments and spreadsheets included).
const MaxBody = 32 << 20

// New returns the HTTP application for a platform.
func New(p *platform.Platform) (*fiber.App, error) {
	app, _, err := NewWithRules(p)
	return app, err
}

// NewWithRules also returns the access class of every route.
func NewWithRules(p *platform.Platform) (*fiber.App, web.Rules, error) {
	set, err := templates.New()
	if err != nil {
		return nil, nil, err
	}
	web.SetTemplates(set)
	app := fiber.New(fiber.Config{
		AppName:   "zhaoshang",
		BodyLimit: MaxBody,
		// Room for long Chinese query strings (a 1,000-character query is
		// ~9 KB URL-encoded) so they reach the handlers' 400, not a 431.
		ReadBufferSize:        32 << 10,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          120 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		slog.Error("panic", "path", c.Path(), "request_id", web.RequestID(c), "panic", e)
	}}))
	app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	app.Use(accessLog(p.Log))
	app.Use(securityHeaders)

	s := &srv{p: p, limiter: &limiter{max: max(p.Cfg.LoginPerMinute, 1), window: time.Minute, users: p.Users, log: p.Log.Warn}}
	// Probes answer before any session is looked up.
	s.mount(app, s.probes())
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(templates.Static()), MaxAge: 3600}))

	app.Use(s.directory)
	app.Use(s.session)
	app.Use(s.csrf)
	s.routes(app)
	app.Use(s.notFound)
	return app, web.RulesOf(s.table), nil
}

type srv struct {
	p       *platform.Platform
	limiter *limiter
	table   []web.Route // every route mounted, with its action
	people  peopleCache
}

func errorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge {
		return web.JSONError(c, 413, "too_large", "上传内容过大（上限 32 MB）", "")
	}
	return web.Fail(c, err)
}

func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error { return logRequest(log, c) }
}

func logRequest(log *slog.Logger, c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(500)
		}
	}
	status := c.Response().StatusCode()
	lvl := slog.LevelInfo
	if status >= 500 {
		lvl = slog.LevelError
	}
	user := ""
	if me := web.Me(c); me != nil {
		user = me.Username
	}
	log.Log(c.UserContext(), lvl, "http", "method", c.Method(), "path", c.Path(), "status", status,
		"ms", time.Since(start).Milliseconds(), "user", user, "request_id", web.RequestID(c))
	return nil
}

func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
	c.Set("X-Frame-Options", "DENY")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	return c.Next()
}

// probes are the health checks and the favicon, public and session-free.
func (s *srv) probes() []web.Route {
	return []web.Route{
		web.GET("/healthz", web.Public, func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }),
		web.GET("/readyz", web.Public, func(c *fiber.Ctx) error {
			ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
			defer cancel()
			if part, err := s.p.Ready(ctx); err != nil {
				// Without the search engine the app still stores every write
				// (the outbox catches the index up later): degraded. Without
				// Mongo nothing works.
				status := "unavailable"
				if part == "search" {
					status = "degraded"
				}
				return c.Status(503).JSON(fiber.Map{"status": status, "failing": part, "error": err.Error()})
			}
			return c.JSON(fiber.Map{"status": "ok"})
		}),
		web.GET("/favicon.ico", web.Public, func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }),
	}
}
