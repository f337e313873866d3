package platform

import (
	"context"

	"zhaoshang/modules/demo"
)

// SeedDemo loads the deterministic demo data set (idempotent).
func (p *Platform) SeedDemo(ctx context.Context, scale int, progress func(string)) (demo.Report, error) {
	r := p.Records
	rep, err := demo.Seed(ctx, demo.Deps{Matrix: p.Matrix, Projects: p.Projects, Events: r.Events, Talents: r.Talents,
		Enterprises: r.Enterprises, Institutes: r.Institutes, Results: r.Results, Policies: r.Policies, Users: p.Users,
		Aftercare: r.Aftercare, Deals: r.Deals, Brokers: r.Brokers},
		scale, progress)
	if err != nil {
		return rep, err
	}
	return rep, p.Matrix.Reload(ctx)
}
