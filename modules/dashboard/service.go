package dashboard

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"strings"
	"sync"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/transfers"
	"zhaoshang/search"
)

// Service computes the cockpit from the search engine's filtered counts and
// facets: a handful of engine queries per request, never a load of every
// record into Go.
type Service struct {
	Projects *projects.Service
	Engine   search.Engine
	// Targets returns the year's targets of a unit ("" = city).
	Targets func(ctx context.Context, year int, unit string) (*matrix.Target, error)
	HasUnit func(id string) bool
	// StaleDays is the configured staleness threshold (0 = the list's default).
	StaleDays func(ctx context.Context) int
	// Units lists every unit as {id, name} in display order (per-unit table).
	Units func() [][2]string
	// Now is the clock of time-elapsed progress (nil: time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// pipeline is the funnel's stage order (paused and dropped are side exits).
var pipeline = []string{projects.StageSearch, projects.StagePush, projects.StageAttract, projects.StageDecision,
	projects.StageProcess, projects.StageAftercare}

// link builds a list URL; empty values are left out, unit last.
func link(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// Cockpit computes the figures of period p for scope, narrowed to unit
// when set. A unit outside the caller's scope is core.ErrForbidden (403): a
// manager asking for another district gets an explicit refusal, not zeros
// that look like real figures. An unknown unit is a field error on "unit".
func (s *Service) Cockpit(ctx context.Context, scope core.Scope, p Period, unit string) (*Cockpit, error) {
	scope, err := s.scoped(scope, unit)
	if err != nil {
		return nil, err
	}
	out := &Cockpit{Year: p.Year, Unit: unit, Period: p}
	var (
		counts  map[string]int
		created search.Result
		other   otherCounts
		targets map[string]float64
		units   []unitFigures
	)
	from, to := p.Range()
	jobs := []func() error{
		func() error {
			// Projects now in each stage: one facet query (the same one the
			// project list's stage filter answers, so each count equals that
			// list's total).
			var err error
			counts, _, err = s.Projects.StageCounts(ctx, scope)
			return err
		},
		func() error {
			// Projects created in the period, per unit and type: the project
			// KPIs of the scope and of every unit in one facet.
			var err error
			created, err = s.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: scope.Search(),
				Filters: []search.Filter{{Field: projects.FieldCreated, From: from, To: to}}, Facets: []string{projects.FieldUnitType}, Limit: 1})
			if err != nil {
				return fmt.Errorf("dashboard: projects of %s: %w", p.Label, err)
			}
			return nil
		},
		func() (err error) { targets, err = s.periodTargets(ctx, p, unit); return },
		func() (err error) { units, err = s.unitFigures(ctx, scope, p); return },
		func() (err error) { out.Funnel, err = s.cohort(ctx, scope, p, unit); return },
	}
	// Held events, transfer deals and brokers in scope and per unit: one
	// query per kind with a facet on the units field.
	jobs = append(jobs, s.otherCountJobs(ctx, scope, p, &other)...)
	// Stuck work: the same list queries the stuck lists and their links answer.
	for _, kind := range StuckKinds {
		jobs = append(jobs, func() error {
			n, l, err := s.StuckCount(ctx, scope, kind, unit)
			switch kind {
			case StuckStale:
				out.Stale, out.StaleLink = n, l
			case StuckOverdue:
				out.Overdue, out.OverdueLink = n, l
			case StuckApproval:
				out.Approval, out.ApprovalLink = n, l
			}
			return err
		})
	}
	if err := parallel(jobs...); err != nil {
		return nil, err
	}
	for _, st := range projects.Stages {
		out.Stages = append(out.Stages, StageCount{Stage: st, Count: counts[st], Link: link("/projects", "stage", st, "unit", unit)})
	}
	byUnitType := created.Facets[projects.FieldUnitType]
	actual := maps.Clone(other.total)
	actual["projects"], actual["talents"], actual["institutes"] = created.Total, 0, 0
	for ut, n := range byUnitType {
		switch {
		case strings.HasSuffix(ut, "|"+projects.TypeTalent):
			actual["talents"] += n
		case strings.HasSuffix(ut, "|"+projects.TypePlatform):
			actual["institutes"] += n
		}
	}
	out.KPIs = s.kpiList(p, actual, targets, kpiLinks(p, unit))
	out.Units = []UnitRow{}
	for _, u := range units {
		actual := other.unit(u.id)
		for _, t := range projects.Types {
			actual["projects"] += byUnitType[projects.UnitType(u.id, t)]
		}
		actual["talents"] = byUnitType[projects.UnitType(u.id, projects.TypeTalent)]
		actual["institutes"] = byUnitType[projects.UnitType(u.id, projects.TypePlatform)]
		out.Units = append(out.Units, UnitRow{Unit: u.id, Name: u.name, KPIs: s.kpiList(p, actual, u.targets, kpiLinks(p, u.id))})
	}
	return out, nil
}

