package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/events"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
	"zhaoshang/templates"
)

// reportWorld is the known history plus held events in 2025 and targets.
func reportWorld(t *testing.T) (a *testapp.App, admin, officer, manager *testapp.Client) {
	t.Helper()
	a, admin, officer, manager = officerAndManager(t, "李明", "王芳")
	ctx := context.Background()
	knownHistory(t, a)
	var evs []*events.Event
	for i, e := range []struct {
		unit string
		at   time.Time
	}{{"kfq", day(2025, 3, 5)}, {"gxq", day(2025, 3, 18)}, {"zs-zp", day(2025, 3, 28)}, {"kfq", day(2025, 1, 9)}, {"zs-zp", day(2025, 7, 2)}} {
		evs = append(evs, &events.Event{Meta: core.Meta{ID: fmt.Sprintf("rev-%d", i)}, Title: fmt.Sprintf("月报测试活动%d", i), Type: "论坛",
			Date: core.DateOf(e.at), Unit: e.unit, Status: events.StatusHeld})
	}
	if _, _, err := a.P.Records.Events.UpsertMany(ctx, core.System, evs); err != nil {
		t.Fatal(err)
	}
	all := core.Scope{All: true}
	for unit, vals := range map[string]map[string]float64{"": {"projects": 12, "events": 24, "talents": 6}, "kfq": {"projects": 6, "events": 12},
		"zs-zp": {"projects": 3}} {
		if _, err := a.P.Matrix.SetTargets(ctx, core.System, all, 2025, unit, vals, 0); err != nil {
			t.Fatal(err)
		}
	}
	return a, admin, officer, manager
}

// figures reads the report page's figures: data-k="name" → text.
var figureRe = regexp.MustCompile(`data-k="([^"]+)">([^<]*)<`)

func figures(t *testing.T, c *testapp.Client, url string) map[string]string {
	t.Helper()
	st, body := c.Do("GET", url, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %.300s", url, st, body)
	}
	out := map[string]string{}
	for _, m := range figureRe.FindAllStringSubmatch(body, -1) {
		v := strings.TrimSpace(html.UnescapeString(m[2]))
		out[m[1]] = strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), "%")
	}
	return out
}

