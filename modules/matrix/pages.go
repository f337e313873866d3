package matrix

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

const pageTitle = "系统设置"

// node is a unit at its depth in a tree.
type node struct {
	U     *Unit
	Depth int
}

// tree orders units parent first, depth first, keeping display order among
// siblings. A unit whose parent is not among units is a root; units caught
// in a cycle (only possible in hand-edited data) still appear, as roots.
func tree(units []*Unit) []node {
	in := map[string]bool{}
	for _, u := range units {
		in[u.ID] = true
	}
	kids := map[string][]*Unit{}
	var roots []*Unit
	for _, u := range units {
		if u.Parent != "" && u.Parent != u.ID && in[u.Parent] {
			kids[u.Parent] = append(kids[u.Parent], u)
		} else {
			roots = append(roots, u)
		}
	}
	out := make([]node, 0, len(units))
	seen := map[string]bool{}
	var walk func(u *Unit, d int)
	walk = func(u *Unit, d int) {
		if seen[u.ID] {
			return
		}
		seen[u.ID] = true
		out = append(out, node{u, d})
		for _, k := range kids[u.ID] {
			walk(k, d+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	for _, u := range units {
		walk(u, 0)
	}
	return out
}

// indent draws a depth as full-width spaces and a branch mark (no style
// attributes under the CSP).
func indent(depth int) string {
	if depth <= 0 {
		return ""
	}
	return strings.Repeat("　", depth-1) + "└ "
}

// ---- matrix page ----

// UnitRow is a unit in the matrix tree.
type UnitRow struct {
	*Unit
	Indent      string
	Pad         string // Indent without the branch mark, for a second line
	ParentName  string
	Children    int
	Members     []Member
	MemberCount int
}

// LayerView is one layer of the matrix.
type LayerView struct {
	Layer Layer
	Rows  []UnitRow
}

// MatrixView is the Data of the "settings" page.
type MatrixView struct {
	CanEdit bool
	Layers  []LayerView
	Units   int
	Members int
}

// byLayer splits units into the layers, each a tree of its own units.
func byLayer(units []*Unit) []LayerView {
	var out []LayerView
	layers := slices.Clone(Layers)
	for _, u := range units {
		if !slices.Contains(layers, u.Layer) {
			layers = append(layers, u.Layer)
		}
	}
	for _, l := range layers {
		var in []*Unit
		for _, u := range units {
			if u.Layer == l {
				in = append(in, u)
			}
		}
		lv := LayerView{Layer: l}
		for _, n := range tree(in) {
			lv.Rows = append(lv.Rows, UnitRow{Unit: n.U, Indent: indent(n.Depth), Pad: strings.Repeat("　", n.Depth)})
		}
		out = append(out, lv)
	}
	return out
}

func (h *Handlers) matrixPage(c *fiber.Ctx) error {
	units := h.Svc.Units()
	v := &MatrixView{CanEdit: web.IsAdmin(c), Layers: byLayer(units), Units: len(units)}
	children := map[string]int{}
	for _, u := range units {
		children[u.Parent]++
	}
	seen := map[string]bool{}
	for li := range v.Layers {
		for ri := range v.Layers[li].Rows {
			r := &v.Layers[li].Rows[ri]
			ms, n, err := h.members(c.UserContext(), r.ID)
			if err != nil {
				return web.Fail(c, err)
			}
			r.Members, r.MemberCount, r.Children = ms, n, children[r.ID]
			if r.Parent != "" {
				r.ParentName = h.Svc.Name(r.Parent)
			}
			for _, m := range ms {
				if !seen[m.Username] {
					seen[m.Username] = true
					v.Members++
				}
			}
		}
	}
	return web.Page(c, "settings", pageTitle, "settings", v)
}

// ---- unit form ----

// Option is a choice in a picker.
type Option struct{ Value, Label string }

// UnitFormView is the Data of the "settings_unit" page.
type UnitFormView struct {
	New        bool
	Unit       *Unit
	Parents    []Option
	Zones      []string
	Industries []IndustryGroup
	formError
	// Stored is the unit as someone else saved it when this edit was stale.
	Stored       *Unit
	StoredParent string
	Changed      []string
	Members      int
	Layers       []string
	Types        []string
}

// IndustryGroup is one group of the "2+6+X" list.
type IndustryGroup struct {
	Group string
	Names []string
}

// formError is the field error a settings form shows again.
type formError struct {
	Error *core.FieldError
}

// FieldErr is the message to show beside field ("" when it is fine).
func (v formError) FieldErr(field string) string {
	if v.Error != nil && v.Error.Field == field {
		return v.Error.Message
	}
	return ""
}

func (h *Handlers) unitForm(ctx context.Context, u *Unit, isNew bool) (*UnitFormView, error) {
	cat, err := h.Svc.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	v := &UnitFormView{New: isNew, Unit: u, Zones: slices.Clone(cat.Zones), Types: UnitTypes}
	for _, l := range Layers {
		v.Layers = append(v.Layers, string(l))
	}
	if u.Zone != "" && !slices.Contains(v.Zones, u.Zone) {
		v.Zones = append(v.Zones, u.Zone)
	}
	below := map[string]bool{}
	if !isNew {
		for _, id := range h.Svc.Subtree([]string{u.ID}) {
			below[id] = true
		}
	}
	for _, n := range tree(h.Svc.Units()) {
		if !below[n.U.ID] {
			v.Parents = append(v.Parents, Option{n.U.ID, indent(n.Depth) + n.U.Name})
		}
	}
	for _, g := range IndustryGroups {
		v.Industries = append(v.Industries, IndustryGroup{g, cat.IndustriesIn(g)})
	}
	var extra []string
	for _, f := range u.Focus {
		if !cat.HasIndustry(f) {
			extra = append(extra, f)
		}
	}
	if len(extra) > 0 {
		v.Industries = append(v.Industries, IndustryGroup{"?", extra})
	}
	if !isNew {
		if _, n, err := h.members(ctx, u.ID); err == nil {
			v.Members = n
		}
	}
	return v, nil
}

func formUnit(c *fiber.Ctx) (*Unit, error) {
	var focus []string
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		if string(k) == "focus" && len(val) > 0 {
			focus = append(focus, string(val))
		}
	})
	u := &Unit{Meta: core.Meta{ID: strings.TrimSpace(c.FormValue("id"))}, Name: c.FormValue("name"),
		Short: c.FormValue("short"), Layer: Layer(c.FormValue("layer")), Type: c.FormValue("type"),
		Parent: c.FormValue("parent"), Zone: c.FormValue("zone"), Focus: focus}
	u.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if s := strings.TrimSpace(c.FormValue("order")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return u, core.Invalid("order", "排序须为整数")
		}
		u.Order = n
	}
	return u, nil
}

