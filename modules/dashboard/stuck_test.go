package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
	"zhaoshang/templates"
)

type stuckRow struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Unit         string `json:"unit"`
	UnitName     string `json:"unit_name"`
	Officer      string `json:"officer"`
	Stage        string `json:"stage"`
	Since        string `json:"since"`
	LastFollowUp string `json:"last_follow_up"`
	NextDue      string `json:"next_due"`
	NextAction   string `json:"next_action"`
}

type stuckPage struct {
	Items []stuckRow `json:"items"`
	Total int        `json:"total"`
	Link  string     `json:"link"`
}

func TestStuckAndExport(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	ensureUser(t, a, "kfq_zhao", "赵", users.RoleOfficer, "kfq")
	// A 负责人 is a member of the project's unit (the admin is not).
	ensureUser(t, a, "gxq_qian", "钱", users.RoleOfficer, "gxq")
	admin, officer := a.Admin(t), a.Client(t).Login("kfq_zhao", "Test-2025x")
	n := 0
	mk := func(c *testapp.Client, unit, stage string, extra ...string) string {
		t.Helper()
		n++
		b := map[string]any{"type": "industry", "name": fmt.Sprintf("督办测试项目%d", n), "unit": unit, "stage": stage}
		for i := 0; i+1 < len(extra); i += 2 {
			b[extra[i]] = extra[i+1]
		}
		st, out := c.Do("POST", "/api/v1/projects", b, nil)
		if st != 201 {
			t.Fatalf("create: %d %s", st, out)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(out), &m)
		return m["id"].(string)
	}
	p1 := mk(officer, "kfq", "search", "next_due", "2020-01-01", "next_action", "=HYPERLINK(\"x\")")
	d1 := mk(officer, "kfq", "attract")
	d2 := mk(admin, "gxq", "attract", "officer", "gxq_qian")
	p4 := mk(officer, "kfq", "push")
	p5 := mk(admin, "gxq", "attract", "next_due", "2021-05-01", "officer", "gxq_qian")
	p6 := mk(officer, "kfq", "push", "next_due", "2019-03-01")
	mk(officer, "kfq", "search") // neither stale, overdue nor waiting
	patch := func(id string, f func(p *projects.Project)) {
		t.Helper()
		before, err := a.P.Projects.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p := *before
		f(&p)
		if err := a.P.Projects.Update(ctx, core.Actor{User: "test"}, &p, before); err != nil {
			t.Fatal(err)
		}
	}
	// p4 has had no follow-up since 2019: stale. d1, d2 wait for approval.
	patch(p4, func(p *projects.Project) { p.LastFollowUp = time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC) })
	for _, id := range []string{d1, d2} {
		patch(id, func(p *projects.Project) { p.Stage, p.StageSince, p.Approval = "decision", time.Now(), nil })
	}

	for _, tc := range []struct {
		name string
		c    *testapp.Client
		unit string
		want map[string]int
	}{
		{"admin city", admin, "", map[string]int{"stale": 1, "overdue": 3, "approval": 2}},
		{"admin gxq", admin, "gxq", map[string]int{"stale": 0, "overdue": 1, "approval": 1}},
		{"officer", officer, "", map[string]int{"stale": 1, "overdue": 2, "approval": 1}},
		{"officer kfq", officer, "kfq", map[string]int{"stale": 1, "overdue": 2, "approval": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cp struct {
				Stale, Overdue, Approval int
			}
			u := ""
			if tc.unit != "" {
				u = "&unit=" + tc.unit
			}
			get(t, tc.c, "/api/v1/dashboard?x=1"+u, &cp)
			cockpit := map[string]int{"stale": cp.Stale, "overdue": cp.Overdue, "approval": cp.Approval}
			for _, kind := range dashboard.StuckKinds {
				var sp stuckPage
				get(t, tc.c, "/api/v1/dashboard/stuck?kind="+kind+u, &sp)
				if sp.Total != tc.want[kind] || len(sp.Items) != tc.want[kind] || cockpit[kind] != tc.want[kind] {
					t.Errorf("%s: total %d items %d cockpit %d, want %d", kind, sp.Total, len(sp.Items), cockpit[kind], tc.want[kind])
				}
				// The linked project list has exactly as many projects.
				if lt := total(t, tc.c, apiOf(sp.Link)); lt != sp.Total {
					t.Errorf("%s: total %d but its list %s has %d", kind, sp.Total, sp.Link, lt)
				}
				for _, r := range sp.Items {
					if tc.unit != "" && r.Unit != tc.unit || r.UnitName == "" || r.Officer == "" || r.Since == "" {
						t.Errorf("%s: row %+v", kind, r)
					}
				}
			}
		})
	}

	// Sorting and paging.
	ids := func(url string) string {
		var sp stuckPage
		get(t, admin, url, &sp)
		var out []string
		for _, r := range sp.Items {
			out = append(out, r.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct{ url, want string }{
		{"/api/v1/dashboard/stuck?kind=overdue", strings.Join([]string{p6, p1, p5}, ",")},
		{"/api/v1/dashboard/stuck?kind=overdue&sort=-next_due", strings.Join([]string{p5, p1, p6}, ",")},
		{"/api/v1/dashboard/stuck?kind=overdue&sort=next_due&per_page=2&page=2", p5},
		{"/api/v1/dashboard/stuck?kind=overdue&page=9", ""},
		{"/api/v1/dashboard/stuck?kind=stale&sort=last_follow_up", p4},
	} {
		if got := ids(tc.url); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.url, got, tc.want)
		}
	}
	var sp stuckPage
	get(t, admin, "/api/v1/dashboard/stuck?kind=overdue&sort=-next_due", &sp)
	if r := sp.Items[1]; r.ID != p1 || r.Name != "督办测试项目1" || r.Unit != "kfq" || r.Stage != "search" ||
		!strings.HasPrefix(r.NextDue, "2020-01-01") && !strings.HasPrefix(r.NextDue, "2019-12-31") || r.NextAction == "" {
		t.Errorf("row %+v", r)
	}

	testapp.Run(t, a, []testapp.Scenario{
		{Name: "stuck bad kind", As: admin, URL: "/api/v1/dashboard/stuck?kind=late", Status: 400, Expect: []string{`"field":"kind"`}},
		{Name: "stuck bad sort", As: admin, URL: "/api/v1/dashboard/stuck?kind=stale&sort=name", Status: 400, Expect: []string{`"field":"sort"`}},
		{Name: "stuck bad page", As: admin, URL: "/api/v1/dashboard/stuck?kind=stale&page=0", Status: 400, Expect: []string{`"field":"page"`}},
		{Name: "stuck per_page too big", As: admin, URL: "/api/v1/dashboard/stuck?kind=stale&per_page=500", Status: 400, Expect: []string{`"field":"per_page"`}},
		{Name: "stuck unknown unit", As: admin, URL: "/api/v1/dashboard/stuck?kind=stale&unit=nowhere", Status: 400, Expect: []string{`"field":"unit"`}},
		{Name: "stuck officer other unit 403", As: officer, URL: "/api/v1/dashboard/stuck?kind=approval&unit=gxq", Status: 403},
		{Name: "stuck anonymous 401", URL: "/api/v1/dashboard/stuck?kind=stale", Status: 401},
		{Name: "page stuck overdue", As: officer, URL: "/dashboard?stuck=overdue", Status: 200,
			Expect: []string{"/projects/" + p6, "/projects/" + p1, "待审批决策", "stuck=overdue&amp;sort=-next_due", "/dashboard/export.xlsx"},
			Reject: []string{"/projects/" + p5}},
		{Name: "page stuck bad sort", As: officer, URL: "/dashboard?stuck=overdue&sort=x", Status: 422},
		{Name: "export officer other unit 403", As: officer, URL: "/dashboard/export.xlsx?unit=gxq", Status: 403},
		{Name: "export bad year", As: officer, URL: "/dashboard/export.xlsx?year=abc", Status: 422},
		{Name: "export anonymous", URL: "/dashboard/export.xlsx", Status: 303},
	})

	// Export: every cell equals the API's numbers.
	for _, tc := range []struct {
		c   *testapp.Client
		url string
	}{{admin, ""}, {admin, "unit=gxq"}, {officer, ""}} {
		var cp dashboard.Cockpit
		get(t, tc.c, "/api/v1/dashboard?"+tc.url, &cp)
		st, body := tc.c.Do("GET", "/dashboard/export.xlsx?"+tc.url, nil, nil)
		if st != 200 {
			t.Fatalf("export %s: %d %.200s", tc.url, st, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("open export: %v", err)
		}
		want := dashboard.Sheets(&cp, templates.Label)
		if got := f.GetSheetList(); len(got) != len(want) || len(want) != 5 {
			t.Fatalf("sheets %v", got)
		}
		for _, sh := range want {
			rows, err := f.GetRows(sh.Name, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(sh.Rows)+1 || strings.Join(rows[0], "|") != strings.Join(sh.Header, "|") {
				t.Fatalf("%s: rows %v", sh.Name, rows)
			}
			for i, r := range sh.Rows {
				for j, v := range r {
					got := rows[i+1][j]
					if fmt.Sprint(v) != got {
						t.Errorf("%s %d,%d: %q, want %v", sh.Name, i+2, j+1, got, v)
					}
					cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
					typ, _ := f.GetCellType(sh.Name, cell)
					if _, isText := v.(string); !isText && typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString && !isText {
						t.Errorf("%s %s: number stored as text", sh.Name, cell)
					}
				}
			}
			panes, err := f.GetPanes(sh.Name)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("%s: header not frozen: %+v %v", sh.Name, panes, err)
			}
		}
		// The workbook's figures are the API's: spot-check against the JSON.
		if rows, _ := f.GetRows("督办"); rows[1][1] != fmt.Sprint(cp.Stale) || rows[2][1] != fmt.Sprint(cp.Overdue) || rows[3][1] != fmt.Sprint(cp.Approval) {
			t.Errorf("stuck sheet %v vs %d %d %d", rows, cp.Stale, cp.Overdue, cp.Approval)
		}
		for i, k := range cp.KPIs {
			if rows, _ := f.GetRows("目标完成"); rows[i+1][3] != fmt.Sprint(k.Actual) || rows[i+1][4] != fmt.Sprint(k.Progress) {
				t.Errorf("kpi %s: %v vs %+v", k.Key, rows[i+1], k)
			}
		}
		f.Close()
	}
	log, err := a.P.Users.AuditLog(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, e := range log {
		if e.Action == "export" && e.Kind == "dashboard" {
			exports++
		}
	}
	if exports != 3 {
		t.Errorf("export audit entries = %d, want 3", exports)
	}
}

func TestWorkbookInjection(t *testing.T) {
	b, err := dashboard.Workbook([]dashboard.Sheet{{Name: "目标完成", Header: []string{"指标", "数"},
		Rows: [][]any{{"=cmd|' /C calc'!A0", 1.5}, {"-2", -2}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": "'=cmd|' /C calc'!A0", "B2": "1.5", "A3": "'-2", "B3": "-2"} {
		if got, _ := f.GetCellValue("目标完成", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
		if f, _ := f.GetCellFormula("目标完成", cell); f != "" {
			t.Errorf("%s has formula %q", cell, f)
		}
	}
}