// sheetRows reads every sheet of an .xlsx download (raw cell values).
func sheetRows(t *testing.T, c *testapp.Client, url string) map[string][][]string {
	t.Helper()
	st, body := c.Do("GET", url, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %.200s", url, st, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

func sameKPI(t *testing.T, what string, got, want dashboard.KPI) {
	t.Helper()
	if got.Key != want.Key || got.Target != want.Target || got.Actual != want.Actual || got.Progress != want.Progress ||
		got.Expected != want.Expected || got.Status != want.Status || got.Link != want.Link {
		t.Errorf("%s %s: report %+v, cockpit %+v", what, want.Key, got, want)
	}
}

func TestMonthlyReport(t *testing.T) {
	a, admin, officer, manager := reportWorld(t)
	cases := []struct {
		name  string
		as    *testapp.Client
		month string
		unit  string
		// known figures of the month (-1: not checked)
		created, signed, events, cohort int
	}{
		{"city march", admin, "2025-03", "", 1, 1, 3, 1},
		{"kfq march", admin, "2025-03", "kfq", 0, 1, 1, 0},
		{"city january", admin, "2025-01", "", 1, 0, 1, 1},
		{"city july", admin, "2025-07", "", 1, 0, 1, 0},
		{"officer own units", officer, "2025-02", "", 1, 0, 0, 1},
		{"officer own unit", officer, "2025-03", "kfq", 0, 1, 1, 0},
		{"manager subtree", manager, "2025-03", "", 0, 0, 1, 0},
		{"manager town", manager, "2025-07", "zs-zp", 1, 0, 1, 0},
		{"city 2024 december", admin, "2024-12", "", 1, 0, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := "month=" + tc.month + "&unit=" + tc.unit
			var r dashboard.Report
			get(t, tc.as, "/api/v1/dashboard/report?"+q, &r)
			if r.Month != tc.month || r.Unit != tc.unit {
				t.Fatalf("report of %s/%s: %s/%s", tc.month, tc.unit, r.Month, r.Unit)
			}
			// The cockpit API of the same periods and scope.
			var ytd, mon, year dashboard.Cockpit
			get(t, tc.as, "/api/v1/dashboard?from="+r.YearToDate.From+"&to="+r.YearToDate.To+"&unit="+tc.unit, &ytd)
			get(t, tc.as, "/api/v1/dashboard?from="+r.MonthRange.From+"&to="+r.MonthRange.To+"&unit="+tc.unit, &mon)
			get(t, tc.as, "/api/v1/dashboard?year="+tc.month[:4]+"&unit="+tc.unit, &year)
			if r.YearToDate.From != tc.month[:4]+"-01-01" || !strings.HasPrefix(r.MonthRange.From, tc.month) || r.MonthRange.To != r.YearToDate.To {
				t.Errorf("periods %+v %+v", r.YearToDate, r.MonthRange)
			}
			if len(r.KPIs) != len(ytd.KPIs) || len(r.KPIs) != len(mon.KPIs) {
				t.Fatalf("kpis %d, cockpit %d/%d", len(r.KPIs), len(ytd.KPIs), len(mon.KPIs))
			}
			for i, k := range r.KPIs {
				sameKPI(t, "year to date", k.YearToDate, ytd.KPIs[i])
				sameKPI(t, "month", k.Month, mon.KPIs[i])
				if k.YearTarget != year.KPIs[i].Target {
					t.Errorf("year target %s: %v, cockpit %v", k.Key, k.YearTarget, year.KPIs[i].Target)
				}
			}
			if tc.unit == "" {
				if len(r.Units) != len(ytd.Units) || len(r.Units) == 0 {
					t.Fatalf("unit rows %d, cockpit %d", len(r.Units), len(ytd.Units))
				}
				for i, u := range r.Units {
					if u.Unit != ytd.Units[i].Unit || u.Name != ytd.Units[i].Name {
						t.Fatalf("unit row %d: %s, cockpit %s", i, u.Unit, ytd.Units[i].Unit)
					}
					for j, k := range u.KPIs {
						sameKPI(t, u.Unit+" year to date", k.YearToDate, ytd.Units[i].KPIs[j])
						sameKPI(t, u.Unit+" month", k.Month, mon.Units[i].KPIs[j])
					}
				}
			} else if len(r.Units) != 0 {
				t.Errorf("a unit's report has unit rows: %+v", r.Units)
			}
			// The trends API of the month.
			var tr dashboard.Trends
			get(t, tc.as, "/api/v1/dashboard/trends?from="+r.MonthRange.From+"&to="+r.MonthRange.To+"&unit="+tc.unit, &tr)
			want := tr.Total
			want.Month = tc.month
			if !reflect.DeepEqual(r.Trend, want) || !reflect.DeepEqual(tr.Months[0].Projects, want.Projects) {
				t.Errorf("trend %+v, trends API %+v", r.Trend, want)
			}
			if r.Trend.Projects != tc.created || r.Trend.Signed != tc.signed || r.Trend.Events != tc.events {
				t.Errorf("month figures %+v, want created %d signed %d events %d", r.Trend, tc.created, tc.signed, tc.events)
			}
			// The funnel API of the month.
			var fr dashboard.FunnelReport
			get(t, tc.as, "/api/v1/dashboard/funnel?from="+r.MonthRange.From+"&to="+r.MonthRange.To+"&unit="+tc.unit, &fr)
			if !reflect.DeepEqual(r.Funnel, fr.Steps) || !reflect.DeepEqual(r.Exits, fr.Exits) || !reflect.DeepEqual(r.Stages, fr.Stages) {
				t.Errorf("funnel %+v, funnel API %+v", r.Funnel, fr.Steps)
			}
			if r.Funnel[0].Reached != tc.cohort {
				t.Errorf("cohort %d, want %d", r.Funnel[0].Reached, tc.cohort)
			}
			// Stuck work: the cockpit's counts and the stuck API's first page.
			wantStuck := map[string]int{dashboard.StuckStale: mon.Stale, dashboard.StuckOverdue: mon.Overdue, dashboard.StuckApproval: mon.Approval}
			for _, st := range r.Stuck {
				if st.Total != wantStuck[st.Kind] {
					t.Errorf("stuck %s: %d, cockpit %d", st.Kind, st.Total, wantStuck[st.Kind])
				}
				var page struct {
					Items []dashboard.StuckRow `json:"items"`
					Total int                  `json:"total"`
				}
				get(t, tc.as, "/api/v1/dashboard/stuck?kind="+st.Kind+"&per_page=10&unit="+tc.unit, &page)
				if page.Total != st.Total || len(page.Items) != len(st.Items) {
					t.Errorf("stuck %s: %d items of %d, API %d of %d", st.Kind, len(st.Items), st.Total, len(page.Items), page.Total)
				}
				for i := range page.Items {
					if page.Items[i].ID != st.Items[i].ID || page.Items[i].OfficerName != st.Items[i].OfficerName {
						t.Errorf("stuck %s item %d: %+v, API %+v", st.Kind, i, st.Items[i], page.Items[i])
					}
				}
			}
			checkReportPage(t, tc.as, q, &r)
		})
	}
	// Officer names in the stuck lists: the display name of the user.
	var r dashboard.Report
	get(t, officer, "/api/v1/dashboard/report?month=2025-03", &r)
	named := false
	for _, st := range r.Stuck {
		for _, x := range st.Items {
			if x.Officer == "kfq_li" {
				named = true
				if x.OfficerName != "李明" || x.UnitName == "" {
					t.Errorf("stuck row names: %+v", x)
				}
			}
		}
	}
	if !named {
		t.Error("no stuck row of kfq_li")
	}

	testapp.Run(t, a, []testapp.Scenario{
		{Name: "officer city page", As: officer, URL: "/dashboard/report?month=2025-03", Status: 200,
			Expect: []string{"科技招商月度报告", "2025 年 3 月 · 昆山开发区", "data-print", "/dashboard/report.xlsx?month=2025-03"}},
		{Name: "officer own unit", As: officer, URL: "/dashboard/report?month=2025-03&unit=kfq", Status: 200, Expect: []string{"昆山开发区"}},
		{Name: "officer other unit", As: officer, URL: "/dashboard/report?month=2025-03&unit=gxq", Status: 403},
		{Name: "officer other unit xlsx", As: officer, URL: "/dashboard/report.xlsx?month=2025-03&unit=gxq", Status: 403},
		{Name: "officer other unit api", As: officer, URL: "/api/v1/dashboard/report?month=2025-03&unit=gxq", Status: 403},
		{Name: "manager subtree town", As: manager, URL: "/dashboard/report?month=2025-03&unit=zs-zp", Status: 200, Expect: []string{"张浦镇科技招商组"}},
		{Name: "manager other unit", As: manager, URL: "/dashboard/report?month=2025-03&unit=kfq", Status: 403},
		{Name: "manager city", As: manager, URL: "/dashboard/report?month=2025-03", Status: 200,
			Expect: []string{"五、各单位目标完成情况", "周市镇科技招商组"}, Reject: []string{"昆山开发区科技招商分队"}},
		{Name: "admin any unit", As: admin, URL: "/dashboard/report?month=2025-03&unit=gxq", Status: 200, Expect: []string{"2025 年 3 月 · 昆山高新区"}},
		{Name: "admin city", As: admin, URL: "/dashboard/report?month=2025-03", Status: 200, Expect: []string{"全市", "五、各单位目标完成情况"}},
		{Name: "anonymous", URL: "/api/v1/dashboard/report?month=2025-03", Status: 401},
		{Name: "default month", As: admin, URL: "/api/v1/dashboard/report", Status: 200,
			Expect: []string{fmt.Sprintf(`"month":"%s"`, time.Now().In(cstz).Format("2006-01"))}},
		{Name: "bad month api", As: admin, URL: "/api/v1/dashboard/report?month=2025-3", Status: 400, Expect: []string{`"field":"month"`}},
		{Name: "month 13", As: admin, URL: "/api/v1/dashboard/report?month=2025-13", Status: 400, Expect: []string{`"field":"month"`}},
		{Name: "month 00", As: admin, URL: "/api/v1/dashboard/report?month=2025-00", Status: 400, Expect: []string{`"field":"month"`}},
		{Name: "future month", As: admin, URL: "/api/v1/dashboard/report?month=2999-01", Status: 400, Expect: []string{`"field":"month"`}},
		{Name: "month before 2000", As: admin, URL: "/api/v1/dashboard/report?month=1999-12", Status: 400, Expect: []string{`"field":"month"`}},
		{Name: "bad month page", As: admin, URL: "/dashboard/report?month=abc", Status: 400, Expect: []string{"month"}},
		{Name: "bad month xlsx", As: officer, URL: "/dashboard/report.xlsx?month=2025/03", Status: 400, Expect: []string{"month"}},
		{Name: "unknown unit", As: admin, URL: "/api/v1/dashboard/report?month=2025-03&unit=nowhere", Status: 400, Expect: []string{`"field":"unit"`}},
		{Name: "cockpit has the picker", As: officer, URL: "/dashboard?year=2025", Status: 200,
			Expect: []string{`action="/dashboard/report"`, `type="month"`, "月度报告"}},
	})
}

// checkReportPage compares the page's figures with the report and the
// .xlsx cells with the page's figures.
func checkReportPage(t *testing.T, c *testapp.Client, q string, r *dashboard.Report) {
	t.Helper()
	fig := figures(t, c, "/dashboard/report?"+q)
	num := func(v any) string { return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".") }
	want := map[string]string{
		"trend-projects": fmt.Sprint(r.Trend.Projects), "trend-signed": fmt.Sprint(r.Trend.Signed), "trend-capital": num(r.Trend.Capital),
		"trend-funded": fmt.Sprint(r.Trend.Funded), "trend-events": fmt.Sprint(r.Trend.Events),
	}
	for _, k := range r.KPIs {
		p := "kpi-" + k.Key
		want[p+"-year"], want[p+"-ytd-target"], want[p+"-ytd"] = num(k.YearTarget), num(k.YearToDate.Target), fmt.Sprint(k.YearToDate.Actual)
		want[p+"-ytd-pct"], want[p+"-month-target"] = fmt.Sprint(k.YearToDate.Progress), num(k.Month.Target)
		want[p+"-month"], want[p+"-month-pct"] = fmt.Sprint(k.Month.Actual), fmt.Sprint(k.Month.Progress)
	}
	for _, s := range r.Funnel {
		want["funnel-"+s.Stage] = fmt.Sprint(s.Reached)
	}
	for _, s := range r.Exits {
		want["exit-"+s.Stage] = fmt.Sprint(s.Reached)
	}
	for _, s := range r.Stages {
		want["flow-"+s.Stage+"-entered"] = fmt.Sprint(s.Entered)
		if s.Next != "" {
			want["flow-"+s.Stage+"-reached"] = fmt.Sprint(s.Reached)
		}
	}
	for _, s := range r.Stuck {
		want["stuck-"+s.Kind] = fmt.Sprint(s.Total)
	}
	for _, u := range r.Units {
		for _, k := range u.KPIs {
			p := "unit-" + u.Unit + "-" + k.Key
			want[p+"-ytd"], want[p+"-ytd-target"], want[p+"-month"] = fmt.Sprint(k.YearToDate.Actual), num(k.YearToDate.Target), fmt.Sprint(k.Month.Actual)
		}
	}
	if !reflect.DeepEqual(fig, want) {
		for k, v := range want {
			if fig[k] != v {
				t.Errorf("page %s: %q, report %q", k, fig[k], v)
			}
		}
		for k := range fig {
			if _, ok := want[k]; !ok {
				t.Errorf("page has an unexpected figure %s", k)
			}
		}
	}
	// The workbook: its cells equal the page's figures.
	sh := sheetRows(t, c, "/dashboard/report.xlsx?"+q)
	cell := func(sheet string, row, col int) string {
		rows := sh[sheet]
		if row >= len(rows) || col >= len(rows[row]) {
			return ""
		}
		return rows[row][col]
	}
	xl := map[string]string{}
	for i, k := range r.KPIs {
		p := "kpi-" + k.Key
		for j, s := range []string{"-year", "-ytd-target", "-ytd", "-ytd-pct"} {
			xl[p+s] = cell("目标完成", i+1, 2+j)
		}
		for j, s := range []string{"-month-target", "-month", "-month-pct"} {
			xl[p+s] = cell("目标完成", i+1, 7+j)
		}
	}
	for j, s := range []string{"projects", "signed", "capital", "funded", "events"} {
		xl["trend-"+s] = cell("本月概况", 1, 1+j)
	}
	for i, s := range r.Funnel {
		xl["funnel-"+s.Stage] = cell("本月推进漏斗", i+1, 1)
	}
	for i, s := range r.Exits {
		xl["exit-"+s.Stage] = cell("本月推进漏斗", len(r.Funnel)+i+1, 1)
	}
	for i, s := range r.Stages {
		xl["flow-"+s.Stage+"-entered"] = cell("本月各阶段", i+1, 1)
		if s.Next != "" {
			xl["flow-"+s.Stage+"-reached"] = cell("本月各阶段", i+1, 3)
		}
	}
	for i, s := range r.Stuck {
		xl["stuck-"+s.Kind] = cell("督办", i+1, 1)
	}
	row := 1
	for _, u := range r.Units {
		for _, k := range u.KPIs {
			p := "unit-" + u.Unit + "-" + k.Key
			if cell("各单位", row, 0) != u.Name {
				t.Errorf("unit sheet row %d: %q, want %s", row, cell("各单位", row, 0), u.Name)
			}
			xl[p+"-ytd-target"], xl[p+"-ytd"], xl[p+"-month"] = cell("各单位", row, 4), cell("各单位", row, 5), cell("各单位", row, 9)
			row++
		}
	}
	if len(r.Units) == 0 {
		if _, ok := sh["各单位"]; ok {
			t.Error("a unit's workbook has the unit sheet")
		}
	}
	for k, v := range fig {
		if xl[k] != v {
			t.Errorf("xlsx %s: %q, page %q", k, xl[k], v)
		}
	}
	// Every cell of the workbook is ReportSheets of the report.
	checkWorkbook(t, c, "/dashboard/report.xlsx?"+q, dashboard.ReportSheets(r, templates.Label))
}

