package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/users"
)

type cockpit struct {
	KPIs []struct {
		Key    string  `json:"key"`
		Target float64 `json:"target"`
		Actual int     `json:"actual"`
		Link   string  `json:"link"`
	} `json:"kpis"`
	Stages []struct {
		Stage string `json:"stage"`
		Count int    `json:"count"`
		Link  string `json:"link"`
	} `json:"stages"`
	Funnel []struct {
		Stage   string  `json:"stage"`
		Reached int     `json:"reached"`
		Rate    float64 `json:"rate"`
		Link    string  `json:"link"`
	} `json:"funnel"`
	Stale   int `json:"stale"`
	Overdue int `json:"overdue"`
}

func get(t testing.TB, c *testapp.Client, url string, v any) {
	t.Helper()
	st, out := c.Do("GET", url, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", url, st, out)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func total(t *testing.T, c *testapp.Client, url string) int {
	t.Helper()
	var r struct{ Total int }
	get(t, c, url, &r)
	return r.Total
}

// apiOf turns a page link (/projects?...) into its API list.
// ensureUser makes the account name, shown as display, with role over
// unit and the tests' password.
func ensureUser(t *testing.T, a *testapp.App, name, display, role, unit string) {
	t.Helper()
	if _, err := a.P.Users.EnsureUser(context.Background(), name, display, role, []string{unit}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
}

// officerAndManager is a running app with the kfq officer kfq_li and the
// zzfd manager zzfd_wang, shown as li and wang, logged in with the admin.
func officerAndManager(t *testing.T, li, wang string) (a *testapp.App, admin, officer, manager *testapp.Client) {
	t.Helper()
	a = testapp.Start(t)
	ensureUser(t, a, "kfq_li", li, users.RoleOfficer, "kfq")
	ensureUser(t, a, "zzfd_wang", wang, users.RoleManager, "zzfd")
	admin = a.Admin(t)
	officer = a.Client(t).Login("kfq_li", "Test-2025x")
	manager = a.Client(t).Login("zzfd_wang", "Test-2025x")
	return a, admin, officer, manager
}

func apiOf(link string) string { return "/api/v1" + link }

func TestCockpit(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	ensureUser(t, a, "kfq_li", "李", users.RoleOfficer, "kfq")
	admin, officer := a.Admin(t), a.Client(t).Login("kfq_li", "Test-2025x")
	create := func(c *testapp.Client, body map[string]any) map[string]any {
		t.Helper()
		st, out := c.Do("POST", "/api/v1/projects", body, nil)
		if st != 201 {
			t.Fatalf("create %v: %d %s", body["name"], st, out)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(out), &m)
		return m
	}
	n := 0
	mk := func(c *testapp.Client, unit, typ, stage string, extra ...string) map[string]any {
		n++
		b := map[string]any{"type": typ, "name": fmt.Sprintf("驾驶舱测试项目%d", n), "unit": unit, "stage": stage}
		for i := 0; i+1 < len(extra); i += 2 {
			b[extra[i]] = extra[i+1]
		}
		return create(c, b)
	}
	mk(officer, "kfq", "industry", "search")
	mk(officer, "kfq", "industry", "push")
	mk(officer, "kfq", "talent", "attract")
	mk(officer, "kfq", "platform", "search", "next_due", "2020-01-01")
	e := mk(officer, "kfq", "industry", "push")
	mk(admin, "gxq", "industry", "search")
	mk(admin, "gxq", "platform", "attract")
	if st, out := officer.Do("POST", "/api/v1/projects/"+e["id"].(string)+"/stage",
		map[string]any{"to": "paused", "version": e["version"], "note": "企业资金链紧张，暂缓"}, nil); st != 200 {
		t.Fatalf("pause: %d %s", st, out)
	}
	year := time.Now().In(core.Zone()).Year()
	post := func(c *testapp.Client, url string, body map[string]any) map[string]any {
		t.Helper()
		st, out := c.Do("POST", url, body, nil)
		if st != 201 {
			t.Fatalf("POST %s: %d %s", url, st, out)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(out), &m)
		return m
	}
	// Brokers: one per unit; deals: one this year and one in 2020 (kfq).
	b := post(officer, "/api/v1/brokers", map[string]any{"name": "王磊", "organisation": "昆山技术转移中心", "unit": "kfq"})
	post(admin, "/api/v1/brokers", map[string]any{"name": "陈静", "organisation": "昆山技术转移中心", "unit": "gxq"})
	for i, d := range []string{fmt.Sprintf("%d-03-05", year), "2020-06-01"} {
		post(officer, "/api/v1/transfers", map[string]any{"type": "技术转让", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司",
			"amount": 100, "paid": 50, "contract_no": fmt.Sprintf("20243205830000%02d", i), "date": d, "broker_id": b["id"], "unit": "kfq"})
	}
	q := fmt.Sprintf("/api/v1/dashboard?year=%d", year)
	city, err := a.P.Matrix.Targets(ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}

	type want struct {
		stages  map[string]int
		kpis    map[string]int
		reached map[string]int
		overdue int
		target  func(key string) float64
	}
	zero := func(string) float64 { return 0 }
	cases := []struct {
		name string
		c    *testapp.Client
		url  string
		w    want
	}{
		{"admin city", admin, q, want{
			stages:  map[string]int{"search": 3, "push": 1, "attract": 2, "decision": 0, "process": 0, "aftercare": 0, "paused": 1, "dropped": 0},
			kpis:    map[string]int{"projects": 7, "talents": 1, "institutes": 2, "events": 0, "transfers": 1, "brokers": 2},
			reached: map[string]int{"search": 3, "push": 0, "attract": 0, "decision": 0, "process": 0, "aftercare": 0},
			overdue: 1, target: func(k string) float64 { return city.Values[k] }}},
		{"admin unit gxq", admin, q + "&unit=gxq", want{
			stages:  map[string]int{"search": 1, "push": 0, "attract": 1, "paused": 0},
			kpis:    map[string]int{"projects": 2, "talents": 0, "institutes": 1, "transfers": 0, "brokers": 1},
			reached: map[string]int{"search": 1, "push": 0, "attract": 0},
			overdue: 0, target: zero}},
		{"officer own scope", officer, q, want{
			stages:  map[string]int{"search": 2, "push": 1, "attract": 1, "paused": 1, "dropped": 0},
			kpis:    map[string]int{"projects": 5, "talents": 1, "institutes": 1, "transfers": 1, "brokers": 1},
			reached: map[string]int{"search": 2, "push": 0, "attract": 0},
			overdue: 1, target: func(k string) float64 { return city.Values[k] }}},
		{"officer unit kfq", officer, q + "&unit=kfq", want{
			stages:  map[string]int{"search": 2, "push": 1, "attract": 1, "paused": 1},
			kpis:    map[string]int{"projects": 5, "talents": 1, "institutes": 1},
			reached: map[string]int{"search": 2, "push": 0, "attract": 0},
			overdue: 1, target: zero}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got cockpit
			get(t, tc.c, tc.url, &got)
			if len(got.Stages) != 8 || len(got.KPIs) != 6 || len(got.Funnel) != 6 {
				t.Fatalf("shape: %+v", got)
			}
			for _, s := range got.Stages {
				if w, ok := tc.w.stages[s.Stage]; ok && s.Count != w {
					t.Errorf("stage %s = %d, want %d", s.Stage, s.Count, w)
				}
				// Drill-down: the stage's list has exactly that many projects.
				if lt := total(t, tc.c, apiOf(s.Link)); lt != s.Count {
					t.Errorf("stage %s = %d but its list %s has %d", s.Stage, s.Count, s.Link, lt)
				}
			}
			for _, k := range got.KPIs {
				if w, ok := tc.w.kpis[k.Key]; ok && k.Actual != w {
					t.Errorf("kpi %s = %d, want %d", k.Key, k.Actual, w)
				}
				if k.Target != tc.w.target(k.Key) {
					t.Errorf("kpi %s target = %v, want %v", k.Key, k.Target, tc.w.target(k.Key))
				}
				if strings.HasPrefix(k.Link, "/projects?") {
					if lt := total(t, tc.c, apiOf(k.Link)); lt != k.Actual {
						t.Errorf("kpi %s = %d but its list %s has %d", k.Key, k.Actual, k.Link, lt)
					}
				}
			}
			for _, f := range got.Funnel {
				if w, ok := tc.w.reached[f.Stage]; ok && f.Reached != w {
					t.Errorf("funnel %s reached = %d, want %d", f.Stage, f.Reached, w)
				}
				// Drill-down: the bar's list has exactly that many projects.
				if lt := total(t, tc.c, apiOf(f.Link)); lt != f.Reached {
					t.Errorf("funnel %s = %d but its list %s has %d", f.Stage, f.Reached, f.Link, lt)
				}
			}
			if got.Overdue != tc.w.overdue || got.Stale != 0 {
				t.Errorf("overdue %d stale %d, want %d 0", got.Overdue, got.Stale, tc.w.overdue)
			}
			if lt := total(t, tc.c, "/api/v1/projects?overdue=1"+strings.TrimPrefix(strings.TrimPrefix(tc.url, q), "&")); tc.url == q && lt != got.Overdue {
				t.Errorf("overdue %d but list has %d", got.Overdue, lt)
			}
		})
	}

	testapp.Run(t, a, []testapp.Scenario{
		{Name: "year not a number", As: admin, URL: "/api/v1/dashboard?year=abc", Status: 400, Expect: []string{`"field":"year"`}},
		{Name: "year out of range", As: officer, URL: "/api/v1/dashboard?year=1999", Status: 400, Expect: []string{`"field":"year"`}},
		{Name: "unknown unit", As: admin, URL: q + "&unit=nowhere", Status: 400, Expect: []string{`"field":"unit"`}},
		// A unit outside the caller's scope is refused (403), not answered with zeros.
		{Name: "officer other unit 403", As: officer, URL: q + "&unit=gxq", Status: 403},
		{Name: "anonymous api 401", URL: q, Status: 401},
		{Name: "page officer", As: officer, URL: "/dashboard", Status: 200,
			Expect: []string{"驾驶舱", `class="meter"`, `data-chart="stages"`, `data-chart="funnel"`, "/projects?stage=search", "/static/dashboard.js"},
			Reject: []string{"尚未开放", "gxq"}},
		{Name: "page admin unit", As: admin, URL: "/dashboard?unit=gxq", Status: 200, Expect: []string{"unit=gxq"}},
		{Name: "page bad year", As: admin, URL: "/dashboard?year=abc", Status: 422},
	})
}

func TestParseYear(t *testing.T) {
	now := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC) // already 2026 in China
	for _, tc := range []struct {
		in   string
		want int
		bad  bool
	}{
		{"", 2026, false}, {"2024", 2024, false}, {" 2025 ", 2025, false},
		{"abc", 0, true}, {"24", 0, true}, {"1999", 0, true}, {"2101", 0, true}, {"+2024", 0, true}, {"02024", 0, true},
	} {
		got, err := dashboard.ParseYear(tc.in, now)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseYear(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		k    dashboard.KPI
		want int
	}{
		{dashboard.KPI{Target: 0, Actual: 5}, 0}, {dashboard.KPI{Target: 10, Actual: 5}, 50},
		{dashboard.KPI{Target: 3, Actual: 1}, 33}, {dashboard.KPI{Target: 10, Actual: 25}, 100},
	} {
		if got := tc.k.Percent(); got != tc.want {
			t.Errorf("%+v: %d, want %d", tc.k, got, tc.want)
		}
	}
}
