package web

import (
	"errors"

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

// AuditDenied records a refused access to a record (kind, :id) in the audit
// log; other errors are ignored. Every module's handlers call it.
func AuditDenied(c *fiber.Ctx, a core.Auditor, kind string, err error) {
	if a == nil || !errors.Is(err, core.ErrForbidden) {
		return
	}
	a.Audit(c.UserContext(), Actor(c), core.AuditEntry{Action: "denied", Kind: kind, RecordID: c.Params("id"),
		Note: c.Method() + " " + c.Path()})
}
