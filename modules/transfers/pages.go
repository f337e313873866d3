package transfers

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/web"
)

// The helpers the deal, broker and subsidy pages share.

// unitsInScope lists the units the caller may pick.
func (h *Handlers) unitsInScope(scope core.Scope) [][2]string {
	var out [][2]string
	if h.Units == nil {
		return out
	}
	for _, u := range h.Units() {
		if scope.Allows(u[0]) {
			out = append(out, u)
		}
	}
	return out
}

// defaultUnit is the caller's first unit, for a new record.
func defaultUnit(c *fiber.Ctx) string {
	if me := web.Me(c); me != nil && len(me.Units) > 0 {
		return me.Units[0]
	}
	return ""
}

// formAmount parses a 万元 form value with the shared amount parser
// ("1,200", "500万元", "1.2亿"); "" is 0.
func formAmount(c *fiber.Ctx, field string) (float64, error) {
	v, _, err := cells.ParseAmount(c.FormValue(field))
	if err != nil {
		return 0, core.Invalid(field, "%s（单位：万元）", err.Error())
	}
	return v, nil
}

// sortLinks builds column sort links for a list page.
type sortLinks struct {
	Base string // filters without sort and page
	Sort string
}

// URL returns the list sorted by field, toggling the direction.
func (s sortLinks) URL(field string) string {
	v := field
	if s.Sort == field {
		v = "-" + field
	}
	return s.Base + "&sort=" + url.QueryEscape(v)
}

// Mark is the arrow of a sorted column.
func (s sortLinks) Mark(field string) string {
	switch s.Sort {
	case field:
		return "↑"
	case "-" + field:
		return "↓"
	}
	return ""
}

// pageState holds the pager fields of a list view.
type pageState struct {
	Page, Pages, Total int
	PageBase           string
}

func newPageState(base url.Values, path, sort string, page, perPage, total int) pageState {
	if sort != "" {
		base.Set("sort", sort)
	}
	per := perPage
	if per <= 0 {
		per = 20
	}
	return pageState{Page: max(page, 1), Pages: (total + per - 1) / per, Total: total, PageBase: path + "?" + base.Encode()}
}

func (h *Handlers) resultTitle(ctx context.Context, id string) string {
	if id == "" || h.Svc.Result == nil {
		return ""
	}
	t, _, err := h.Svc.Result(ctx, id)
	if err != nil {
		return ""
	}
	return t
}

func fieldErrors(err error) (map[string]string, string, bool) {
	if fe, ok := core.AsFieldError(err); ok {
		return map[string]string{fe.Field: fe.Message}, fe.Message, true
	}
	return map[string]string{}, "", false
}

// formErrors are what a failed save shows on a form page: each field's
// message and the first of them.
type formErrors struct {
	Errors map[string]string
	Error  string
}

// errs lets the form flow reach the formErrors a page's data embeds.
func (e *formErrors) errs() *formErrors { return e }

// recordForm is the flow of the deal and broker forms, generic over the
// record R, its input In and the page's data V: save and go to the
// record's page, or show the form again with the user's input — over the
// stored record when someone saved in between (409), with the field's
// message after a mistake (422).
type recordForm[R core.Record, In any, V interface{ errs() *formErrors }] struct {
	kind  string // audit kind of a refused access
	audit core.Auditor
	page  string // the template: transfers_form
	path  string // a saved record's page is path/<id>
	// newTitle and title head the page of a new and of a stored record.
	newTitle, title string
	// stale opens the message of a stale save: 该合同已被他人修改.
	stale string
	read  func(*fiber.Ctx) (In, error)
	// load gets the record of the page (:id) in the caller's scope.
	load func(*fiber.Ctx) (R, error)
	// view is the page's data for the stored record (nil: a new one) and
	// the user's input (nil: the record's, or a new record's defaults).
	view    func(c *fiber.Ctx, r R, in *In) V
	created func(R) string // the flash after a create
	create  func(context.Context, core.Actor, core.Scope, In) (R, error)
	get     func(context.Context, core.Scope, string) (R, error)
	update  func(context.Context, core.Actor, core.Scope, string, int64, In) (R, error)
}

// createHandler saves a new record's form.
func (f *recordForm[R, In, V]) createHandler(c *fiber.Ctx) error {
	in, err := f.read(c)
	var r R
	if err == nil {
		r, err = f.create(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
	}
	if err != nil {
		var none R
		return f.invalid(c, f.view(c, none, &in), f.newTitle, err)
	}
	web.Flash(c, "ok", f.created(r))
	return c.Redirect(f.path+"/"+r.GetMeta().ID, fiber.StatusSeeOther)
}

// showHandler shows the form of a stored record.
func (f *recordForm[R, In, V]) showHandler(c *fiber.Ctx) error {
	r, err := f.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, f.page, f.title, "transfers", f.view(c, r, nil))
}

// updateHandler saves the edit form of a stored record (with the version
// the form was read at).
func (f *recordForm[R, In, V]) updateHandler(c *fiber.Ctx) error {
	stored, err := f.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	id := stored.GetMeta().ID
	in, err := f.read(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	var saved R
	if err == nil {
		saved, err = f.update(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version, in)
	}
	if err == nil {
		web.Saved(c, version, saved.GetMeta().Version)
		return c.Redirect(f.path+"/"+saved.GetMeta().ID, fiber.StatusSeeOther)
	}
	web.AuditDenied(c, f.audit, f.kind, err)
	if errors.Is(err, core.ErrConflict) {
		cur, gerr := f.get(c.UserContext(), web.Me(c).Scope, id)
		if gerr != nil {
			return web.Fail(c, gerr)
		}
		v := f.view(c, cur, &in)
		v.errs().Error = f.stale + "（当前为第 " + strconv.FormatInt(cur.GetMeta().Version, 10) + " 版）。上方为最新内容，表单保留了您的填写；核对后再次保存即以您的内容为准。"
		return web.Page(c.Status(409), f.page, f.title, "transfers", v)
	}
	return f.invalid(c, f.view(c, stored, &in), f.title, err)
}

// invalid shows the form again with err's field message (422); any other
// error is answered by web.Fail.
func (f *recordForm[R, In, V]) invalid(c *fiber.Ctx, v V, title string, err error) error {
	e := v.errs()
	var ok bool
	if e.Errors, e.Error, ok = fieldErrors(err); !ok {
		return web.Fail(c, err)
	}
	return web.Page(c.Status(422), f.page, title, "transfers", v)
}
