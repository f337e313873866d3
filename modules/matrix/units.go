package matrix

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"zhaoshang/modules/core"
)

var unitIDRE = regexp.MustCompile(`^[a-z0-9-]{2,20}$`)

// ValidUnitID reports whether id may name a new unit.
func ValidUnitID(id string) bool { return unitIDRE.MatchString(id) && id != CityUnit }

// UnitCheck is what validating a unit needs to know: the other units (for
// the parent and cycles), the catalog (zones, industries) and, for an edit,
// the stored unit (a value the catalog has since dropped may stay).
type UnitCheck struct {
	Lookup  func(id string) *Unit
	Catalog *Catalog
	Stored  *Unit // nil for a new unit
}

// ValidateUnit trims u and checks it; the error names the first bad field.
func ValidateUnit(u *Unit, chk UnitCheck) error {
	u.ID = strings.TrimSpace(u.ID)
	u.Name = strings.TrimSpace(u.Name)
	u.Short = strings.TrimSpace(u.Short)
	u.Type = strings.TrimSpace(u.Type)
	u.Parent = strings.TrimSpace(u.Parent)
	u.Zone = strings.TrimSpace(u.Zone)
	u.Layer = Layer(strings.TrimSpace(string(u.Layer)))
	if chk.Stored == nil && !ValidUnitID(u.ID) {
		if u.ID == CityUnit {
			return core.Invalid("id", "编号 city 保留给全市目标，请换一个")
		}
		return core.Invalid("id", "单位编号须为 2–20 位小写字母、数字或 -，如 zs-hq")
	}
	switch {
	case u.Name == "":
		return core.Invalid("name", "单位名称不能为空")
	case utf8.RuneCountInString(u.Name) > 60:
		return core.Invalid("name", "单位名称最多 60 字")
	case hasControl(u.Name) || hasControl(u.Short):
		return core.Invalid("name", "名称含有不可见字符")
	case utf8.RuneCountInString(u.Short) > 20:
		return core.Invalid("short", "简称最多 20 字")
	case !slices.Contains(Layers, u.Layer):
		return core.Invalid("layer", "层级须为 2、4 或 5")
	case !slices.Contains(UnitTypes, u.Type):
		return core.Invalid("type", "未知的单位类型 %q", u.Type)
	case u.Order < 0 || u.Order > 9999:
		return core.Invalid("order", "排序须在 0–9999 之间")
	}
	if err := checkParent(u, chk.Lookup); err != nil {
		return err
	}
	keep := func(field string, ok func(string) bool) func(string) bool {
		return func(v string) bool { return ok(v) || (chk.Stored != nil && storedHas(chk.Stored, field, v)) }
	}
	if u.Zone != "" && !keep("zone", chk.Catalog.HasZone)(u.Zone) {
		return core.Invalid("zone", "区镇 %q 不在目录中", u.Zone)
	}
	focus := make([]string, 0, len(u.Focus))
	for _, f := range u.Focus {
		f = strings.TrimSpace(f)
		if f == "" || slices.Contains(focus, f) {
			continue
		}
		if !keep("focus", chk.Catalog.HasIndustry)(f) {
			return core.Invalid("focus", "产业 %q 不在“2+6+X”目录中", f)
		}
		focus = append(focus, f)
	}
	if len(focus) > 30 {
		return core.Invalid("focus", "重点产业最多 30 个")
	}
	u.Focus = focus
	return nil
}

func storedHas(u *Unit, field, v string) bool {
	if field == "zone" {
		return u.Zone == v
	}
	return slices.Contains(u.Focus, v)
}

// checkParent refuses an unknown parent, the unit itself, and any unit
// below it (which would make a cycle and an endless subtree).
func checkParent(u *Unit, lookup func(string) *Unit) error {
	if u.Parent == "" {
		return nil
	}
	if u.Parent == u.ID {
		return core.Invalid("parent", "上级单位不能是本单位")
	}
	p := lookup(u.Parent)
	if p == nil {
		return core.Invalid("parent", "上级单位 %q 不存在", u.Parent)
	}
	seen := map[string]bool{}
	for p != nil && !seen[p.ID] {
		if p.ID == u.ID {
			return core.Invalid("parent", "上级单位不能是本单位的下属单位（会形成循环）")
		}
		seen[p.ID] = true
		if p.Parent == "" {
			break
		}
		p = lookup(p.Parent)
	}
	return nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

func (s *Service) check(ctx context.Context, stored *Unit) (UnitCheck, error) {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return UnitCheck{}, err
	}
	return UnitCheck{Lookup: s.Unit, Catalog: cat, Stored: stored}, nil
}

