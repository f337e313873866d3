package dashboard

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"strings"
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
	// Held events, transfer deals and brokers in scope: the KPIs' figures,
	// and the per-unit table skips the kinds with none.
	other, err := s.otherCounts(ctx, scope, p, nil)
	if err != nil {
		return nil, err
	}
	var (
		counts  map[string]int
		created search.Result
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
				Filters: []search.Filter{{Field: "created", From: from, To: to}}, Facets: []string{"unit_type"}, Limit: 1})
			if err != nil {
				return fmt.Errorf("dashboard: projects of %s: %w", p.Label, err)
			}
			return nil
		},
		func() (err error) { targets, err = s.periodTargets(ctx, p, unit); return },
		func() (err error) { units, err = s.unitFigures(ctx, scope, p, other); return },
		func() (err error) { out.Funnel, err = s.cohort(ctx, scope, p, unit); return },
	}
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
	byUnitType := created.Facets["unit_type"]
	actual := maps.Clone(other)
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
		actual := u.other
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
		return search.Filter{Field: "year", Values: ys}
	}
	from, to := p.Range()
	return search.Filter{Field: "date", From: from, To: to}
}

// otherCounts counts the period's held events, transfer deals and brokers
// in scope. A kind whose count in only is 0 is not asked again (only nil:
// every kind is counted).
func (s *Service) otherCounts(ctx context.Context, scope core.Scope, p Period, only map[string]int) (map[string]int, error) {
	from, to := p.Range()
	kinds := []struct {
		key, kind string
		filters   []search.Filter
	}{
		{"events", events.Kind, []search.Filter{{Field: "status", Values: []string{events.StatusHeld}}, {Field: "date", From: from, To: to}}},
		{"transfers", transfers.KindDeals, []search.Filter{dealsFilter(p)}},
		{"brokers", transfers.KindBrokers, nil},
	}
	out := map[string]int{}
	for _, k := range kinds {
		if only != nil && only[k.key] == 0 {
			out[k.key] = 0
			continue
		}
		r, err := s.Engine.Search(ctx, search.Query{Kinds: []string{k.kind}, Scope: scope.Search(), Filters: k.filters, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("dashboard: count %s: %w", k.kind, err)
		}
		out[k.key] = r.Total
	}
	return out, nil
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
