package dashboard

import (
	"context"

	"zhaoshang/modules/core"
)

// unitFigures is one unit in scope and its targets for the period; its
// counts come from the scope's facets (Cockpit).
type unitFigures struct {
	id, name string
	targets  map[string]float64
}

// unitFigures lists every unit in scope with its period targets (read by
// _id through the matrix's cache).
func (s *Service) unitFigures(ctx context.Context, scope core.Scope, p Period) ([]unitFigures, error) {
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
		jobs = append(jobs, func() (err error) { r.targets, err = s.periodTargets(ctx, p, r.id); return })
	}
	return rows, parallel(jobs...)
}
