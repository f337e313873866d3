package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/templates"
)

// day is 10:00 China time on a day.
func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 10, 0, 0, 0, cstz).UTC() }

type step struct {
	stage string
	at    time.Time
}

// made is a project with a stage history written as an import would (the
// stored record is the only input the figures are derived from).
func made(id, unit, typ string, steps ...step) *projects.Project {
	p := &projects.Project{Meta: core.Meta{ID: id, CreatedAt: steps[0].at}, Type: typ, Name: "历史测试项目" + id,
		Unit: unit, Officer: unit + "_li", Industry: "电子信息", Zone: "昆山开发区"}
	from := ""
	for _, s := range steps {
		p.History = append(p.History, projects.StageChange{From: from, To: s.stage, By: p.Officer, At: s.at, Note: "测试"})
		from = s.stage
	}
	last := steps[len(steps)-1]
	p.Stage, p.StageSince = last.stage, last.at
	return p
}

// knownHistory writes eight projects whose every figure is worked out by
// hand below: forward, backward, paused and resumed, dropped and reopened.
func knownHistory(t *testing.T, a *testapp.App) {
	t.Helper()
	p1 := made("h1", "kfq", "industry", step{"search", day(2025, 1, 10)}, step{"push", day(2025, 1, 20)}, step{"attract", day(2025, 2, 1)},
		step{"decision", day(2025, 3, 1)}, step{"process", day(2025, 4, 1)}, step{"aftercare", day(2025, 6, 1)})
	p1.Milestones.Signed, p1.Milestones.Funded, p1.CapitalArrived, p1.Investment = core.NewDate(2025, 3, 20), core.NewDate(2025, 5, 10), 500, 800
	p2 := made("h2", "kfq", "talent", step{"search", day(2025, 2, 5)}, step{"push", day(2025, 2, 10)}, step{"attract", day(2025, 2, 20)},
		step{"push", day(2025, 3, 1)}, step{"attract", day(2025, 3, 11)}, step{"paused", day(2025, 4, 1)}, step{"attract", day(2025, 5, 1)},
		step{"decision", day(2025, 6, 1)})
	p3 := made("h3", "gxq", "industry", step{"search", day(2025, 3, 1)}, step{"push", day(2025, 3, 15)}, step{"dropped", day(2025, 4, 10)})
	p4 := made("h4", "gxq", "platform", step{"search", day(2024, 12, 20)}, step{"push", day(2025, 1, 5)}, step{"attract", day(2025, 2, 1)})
	p5 := made("h5", "zs-zp", "industry", step{"attract", day(2025, 7, 1)}, step{"decision", day(2025, 7, 21)}, step{"dropped", day(2025, 8, 1)},
		step{"paused", day(2025, 8, 15)}, step{"attract", day(2025, 9, 1)})
	p6 := made("h6", "zs-zp", "talent", step{"search", day(2025, 11, 1)}, step{"push", day(2026, 1, 10)})
	p7 := made("h7", "kfq", "industry", step{"search", day(2025, 5, 1)})
	p8 := made("h8", "kfq", "platform", step{"search", day(2023, 3, 1)}, step{"push", day(2023, 4, 1)}, step{"attract", day(2023, 5, 1)},
		step{"decision", day(2023, 7, 1)}, step{"process", day(2023, 8, 1)}, step{"aftercare", day(2024, 3, 1)})
	p8.Milestones.Signed, p8.Milestones.Funded, p8.CapitalArrived = core.NewDate(2023, 7, 20), core.NewDate(2024, 2, 10), 1200.5
	if _, _, err := a.P.Projects.UpsertMany(context.Background(), core.System, []*projects.Project{p1, p2, p3, p4, p5, p6, p7, p8}); err != nil {
		t.Fatal(err)
	}
}

func f(v float64) *float64 { return &v }