// CreateUnit adds a unit (admins) and reloads the cache, so scopes include
// it at once. Order 0 places it last.
func (s *Service) CreateUnit(ctx context.Context, a core.Actor, u *Unit) error {
	chk, err := s.check(ctx, nil)
	if err != nil {
		return err
	}
	if err := ValidateUnit(u, chk); err != nil {
		return err
	}
	if s.HasUnit(u.ID) {
		return core.Invalid("id", "单位编号 %s 已存在", u.ID)
	}
	if u.Order == 0 {
		for _, x := range s.Units() {
			u.Order = max(u.Order, x.Order+1)
		}
	}
	u.Meta = core.Meta{ID: u.ID}
	if err := s.units.Create(ctx, a, u); err != nil {
		if errors.Is(err, core.ErrDuplicate) {
			return core.Invalid("id", "单位编号 %s 已存在", u.ID)
		}
		return fmt.Errorf("matrix: create unit %s: %w", u.ID, err)
	}
	return s.Reload(ctx)
}

// UpdateUnit replaces a unit's editable fields; u.Version is the version
// the editor read (stale: core.ErrConflict).
func (s *Service) UpdateUnit(ctx context.Context, a core.Actor, u *Unit) error {
	stored, err := s.units.Get(ctx, u.ID)
	if err != nil {
		return err
	}
	if u.Version != stored.Version {
		return fmt.Errorf("matrix: update unit %s: %w", u.ID, core.ErrConflict)
	}
	chk, err := s.check(ctx, stored)
	if err != nil {
		return err
	}
	if err := ValidateUnit(u, chk); err != nil {
		return err
	}
	next := *stored
	next.Name, next.Short, next.Layer, next.Type, next.Parent = u.Name, u.Short, u.Layer, u.Type, u.Parent
	next.Zone, next.Focus, next.Order = u.Zone, u.Focus, u.Order
	if err := s.units.Update(ctx, a, &next, stored); err != nil {
		return fmt.Errorf("matrix: update unit %s: %w", u.ID, err)
	}
	*u = next
	return s.Reload(ctx)
}

// Usage counts what refers to units and vocabulary values. The search
// engine answers (EngineUsage): the embedded store is never scanned.
type Usage interface {
	// UnitRefs counts the records (users included) of each kind owned by unit.
	UnitRefs(ctx context.Context, unit string) (map[string]int, error)
	// ValueRefs counts the records using each value of a catalog list
	// ("industries", "zones", ...); values nil means every value in use.
	ValueRefs(ctx context.Context, list string, values []string) (map[string]int, error)
}

// InUseError is a refused deletion: Uses counts what still refers to the
// unit by kind ("units" for child units, else search kinds).
type InUseError struct {
	Unit string
	Uses map[string]int
}

func (e *InUseError) Error() string { return "unit " + e.Unit + " is still in use" }

// DeleteUnit removes a unit nothing refers to: no child units, no users,
// no records of any kind. Otherwise *InUseError.
func (s *Service) DeleteUnit(ctx context.Context, a core.Actor, id string, version int64, use Usage) error {
	if !s.HasUnit(id) {
		return fmt.Errorf("matrix: unit %s: %w", id, core.ErrNotFound)
	}
	uses, err := use.UnitRefs(ctx, id)
	if err != nil {
		return fmt.Errorf("matrix: count uses of unit %s: %w", id, err)
	}
	for k, n := range uses {
		if n == 0 {
			delete(uses, k)
		}
	}
	for _, u := range s.Units() {
		if u.Parent == id {
			uses["units"]++
		}
	}
	if len(uses) > 0 {
		return &InUseError{Unit: id, Uses: uses}
	}
	if err := s.units.Delete(ctx, a, id, version); err != nil {
		return fmt.Errorf("matrix: delete unit %s: %w", id, err)
	}
	return s.Reload(ctx)
}
