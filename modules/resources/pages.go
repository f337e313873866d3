package resources

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// Option is a value with its label in a picker.
type Option struct{ Value, Label string }

// Tab is one kind in the hub's tab row.
type Tab struct {
	Key, Label, URL string
	Count           int
	Active          bool
}

// FilterView is one filter select of the hub.
type FilterView struct {
	Param, Label, Value string
	Options             []string
}

// Cell is a value shown in a list or detail page; templates format it by Type.
type Cell struct {
	Label string
	Value any
	Type  FieldType
}

// Row is one record in the hub's table.
type Row struct {
	URL, Name, Sub, UnitName string
	Cells                    []Cell
	Updated                  time.Time
}

// HubView is the Data of the "resources" page.
type HubView struct {
	Kind     *Kind
	Tabs     []Tab
	Text     string
	Filters  []FilterView
	Unit     string
	Units    []Option
	Sort     string
	Sorts    []Option
	Columns  []Cell // labels and types of the columns
	Rows     []Row
	Total    int
	Page     int
	Pages    int
	Base     string // the list URL with its filters, without page
	Export   string // the list's .xlsx export with the same filters
	Error    string
	Filtered bool
}

// unitOptions are the units a scope may see, in matrix order.
func (h *Handlers) unitOptions(scope core.Scope) []Option {
	var out []Option
	for _, u := range h.Units.Units() {
		if scope.Allows(u.ID) {
			out = append(out, Option{u.ID, u.Name})
		}
	}
	return out
}

// listURL is the kind's list URL keeping q, unit and the filters the kind has.
func listURL(k *Kind, q ListQuery) string {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	for _, f := range k.Filters {
		if x := q.Filters[f.Param]; x != "" {
			v.Set(f.Param, x)
		}
	}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	if q.Sort != "" && k.SortField(q.Sort) {
		v.Set("sort", q.Sort)
	}
	if q.PerPage > 0 {
		v.Set("per_page", strconv.Itoa(q.PerPage))
	}
	if len(v) == 0 {
		return "/resources/" + k.Key
	}
	return "/resources/" + k.Key + "?" + v.Encode()
}

func (h *Handlers) hubPage(c *fiber.Ctx, k *Kind) error {
	ctx, scope := c.UserContext(), web.Me(c).Scope
	q, err := queryFrom(c, k)
	v := HubView{Kind: k, Text: q.Text, Unit: q.Unit, Sort: q.Sort, Units: h.unitOptions(scope)}
	if err == nil {
		var page Page
		if page, err = h.Svc.List(ctx, scope, q); err == nil {
			v.Total = page.Total
			v.Rows = h.rows(k, page.Items, listURL(k, q))
		}
	}
	if v.Error, err = web.ListProblem(c, err); err != nil {
		return web.Fail(c, err)
	}
	cat, err := h.Svc.Vocab.Catalog(ctx)
	if err != nil {
		return web.Fail(c, err)
	}
	for _, f := range k.Filters {
		v.Filters = append(v.Filters, FilterView{Param: f.Param, Label: k.Label(f.Field), Value: q.Filters[f.Param],
			Options: k.Field(f.Field).Options(cat)})
		v.Filtered = v.Filtered || q.Filters[f.Param] != ""
	}
	v.Filtered = v.Filtered || q.Text != "" || q.Unit != ""
	if q.Text != "" {
		v.Sorts = append(v.Sorts, Option{"", "相关度"})
	}
	for _, s := range k.Sorts {
		v.Sorts = append(v.Sorts, Option{s, templates.Label("rsort", s)})
	}
	for _, col := range k.Columns {
		v.Columns = append(v.Columns, Cell{Label: k.Label(col), Type: k.Field(col).Type})
	}
	counts, err := h.Svc.Counts(ctx, scope, q.Text)
	if err != nil {
		return web.Fail(c, err)
	}
	for _, other := range Kinds {
		v.Tabs = append(v.Tabs, Tab{Key: other.Key, Label: other.Name(), Count: counts[other.Key], Active: other == k,
			URL: listURL(other, ListQuery{Text: q.Text, Unit: q.Unit, Filters: q.Filters})})
	}
	v.Page = max(q.Page, 1)
	per := q.PerPage
	if per <= 0 {
		per = 20
	}
	v.Pages = (v.Total + per - 1) / per
	v.Base = listURL(k, q)
	v.Export = strings.Replace(v.Base, "/resources/"+k.Key, "/resources/"+k.Key+"/export.xlsx", 1)
	return web.Page(c, "resources", "资源库 · "+k.Name(), "resources", v)
}

