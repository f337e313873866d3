package export_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

const pw = "Officer-2025"

// book parses a downloaded workbook and returns its first sheet's rows.
func book(t testing.TB, body string) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not an xlsx: %v; body %.200q", err, body)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// listTotal is the total the JSON list answers for the same filters.
func listTotal(t *testing.T, c *testapp.Client, path string) int {
	t.Helper()
	st, body := c.Do("GET", path, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", path, st, body)
	}
	var r struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	return r.Total
}

func download(t *testing.T, c *testapp.Client, path string) (*excelize.File, [][]string) {
	t.Helper()
	st, body := c.Do("GET", path, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %.300s", path, st, body)
	}
	return book(t, body)
}

func TestExportAccess(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	ctx := context.Background()
	admin := a.Admin(t)
	for _, u := range []struct{ name, unit string }{{"kfq_li", "kfq"}, {"gxq_wang", "gxq"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, users.RoleOfficer, []string{u.unit}, pw); err != nil {
			t.Fatal(err)
		}
	}
	officer := a.Client(t).Login("kfq_li", pw)

	stages := []string{projects.StageSearch, projects.StageAttract, projects.StageProcess}
	for i := range 30 {
		unit := "kfq"
		if i%3 == 0 {
			unit = "gxq"
		}
		p := &projects.Project{Name: fmt.Sprintf("昆山新材料项目%02d", i), Type: projects.TypeIndustry, Industry: "新材料",
			Unit: unit, Officer: "kfq_li", Stage: stages[i%len(stages)], Investment: float64(1000 + i),
			Summary: "智能制造产线", Milestones: projects.Milestones{Signed: core.NewDate(2024, 3, 5)}}
		if i == 1 {
			p.Name = "=HYPERLINK(\"http://x\")"
		}
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.P.Records.Events.Create(ctx, core.System, &events.Event{Title: "新材料沙龙", Type: "沙龙", Date: core.Today(time.Now()),
		Unit: "kfq", Status: events.StatusHeld, Attendees: 40}); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Records.Talents.Create(ctx, core.System, &resources.Talent{Name: "张伟", Level: "国家级", Industry: "新材料", Unit: "gxq"}); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Records.Policies.Create(ctx, core.System, &policies.Policy{Title: "昆山市科技创新政策", Level: "市级",
		Status: policies.StatusValid, Issuer: "昆山市科技局", Unit: policies.DefaultUnit}); err != nil {
		t.Fatal(err)
	}

	testapp.Run(t, a, []testapp.Scenario{
		{Name: "anonymous export redirects", URL: "/projects/export.xlsx", Status: 303},
		{Name: "anonymous resources export redirects", URL: "/resources/talents/export.xlsx", Status: 303},
		{Name: "anonymous template redirects", URL: "/imports/templates/projects.xlsx", Status: 303},
		{Name: "bad stage 400 with field", As: officer, URL: "/projects/export.xlsx?stage=bogus", Status: 400, Expect: []string{`"field":"stage"`}},
		{Name: "bad date 400 with field", As: officer, URL: "/projects/export.xlsx?from=2024-02-30", Status: 400, Expect: []string{`"field":"from"`}},
		{Name: "bad event year 400", As: officer, URL: "/events/export.xlsx?year=24", Status: 400, Expect: []string{`"field":"year"`}},
		{Name: "bad resource filter 400", As: officer, URL: "/resources/talents/export.xlsx?q=" + strings.Repeat("长", 201), Status: 400, Expect: []string{`"field":"q"`}},
		{Name: "bad policy level 400", As: officer, URL: "/policies/export.xlsx?level=bogus", Status: 400, Expect: []string{`"field":"level"`}},
		{Name: "unknown template 404", As: officer, URL: "/imports/templates/nope.xlsx", Status: 404},
		{Name: "list page has the export button", As: officer, URL: "/projects?stage=attract", Status: 200,
			Expect: []string{`href="/projects/export.xlsx?stage=attract"`, "导出 Excel"}},
		{Name: "events page has the export button", As: officer, URL: "/events", Status: 200, Expect: []string{`/events/export.xlsx?`}},
		{Name: "policies page has the export button", As: officer, URL: "/policies", Status: 200, Expect: []string{`/policies/export.xlsx?`}},
		{Name: "resources page has the export button", As: officer, URL: "/resources/talents", Status: 200, Expect: []string{`/resources/talents/export.xlsx`}},
	})

	kfq := a.P.Matrix.Name("kfq")
	for _, tc := range []struct {
		name   string
		c      *testapp.Client
		filter string
	}{
		{"officer all", officer, ""},
		{"officer stage", officer, "stage=attract"},
		{"officer text", officer, "q=" + url.QueryEscape("新材料")},
		{"officer other unit", officer, "unit=gxq"},
		{"admin all", admin, ""},
		{"admin stage", admin, "stage=process"},
		{"admin unit", admin, "unit=gxq"},
		{"admin one (loaded by id)", admin, "q=HYPERLINK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, rows := download(t, tc.c, "/projects/export.xlsx?"+tc.filter)
			want := listTotal(t, tc.c, "/api/v1/projects?"+tc.filter)
			if len(rows)-1 != want || want == 0 && tc.filter != "unit=gxq" {
				t.Errorf("export has %d rows, list total %d", len(rows)-1, want)
			}
			unitCol := slices.Index(rows[0], "责任单位")
			for _, r := range rows[1:] {
				if tc.c == officer && r[unitCol] != kfq {
					t.Errorf("officer export holds a row of %q", r[unitCol])
				}
			}
			if v, _ := f.GetColVisible("项目", "A"); v {
				t.Error("记录ID column visible")
			}
		})
	}
	_, prows := download(t, admin, "/projects/export.xlsx")
	if res, err := header.Detect([]sheet.Row{{Num: 1, Cells: prows[0]}}, projects.LedgerFields); err != nil || len(res.Unmapped) > 0 ||
		len(res.Columns) != len(prows[0]) || len(res.Columns) != len(projects.LedgerFields) {
		t.Errorf("projects export header %q does not map onto every import field: %+v", prows[0], res)
	}
	if rows := prows; len(rows) != 31 {
		t.Errorf("admin export has %d rows, want 30 + header", len(rows)-1)
	} else {
		var names []string
		for _, r := range rows[1:] {
			names = append(names, r[2])
		}
		if !slices.Contains(names, `'=HYPERLINK("http://x")`) {
			t.Errorf("formula not neutralised in %q", names)
		}
	}
	for _, path := range []string{"/events/export.xlsx", "/resources/talents/export.xlsx", "/policies/export.xlsx", "/resources/enterprises/export.xlsx",
		"/resources/institutes/export.xlsx", "/resources/results/export.xlsx"} {
		api := strings.Replace(strings.TrimSuffix(path, "/export.xlsx"), "/resources", "", 1)
		for _, c := range []*testapp.Client{officer, admin} {
			_, rows := download(t, c, path)
			if want := listTotal(t, c, "/api/v1"+api); len(rows)-1 != want {
				t.Errorf("%s: %d rows, list total %d", path, len(rows)-1, want)
			}
			// Every exported column maps back onto an import field.
			kind := strings.TrimPrefix(api, "/")
			res, err := header.Detect([]sheet.Row{{Num: 1, Cells: rows[0]}}, header.FieldsFor(kind))
			if err != nil || len(res.Unmapped) > 0 || len(res.Duplicate) > 0 || len(res.Columns) != len(rows[0]) ||
				len(res.Columns) != len(header.FieldsFor(kind)) {
				t.Errorf("%s: header %q maps %d columns, unmapped %v (%v)", path, rows[0], len(res.Columns), res.Unmapped, err)
			}
		}
	}

	log, err := a.P.Users.AuditLog(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	audited := 0
	for _, e := range log {
		if e.Action == "export" && e.Kind == "projects" && e.User == "kfq_li" && strings.Contains(e.Note, "stage=attract") {
			audited++
			if !strings.HasPrefix(e.Note, fmt.Sprintf("%d 行", listTotal(t, officer, "/api/v1/projects?stage=attract"))) {
				t.Errorf("audit note %q lacks the row count", e.Note)
			}
		}
	}
	if audited != 1 {
		t.Errorf("audited stage exports of kfq_li = %d, want 1", audited)
	}

	// The template: catalog values in the drop-downs, instructions, no hidden columns.
	f, rows := download(t, officer, "/imports/templates/projects.xlsx")
	cat, err := a.P.Matrix.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	for _, l := range head {
		if strings.Contains(l, "记录") {
			t.Errorf("template shows hidden column %q", l)
		}
	}
	stage := validation(t, f, colOf(t, head, "阶段"))
	if stage == nil || !strings.Contains(stage.Formula1, "资源招引") {
		t.Errorf("stage drop-down = %+v", stage)
	}
	ind := validation(t, f, colOf(t, head, "所属行业"))
	if ind == nil {
		t.Fatal("no industry drop-down")
	}
	values := dropValues(t, f, ind)
	if want := cat.List("industries"); !slices.Equal(values, want) {
		t.Errorf("industry drop-down = %q, want the catalog %q", values, want)
	}
	if i := slices.Index(f.GetSheetList(), export.HelpSheet); i < 0 {
		t.Error("no 填写说明 sheet")
	}

	// Every kind's template: its header maps completely, each enumeration
	// has its drop-down.
	for _, kind := range []string{"projects", "events", "talents", "enterprises", "institutes", "results", "policies"} {
		f, rows := download(t, officer, "/imports/templates/"+kind+".xlsx")
		fields := header.FieldsFor(kind)
		res, err := header.Detect([]sheet.Row{{Num: 1, Cells: rows[0]}}, fields)
		if err != nil || len(res.Unmapped) > 0 || len(res.Missing) > 0 || len(res.Columns) != len(header.Visible(fields)) {
			t.Errorf("%s template header %q: %+v %v", kind, rows[0], res, err)
			continue
		}
		for col, key := range res.Columns {
			i := slices.IndexFunc(fields, func(f header.Field) bool { return f.Key == key })
			name, _ := excelize.ColumnNumberToName(col + 1)
			dv := validation(t, f, name)
			if (fields[i].Choices != "") != (dv != nil) {
				t.Errorf("%s template column %s (%s): choices %q, drop-down %+v", kind, name, key, fields[i].Choices, dv)
				continue
			}
			// A technology result's enumerations offer the model's choices.
			if rf := resultField(key); kind == resources.KindResults && rf != nil && rf.Type == resources.TypeChoice {
				if got, want := dropValues(t, f, dv), rf.Options(cat); !slices.Equal(got, want) {
					t.Errorf("results template %s drop-down = %q, want %q", key, got, want)
				}
			}
		}
	}
}

// resultField is the technology results' model field key, or nil.
func resultField(key string) *resources.Field {
	i := slices.IndexFunc(resources.ResultKind.Fields, func(f *resources.Field) bool { return f.Key == key })
	if i < 0 {
		return nil
	}
	return resources.ResultKind.Fields[i]
}

// dropValues returns a drop-down's values, inline or from the 选项 sheet.
func dropValues(t *testing.T, f *excelize.File, dv *excelize.DataValidation) []string {
	t.Helper()
	if strings.HasPrefix(dv.Formula1, `"`) {
		return strings.Split(strings.Trim(dv.Formula1, `"`), ",")
	}
	sheet, ref, _ := strings.Cut(dv.Formula1, "!")
	from, to, _ := strings.Cut(strings.ReplaceAll(ref, "$", ""), ":")
	c1, r1, _ := excelize.CellNameToCoordinates(from)
	_, r2, _ := excelize.CellNameToCoordinates(to)
	var out []string
	for r := r1; r <= r2; r++ {
		cell, _ := excelize.CoordinatesToCellName(c1, r)
		v, _ := f.GetCellValue(sheet, cell)
		out = append(out, v)
	}
	return out
}
