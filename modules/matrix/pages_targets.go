package matrix

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// ---- targets page ----

// TargetCell is one KPI value of a row.
type TargetCell struct {
	Key   string
	Label string
	Value float64
	Has   bool
	Input string // the value as an input shows it
}

// TargetRow is one row of the targets grid.
type TargetRow struct {
	Key       string // path segment: unit id or "city"
	Name      string
	Indent    string
	Version   int64
	Saved     bool
	Editable  bool
	JustSaved bool
	Cells     []TargetCell
}

// SumCell compares the units' sum with the city target for a KPI.
type SumCell struct {
	Key      string
	Sum      float64
	City     float64
	Balanced bool
	Gap      float64 // Sum - City
	Abs      float64 // |Gap|
}

// TargetsView is the Data of the "settings_targets" page.
type TargetsView struct {
	Year     int
	Years    []int
	KPIs     []apiKPI
	City     TargetRow
	Rows     []TargetRow
	Sums     []SumCell
	CanEdit  bool
	Balanced bool
}

func targetRow(key, name string, t *Target, editable bool) TargetRow {
	r := TargetRow{Key: key, Name: name, Version: t.Version, Saved: t.Version > 0, Editable: editable}
	for _, k := range KPIs {
		v, ok := t.Values[k.Key]
		cell := TargetCell{Key: k.Key, Label: k.Label, Value: v, Has: ok}
		if ok {
			cell.Input = strconv.FormatFloat(v, 'f', -1, 64)
		}
		r.Cells = append(r.Cells, cell)
	}
	return r
}

func (h *Handlers) targetsPage(c *fiber.Ctx) error {
	year, plan, err := h.yearPlan(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	mgr := web.IsManager(c)
	v := &TargetsView{Year: year, Balanced: true}
	now, _ := parseYear("")
	for y := min(2023, year); y <= max(now+2, year); y++ {
		v.Years = append(v.Years, y)
	}
	for _, k := range KPIs {
		v.KPIs = append(v.KPIs, apiKPI{k.Key, k.Label, k.Unit})
		sc := SumCell{Key: k.Key, Sum: plan.Sums[k.Key], City: plan.City.Values[k.Key], Balanced: plan.Balanced(k.Key),
			Gap: plan.Gap(k.Key), Abs: math.Abs(plan.Gap(k.Key))}
		v.Balanced = v.Balanced && sc.Balanced
		v.Sums = append(v.Sums, sc)
	}
	v.City = targetRow(CityUnit, "全市", plan.City, mgr && me.Scope.All)
	v.City.JustSaved = c.Query("saved") == CityUnit
	byUnit := map[string]*Target{}
	for _, t := range plan.Units {
		byUnit[t.Unit] = t
	}
	for _, n := range tree(h.Svc.Units()) {
		t := byUnit[n.U.ID]
		if t == nil {
			t = &Target{Unit: n.U.ID}
		}
		r := targetRow(n.U.ID, n.U.Name, t, mgr && me.Scope.Allows(n.U.ID))
		r.Indent = indent(n.Depth)
		r.JustSaved = r.Key == c.Query("saved")
		v.Rows = append(v.Rows, r)
		v.CanEdit = v.CanEdit || r.Editable
	}
	v.CanEdit = v.CanEdit || v.City.Editable
	return web.Page(c, "settings_targets", "年度目标 · "+pageTitle, "settings", v)
}

func (h *Handlers) targetsForm(c *fiber.Ctx) error {
	year, err := parseYear(c.Params("year"))
	if err != nil {
		return web.Fail(c, err)
	}
	unit := unitParam(c.Params("unit"))
	key := url.QueryEscape(c.Params("unit"))
	back := "/settings/targets?year=" + strconv.Itoa(year) + "#t-" + key
	vals := map[string]float64{}
	for _, k := range KPIs {
		s := strings.ReplaceAll(strings.TrimSpace(c.FormValue("v_"+k.Key)), ",", "")
		if s == "" {
			continue
		}
		f, perr := strconv.ParseFloat(s, 64)
		if perr != nil {
			web.Flash(c, "error", k.Label+"的目标须为数字，未保存")
			return c.Redirect(back, fiber.StatusSeeOther)
		}
		vals[k.Key] = f
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	_, err = h.setTargets(c, year, unit, vals, version)
	name := "全市"
	if unit != "" {
		name = h.Svc.Name(unit)
	}
	switch {
	case err == nil:
		web.Flash(c, "ok", "已保存"+name+" "+strconv.Itoa(year)+" 年目标")
		// The anchor scrolls the flash away; the row says it was saved too.
		back = "/settings/targets?year=" + strconv.Itoa(year) + "&saved=" + key + "#t-" + key
	case errors.Is(err, core.ErrConflict):
		web.Flash(c, "error", name+"的目标刚被他人修改，未保存；页面已显示最新数值，请核对后重新填写")
	default:
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		web.Flash(c, "error", name+"："+fe.Message)
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
