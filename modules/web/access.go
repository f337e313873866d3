package web

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Access classes (actions) of routes. Every route is declared with one
// (Route.Action); the guard the server mounts in front of each route checks
// the signed-in user's role against Allowed before the handler runs, and
// the router-walking test in app/server fails for a route without a class
// or a role the table refuses getting through.
const (
	Public  = "public"    // no session needed
	Signed  = "signed-in" // read the units' records, import and export their ledgers, own session
	Write   = "write"     // create and change records: stage moves, edits, follow-ups, score sheets
	Manager = "manager"   // approve decisions, 批示, delete, policies
	Admin   = "admin"     // users, units, settings
)

// Allowed is the one role × action table: which roles may perform each
// action. 区镇填报员 (field) keeps their units' ledgers and reads their
// records, nothing else.
var Allowed = map[string][]string{
	Signed:  {"admin", "manager", "officer", "field"},
	Write:   {"admin", "manager", "officer"},
	Manager: {"admin", "manager"},
	Admin:   {"admin"},
}

// May reports whether a user of role may perform action (Public: anyone).
func May(role, action string) bool {
	return action == Public || slices.Contains(Allowed[action], role)
}

// CanWrite reports whether the signed-in user may change records (pages
// offer their forms only then).
func CanWrite(c *fiber.Ctx) bool { return Me(c).May(Write) }

// Rules maps "METHOD /path" (Fiber pattern) to an access class.
type Rules map[string]string

// May reports whether the principal's role may perform action: the one
// role helper pages and handlers ask (me.May(web.Manager)).
func (p *Principal) May(action string) bool { return p != nil && May(p.Role, action) }

// IsManager reports whether the signed-in user may perform Manager
// actions (managers and admins).
func IsManager(c *fiber.Ctx) bool { return Me(c).May(Manager) }

// IsAdmin reports whether the signed-in user may perform Admin actions.
func IsAdmin(c *fiber.Ctx) bool { return Me(c).May(Admin) }

// AuditDenied records a refused access to a record (kind, :id) in the audit
// log; other errors are ignored. Every module's handlers call it.
func AuditDenied(c *fiber.Ctx, a core.Auditor, kind string, err error) {
	if a == nil || !errors.Is(err, core.ErrForbidden) {
		return
	}
	a.Audit(c.UserContext(), Actor(c), core.AuditEntry{Action: "denied", Kind: kind, RecordID: c.Params("id"),
		Note: c.Method() + " " + c.Path()})
}
