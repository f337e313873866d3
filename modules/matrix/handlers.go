package matrix

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// GateInfo is a stage gate admins may switch off (projects.Gates: the
// projects module owns the rules; the catalog only stores which are off).
type GateInfo struct{ Key, Label string }

// Handlers serves 系统设置: the matrix, the catalog and the yearly targets,
// as pages and as JSON.
type Handlers struct {
	Svc *Service
	// Users lists a unit's members through the search engine.
	Users *users.Service
	Usage Usage
	Gates []GateInfo
	// Stages are the stage keys (projects.Stages) the 阶段 words may name.
	Stages []string
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/settings", web.Signed, h.matrixPage),
		web.GET("/settings/units/new", web.Admin, h.newUnitPage),
		web.POST("/settings/units/new", web.Admin, h.createUnitForm),
		web.GET("/settings/units/:id", web.Admin, h.editUnitPage),
		web.POST("/settings/units/:id", web.Admin, h.updateUnitForm),
		web.POST("/settings/units/:id/delete", web.Admin, h.deleteUnitForm),
		web.GET("/settings/catalog", web.Signed, h.catalogPage),
		web.POST("/settings/catalog", web.Admin, h.catalogForm),
		web.GET("/settings/targets", web.Signed, h.targetsPage),
		web.POST("/settings/targets/:year/:unit", web.Manager, h.targetsForm),

		web.GET("/api/v1/units", web.Signed, h.apiUnits),
		web.POST("/api/v1/units", web.Admin, h.apiCreateUnit),
		web.PUT("/api/v1/units/:id", web.Admin, h.apiUpdateUnit),
		web.DELETE("/api/v1/units/:id", web.Admin, h.apiDeleteUnit),
		web.GET("/api/v1/settings/catalog", web.Signed, h.apiCatalog),
		web.PUT("/api/v1/settings/catalog", web.Admin, h.apiSaveCatalog),
		web.GET("/api/v1/targets", web.Signed, h.apiTargets),
		web.PUT("/api/v1/targets/:year/:unit", web.Manager, h.apiSetTargets),
	}
}

// ---- units ----

// Member is a user shown under a unit.
type Member struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled,omitempty"`
}

// members lists the users whose units include unit (engine-backed List).
func (h *Handlers) members(ctx context.Context, unit string) ([]Member, int, error) {
	us, total, err := h.Users.List(ctx, core.Scope{Units: []string{unit}}, "", 0, 500)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Member, len(us))
	for i, u := range us {
		out[i] = Member{Username: u.ID, Name: u.Name, Role: u.Role, Disabled: u.Disabled}
	}
	return out, total, nil
}

type apiUnit struct {
	*Unit
	Focus       []string `json:"focus"`
	ParentName  string   `json:"parent_name,omitempty" edit:"derived"`
	MemberCount int      `json:"member_count" edit:"derived"`
	Members     []Member `json:"members" edit:"derived"`
}

func (h *Handlers) toAPIUnit(ctx context.Context, u *Unit) (apiUnit, error) {
	ms, n, err := h.members(ctx, u.ID)
	if err != nil {
		return apiUnit{}, err
	}
	a := apiUnit{Unit: u, Focus: u.Focus, MemberCount: n, Members: ms}
	if a.Focus == nil {
		a.Focus = []string{}
	}
	if u.Parent != "" {
		a.ParentName = h.Svc.Name(u.Parent)
	}
	return a, nil
}