func (h *Handlers) rows(k *Kind, items []Resource, back string) []Row {
	rows := make([]Row, len(items))
	sub := k.Field(k.Sub)
	for i, r := range items {
		row := Row{URL: "/resources/" + k.Key + "/" + r.GetMeta().ID + "?back=" + url.QueryEscape(back), Name: r.DisplayName(),
			UnitName: h.Units.Name(r.OwnerUnit()), Updated: r.GetMeta().UpdatedAt}
		if sub != nil {
			row.Sub = sub.Text(r)
		}
		for _, col := range k.Columns {
			f := k.Field(col)
			row.Cells = append(row.Cells, Cell{Value: shown(f, r), Type: f.Type})
		}
		rows[i] = row
	}
	return rows
}

// shown is a field's value for display; nil (shown as —) when unset, so an
// optional amount left empty does not read as 0.
func shown(f *Field, r Resource) any {
	if f.Type == TypeAmount && f.Text(r) == "" {
		return nil
	}
	return f.Value(r)
}

// safeBack keeps a "back to the list" link inside the resource pages.
func safeBack(k *Kind, s string) string {
	if strings.HasPrefix(s, "/resources") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return "/resources/" + k.Key
}

// LinkedRow is a project linked to the record.
type LinkedRow struct {
	URL, Name, Stage, Officer, UnitName string
	Investment                          float64
}

// DetailView is the Data of the "resources_detail" page.
type DetailView struct {
	Kind       *Kind
	ID         string
	Name       string
	Fields     []Cell
	UnitName   string
	Meta       core.Meta
	Linked     []LinkedRow
	LinkedAll  int // in scope
	LinkedElse int // outside scope
	CanLink    bool
	StartURL   string
	EditURL    string
	DeleteURL  string
	Back       string
}

func (h *Handlers) detailPage(c *fiber.Ctx, k *Kind) error {
	r, err := h.load(c, k)
	if err != nil {
		return web.Fail(c, err)
	}
	id, back := r.GetMeta().ID, safeBack(k, c.Query("back"))
	v := DetailView{Kind: k, ID: id, Name: r.DisplayName(), UnitName: h.Units.Name(r.OwnerUnit()), Meta: *r.GetMeta(),
		CanLink: k.LinkField != "", Back: back,
		StartURL:  "/projects/new?" + k.Start + "=" + url.QueryEscape(id),
		EditURL:   "/resources/" + k.Key + "/" + id + "/edit?back=" + url.QueryEscape(back),
		DeleteURL: "/resources/" + k.Key + "/" + id + "/delete"}
	for _, f := range k.Fields {
		v.Fields = append(v.Fields, Cell{Label: k.Label(f.Key), Value: shown(f, r), Type: f.Type})
	}
	if v.CanLink {
		l, err := h.Svc.Linked(c.UserContext(), web.Me(c).Scope, k.Key, id, 50)
		if err != nil {
			return web.Fail(c, err)
		}
		v.LinkedAll, v.LinkedElse = l.Total, l.Other
		for _, hit := range l.Items {
			row := LinkedRow{URL: "/projects/" + hit.ID, Name: hit.Title}
			row.Stage, _ = hit.Fields["stage"].(string)
			row.Officer, _ = hit.Fields["officer"].(string)
			row.Investment, _ = hit.Fields["investment"].(float64)
			if len(hit.Units) > 0 {
				row.UnitName = h.Units.Name(hit.Units[0])
			}
			v.Linked = append(v.Linked, row)
		}
	}
	return web.Page(c, "resources_detail", k.Name()+" · "+v.Name, "resources", v)
}

