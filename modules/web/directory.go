package web

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/templates"
)

// Directory answers what the pages of every module show about people and
// units: a user's display name, how to reach a unit, a unit's members. The
// server installs one per request (SetDirectory); nil means ids stay ids.
type Directory interface {
	PersonName(username string) string
	UnitReach(ctx context.Context, unit string) templates.UnitReach
	// Members are the enabled managers and officers of units (负责人 pickers).
	Members(units []string) []templates.Member
	// RecordName is the name or title of a record a page links to, read by
	// id whatever its unit (its link opens the out-of-scope card anyway);
	// "" when unknown.
	RecordName(ctx context.Context, kind, id string) string
}

const directoryKey = "zs.directory"

// SetDirectory installs the directory for the request.
func SetDirectory(c *fiber.Ctx, d Directory) { c.Locals(directoryKey, d) }

// Dir returns the request's directory or nil.
func Dir(c *fiber.Ctx) Directory {
	d, _ := c.Locals(directoryKey).(Directory)
	return d
}

// PersonName names a user for a page (the user name when unknown).
func PersonName(c *fiber.Ctx, username string) string {
	if d := Dir(c); d != nil && username != "" {
		if n := d.PersonName(username); n != "" {
			return n
		}
	}
	return username
}

// RecordName names a record a page links to ("" when unknown).
func RecordName(c *fiber.Ctx, kind, id string) string {
	if d := Dir(c); d != nil && id != "" {
		return d.RecordName(c.UserContext(), kind, id)
	}
	return ""
}

// MembersOf are the users of units for a picker (nil without a directory).
func MembersOf(c *fiber.Ctx, units []string) []templates.Member {
	if d := Dir(c); d != nil {
		return d.Members(units)
	}
	return nil
}

// outsideCard answers a page request for a record outside the viewer's
// scope with a card naming it, its unit and whom to ask there — one page
// for every kind, instead of a 403. ok is false for anything else.
func outsideCard(c *fiber.Ctx, err error) (ok bool, _ error) {
	var o *core.OutOfScope
	if !errors.As(err, &o) || Me(c) == nil || IsAPI(c) || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
		return false, nil
	}
	v := templates.OutsideData{Kind: templates.Label("kind", o.Kind), Name: o.Name, ID: o.ID,
		Unit: templates.UnitReach{ID: o.Unit, Name: o.Unit}}
	if d := Dir(c); d != nil {
		v.Unit = d.UnitReach(c.UserContext(), o.Unit)
	}
	if ref := c.Get(fiber.HeaderReferer); ref != "" {
		v.Back = sameOrigin(c, ref)
	}
	return true, Page(c, "outside", v.Name, "", v)
}

// sameOrigin returns the path of ref when it points at this server, else "".
func sameOrigin(c *fiber.Ctx, ref string) string {
	base := c.BaseURL()
	if len(ref) > len(base) && ref[:len(base)] == base && ref[len(base)] == '/' {
		return ref[len(base):]
	}
	return ""
}