func (h *Handlers) renderUnitForm(c *fiber.Ctx, status int, u *Unit, isNew bool, fe *core.FieldError, stored *Unit) error {
	v, err := h.unitForm(c.UserContext(), u, isNew)
	if err != nil {
		return web.Fail(c, err)
	}
	v.Error, v.Stored = fe, stored
	if stored != nil {
		v.Changed = changedFields(u, stored)
		if stored.Parent != "" {
			v.StoredParent = h.Svc.Name(stored.Parent)
		}
	}
	title := "编辑单位"
	if isNew {
		title = "新增单位"
	}
	return web.Page(c.Status(status), "settings_unit", title+" · "+pageTitle, "settings", v)
}

// changedFields names the fields where the stored unit differs from the form.
func changedFields(form, stored *Unit) []string {
	var out []string
	add := func(differ bool, label string) {
		if differ {
			out = append(out, label)
		}
	}
	add(strings.TrimSpace(form.Name) != stored.Name, "名称")
	add(strings.TrimSpace(form.Short) != stored.Short, "简称")
	add(form.Layer != stored.Layer, "层级")
	add(form.Type != stored.Type, "类型")
	add(form.Parent != stored.Parent, "上级单位")
	add(form.Zone != stored.Zone, "区镇")
	add(!slices.Equal(form.Focus, stored.Focus), "重点产业")
	add(form.Order != stored.Order, "排序")
	return out
}

