package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Forms is the flow of a record kind's new and edit pages, generic over the
// record R, its input In and the form page's data V (which embeds
// FormState): show the form, read it back, save through the service and
// go to the record's page, or show the form again with the user's input
// and every problem (FormFailed). A kind's own steps (a likely duplicate to
// confirm) go in Failed.
type Forms[R core.Record, In any, V any, PV interface {
	*V
	Form() *FormState
}] struct {
	Kind  string // audit kind of a refused access
	Audit core.Auditor
	Page  string // the template: events_form
	Nav   string // the menu entry: events
	// NewTitle and EditTitle head the page: 新建活动, 编辑活动.
	NewTitle, EditTitle string
	Path                string // the records' pages: a saved record's is Path/<id>
	// Read reads the posted form; View builds the page's data around an
	// input (choices, catalog).
	Read func(c *fiber.Ctx) (In, error)
	View func(c *fiber.Ctx, in In) (V, error)
	// Created is the flash after a create: 已新建活动“…”.
	Created func(r R) string
	Create  func(c *fiber.Ctx, in In) (R, error)
	Update  func(c *fiber.Ctx, id string, version int64, in In) (R, error)
	// Failed answers the errors the kind shows its own way; handled false
	// leaves err to FormFailed.
	Failed func(c *fiber.Ctx, v PV, err error) (handled bool, answer error)
}

// Render draws the form page with v.
func (f *Forms[R, In, V, PV]) Render(c *fiber.Ctx, v PV) error {
	title := f.EditTitle
	if v.Form().Creating {
		title = f.NewTitle
	}
	return Page(c, f.Page, title, f.Nav, *v)
}

// Fail shows the form again after a failed save.
func (f *Forms[R, In, V, PV]) Fail(c *fiber.Ctx, v PV, err error) error {
	if f.Failed != nil {
		if handled, answer := f.Failed(c, v, err); handled {
			return answer
		}
	}
	return FormFailed(c, err, v.Form(), func() error { return f.Render(c, v) }, f.Audit, f.Kind)
}

// NewPage shows the form of a new record filled with in (its defaults).
func (f *Forms[R, In, V, PV]) NewPage(c *fiber.Ctx, in In) error {
	v, err := f.View(c, in)
	if err != nil {
		return Fail(c, err)
	}
	PV(&v).Form().Creating = true
	return f.Render(c, &v)
}

// EditPage shows the form of the stored record r, whose input is in.
func (f *Forms[R, In, V, PV]) EditPage(c *fiber.Ctx, r R, in In) error {
	v, err := f.View(c, in)
	if err != nil {
		return Fail(c, err)
	}
	st := PV(&v).Form()
	st.ID, st.Version = r.GetMeta().ID, r.GetMeta().Version
	return f.Render(c, &v)
}

// CreateHandler saves a new record's form.
func (f *Forms[R, In, V, PV]) CreateHandler(c *fiber.Ctx) error {
	in, err := f.Read(c)
	v, verr := f.View(c, in)
	if verr != nil {
		return Fail(c, verr)
	}
	PV(&v).Form().Creating = true
	if err == nil {
		var r R
		if r, err = f.Create(c, in); err == nil {
			Flash(c, "ok", f.Created(r))
			return c.Redirect(f.Path+"/"+r.GetMeta().ID, fiber.StatusSeeOther)
		}
	}
	return f.Fail(c, &v, err)
}

// UpdateHandler saves an edit form (with the version it was read at):
// 已保存, or 未修改 when nothing changed.
func (f *Forms[R, In, V, PV]) UpdateHandler(c *fiber.Ctx) error {
	in, err := f.Read(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	v, verr := f.View(c, in)
	if verr != nil {
		return Fail(c, verr)
	}
	st := PV(&v).Form()
	st.ID, st.Version = c.Params("id"), version
	if err == nil {
		var r R
		if r, err = f.Update(c, c.Params("id"), version, in); err == nil {
			Saved(c, version, r.GetMeta().Version)
			return c.Redirect(f.Path+"/"+r.GetMeta().ID, fiber.StatusSeeOther)
		}
	}
	return f.Fail(c, &v, err)
}
