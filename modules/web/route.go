package web

import (
	"github.com/gofiber/fiber/v2"
)

// Route is one HTTP route, declared once with the action (access class)
// its caller needs. A module's Routes returns its table; the server mounts
// every table behind one access check by action, and the route-walking
// test in app/server reads the same tables.
type Route struct {
	Method  string
	Path    string // Fiber pattern: /projects/:id
	Action  string // Public, Signed, Write, Manager or Admin
	Handler fiber.Handler
}

// GET declares a GET route (Fiber answers HEAD with it too).
func GET(path, action string, h fiber.Handler) Route {
	return Route{fiber.MethodGet, path, action, h}
}

// POST declares a POST route.
func POST(path, action string, h fiber.Handler) Route {
	return Route{fiber.MethodPost, path, action, h}
}

// PUT declares a PUT route.
func PUT(path, action string, h fiber.Handler) Route {
	return Route{fiber.MethodPut, path, action, h}
}

// PATCH declares a PATCH route.
func PATCH(path, action string, h fiber.Handler) Route {
	return Route{fiber.MethodPatch, path, action, h}
}

// DELETE declares a DELETE route.
func DELETE(path, action string, h fiber.Handler) Route {
	return Route{fiber.MethodDelete, path, action, h}
}

// Mount registers routes in their order (a literal path before the
// parameter that would match it: /projects/board before /projects/:id),
// each behind guard(action), the one access check.
func Mount(r fiber.Router, guard func(action string) fiber.Handler, routes []Route) {
	for _, rt := range routes {
		if rt.Method == fiber.MethodGet {
			r.Get(rt.Path, guard(rt.Action), rt.Handler) // and HEAD
			continue
		}
		r.Add(rt.Method, rt.Path, guard(rt.Action), rt.Handler)
	}
}

// RulesOf is the access class of each route, by "METHOD /path".
func RulesOf(routes []Route) Rules {
	out := make(Rules, len(routes))
	for _, rt := range routes {
		out[rt.Method+" "+rt.Path] = rt.Action
	}
	return out
}
