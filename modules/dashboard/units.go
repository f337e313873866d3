package dashboard

import (
	"context"

	"zhaoshang/modules/core"
)

// unitFigures are one unit's counts besides projects and its targets.
type unitFigures struct {
	id, name string
	other    map[string]int
	targets  map[string]float64
}

// unitFigures counts, for every unit in scope, the period's held events,
// deals and brokers — only for the kinds with records in scope
// (scopeOther: the scope's own counts) — and reads its targets. The
// project figures of all units come from one facet (Cockpit).
func (s *Service) unitFigures(ctx context.Context, scope core.Scope, p Period, scopeOther map[string]int) ([]unitFigures, error) {
	var rows []unitFigures
	if s.Units != nil {
		for _, u := range s.Units() {
			if scope.Allows(u[0]) {
				rows = append(rows, unitFigures{id: u[0], name: u[1]})
			}
		}
	}
	var jobs []func() error
	for i := range rows {
		r := &rows[i]
		jobs = append(jobs,
			func() (err error) {
				r.other, err = s.otherCounts(ctx, core.Scope{Units: []string{r.id}}, p, scopeOther)
				return
			},
			func() (err error) { r.targets, err = s.periodTargets(ctx, p, r.id); return })
	}
	return rows, parallel(jobs...)
}
