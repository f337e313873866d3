package web

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Access classes (actions) of routes. Every route is declared with one;
// the server checks the signed-in user's role against Allowed before any
// handler runs, and the router-walking test in app/server fails for a
// route without a class or a role the table refuses getting through.
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
func CanWrite(c *fiber.Ctx) bool {
	me := Me(c)
	return me != nil && May(me.Role, Write)
}

// Rules maps "METHOD /path" (Fiber pattern) to an access class.
type Rules map[string]string

// Class returns the class of the route a request for method and path
// matches, preferring literal segments over parameters as the router does
// ("/projects/board" before "/projects/:id").
func (r Rules) Class(method, path string) (string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestParams := "", -1
	for key, class := range r {
		m, pattern, ok := strings.Cut(key, " ")
		if !ok || m != method {
			continue
		}
		ps := strings.Split(strings.Trim(pattern, "/"), "/")
		if len(ps) != len(segs) {
			continue
		}
		params := 0
		for i, p := range ps {
			switch {
			case strings.HasPrefix(p, ":"):
				params++
			case p != segs[i]:
				params = -1
			}
			if params < 0 {
				break
			}
		}
		if params >= 0 && (bestParams < 0 || params < bestParams) {
			best, bestParams = class, params
		}
	}
	return best, bestParams >= 0
}

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
