package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// The module's collections.
const (
	unitsColl   = "units"
	catalogColl = "settings"
	targetsColl = "targets"
)

// Stored declares the module's collections to the platform.
var Stored = core.Stored{Collections: []string{unitsColl, catalogColl, targetsColl}}

// Service owns the units, catalog and targets collections. Units are few
// (tens), so they are read whole and cached; every change reloads the cache.
type Service struct {
	units   *core.Repo[Unit, *Unit]
	catalog *core.Repo[Catalog, *Catalog]
	targets *core.Repo[Target, *Target]

	mu    sync.RWMutex
	cache []*Unit
	byID  map[string]*Unit

	targetCache targetCache
}

// New wires the service.
func New(db *mongo.Database, audit core.Auditor) *Service {
	return &Service{
		units:   core.NewRepo[Unit](db, unitsColl, nil, audit, nil),
		catalog: core.NewRepo[Catalog](db, catalogColl, nil, audit, nil),
		targets: core.NewRepo[Target](db, targetsColl, nil, audit, nil),
	}
}

// EnsureDefaults inserts the default units and catalog when missing, so a
// fresh data dir starts usable; existing (edited) records are kept.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	if _, err := s.catalog.Get(ctx, CatalogID); errors.Is(err, core.ErrNotFound) {
		if err := s.catalog.Create(ctx, core.System, DefaultCatalog()); err != nil && !errors.Is(err, core.ErrDuplicate) {
			return err
		}
	} else if err != nil {
		return err
	}
	if err := s.Reload(ctx); err != nil {
		return err
	}
	if len(s.Units()) == 0 {
		for _, u := range DefaultUnits() {
			if err := s.units.Create(ctx, core.System, u); err != nil && !errors.Is(err, core.ErrDuplicate) {
				return err
			}
		}
		return s.Reload(ctx)
	}
	return nil
}

// Reload refreshes the unit cache from the store.
func (s *Service) Reload(ctx context.Context) error {
	var all []*Unit
	if err := s.units.Each(ctx, func(u *Unit) error { all = append(all, u); return nil }); err != nil {
		return fmt.Errorf("matrix: load units: %w", err)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Order != all[j].Order {
			return all[i].Order < all[j].Order
		}
		return all[i].ID < all[j].ID
	})
	by := make(map[string]*Unit, len(all))
	for _, u := range all {
		by[u.ID] = u
	}
	s.mu.Lock()
	s.cache, s.byID = all, by
	s.mu.Unlock()
	return nil
}

// Units returns every unit in display order.
func (s *Service) Units() []*Unit {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.cache)
}

// Unit returns one unit or nil.
func (s *Service) Unit(id string) *Unit {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byID[id]
}

// HasUnit reports whether id is a known unit.
func (s *Service) HasUnit(id string) bool { return s.Unit(id) != nil }

// Name returns a unit's display name, or the id when unknown.
func (s *Service) Name(id string) string {
	if u := s.Unit(id); u != nil {
		return u.Name
	}
	return id
}

// UnitID returns the id of the unit name names (core.UnitLookup), "" when
// none matches.
func (s *Service) UnitID(name string) string { return UnitIDIn(s.Units(), name) }

// UnitIDIn returns the id of the unit among units that name names: its
// id, full name or short name, compared folded (cells.Norm); "" when none
// matches.
func UnitIDIn(units []*Unit, name string) string {
	v := cells.Norm(name)
	if v == "" {
		return ""
	}
	for _, u := range units {
		if cells.Norm(u.ID) == v || cells.Norm(u.Name) == v || (u.Short != "" && cells.Norm(u.Short) == v) {
			return u.ID
		}
	}
	return ""
}

// Subtree returns ids plus every unit below them.
func (s *Service) Subtree(ids []string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
		for _, u := range s.cache {
			if u.Parent == id {
				walk(u.ID)
			}
		}
	}
	for _, id := range ids {
		if _, ok := s.byID[id]; ok {
			walk(id)
		}
	}
	return out
}

// Catalog returns the vocabulary (defaults if never saved).
func (s *Service) Catalog(ctx context.Context) (*Catalog, error) {
	c, err := s.catalog.Get(ctx, CatalogID)
	if errors.Is(err, core.ErrNotFound) {
		return DefaultCatalog(), nil
	}
	if err == nil && c.StageWords == nil {
		// Stored before the 阶段 table existed.
		c.StageWords = DefaultStageWords()
	}
	return c, err
}

// SaveUnits upserts units in bulk (seed) and reloads the cache.
func (s *Service) SaveUnits(ctx context.Context, a core.Actor, units []*Unit) error {
	if _, _, err := s.units.UpsertMany(ctx, a, units); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// TargetID is the _id of a unit's (or the city's, unit "") targets for a year.
func TargetID(year int, unit string) string {
	if unit == "" {
		unit = CityUnit
	}
	return fmt.Sprintf("%d-%s", year, unit)
}

// Targets returns the targets for a year and unit, falling back to the plan's
// numbers for the city. Reads are cached (see TargetTTL); the caller gets
// its own copy.
func (s *Service) Targets(ctx context.Context, year int, unit string) (*Target, error) {
	id := TargetID(year, unit)
	t, gen, ok := s.targetCache.get(id, time.Now())
	if ok {
		return t, nil
	}
	t, err := s.targets.Get(ctx, id)
	if errors.Is(err, core.ErrNotFound) {
		vals := map[string]float64{}
		if unit == "" {
			for k, v := range PlanTargets {
				vals[k] = v
			}
		}
		t, err = &Target{Meta: core.Meta{ID: id}, Year: year, Unit: unit, Values: vals}, nil
	}
	if err != nil {
		return nil, err
	}
	s.targetCache.put(id, t, gen, time.Now())
	return t, nil
}

// SaveTargets upserts targets in bulk (seed).
func (s *Service) SaveTargets(ctx context.Context, a core.Actor, ts []*Target) error {
	defer s.targetCache.clear()
	_, _, err := s.targets.UpsertMany(ctx, a, ts)
	return err
}