// TestGroupLabels: the funnel's officer and source-event groups are named
// by display names and event titles; an event outside the caller's scope
// keeps its id.
func TestGroupLabels(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	ensureUser(t, a, "kfq_li", "李明", users.RoleOfficer, "kfq")
	admin, officer := a.Admin(t), a.Client(t).Login("kfq_li", "Test-2025x")
	evs := []*events.Event{
		{Meta: core.Meta{ID: "gl-ev-kfq"}, Title: "开发区路演", Type: "路演", Date: core.NewDate(2025, 2, 1), Unit: "kfq", Status: events.StatusHeld},
		{Meta: core.Meta{ID: "gl-ev-gxq"}, Title: "高新区论坛", Type: "论坛", Date: core.NewDate(2025, 2, 2), Unit: "gxq", Status: events.StatusHeld},
	}
	if _, _, err := a.P.Records.Events.UpsertMany(ctx, core.System, evs); err != nil {
		t.Fatal(err)
	}
	p1 := made("gl1", "kfq", "industry", step{"search", day(2025, 3, 1)})
	p1.SourceEvent = "gl-ev-kfq"
	p2 := made("gl2", "kfq", "industry", step{"search", day(2025, 3, 2)})
	p2.SourceEvent = "gl-ev-gxq"
	p3 := made("gl3", "kfq", "industry", step{"search", day(2025, 3, 3)})
	p3.Officer = "nobody_known"
	if _, _, err := a.P.Projects.UpsertMany(ctx, core.System, []*projects.Project{p1, p2, p3}); err != nil {
		t.Fatal(err)
	}
	labels := func(c *testapp.Client, by string) map[string]string {
		var fr dashboard.FunnelReport
		get(t, c, "/api/v1/dashboard/funnel?year=2025&by="+by, &fr)
		out := map[string]string{}
		for _, g := range fr.Groups {
			out[g.Key] = g.Label
		}
		return out
	}
	for _, tc := range []struct {
		name string
		as   *testapp.Client
		by   string
		want map[string]string
	}{
		{"officers", admin, "officer", map[string]string{"kfq_li": "李明", "nobody_known": "nobody_known"}},
		{"events admin", admin, "source_event", map[string]string{"gl-ev-kfq": "开发区路演", "gl-ev-gxq": "高新区论坛"}},
		{"events officer", officer, "source_event", map[string]string{"gl-ev-kfq": "开发区路演", "gl-ev-gxq": "gl-ev-gxq"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := labels(tc.as, tc.by); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("labels %v, want %v", got, tc.want)
			}
		})
	}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "page shows titles", As: admin, URL: "/dashboard?year=2025&by=source_event", Status: 200, Expect: []string{"开发区路演", "高新区论坛"}},
		{Name: "page shows names", As: officer, URL: "/dashboard?year=2025&by=officer", Status: 200, Expect: []string{"<td>李明</td>"}},
	})
}

