package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

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

// Cockpit computes the figures of year for scope, narrowed to unit when set.
// A unit outside the caller's scope is core.ErrForbidden (403): a manager
// asking for another district gets an explicit refusal, not zeros that look
// like real figures. An unknown unit is a field error on "unit".
func (s *Service) Cockpit(ctx context.Context, scope core.Scope, year int, unit string) (*Cockpit, error) {
	scope, err := s.scoped(scope, unit)
	if err != nil {
		return nil, err
	}
	ys := strconv.Itoa(year)
	from, to := yearRange(year)
	dayFrom, dayTo := ys+"-01-01", ys+"-12-31"
	out := &Cockpit{Year: year, Unit: unit}

	// Projects now in each stage: one facet query (the same one the project
	// list's stage filter answers, so each count equals that list's total).
	counts, _, err := s.Projects.StageCounts(ctx, scope)
	if err != nil {
		return nil, err
	}
	for _, st := range projects.Stages {
		out.Stages = append(out.Stages, StageCount{Stage: st, Count: counts[st], Link: link("/projects", "stage", st, "unit", unit)})
	}

	// Projects created in the year: total, per type and per current stage.
	created, err := s.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: scope.Search(),
		Filters: []search.Filter{{Field: "created", From: from, To: to}}, Facets: []string{"stage", "type"}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("dashboard: projects of %d: %w", year, err)
	}
	// Funnel, first slice: a project counts as having reached a pipeline
	// stage when it is now in that stage or a later one. Paused and dropped
	// projects are left out because their furthest stage is only known from
	// the stage history. NEXT STEP (issue 7): the history-based funnel —
	// projects that entered stage X in the period and then reached Y, with
	// conversion rates and time in stage — from counters kept per stage.
	reached := 0
	out.Funnel = make([]FunnelStep, len(pipeline))
	for i := len(pipeline) - 1; i >= 0; i-- {
		st := pipeline[i]
		n := created.Facets["stage"][st]
		reached += n
		out.Funnel[i] = FunnelStep{Stage: st, Reached: reached, Now: n,
			Link: link("/projects", "stage", st, "from", dayFrom, "to", dayTo, "unit", unit)}
	}

	count := func(kind string, filters ...search.Filter) (int, error) {
		r, err := s.Engine.Search(ctx, search.Query{Kinds: []string{kind}, Scope: scope.Search(), Filters: filters, Limit: 1})
		if err != nil {
			return 0, fmt.Errorf("dashboard: count %s: %w", kind, err)
		}
		return r.Total, nil
	}
	held, err := count(events.Kind, search.Filter{Field: "status", Values: []string{events.StatusHeld}},
		search.Filter{Field: "year", Values: []string{ys}})
	if err != nil {
		return nil, err
	}
	deals, err := count(transfers.KindDeals, search.Filter{Field: "year", Values: []string{ys}})
	if err != nil {
		return nil, err
	}
	brokers, err := count(transfers.KindBrokers)
	if err != nil {
		return nil, err
	}
	actual := map[string]int{
		"events": held, "projects": created.Total,
		"talents": created.Facets["type"][projects.TypeTalent], "institutes": created.Facets["type"][projects.TypePlatform],
		"transfers": deals, "brokers": brokers,
	}
	links := map[string]string{
		"events":     link("/events", "year", ys, "status", events.StatusHeld, "unit", unit),
		"projects":   link("/projects", "from", dayFrom, "to", dayTo, "unit", unit),
		"talents":    link("/projects", "type", projects.TypeTalent, "from", dayFrom, "to", dayTo, "unit", unit),
		"institutes": link("/projects", "type", projects.TypePlatform, "from", dayFrom, "to", dayTo, "unit", unit),
		"transfers":  link("/transfers", "year", ys, "unit", unit),
		"brokers":    link("/brokers", "unit", unit),
	}
	t, err := s.Targets(ctx, year, unit)
	if err != nil {
		return nil, fmt.Errorf("dashboard: targets: %w", err)
	}
	for _, k := range matrix.KPIs {
		a, ok := actual[k.Key]
		if !ok {
			continue // contract amount etc.: later slices
		}
		kpi := KPI{Key: k.Key, Label: k.Label, Unit: k.Unit, Target: t.Values[k.Key], Actual: a, Link: links[k.Key]}
		kpi.Progress = kpi.Percent()
		out.KPIs = append(out.KPIs, kpi)
	}

	// Stuck work: the same list queries the stuck lists and their links answer.
	for _, kind := range StuckKinds {
		p, err := s.Stuck(ctx, scope, StuckQuery{Kind: kind, Unit: unit, PerPage: 1})
		if err != nil {
			return nil, err
		}
		switch kind {
		case StuckStale:
			out.Stale, out.StaleLink = p.Total, p.Link
		case StuckOverdue:
			out.Overdue, out.OverdueLink = p.Total, p.Link
		case StuckApproval:
			out.Approval, out.ApprovalLink = p.Total, p.Link
		}
	}
	return out, nil
}
