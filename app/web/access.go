package web

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Access classes of routes. Every route is declared with one, and the
// router-walking test in app/server fails for a route without a class.
const (
	Public  = "public"    // no session needed
	Signed  = "signed-in" // any signed-in user; data scope applied inside
	Manager = "manager"   // managers and admins
	Admin   = "admin"     // admins only
)

// Rules maps "METHOD /path" (Fiber pattern) to an access class.
type Rules map[string]string

// Add merges other into r.
func (r Rules) Add(other Rules) {
	for k, v := range other {
		r[k] = v
	}
}

// IsManager reports whether the signed-in user is a manager or an admin.
func IsManager(c *fiber.Ctx) bool {
	me := Me(c)
	return me != nil && (me.Role == "manager" || me.Role == "admin")
}

// RequireManager is route middleware for Manager-class routes.
func RequireManager(c *fiber.Ctx) error {
	if !IsManager(c) {
		return Fail(c, core.ErrForbidden)
	}
	return c.Next()
}