func (h *Handlers) apiUnits(c *fiber.Ctx) error {
	units := h.Svc.Units()
	items := make([]apiUnit, 0, len(units))
	for _, u := range units {
		a, err := h.toAPIUnit(c.UserContext(), u)
		if err != nil {
			return web.Fail(c, err)
		}
		items = append(items, a)
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

// echoed lets a client send back a document it read: fields the server
// keeps are accepted and ignored.
type echoed struct {
	CreatedAt json.RawMessage `json:"created_at"`
	CreatedBy json.RawMessage `json:"created_by"`
	UpdatedAt json.RawMessage `json:"updated_at"`
	UpdatedBy json.RawMessage `json:"updated_by"`
	Batch     json.RawMessage `json:"batch"`
}

// unitFields are what a client sets on a unit.
type unitFields struct {
	ID      string   `json:"id"`
	Version int64    `json:"version"`
	Name    string   `json:"name"`
	Short   string   `json:"short"`
	Layer   string   `json:"layer"`
	Type    string   `json:"type"`
	Parent  string   `json:"parent"`
	Zone    string   `json:"zone"`
	Focus   []string `json:"focus"`
	Order   int      `json:"order"`
}

// unitInput is a unit to create: a document read from the API (a unit to
// copy) may be sent, its server-kept fields are ignored. An update takes
// unitFields and web.DecodeEdit checks the rest against the stored unit.
type unitInput struct {
	unitFields
	echoed
	ParentName  json.RawMessage `json:"parent_name"`
	MemberCount json.RawMessage `json:"member_count"`
	Members     json.RawMessage `json:"members"`
}

func (in unitInput) unit() *Unit {
	return &Unit{Meta: core.Meta{ID: in.ID, Version: in.Version}, Name: in.Name, Short: in.Short, Layer: Layer(in.Layer),
		Type: in.Type, Parent: in.Parent, Zone: in.Zone, Focus: in.Focus, Order: in.Order}
}

func (h *Handlers) apiCreateUnit(c *fiber.Ctx) error {
	var in unitInput
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	u := in.unit()
	if err := h.Svc.CreateUnit(c.UserContext(), web.Actor(c), u); err != nil {
		return web.Fail(c, err)
	}
	a, err := h.toAPIUnit(c.UserContext(), u)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.Status(201).JSON(a)
}

func (h *Handlers) apiUpdateUnit(c *fiber.Ctx) error {
	id := c.Params("id")
	if !h.Svc.HasUnit(id) {
		return web.Fail(c, core.ErrNotFound)
	}
	var in unitInput
	if err := web.DecodeEdit(c, &in.unitFields, func() (any, error) { return h.toAPIUnit(c.UserContext(), h.Svc.Unit(id)) }); err != nil {
		return web.Fail(c, err)
	}
	if in.ID != "" && in.ID != id {
		return web.Fail(c, core.Invalid("id", "单位编号不可修改"))
	}
	if in.Version <= 0 {
		return web.Fail(c, core.Invalid("version", "缺少版本号 version（读取单位时得到）"))
	}
	in.ID = id
	u := in.unit()
	if err := h.Svc.UpdateUnit(c.UserContext(), web.Actor(c), u); err != nil {
		return web.Fail(c, err)
	}
	web.Result(c, in.Version, u.Version)
	a, err := h.toAPIUnit(c.UserContext(), u)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(a)
}

// inUse turns a refused deletion into a 422 naming what still uses the unit.
func inUse(err error) error {
	var iu *InUseError
	if !errors.As(err, &iu) {
		return err
	}
	kinds := make([]string, 0, len(iu.Uses))
	for k := range iu.Uses {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return useOrder(a) - useOrder(b) })
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, templates.Label("kind", k)+" "+strconv.Itoa(iu.Uses[k]))
	}
	return core.Invalid("id", "单位仍被使用（%s），不能删除；请先移走这些记录或用户", strings.Join(parts, "、"))
}

// useOrder lists child units and users first, then records by kind name.
func useOrder(k string) int {
	switch k {
	case "units":
		return -2
	case users.Kind:
		return -1
	}
	return int(k[0])
}

func (h *Handlers) apiDeleteUnit(c *fiber.Ctx) error {
	version, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "删除须带 ?version=（当前版本号）"})
	}
	if err := h.Svc.DeleteUnit(c.UserContext(), web.Actor(c), c.Params("id"), version, h.Usage); err != nil {
		return web.Fail(c, inUse(err))
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- catalog ----

type gateState struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Enabled bool   `json:"enabled"`
}

// ruleKeys are the injected keys a catalog edit is checked against.
func (h *Handlers) ruleKeys() RuleKeys {
	gates := make([]string, len(h.Gates))
	for i, g := range h.Gates {
		gates[i] = g.Key
	}
	return RuleKeys{Gates: gates, Stages: h.Stages}
}

func (h *Handlers) gateStates(cat *Catalog) []gateState {
	out := make([]gateState, len(h.Gates))
	for i, g := range h.Gates {
		out[i] = gateState{Key: g.Key, Label: g.Label, Enabled: !slices.Contains(cat.DisabledGates, g.Key)}
	}
	return out
}

type apiCatalogDoc struct {
	*Catalog
	DisabledGates []string    `json:"disabled_gates"`
	Gates         []gateState `json:"gates"`
}

func (h *Handlers) catalogDoc(cat *Catalog) apiCatalogDoc {
	d := apiCatalogDoc{Catalog: cat, DisabledGates: cat.DisabledGates, Gates: h.gateStates(cat)}
	if d.DisabledGates == nil {
		d.DisabledGates = []string{}
	}
	return d
}

func (h *Handlers) apiCatalog(c *fiber.Ctx) error {
	cat, err := h.Svc.Catalog(c.UserContext())
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.catalogDoc(cat))
}

// catalogInput is a catalog edit; a list left out keeps its stored values.
type catalogInput struct {
	Version       int64       `json:"version"`
	Industries    []Industry  `json:"industries"`
	Zones         []string    `json:"zones"`
	TalentLevels  []string    `json:"talent_levels"`
	EventTypes    []string    `json:"event_types"`
	ActionLines   []string    `json:"action_lines"`
	StaleDays     *int        `json:"stale_days"`
	DisabledGates []string    `json:"disabled_gates"`
	StageWords    []StageWord `json:"stage_words"`
	echoed
	ID    json.RawMessage `json:"id"`
	Gates json.RawMessage `json:"gates"`
}

