package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
)

// TestReplay applies a random sequence of writes — creates, stage moves
// forward and back, pauses and resumes, drops and reopenings, edits,
// deletions, imports (bulk writes with back-dated histories) and their undo
// — and then compares every widget with a full recount from the stored
// records, for several callers, periods, funnel starts and breakdowns.
func TestReplay(t *testing.T) {
	a, admin, officer, manager := officerAndManager(t, "李", "王")
	ctx := context.Background()
	// Stage gates off: the replay moves projects anywhere (the gates have
	// their own tests); the reason gate's note is always given.
	cat, err := a.P.Matrix.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range projects.Gates {
		cat.DisabledGates = append(cat.DisabledGates, g.Key)
	}
	var keys matrix.RuleKeys
	for _, g := range projects.Gates {
		keys.Gates = append(keys.Gates, g.Key)
	}
	if _, err := a.P.Matrix.SaveCatalog(ctx, core.System, cat, keys, nil); err != nil {
		t.Fatal(err)
	}
	knownHistory(t, a)

	rng := rand.New(rand.NewPCG(7, 2025))
	unitsAll := []string{"kfq", "gxq", "zs-zp", "zs-bc"}
	officerUnits := []string{"kfq"}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	randDay := func() time.Time { // 2023-01-01 … 2026-11-01
		return day(2023, 1, 1).AddDate(0, 0, rng.IntN(1400)).Add(time.Duration(rng.IntN(8)) * time.Hour)
	}
	var ids []string
	snapshots := map[string]*projects.Project{} // state before the last import overwrote it
	imported := []string{}
	load := func(id string) *projects.Project {
		p, err := a.P.Projects.Get(ctx, id)
		if err != nil {
			return nil
		}
		return p
	}
	input := func(unit string) map[string]any {
		in := map[string]any{"type": pick(projects.Types), "name": fmt.Sprintf("回放项目%d", rng.IntN(1e6)), "unit": unit,
			"industry": pick([]string{"电子信息", "装备制造", "新能源"}), "credit_code": "91320583MA1MXXXX05", "investment": 1000}
		ms := map[string]any{}
		if rng.IntN(3) == 0 {
			ms["signed"] = randDay().In(cstz).Format("2006-01-02")
		}
		if rng.IntN(3) == 0 {
			ms["funded"] = randDay().In(cstz).Format("2006-01-02")
			in["capital_arrived"] = float64(rng.IntN(900)) + 0.25
		}
		in["milestones"] = ms
		return in
	}
	synthetic := func(id string) *projects.Project {
		at := randDay()
		steps := []step{{pick([]string{"search", "search", "push", "attract"}), at}}
		for range rng.IntN(9) {
			at = at.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
			next := pick(projects.Stages)
			if next == steps[len(steps)-1].stage {
				continue
			}
			steps = append(steps, step{next, at})
		}
		p := made(id, pick(unitsAll), pick(projects.Types), steps...)
		if rng.IntN(2) == 0 {
			p.Milestones.Signed = core.DateOf(randDay())
		}
		if rng.IntN(2) == 0 {
			p.Milestones.Funded, p.CapitalArrived = core.DateOf(randDay()), float64(rng.IntN(5000))/4
		}
		return p
	}
	ops := map[string]int{}
	for range 160 {
		op := rng.IntN(10)
		if len(ids) == 0 {
			op = 0
		}
		switch op {
		case 0, 1: // create (officer: own unit)
			c, unit := admin, pick(unitsAll)
			if rng.IntN(3) == 0 {
				c, unit = officer, pick(officerUnits)
			}
			body := input(unit)
			body["stage"] = pick([]string{"search", "push", "attract"})
			st, out := c.Do("POST", "/api/v1/projects", body, nil)
			if st != 201 {
				t.Fatalf("create: %d %s", st, out)
			}
			var m struct{ ID string }
			_ = json.Unmarshal([]byte(out), &m)
			ids = append(ids, m.ID)
			ops["create"]++
		case 2, 3, 4: // move anywhere: forward, back, pause, resume, drop
			id := pick(ids)
			p := load(id)
			if p == nil {
				continue
			}
			to := pick(projects.Stages)
			if p.Stage == projects.StageDropped && rng.IntN(2) == 0 {
				to = projects.StagePaused // reopen
			}
			st, out := admin.Do("POST", "/api/v1/projects/"+id+"/stage", map[string]any{"to": to, "version": p.Version, "note": "回放测试"}, nil)
			if st != 200 && st != 422 {
				t.Fatalf("move %s→%s: %d %s", p.Stage, to, st, out)
			}
			ops[fmt.Sprint("move ", st)]++
		case 5: // edit: unit, type, milestones, capital
			id := pick(ids)
			p := load(id)
			if p == nil {
				continue
			}
			body := input(pick(unitsAll))
			body["version"] = p.Version
			st, out := admin.Do("PUT", "/api/v1/projects/"+id, body, nil)
			if st != 200 {
				t.Fatalf("update: %d %s", st, out)
			}
			ops["update"]++
		case 6: // delete
			id := pick(ids)
			p := load(id)
			if p == nil {
				continue
			}
			if st, out := admin.Do("DELETE", fmt.Sprintf("/api/v1/projects/%s?version=%d", id, p.Version), nil, nil); st != 200 {
				t.Fatalf("delete: %d %s", st, out)
			}
			ops["delete"]++
		case 7: // import: new back-dated projects, or re-imported existing ones
			var batch []*projects.Project
			for range 1 + rng.IntN(4) {
				id := fmt.Sprintf("imp-%03d", rng.IntN(40))
				if old := load(id); old != nil {
					snapshots[id] = old
				} else {
					imported = append(imported, id)
				}
				batch = append(batch, synthetic(id))
			}
			if _, _, err := a.P.Projects.UpsertMany(ctx, core.System, batch); err != nil {
				t.Fatal(err)
			}
			for _, p := range batch {
				if !slices.Contains(ids, p.ID) {
					ids = append(ids, p.ID)
				}
			}
			ops["import"]++
		case 8: // undo an import: restore the overwritten state or remove what it created
			if len(snapshots) > 0 && rng.IntN(2) == 0 {
				for id, old := range snapshots {
					cur := load(id)
					if cur != nil {
						old.Version = cur.Version
					}
					if _, _, err := a.P.Projects.UpsertMany(ctx, core.System, []*projects.Project{old}); err != nil {
						t.Fatal(err)
					}
					delete(snapshots, id)
					break
				}
			} else if len(imported) > 0 {
				id := imported[len(imported)-1]
				imported = imported[:len(imported)-1]
				if p := load(id); p != nil {
					if err := a.P.Projects.Delete(ctx, core.System, id, p.Version); err != nil {
						t.Fatal(err)
					}
				}
			}
			ops["undo"]++
		case 9: // back-date a history in place (a direct store write)
			id := pick(ids)
			before := load(id)
			if before == nil {
				continue
			}
			p := *before
			p.History = slices.Clone(before.History)
			shift := -time.Duration(rng.IntN(400*24)) * time.Hour
			for i := range p.History {
				p.History[i].At = p.History[i].At.Add(shift + time.Duration(i*rng.IntN(30*24))*time.Hour)
			}
			p.StageSince = p.History[len(p.History)-1].At
			p.CreatedAt = p.History[0].At
			if err := a.P.Projects.Update(ctx, core.System, &p, before); err != nil {
				t.Fatal(err)
			}
			ops["backdate"]++
		}
	}
	t.Logf("operations: %v", ops)

	w := loadWorld(t, a)
	zz := matrixSubtree(a, "zzfd")
	fw := w.funnel(view{}, spanOf("2023-01-01", "2026-12-31"), "search", "")
	t.Logf("%d projects; 2023–2026 funnel from search %v, exits %v, search %+v", len(w.projects), fw.steps, fw.exits, fw.stages["search"])
	callers := []struct {
		name string
		c    *testapp.Client
		v    view
	}{{"admin", admin, view{}}, {"officer", officer, view{[]string{"kfq"}}}, {"manager", manager, view{zz}}}
	periods := []struct{ q, from, to string }{
		{"year=2025", "2025-01-01", "2025-12-31"}, {"year=2026", "2026-01-01", "2026-12-31"},
		{"period=plan", "2023-01-01", "2025-12-31"}, {"from=2024-06-15&to=2026-03-31", "2024-06-15", "2026-03-31"},
	}
	for _, cl := range callers {
		for pi, p := range periods {
			sp := spanOf(p.from, p.to)
			t.Run(cl.name+" "+p.q, func(t *testing.T) {
				for _, fq := range []struct{ start, by string }{{"search", ""}, {"attract", "unit"}, {"push", "type"}, {"search", "officer"}} {
					var fr dashboard.FunnelReport
					get(t, cl.c, "/api/v1/dashboard/funnel?"+p.q+"&stage="+fq.start+"&by="+fq.by, &fr)
					checkFunnel(t, fr, w.funnel(cl.v, sp, fq.start, fq.by))
					if pi == 0 && fq.by != "" {
						checkLinks(t, cl.c, &fr, nil, nil)
					}
				}
				var tr dashboard.Trends
				get(t, cl.c, "/api/v1/dashboard/trends?"+p.q, &tr)
				mw, tot := w.trends(cl.v, sp)
				checkTrends(t, tr, mw, tot)
				var cp dashboard.Cockpit
				get(t, cl.c, "/api/v1/dashboard?"+p.q, &cp)
				want := w.kpis(cl.v, sp, "")
				for _, k := range cp.KPIs {
					if n, ok := want[k.Key]; ok && n != k.Actual {
						t.Errorf("kpi %s = %d, want %d", k.Key, k.Actual, n)
					}
				}
				for _, u := range cp.Units {
					want := w.kpis(cl.v, sp, u.Unit)
					for _, k := range u.KPIs {
						if n, ok := want[k.Key]; ok && n != k.Actual {
							t.Errorf("unit %s kpi %s = %d, want %d", u.Unit, k.Key, k.Actual, n)
						}
					}
				}
				now := map[string]int{}
				for _, pr := range w.projects {
					if cl.v.sees(pr.Unit) {
						now[pr.Stage]++
					}
				}
				for _, s := range cp.Stages {
					if s.Count != now[s.Stage] {
						t.Errorf("stage %s now %d, want %d", s.Stage, s.Count, now[s.Stage])
					}
				}
				fw := w.funnel(cl.v, sp, "search", "")
				for i, s := range cp.Funnel {
					if s.Reached != fw.steps[i] {
						t.Errorf("cockpit funnel %s = %d, want %d", s.Stage, s.Reached, fw.steps[i])
					}
				}
				if pi == 2 {
					checkLinks(t, cl.c, nil, &tr, &cp)
				}
			})
		}
	}
}
