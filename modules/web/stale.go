package web

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// StaleBody is the JSON body of a 409 for a stale update:
// {"error":{"code":"conflict","message":…,"current_version":…,"changes":[…]}}.
// changes is never null. A caller may add keys beside "error".
func StaleBody(s core.Stale, message string) fiber.Map {
	changes := s.StaleChanges()
	if changes == nil {
		changes = []core.Change{}
	}
	return fiber.Map{"error": fiber.Map{"code": "conflict", "message": message,
		"current_version": s.StoredVersion(), "changes": changes}}
}

// FailStale answers err as Fail does, except a stale update (core.Stale),
// which is a 409 with the stored version and what changed (StaleBody);
// message names the kind, e.g. "该活动已被他人修改，请刷新后重试".
func FailStale(c *fiber.Ctx, err error, message string) error {
	if s, ok := core.AsStale(err); ok {
		return c.Status(fiber.StatusConflict).JSON(StaleBody(s, message))
	}
	return Fail(c, err)
}

// FormState is what a failed save sets on a form page's data; a module's
// FormView embeds it, so templates read .Conflict, .Version and .Error.
type FormState struct {
	// ID is the record edited ("" on a new record's form); Creating says
	// the form creates one.
	ID       string
	Creating bool
	Version  int64
	// Error is the first problem, Problems all of them (core.Problems).
	Error    *core.FieldError
	Problems core.Problems
	Conflict []core.Change
}

// Form lets the form kit (web.Forms) reach the state of a page's data
// that embeds FormState.
func (s *FormState) Form() *FormState { return s }

// FormFailed shows a form again after a failed save, keeping the user's
// input: a stale update (409) lists what changed and takes the stored
// version (saving again keeps the user's input); a field error (422) is
// shown next to its field. render draws the page with the status already
// set. Anything else is audited when it is a refused access (kind, :id)
// and answered by Fail.
func FormFailed(c *fiber.Ctx, err error, st *FormState, render func() error, audit core.Auditor, kind string) error {
	if s, ok := core.AsStale(err); ok {
		st.Conflict, st.Version = s.StaleChanges(), s.StoredVersion()
		c.Status(fiber.StatusConflict)
		return render()
	}
	if fe, ok := core.AsFieldError(err); ok {
		st.Error, st.Problems = fe, core.FieldErrors(err)
		c.Status(fiber.StatusUnprocessableEntity)
		return render()
	}
	AuditDenied(c, audit, kind, err)
	return Fail(c, err)
}