func (in catalogInput) merge(stored *Catalog) *Catalog {
	c := *stored
	c.Version = in.Version
	given(&c.Industries, in.Industries)
	given(&c.Zones, in.Zones)
	given(&c.TalentLevels, in.TalentLevels)
	given(&c.EventTypes, in.EventTypes)
	given(&c.ActionLines, in.ActionLines)
	if in.StaleDays != nil {
		c.StaleDays = *in.StaleDays
	}
	given(&c.DisabledGates, in.DisabledGates)
	given(&c.StageWords, in.StageWords)
	return &c
}

// given replaces *list with v when the request sent it (a list left out
// keeps the stored one; an empty one clears it).
func given[T any](list *[]T, v []T) {
	if v != nil {
		*list = v
	}
}

func (h *Handlers) apiSaveCatalog(c *fiber.Ctx) error {
	var in catalogInput
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	if in.Version <= 0 {
		return web.Fail(c, core.Invalid("version", "缺少版本号 version（读取目录时得到）"))
	}
	stored, err := h.Svc.Catalog(c.UserContext())
	if err != nil {
		return web.Fail(c, err)
	}
	cat := in.merge(stored)
	warn, err := h.Svc.SaveCatalog(c.UserContext(), web.Actor(c), cat, h.ruleKeys(), h.Usage)
	if err != nil {
		return web.Fail(c, err)
	}
	if warn == nil {
		warn = []Removal{}
	}
	return c.JSON(fiber.Map{"catalog": h.catalogDoc(cat), "warnings": warn})
}

// ---- targets ----

// parseYear reads a year; empty means the current year in China.
func parseYear(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return time.Now().In(core.Zone()).Year(), nil
	}
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < MinYear || y > MaxYear {
		return 0, &web.BadInput{Field: "year", Message: "年份须为 " + strconv.Itoa(MinYear) + "–" + strconv.Itoa(MaxYear) + " 之间的整数"}
	}
	return y, nil
}

// unitParam maps the path segment to a unit id ("" for city).
func unitParam(s string) string {
	if s == CityUnit {
		return ""
	}
	return s
}

type apiTarget struct {
	*Target
	Unit     string             `json:"unit"`
	UnitName string             `json:"unit_name"`
	Values   map[string]float64 `json:"values"`
}

func (h *Handlers) toAPITarget(t *Target) apiTarget {
	a := apiTarget{Target: t, Unit: t.Unit, UnitName: h.Svc.Name(t.Unit), Values: t.Values}
	if t.Unit == "" {
		a.Unit, a.UnitName = CityUnit, "全市"
	}
	if a.Values == nil {
		a.Values = map[string]float64{}
	}
	return a
}

type apiKPI struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
}

// yearPlan reads year= (this year when absent) and loads that year's
// targets of every unit.
func (h *Handlers) yearPlan(c *fiber.Ctx) (int, *YearPlan, error) {
	year, err := parseYear(c.Query("year"))
	if err != nil {
		return 0, nil, err
	}
	plan, err := h.Svc.YearTargets(c.UserContext(), year)
	return year, plan, err
}

func (h *Handlers) apiTargets(c *fiber.Ctx) error {
	year, plan, err := h.yearPlan(c)
	if err != nil {
		return web.Fail(c, err)
	}
	kpis := make([]apiKPI, len(KPIs))
	balanced := map[string]bool{}
	for i, k := range KPIs {
		kpis[i] = apiKPI{k.Key, k.Label, k.Unit}
		balanced[k.Key] = plan.Balanced(k.Key)
	}
	items := make([]apiTarget, len(plan.Units))
	for i, t := range plan.Units {
		items[i] = h.toAPITarget(t)
	}
	return c.JSON(fiber.Map{"year": year, "kpis": kpis, "city": h.toAPITarget(plan.City), "items": items,
		"total": len(items), "sums": plan.Sums, "balanced": balanced})
}

type targetInput struct {
	Version int64              `json:"version"`
	Values  map[string]float64 `json:"values"`
	echoed
	ID       json.RawMessage `json:"id"`
	Year     json.RawMessage `json:"year"`
	Unit     json.RawMessage `json:"unit"`
	UnitName json.RawMessage `json:"unit_name"`
}

// setTargets runs SetTargets for the caller and audits a refusal.
func (h *Handlers) setTargets(c *fiber.Ctx, year int, unit string, vals map[string]float64, version int64) (*Target, error) {
	t, err := h.Svc.SetTargets(c.UserContext(), web.Actor(c), web.Me(c).Scope, year, unit, vals, version)
	if errors.Is(err, core.ErrForbidden) {
		h.Users.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "denied", Kind: "targets",
			RecordID: TargetID(year, unit), Note: c.Method() + " " + c.Path()})
	}
	return t, err
}

func (h *Handlers) apiSetTargets(c *fiber.Ctx) error {
	year, err := parseYear(c.Params("year"))
	if err != nil {
		return web.Fail(c, err)
	}
	var in targetInput
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	t, err := h.setTargets(c, year, unitParam(c.Params("unit")), in.Values, in.Version)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.toAPITarget(t))
}