// FormField is one input of the create/edit form.
type FormField struct {
	Key, Label, Value, Error string
	Type                     FieldType
	Required                 bool
	Max                      int
	Options                  []string
}

// FormView is the Data of the "resources_form" page.
type FormView struct {
	Kind        *Kind
	IsNew       bool
	Action      string
	Cancel      string
	Back        string
	Fields      []FormField
	Unit        string
	UnitError   string
	Units       []Option
	Version     int64
	Errors      []*core.FieldError // not shown next to a field
	Duplicates  []DuplicateView
	Conflict    []Change
	HasConflict bool
	ChangedBy   string
	ChangedAt   time.Time
}

// DuplicateView is a likely duplicate shown on the create form.
type DuplicateView struct {
	Name, Detail, UnitName, URL string
}

// formInput reads the posted form.
func formInput(c *fiber.Ctx, k *Kind) Input {
	in := Input{Values: make(map[string]string, len(k.Fields)), Unit: c.FormValue("unit"),
		ConfirmDuplicate: c.FormValue("confirm_duplicate") == "1"}
	for _, f := range k.Fields {
		in.Values[f.Key] = c.FormValue(f.Key)
	}
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

// formView builds the form around in, placing err's messages.
func (h *Handlers) formView(c *fiber.Ctx, k *Kind, id string, in Input, err error) (*FormView, error) {
	cat, cerr := h.Svc.Vocab.Catalog(c.UserContext())
	if cerr != nil {
		return nil, cerr
	}
	scope := web.Me(c).Scope
	back := safeBack(k, c.Query("back", c.FormValue("back")))
	v := &FormView{Kind: k, IsNew: id == "", Unit: in.Unit, Version: in.Version, Units: h.unitOptions(scope), Back: back}
	if v.IsNew {
		v.Action, v.Cancel = "/resources/"+k.Key, back
	} else {
		v.Action = "/resources/" + k.Key + "/" + id
		v.Cancel = "/resources/" + k.Key + "/" + id + "?back=" + url.QueryEscape(back)
	}
	if in.Unit != "" && !scope.Allows(in.Unit) {
		v.Units = append(v.Units, Option{in.Unit, h.Units.Name(in.Unit)})
	}
	byField := map[string]string{}
	for _, fe := range FieldErrors(err) {
		switch {
		case fe.Field == "unit":
			v.UnitError = fe.Message
		case k.Field(fe.Field) != nil && byField[fe.Field] == "":
			byField[fe.Field] = fe.Message
		default:
			v.Errors = append(v.Errors, fe)
		}
	}
	for _, f := range k.Fields {
		v.Fields = append(v.Fields, FormField{Key: f.Key, Label: k.Label(f.Key), Value: in.Values[f.Key], Error: byField[f.Key],
			Type: f.Type, Required: f.Required, Max: f.Max, Options: f.Options(cat)})
	}
	var dw *DuplicateWarning
	if errors.As(err, &dw) {
		for _, x := range dw.Candidates {
			d := DuplicateView{Name: x.Name, Detail: x.Detail, UnitName: h.Units.Name(x.Unit)}
			if scope.Allows(x.Unit) {
				d.URL = "/resources/" + k.Key + "/" + x.ID
			}
			v.Duplicates = append(v.Duplicates, d)
		}
	}
	var cf *Conflict
	if errors.As(err, &cf) {
		v.Conflict, v.HasConflict = cf.Changes, true
		v.ChangedBy, v.ChangedAt = cf.Current.GetMeta().UpdatedBy, cf.Current.GetMeta().UpdatedAt
		// Saving again after reading the differences keeps the user's input.
		v.Version = cf.Current.GetMeta().Version
	}
	return v, nil
}

func (h *Handlers) renderForm(c *fiber.Ctx, k *Kind, id string, in Input, err error) error {
	v, verr := h.formView(c, k, id, in, err)
	if verr != nil {
		return web.Fail(c, verr)
	}
	title := "新建" + k.Name()
	if id != "" {
		title = "编辑" + k.Name()
	}
	return web.Page(c, "resources_form", title, "resources", v)
}

func (h *Handlers) newPage(c *fiber.Ctx, k *Kind) error {
	in := Input{Values: map[string]string{}, Unit: defaultUnit(web.Me(c))}
	if k == ResultKind {
		in.Values["status"] = ResultListed
	}
	return h.renderForm(c, k, "", in, nil)
}

func (h *Handlers) editPage(c *fiber.Ctx, k *Kind) error {
	r, err := h.load(c, k)
	if err != nil {
		return web.Fail(c, err)
	}
	return h.renderForm(c, k, r.GetMeta().ID, InputOf(k, r), nil)
}

// formFail shows the form again with the user's input for errors the user
// can act on; anything else is an error page.
func (h *Handlers) formFail(c *fiber.Ctx, k *Kind, id string, in Input, err error) error {
	h.auditDenied(c, k, err)
	var dw *DuplicateWarning
	var cf *Conflict
	switch {
	case errors.As(err, &dw), errors.As(err, &cf):
		c.Status(409)
	case len(FieldErrors(err)) > 0:
		c.Status(422)
	default:
		return web.Fail(c, err)
	}
	return h.renderForm(c, k, id, in, err)
}

func (h *Handlers) createForm(c *fiber.Ctx, k *Kind) error {
	in := formInput(c, k)
	r, err := h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, in)
	if err != nil {
		return h.formFail(c, k, "", in, err)
	}
	web.Flash(c, "ok", "已新建"+k.Name()+"“"+r.DisplayName()+"”")
	return c.Redirect("/resources/"+k.Key+"/"+r.GetMeta().ID+"?back="+url.QueryEscape(safeBack(k, c.FormValue("back"))), fiber.StatusSeeOther)
}