func TestHistoryFigures(t *testing.T) {
	a, admin, officer, manager := officerAndManager(t, "kfq_li", "zzfd_wang")
	ctx := context.Background()
	knownHistory(t, a)
	// Two events held in 2025 (kfq March, zs-zp November) and one planned.
	for _, e := range []map[string]any{
		{"title": "驾驶舱测试论坛", "type": "论坛", "date": "2025-03-05", "unit": "kfq", "status": "held"},
		{"title": "驾驶舱测试路演", "type": "路演", "date": "2025-11-20", "unit": "zs-zp", "status": "held"},
		{"title": "驾驶舱测试沙龙", "type": "沙龙", "date": "2025-12-01", "unit": "kfq", "status": "cancelled"},
	} {
		if st, out := admin.Do("POST", "/api/v1/events", e, nil); st != 201 {
			t.Fatalf("event: %d %s", st, out)
		}
	}
	if _, err := a.P.Matrix.SetTargets(ctx, core.System, core.Scope{All: true}, 2025, "", map[string]float64{"projects": 5, "talents": 4, "events": 2}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.P.Matrix.SetTargets(ctx, core.System, core.Scope{All: true}, 2025, "kfq", map[string]float64{"projects": 4, "talents": 1}, 0); err != nil {
		t.Fatal(err)
	}

	// The 2025 funnel from 资源搜索, worked out by hand: h1, h2, h3, h6, h7
	// entered search in 2025 (h4 in 2024, h5 never).
	var fr dashboard.FunnelReport
	get(t, admin, "/api/v1/dashboard/funnel?year=2025", &fr)
	want := funnelWant{
		steps: []int{5, 4, 2, 2, 1, 1}, exits: []int{1, 1},
		stages: map[string]flowWant{
			"search":    {Entered: 5, Reached: 4, Paused: 1, Dropped: 1, Left: 4, Median: f(12)},   // days 5 10 14 70
			"push":      {Entered: 4, Reached: 3, Paused: 1, Dropped: 1, Left: 4, Median: f(23)},   // 12 20(10+10) 26 27
			"attract":   {Entered: 4, Reached: 3, Paused: 2, Dropped: 1, Left: 2, Median: f(44.5)}, // 28 61(9+21+31)
			"decision":  {Entered: 3, Reached: 1, Paused: 1, Dropped: 1, Left: 2, Median: f(21)},   // 31 11
			"process":   {Entered: 1, Reached: 1, Left: 1, Median: f(61)},
			"aftercare": {Entered: 1},
			"paused":    {Entered: 2, Left: 2, Median: f(23.5)}, // 30 17
			"dropped":   {Entered: 2, Paused: 1, Left: 1, Median: f(14)},
		},
	}
	checkFunnel(t, fr, want)
	if fr.Steps[1].Rate != 80 || fr.Stages[3].Rate != 33.3 {
		t.Errorf("rates: %v %v", fr.Steps[1].Rate, fr.Stages[3].Rate)
	}
	w := loadWorld(t, a)
	y2025, plan := spanOf("2025-01-01", "2025-12-31"), spanOf("2023-01-01", "2025-12-31")
	checkFunnel(t, fr, w.funnel(view{}, y2025, "search", "")) // the recount agrees with the hand count

	// Breakdowns.
	get(t, admin, "/api/v1/dashboard/funnel?year=2025&by=unit", &fr)
	checkFunnel(t, fr, funnelWant{steps: want.steps, exits: want.exits, stages: want.stages, groups: map[string][]int{
		"kfq": {3, 2, 2, 2, 1, 1, 1, 0}, "gxq": {1, 1, 0, 0, 0, 0, 0, 1}, "zs-zp": {1, 1, 0, 0, 0, 0, 0, 0}}})
	if fr.Groups[0].Key != "kfq" || fr.Groups[0].Label != "昆山开发区科技招商分队" {
		t.Errorf("groups: %+v", fr.Groups[0])
	}
	checkLinks(t, admin, &fr, nil, nil)
	get(t, admin, "/api/v1/dashboard/funnel?year=2025&by=type", &fr)
	checkFunnel(t, fr, w.funnel(view{}, y2025, "search", "type"))
	if len(fr.Groups) != 2 || fr.Groups[0].Label != "产业项目" {
		t.Errorf("type groups: %+v", fr.Groups)
	}
	for _, by := range dashboard.FunnelBy {
		get(t, admin, "/api/v1/dashboard/funnel?period=plan&stage=push&by="+by, &fr)
		checkFunnel(t, fr, w.funnel(view{}, plan, "push", by))
	}
	// A filter narrows every figure and its links.
	get(t, admin, "/api/v1/dashboard/funnel?year=2025&type=talent", &fr)
	if fr.Steps[0].Reached != 2 || fr.Steps[1].Reached != 2 || fr.Exits[0].Reached != 1 {
		t.Errorf("talent funnel: %+v", fr.Steps)
	}
	checkLinks(t, admin, &fr, nil, nil)

	// Scope: the officer sees kfq (h1 h2 h7 h8), the manager zzfd's subtree (h5 h6).
	get(t, officer, "/api/v1/dashboard/funnel?year=2025", &fr)
	checkFunnel(t, fr, w.funnel(view{[]string{"kfq"}}, y2025, "search", ""))
	if fr.Steps[0].Reached != 3 || fr.Stages[1].Entered != 2 {
		t.Errorf("officer funnel: %+v", fr.Steps)
	}
	checkLinks(t, officer, &fr, nil, nil)
	zz := matrixSubtree(a, "zzfd")
	get(t, manager, "/api/v1/dashboard/funnel?year=2025&by=unit", &fr)
	checkFunnel(t, fr, w.funnel(view{zz}, y2025, "search", "unit"))
	if fr.Steps[0].Reached != 1 || fr.Stages[2].Entered != 1 || fr.Stages[2].Paused != 1 {
		t.Errorf("manager funnel: %+v %+v", fr.Steps, fr.Stages[2])
	}
	checkLinks(t, manager, &fr, nil, nil)

	// Trends.
	var tr dashboard.Trends
	get(t, admin, "/api/v1/dashboard/trends?year=2025", &tr)
	if len(tr.Months) != 12 || tr.Months[0].Month != "2025-01" {
		t.Fatalf("months: %+v", tr.Months)
	}
	mw, tot := w.trends(view{}, y2025)
	checkTrends(t, tr, mw, tot)
	if tot.Projects != 6 || tot.Signed != 1 || tot.Funded != 1 || tot.Capital != 500 || tot.Events != 2 {
		t.Errorf("2025 totals: %+v", tot)
	}
	if m := tr.Months[4]; m.Capital != 500 || m.Funded != 1 || m.Projects != 1 {
		t.Errorf("May 2025: %+v", m)
	}
	checkLinks(t, admin, nil, &tr, nil)
	get(t, admin, "/api/v1/dashboard/trends?period=plan", &tr)
	mw, tot = w.trends(view{}, plan)
	checkTrends(t, tr, mw, tot)
	if len(tr.Months) != 36 || tr.Total.Capital != 1700.5 || tr.Total.Projects != 8 {
		t.Errorf("plan trends: %d months, total %+v", len(tr.Months), tr.Total)
	}
	get(t, officer, "/api/v1/dashboard/trends?from=2025-02-15&to=2025-05-31", &tr)
	mw, tot = w.trends(view{[]string{"kfq"}}, spanOf("2025-02-15", "2025-05-31"))
	checkTrends(t, tr, mw, tot)
	if len(tr.Months) != 4 || tr.Months[0].From != "2025-02-15" || tr.Total.Signed != 1 || tr.Total.Events != 1 {
		t.Errorf("range trends: %+v", tr)
	}
	checkLinks(t, officer, nil, &tr, nil)

	// Targets against actual, city and per unit; 2025 is over, so on track
	// means the target is met.
	var cp dashboard.Cockpit
	get(t, admin, "/api/v1/dashboard?year=2025", &cp)
	kp := map[string]dashboard.KPI{}
	for _, k := range cp.KPIs {
		kp[k.Key] = k
	}
	if k := kp["projects"]; k.Actual != 6 || k.Target != 5 || k.Status != dashboard.OnTrack || k.Expected != 5 {
		t.Errorf("projects kpi: %+v", k)
	}
	if k := kp["talents"]; k.Actual != 2 || k.Target != 4 || k.Status != dashboard.Behind || k.Progress != 50 {
		t.Errorf("talents kpi: %+v", k)
	}
	if k := kp["events"]; k.Actual != 2 || k.Status != dashboard.OnTrack {
		t.Errorf("events kpi: %+v", k)
	}
	if k := kp["institutes"]; k.Actual != 0 || k.Status != dashboard.NoTarget {
		t.Errorf("institutes kpi: %+v", k)
	}
	if cp.Period.Elapsed != 100 || len(cp.Units) != len(matrix.DefaultUnits()) {
		t.Errorf("period %+v, %d unit rows", cp.Period, len(cp.Units))
	}
	sums := map[string]int{}
	for _, u := range cp.Units {
		want := w.kpis(view{}, y2025, u.Unit)
		for _, k := range u.KPIs {
			sums[k.Key] += k.Actual
			if n, ok := want[k.Key]; ok && n != k.Actual {
				t.Errorf("unit %s %s = %d, want %d", u.Unit, k.Key, k.Actual, n)
			}
			if u.Unit == "kfq" && k.Key == "projects" && (k.Actual != 3 || k.Target != 4 || k.Status != dashboard.Behind) {
				t.Errorf("kfq projects: %+v", k)
			}
			if u.Unit == "kfq" && k.Key == "events" && k.Actual != 1 {
				t.Errorf("kfq events: %+v", k)
			}
		}
	}
	for _, k := range cp.KPIs {
		if k.Key != "brokers" && k.Key != "transfers" && sums[k.Key] != k.Actual {
			t.Errorf("units add up to %d %s, city %d", sums[k.Key], k.Key, k.Actual)
		}
	}
	checkLinks(t, admin, nil, nil, &cp)
	// The cockpit's funnel is the funnel API's first row.
	get(t, admin, "/api/v1/dashboard/funnel?year=2025", &fr)
	for i, s := range cp.Funnel {
		if s != fr.Steps[i] {
			t.Errorf("cockpit funnel %d: %+v vs %+v", i, s, fr.Steps[i])
		}
	}
	// Plan period: no saved yearly city target for 2023 and 2024, so the
	// targets add up the yearly ones (2025's saved, the others' defaults).
	get(t, admin, "/api/v1/dashboard?period=plan", &cp)
	if cp.Period.Kind != "plan" || cp.Period.From != "2023-01-01" || cp.Period.To != "2025-12-31" || cp.Year != 0 {
		t.Errorf("plan period: %+v", cp.Period)
	}
	for _, k := range cp.KPIs {
		if k.Key == "projects" && (k.Actual != 8 || k.Target != 2*matrix.PlanTargets["projects"]+5) {
			t.Errorf("plan projects: %+v", k)
		}
	}
	checkLinks(t, admin, nil, nil, &cp)
	// The manager's cockpit: its subtree only.
	get(t, manager, "/api/v1/dashboard?year=2025", &cp)
	for _, u := range cp.Units {
		if !containsStr(zz, u.Unit) {
			t.Errorf("manager sees unit %s", u.Unit)
		}
	}
	if len(cp.Units) != len(zz) {
		t.Errorf("manager unit rows %d, want %d", len(cp.Units), len(zz))
	}
	checkLinks(t, manager, nil, nil, &cp)

	var officerFunnel dashboard.FunnelReport
	get(t, officer, "/api/v1/dashboard/funnel?year=2025&by=type", &officerFunnel)
	var managerTrends dashboard.Trends
	get(t, manager, "/api/v1/dashboard/trends?period=plan", &managerTrends)
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "funnel officer other unit", As: officer, URL: "/api/v1/dashboard/funnel?unit=gxq", Status: 403},
		{Name: "funnel manager other unit", As: manager, URL: "/api/v1/dashboard/funnel?unit=kfq", Status: 403},
		{Name: "funnel manager own town", As: manager, URL: "/api/v1/dashboard/funnel?year=2025&unit=zs-zp", Status: 200, Expect: []string{`"unit":"zs-zp"`}},
		{Name: "trends officer other unit", As: officer, URL: "/api/v1/dashboard/trends?unit=gxq", Status: 403},
		{Name: "funnel anonymous", URL: "/api/v1/dashboard/funnel", Status: 401},
		{Name: "trends anonymous", URL: "/api/v1/dashboard/trends", Status: 401},
		{Name: "funnel bad by", As: admin, URL: "/api/v1/dashboard/funnel?by=colour", Status: 400, Expect: []string{`"field":"by"`}},
		{Name: "funnel bad stage", As: admin, URL: "/api/v1/dashboard/funnel?stage=aftercare", Status: 400, Expect: []string{`"field":"stage"`}},
		{Name: "funnel bad type", As: admin, URL: "/api/v1/dashboard/funnel?type=x", Status: 400, Expect: []string{`"field":"type"`}},
		{Name: "bad period", As: admin, URL: "/api/v1/dashboard?period=decade", Status: 400, Expect: []string{`"field":"period"`}},
		{Name: "range without to", As: admin, URL: "/api/v1/dashboard?from=2025-01-01", Status: 400, Expect: []string{`"field":"to"`}},
		{Name: "range reversed", As: admin, URL: "/api/v1/dashboard/trends?from=2025-03-01&to=2025-01-01", Status: 400, Expect: []string{`"field":"to"`}},
		{Name: "range too long", As: admin, URL: "/api/v1/dashboard/trends?from=2001-01-01&to=2025-01-01", Status: 400, Expect: []string{`"field":"to"`}},
		{Name: "bad from", As: admin, URL: "/api/v1/dashboard/funnel?from=abc&to=2025-01-01", Status: 400, Expect: []string{`"field":"from"`}},
		{Name: "range cockpit", As: admin, URL: "/api/v1/dashboard?from=2025-02-01&to=2025-03-31", Status: 200,
			Expect: []string{`"kind":"range"`, `"from":"2025-02-01"`, `"to":"2025-03-31"`}},
		{Name: "list entered bad stage", As: admin, URL: "/api/v1/projects?entered=x", Status: 400, Expect: []string{`"field":"entered"`}},
		{Name: "list left without entered", As: admin, URL: "/api/v1/projects?left=1", Status: 400, Expect: []string{`"field":"left"`}},
		{Name: "list bad date field", As: admin, URL: "/api/v1/projects?date=updated", Status: 400, Expect: []string{`"field":"date"`}},
		{Name: "list reached same", As: admin, URL: "/api/v1/projects?entered=push&reached=push", Status: 400, Expect: []string{`"field":"reached"`}},
		{Name: "list entered ever", As: admin, URL: "/api/v1/projects?entered=paused", Status: 200, Expect: []string{`"total":2`}},
		{Name: "list reached ever", As: admin, URL: "/api/v1/projects?reached=dropped", Status: 200, Expect: []string{`"total":2`}},
		{Name: "page list entered", As: admin, URL: "/projects?entered=push&reached=attract&from=2025-01-01&to=2025-12-31", Status: 200,
			Expect: []string{"共 3 个项目", `name="entered" value="push"`, "首次进入“资源推送”"}},
		{Name: "page plan", As: admin, URL: "/dashboard?period=plan&by=unit&stage=push", Status: 200,
			Expect: []string{"2023–2025 规划期", `data-chart="trends"`, `id="groups"`, "各单位目标完成情况", "/dashboard/funnel.xlsx?by=unit&amp;period=plan&amp;stage=push"}},
		{Name: "page manager", As: manager, URL: "/dashboard?year=2025", Status: 200, Expect: []string{"周市镇科技招商组"}, Reject: []string{"昆山开发区科技招商分队"}},
		{Name: "page range", As: officer, URL: "/dashboard?period=range&from=2025-02-01&to=2025-03-31", Status: 200, Expect: []string{"2025-02-01 至 2025-03-31"}},
		{Name: "page bad range", As: officer, URL: "/dashboard?period=range&from=2025-02-01", Status: 422},
		{Name: "funnel export", As: officer, URL: "/dashboard/funnel.xlsx?year=2025&by=type", Status: 200,
			Check: func(t *testing.T, body string) {
				checkSheets(t, "funnel.xlsx", body, dashboard.FunnelSheets(&officerFunnel, templates.Label))
			}},
		{Name: "trends export", As: manager, URL: "/dashboard/trends.xlsx?period=plan", Status: 200,
			Check: func(t *testing.T, body string) {
				checkSheets(t, "trends.xlsx", body, dashboard.TrendSheets(&managerTrends))
			}},
		{Name: "funnel export other unit", As: officer, URL: "/dashboard/funnel.xlsx?unit=gxq", Status: 403},
	})
}