// kpiKeys are the indicators counted (the contract amount is not yet).
var kpiKeys = []string{"events", "projects", "talents", "institutes", "transfers", "brokers"}

// kpiLinks are the lists behind each indicator for period p and unit.
func kpiLinks(p Period, unit string) map[string]string {
	links := map[string]string{
		"events":     link("/events", "status", events.StatusHeld, "from", p.From, "to", p.To, "unit", unit),
		"projects":   link("/projects", "from", p.From, "to", p.To, "unit", unit),
		"talents":    link("/projects", "type", projects.TypeTalent, "from", p.From, "to", p.To, "unit", unit),
		"institutes": link("/projects", "type", projects.TypePlatform, "from", p.From, "to", p.To, "unit", unit),
		"brokers":    link("/brokers", "unit", unit),
	}
	if ys := p.wholeYears(); len(ys) == 1 {
		links["transfers"] = link("/transfers", "year", ys[0], "unit", unit)
	}
	return links
}

// dealsFilter selects the period's transfer deals: by year for whole
// years (as the deal list does), by date otherwise.
func dealsFilter(p Period) search.Filter {
	if ys := p.wholeYears(); ys != nil {
		return transfers.DealsOfYears(ys...)
	}
	return transfers.DealsBetween(p.Range())
}

// otherKinds are the KPIs counted from other kinds' records: held events,
// transfer deals and brokers.
func otherKinds(p Period) []struct {
	key, kind string
	filters   []search.Filter
} {
	from, to := p.Range()
	return []struct {
		key, kind string
		filters   []search.Filter
	}{
		{"events", events.Kind, events.HeldBetween(from, to)},
		{"transfers", transfers.KindDeals, []search.Filter{dealsFilter(p)}},
		{"brokers", transfers.KindBrokers, nil},
	}
}

// otherCounts are the period's held events, deals and brokers in scope
// (total, by KPI key) and per unit (byUnit[key][unit]).
type otherCounts struct {
	mu     sync.Mutex
	total  map[string]int
	byUnit map[string]map[string]int
}

// unit is one unit's counts of every other kind (0 when it has none).
func (o *otherCounts) unit(id string) map[string]int {
	out := map[string]int{}
	for key, units := range o.byUnit {
		out[key] = units[id]
	}
	return out
}

// otherCountJobs count each other kind in scope with one query whose facet
// on the units field gives every unit's count: a record counts for a unit
// when its units hold it, exactly as a query scoped to that unit matches
// it, and a unit in scope sees all of its records.
func (s *Service) otherCountJobs(ctx context.Context, scope core.Scope, p Period, out *otherCounts) []func() error {
	out.total, out.byUnit = map[string]int{}, map[string]map[string]int{}
	var jobs []func() error
	for _, k := range otherKinds(p) {
		jobs = append(jobs, func() error {
			r, err := s.Engine.Search(ctx, search.Query{Kinds: []string{k.kind}, Scope: scope.Search(), Filters: k.filters,
				Facets: []string{search.UnitsField}, Limit: 1})
			if err != nil {
				return fmt.Errorf("dashboard: count %s: %w", k.kind, err)
			}
			out.mu.Lock()
			defer out.mu.Unlock()
			out.total[k.key], out.byUnit[k.key] = r.Total, r.Facets[search.UnitsField]
			return nil
		})
	}
	return jobs
}

func (s *Service) kpiList(p Period, actual map[string]int, targets map[string]float64, links map[string]string) []KPI {
	elapsed := p.elapsed(s.now())
	var out []KPI
	for _, k := range matrix.KPIs {
		a, ok := actual[k.Key]
		if !ok {
			continue
		}
		kpi := KPI{Key: k.Key, Label: k.Label, Unit: k.Unit, Target: targets[k.Key], Actual: a, Link: links[k.Key]}
		kpi.judge(elapsed)
		out = append(out, kpi)
	}
	return out
}

// periodTargets are unit's ("" = city) targets for p: the yearly targets
// of the years it touches, each by the share of the year inside p. The
// plan period of a city without any saved yearly target is the plan's own
// numbers (matrix.PlanTargets are 2023–2025 totals).
func (s *Service) periodTargets(ctx context.Context, p Period, unit string) (map[string]float64, error) {
	out := map[string]float64{}
	saved := false
	for _, ys := range p.yearShares() {
		t, err := s.Targets(ctx, ys.Year, unit)
		if err != nil {
			return nil, fmt.Errorf("dashboard: targets: %w", err)
		}
		saved = saved || t.Version > 0
		for k, v := range t.Values {
			out[k] += v * ys.Share
		}
	}
	if p.Kind == PeriodPlan && unit == "" && !saved {
		out = map[string]float64{}
		for k, v := range matrix.PlanTargets {
			out[k] = v
		}
	}
	for k, v := range out {
		out[k] = math.Round(v*100) / 100
	}
	return out, nil
}