func (h *Handlers) newUnitPage(c *fiber.Ctx) error {
	u := &Unit{Layer: "5", Type: "zone"}
	if p := h.Svc.Unit(c.Query("parent")); p != nil {
		u.Parent, u.Layer, u.Type = p.ID, p.Layer, p.Type
	}
	return h.renderUnitForm(c, 200, u, true, nil, nil)
}

func (h *Handlers) createUnitForm(c *fiber.Ctx) error {
	u, err := formUnit(c)
	if err == nil {
		err = h.Svc.CreateUnit(c.UserContext(), web.Actor(c), u)
	}
	if fe, ok := core.AsFieldError(err); ok {
		return h.renderUnitForm(c, 422, u, true, fe, nil)
	}
	if err != nil {
		return web.Fail(c, err)
	}
	web.Flash(c, "ok", "已新增单位 "+u.Name+"（"+u.ID+"）")
	return c.Redirect("/settings#u-"+u.ID, fiber.StatusSeeOther)
}

func (h *Handlers) editUnitPage(c *fiber.Ctx) error {
	u := h.Svc.Unit(c.Params("id"))
	if u == nil {
		return web.Fail(c, core.ErrNotFound)
	}
	cp := *u
	cp.Focus = slices.Clone(u.Focus)
	return h.renderUnitForm(c, 200, &cp, false, nil, nil)
}

func (h *Handlers) updateUnitForm(c *fiber.Ctx) error {
	id := c.Params("id")
	if !h.Svc.HasUnit(id) {
		return web.Fail(c, core.ErrNotFound)
	}
	u, err := formUnit(c)
	u.ID = id
	read := u.Version
	if err == nil {
		err = h.Svc.UpdateUnit(c.UserContext(), web.Actor(c), u)
	}
	if fe, ok := core.AsFieldError(err); ok {
		return h.renderUnitForm(c, 422, u, false, fe, nil)
	}
	if errors.Is(err, core.ErrConflict) {
		stored := h.Svc.Unit(id)
		if stored == nil {
			return web.Fail(c, core.ErrNotFound)
		}
		// The form keeps what this user typed; saving again, now against
		// the newer version, is a deliberate choice after seeing the changes.
		u.Version = stored.Version
		return h.renderUnitForm(c, 409, u, false, nil, stored)
	}
	if err != nil {
		return web.Fail(c, err)
	}
	if read == u.Version {
		web.Flash(c, "ok", "单位 "+u.Name+" 未修改：内容与保存前相同，没有产生新版本")
	} else {
		web.Flash(c, "ok", "已保存单位 "+u.Name)
	}
	return c.Redirect("/settings#u-"+u.ID, fiber.StatusSeeOther)
}

func (h *Handlers) deleteUnitForm(c *fiber.Ctx) error {
	id := c.Params("id")
	u := h.Svc.Unit(id)
	if u == nil {
		return web.Fail(c, core.ErrNotFound)
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	err := h.Svc.DeleteUnit(c.UserContext(), web.Actor(c), id, version, h.Usage)
	switch {
	case err == nil:
		web.Flash(c, "ok", "已删除单位 "+u.Name)
		return c.Redirect("/settings", fiber.StatusSeeOther)
	case errors.Is(err, core.ErrConflict):
		web.Flash(c, "error", "该单位刚被他人修改，请核对后再删除")
	default:
		fe, ok := core.AsFieldError(inUse(err))
		if !ok {
			return web.Fail(c, err)
		}
		web.Flash(c, "error", u.Name+"："+fe.Message)
	}
	return c.Redirect("/settings/units/"+url.PathEscape(id), fiber.StatusSeeOther)
}