func matrixSubtree(a *testapp.App, unit string) []string { return a.P.Matrix.Subtree([]string{unit}) }

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkWorkbook asserts that an .xlsx download holds exactly the sheets,
// cell by cell, numbers as numbers.
func checkWorkbook(t *testing.T, c *testapp.Client, url string, want []dashboard.Sheet) {
	t.Helper()
	st, body := c.Do("GET", url, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %.200s", url, st, body)
	}
	checkSheets(t, url, body, want)
}

// checkSheets asserts that the workbook in body holds exactly the sheets.
func checkSheets(t *testing.T, url, body string, want []dashboard.Sheet) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != len(want) {
		t.Fatalf("%s: sheets %v, want %d", url, got, len(want))
	}
	for _, sh := range want {
		rows, err := f.GetRows(sh.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(sh.Rows)+1 || strings.Join(rows[0], "|") != strings.Join(sh.Header, "|") {
			t.Fatalf("%s %s: rows %v", url, sh.Name, rows)
		}
		for i, r := range sh.Rows {
			for j, v := range r {
				got := ""
				if j < len(rows[i+1]) {
					got = rows[i+1][j]
				}
				if fmt.Sprint(v) != got {
					t.Errorf("%s %s %d,%d: %q, want %v", url, sh.Name, i+2, j+1, got, v)
				}
			}
		}
	}
}

func TestWidgetExports(t *testing.T) {
	a := testapp.Start(t)
	knownHistory(t, a)
	admin := a.Admin(t)
	for _, q := range []string{"year=2025", "period=plan&by=unit&stage=push", "from=2025-02-01&to=2025-06-30&by=type"} {
		var fr dashboard.FunnelReport
		get(t, admin, "/api/v1/dashboard/funnel?"+q, &fr)
		checkWorkbook(t, admin, "/dashboard/funnel.xlsx?"+q, dashboard.FunnelSheets(&fr, templates.Label))
		var tr dashboard.Trends
		get(t, admin, "/api/v1/dashboard/trends?"+q, &tr)
		checkWorkbook(t, admin, "/dashboard/trends.xlsx?"+q, dashboard.TrendSheets(&tr))
	}
}
