package matrix

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"zhaoshang/modules/core"
)

// Target years accepted.
const (
	MinYear = 2000
	MaxYear = 2100
)

// maxTarget bounds one KPI value (亿元 or counts).
const maxTarget = 1e9

// KPIKeys are the KPI keys in display order.
func KPIKeys() []string {
	out := make([]string, len(KPIs))
	for i, k := range KPIs {
		out[i] = k.Key
	}
	return out
}

// ValidateTargetValues checks KPI keys and values (finite, 0 ≤ v ≤ 1e9).
func ValidateTargetValues(vals map[string]float64) error {
	keys := KPIKeys()
	for k, v := range vals {
		if !slices.Contains(keys, k) {
			return core.Invalid("values", "未知的指标 %q", k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxTarget {
			return core.Invalid("values."+k, "指标 %s 的目标须为 0 到 10 亿之间的数", k)
		}
	}
	return nil
}

// SetTargets stores one unit's (unit "" = city) targets for a year,
// replacing its values. version is what the editor read: 0 when none was
// saved yet. The scope must allow the unit; the city needs the full scope.
func (s *Service) SetTargets(ctx context.Context, a core.Actor, scope core.Scope, year int, unit string, vals map[string]float64, version int64) (*Target, error) {
	if year < MinYear || year > MaxYear {
		return nil, core.Invalid("year", "年份须在 %d–%d 之间", MinYear, MaxYear)
	}
	if unit != "" && !s.HasUnit(unit) {
		return nil, fmt.Errorf("matrix: targets of unit %s: %w", unit, core.ErrNotFound)
	}
	if (unit == "" && !scope.All) || (unit != "" && !scope.Allows(unit)) {
		return nil, fmt.Errorf("matrix: targets of %s: %w", TargetID(year, unit), core.ErrForbidden)
	}
	if err := ValidateTargetValues(vals); err != nil {
		return nil, err
	}
	if vals == nil {
		vals = map[string]float64{}
	}
	defer s.targetCache.clear()
	id := TargetID(year, unit)
	stored, err := s.targets.Get(ctx, id)
	switch {
	case errors.Is(err, core.ErrNotFound):
		if version != 0 {
			return nil, fmt.Errorf("matrix: targets %s were removed: %w", id, core.ErrConflict)
		}
		t := &Target{Meta: core.Meta{ID: id}, Year: year, Unit: unit, Values: vals}
		if err := s.targets.Create(ctx, a, t); err != nil {
			if errors.Is(err, core.ErrDuplicate) {
				return nil, fmt.Errorf("matrix: targets %s: %w", id, core.ErrConflict)
			}
			return nil, fmt.Errorf("matrix: targets %s: %w", id, err)
		}
		return t, nil
	case err != nil:
		return nil, err
	}
	if version != stored.Version {
		return nil, fmt.Errorf("matrix: targets %s: %w", id, core.ErrConflict)
	}
	next := *stored
	next.Values = vals
	if err := s.targets.Update(ctx, a, &next, stored); err != nil {
		return nil, fmt.Errorf("matrix: targets %s: %w", id, err)
	}
	return &next, nil
}

// YearPlan is a year's targets: the city's, every unit's, and per KPI the
// sum over units compared with the city target.
type YearPlan struct {
	Year  int
	City  *Target
	Units []*Target // in unit display order; unsaved units have Version 0 and no values
	Sums  map[string]float64
}

// Balanced reports whether the units' targets add up to the city's for kpi.
func (p *YearPlan) Balanced(kpi string) bool {
	return math.Abs(p.Sums[kpi]-p.City.Values[kpi]) < 1e-6
}

// Gap is the units' sum minus the city target for kpi.
func (p *YearPlan) Gap(kpi string) float64 {
	return math.Round((p.Sums[kpi]-p.City.Values[kpi])*1e6) / 1e6
}

// YearTargets loads a year's targets by _id (one read per unit).
func (s *Service) YearTargets(ctx context.Context, year int) (*YearPlan, error) {
	if year < MinYear || year > MaxYear {
		return nil, core.Invalid("year", "年份须在 %d–%d 之间", MinYear, MaxYear)
	}
	city, err := s.Targets(ctx, year, "")
	if err != nil {
		return nil, err
	}
	p := &YearPlan{Year: year, City: city, Sums: map[string]float64{}}
	for _, u := range s.Units() {
		t, err := s.Targets(ctx, year, u.ID)
		if err != nil {
			return nil, err
		}
		p.Units = append(p.Units, t)
		for k, v := range t.Values {
			p.Sums[k] += v
		}
	}
	for k, v := range p.Sums {
		p.Sums[k] = math.Round(v*1e6) / 1e6
	}
	return p, nil
}
