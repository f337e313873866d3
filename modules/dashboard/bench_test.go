package dashboard_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
)

// benchProjects is 10× the demo scale: 30,000 projects with ten stage
// changes each on average (300,000 history entries).
const benchProjects = 30000

// seedBench writes the synthetic data set in bulk (as an import would):
// projects walking the pipeline with returns, pauses, resumptions and
// drops, spread over 2023–2026 and every unit, plus 5,000 events.
func seedBench(b *testing.B, a *testapp.App) int {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(10, 30000))
	var units []string
	for _, u := range matrix.DefaultUnits() {
		units = append(units, u.ID)
	}
	main := projects.Stages[:6]
	entries := 0
	batch := make([]*projects.Project, 0, 1000)
	flush := func() {
		if _, _, err := a.P.Projects.UpsertMany(ctx, core.System, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range benchProjects {
		at := day(2023, 1, 1).AddDate(0, 0, rng.IntN(1400))
		steps := []step{{"search", at}}
		cur := 0
		for len(steps) < 4+rng.IntN(13) {
			at = at.Add(time.Duration(1+rng.IntN(40*24)) * time.Hour)
			var next string
			switch r := rng.IntN(10); {
			case r < 6 && cur < len(main)-1:
				cur++
				next = main[cur]
			case r < 8 && cur > 0:
				cur--
				next = main[cur]
			case r == 8:
				next = "paused"
			default:
				next = "dropped"
			}
			if prev := steps[len(steps)-1].stage; prev == next || (prev == "paused" || prev == "dropped") && next == "dropped" {
				next = main[cur]
			}
			if steps[len(steps)-1].stage == next {
				continue
			}
			steps = append(steps, step{next, at})
		}
		entries += len(steps)
		p := made(fmt.Sprintf("b-%06d", i), units[rng.IntN(len(units))], projects.Types[rng.IntN(3)], steps...)
		p.Industry = []string{"电子信息", "装备制造", "新能源", "新材料", "新医疗", "新数字"}[rng.IntN(6)]
		p.Officer = fmt.Sprintf("%s_%d", p.Unit, rng.IntN(4))
		if slices.ContainsFunc(steps, func(s step) bool { return s.stage == "process" }) {
			p.Milestones.Signed = core.DateOf(at.AddDate(0, 0, -rng.IntN(60)))
			if rng.IntN(2) == 0 {
				p.Milestones.Funded, p.CapitalArrived = core.DateOf(at), float64(rng.IntN(20000))/4
			}
		}
		batch = append(batch, p)
		if len(batch) == cap(batch) {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	var evs []*events.Event
	for i := range 5000 {
		evs = append(evs, &events.Event{Meta: core.Meta{ID: fmt.Sprintf("bev-%05d", i)}, Title: fmt.Sprintf("压测活动%d", i), Type: "论坛",
			Date: core.NewDate(2023, 1, 1).AddDays(rng.IntN(1400)), Unit: units[rng.IntN(len(units))], Status: events.StatusHeld})
	}
	if _, _, err := a.P.Records.Events.UpsertMany(ctx, core.System, evs); err != nil {
		b.Fatal(err)
	}
	return entries
}

// BenchmarkCockpit prints the p95 of the cockpit API (issue 7: < 300 ms at
// 30,000 projects on the embedded store), and of the funnel and trends
// APIs, with the figures they answer. Run with
// go test -run '^$' -bench Cockpit -benchtime 40x ./modules/dashboard/
//
// ZS_BENCH_DIR=/some/dir keeps the seeded data there and reuses it on the
// next run (seeding takes minutes).
func BenchmarkCockpit(b *testing.B) {
	dir := os.Getenv("ZS_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	marker := filepath.Join(dir, "bench-seeded")
	a := testapp.StartIn(b, dir)
	if _, err := os.Stat(marker); err != nil {
		start := time.Now()
		entries := seedBench(b, a)
		b.Logf("seeded %d projects, %d history entries, 5000 events in %s", benchProjects, entries, time.Since(start).Round(time.Second))
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// Let the start-up catch-up scan and the index's segment merging after
	// the bulk load finish: they are one-off background work, not load.
	if _, err := a.P.Sync.CatchUp(context.Background()); err != nil {
		b.Fatal(err)
	}
	time.Sleep(10 * time.Second)
	admin := a.Admin(b)
	var cp dashboard.Cockpit
	var fr dashboard.FunnelReport
	var tr dashboard.Trends
	for _, c := range []struct {
		name, url string
		v         any
	}{
		{"cockpit", "/api/v1/dashboard?year=2025", &cp},
		{"cockpit-plan", "/api/v1/dashboard?period=plan", &cp},
		{"cockpit-unit", "/api/v1/dashboard?year=2025&unit=kfq", &cp},
		{"funnel", "/api/v1/dashboard/funnel?period=plan", &fr},
		{"funnel-by-unit", "/api/v1/dashboard/funnel?period=plan&by=unit", &fr},
		{"trends-plan", "/api/v1/dashboard/trends?period=plan", &tr},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				get(b, admin, c.url, c.v)
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			p95 := lat[min(len(lat)-1, len(lat)*95/100)]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			b.Logf("%s p95 %s over %d requests (median %s)", c.url, p95.Round(time.Millisecond), len(lat), lat[len(lat)/2].Round(time.Millisecond))
		})
	}
	b.Logf("2023–2025 funnel from 资源搜索: %v", stepCounts(fr.Steps))
	for _, s := range fr.Stages {
		b.Logf("  %s entered %d → next %d (%.1f%%), median %s days over %d", s.Stage, s.Entered, s.Reached, s.Rate, ptr(s.MedianDays), s.Left)
	}
	b.Logf("plan trends total: %+v", tr.Total.Projects)
	for _, k := range cp.KPIs {
		b.Logf("  kpi %s: %d / %.0f (%s)", k.Key, k.Actual, k.Target, k.Status)
	}
}

func stepCounts(steps []dashboard.FunnelStep) []int {
	var out []int
	for _, s := range steps {
		out = append(out, s.Reached)
	}
	return out
}