// TestUnitRowCounts: the per-unit events, deals and brokers (one facet on
// the units field per kind) equal each unit's own list totals, for the
// admin and for a manager's subtree.
func TestUnitRowCounts(t *testing.T) {
	a := testapp.Start(t)
	ensureUser(t, a, "zzfd_wang", "王芳", users.RoleManager, "zzfd")
	admin, manager := a.Admin(t), a.Client(t).Login("zzfd_wang", "Test-2025x")
	post := func(url string, body map[string]any) map[string]any {
		t.Helper()
		var m map[string]any
		st, out := admin.Do("POST", url, body, nil)
		if st != 201 {
			t.Fatalf("POST %s: %d %s", url, st, out)
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	n := 0
	for _, unit := range []string{"kfq", "kfq", "zs-zp", "gxq"} {
		n++
		b := post("/api/v1/brokers", map[string]any{"name": fmt.Sprintf("经纪人%d", n), "organisation": "昆山技术转移中心", "unit": unit})
		for i, d := range []string{"2025-03-05", "2025-08-01", "2024-06-01"} {
			if unit == "gxq" && i > 0 {
				break
			}
			post("/api/v1/transfers", map[string]any{"type": "技术转让", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司",
				"amount": 100, "paid": 50, "contract_no": fmt.Sprintf("2025320583%04d%02d", n, i), "date": d, "broker_id": b["id"], "unit": unit})
		}
		post("/api/v1/events", map[string]any{"title": fmt.Sprintf("单位计数活动%d", n), "type": "论坛", "date": "2025-04-0" + fmt.Sprint(n),
			"unit": unit, "status": "held"})
	}
	for _, c := range []*testapp.Client{admin, manager} {
		var cp dashboard.Cockpit
		get(t, c, "/api/v1/dashboard?year=2025", &cp)
		sums := map[string]int{}
		for _, u := range cp.Units {
			want := map[string]int{
				"events":    total(t, c, "/api/v1/events?status=held&from=2025-01-01&to=2025-12-31&unit="+u.Unit),
				"transfers": total(t, c, "/api/v1/transfers?year=2025&unit="+u.Unit),
				"brokers":   total(t, c, "/api/v1/brokers?unit="+u.Unit),
			}
			for _, k := range u.KPIs {
				if w, ok := want[k.Key]; ok {
					sums[k.Key] += k.Actual
					if k.Actual != w {
						t.Errorf("unit %s %s: %d, list %d", u.Unit, k.Key, k.Actual, w)
					}
				}
			}
		}
		for _, k := range cp.KPIs {
			if s, ok := sums[k.Key]; ok && s != k.Actual {
				t.Errorf("%s: units add up to %d, scope %d", k.Key, s, k.Actual)
			}
		}
		if sums["brokers"] == 0 || sums["transfers"] == 0 || sums["events"] == 0 {
			t.Errorf("nothing counted: %v", sums)
		}
	}
}