func (h *Handlers) updateForm(c *fiber.Ctx, k *Kind) error {
	in := formInput(c, k)
	id := c.Params("id")
	r, err := h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, id, in)
	if err != nil {
		return h.formFail(c, k, id, in, err)
	}
	if r.GetMeta().Version == in.Version {
		web.Flash(c, "ok", k.Name()+"“"+r.DisplayName()+"”未修改：内容与保存前相同，没有产生新版本")
	} else {
		web.Flash(c, "ok", "已保存"+k.Name()+"“"+r.DisplayName()+"”")
	}
	return c.Redirect("/resources/"+k.Key+"/"+id+"?back="+url.QueryEscape(safeBack(k, c.FormValue("back"))), fiber.StatusSeeOther)
}

func (h *Handlers) deleteForm(c *fiber.Ctx, k *Kind) error {
	id := c.Params("id")
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	err := h.Svc.Delete(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, id, version)
	h.auditDenied(c, k, err)
	var cf *Conflict
	switch {
	case err == nil:
		web.Flash(c, "ok", "已删除"+k.Name())
		return c.Redirect(safeBack(k, c.FormValue("back")), fiber.StatusSeeOther)
	case errors.As(err, &cf):
		web.Flash(c, "error", "该"+k.Name()+"刚被他人修改，请核对最新内容后再删除")
	case len(FieldErrors(err)) > 0:
		web.Flash(c, "error", FieldErrors(err)[0].Message)
	default:
		return web.Fail(c, err)
	}
	return c.Redirect("/resources/"+k.Key+"/"+id, fiber.StatusSeeOther)
}
