package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ZS_DATA", filepath.Join(dir, "data"))
	t.Setenv("MONGO_URI", "")
	t.Setenv("MEILI_URL", "")
	t.Setenv("ZS_ADMIN_PASSWORD", "Admin-2025x")
	ctx := context.Background()
	p, err := openFor(ctx, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		unit := []string{"kfq", "gxq", "kfq"}[i%3]
		stage := []string{projects.StageSearch, projects.StageAttract}[i%2]
		if err := p.Projects.Create(ctx, core.System, &projects.Project{Name: fmt.Sprintf("导出测试项目%d", i),
			Type: projects.TypeIndustry, Unit: unit, Stage: stage, Investment: 100}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Users.EnsureUser(ctx, "kfq_li", "李", users.RoleOfficer, []string{"kfq"}, "Officer-2025"); err != nil {
		t.Fatal(err)
	}
	p.Close()

	rowsOf := func(path string) [][]string {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("项目")
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for _, tc := range []struct {
		name string
		args []string
		rows int
	}{
		{"admin all", nil, 9},
		{"admin stage", []string{"--stage", "attract"}, 4},
		{"officer", []string{"--as", "kfq_li"}, 6},
		{"officer other unit", []string{"--as", "kfq_li", "--unit", "gxq"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".xlsx")
			var code int
			stdout, stderr := capture(t, func() {
				code = run(append([]string{"export", "--kind", "projects", "--out", out}, tc.args...))
			})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, fmt.Sprintf("已导出 %d 条", tc.rows)) {
				t.Errorf("stdout = %q", stdout)
			}
			if got := len(rowsOf(out)) - 1; got != tc.rows {
				t.Errorf("file has %d rows, want %d", got, tc.rows)
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"bad stage", []string{"--kind", "projects", "--stage", "bogus"}, "--stage"},
		{"filter of another kind", []string{"--kind", "talents", "--stage", "push"}, "不能按 --stage 筛选"},
		{"unknown kind", []string{"--kind", "widgets"}, "--kind"},
		{"no out", []string{"--kind", "projects"}, "--out"},
		{"unknown user", []string{"--kind", "projects", "--as", "nobody"}, "未知用户"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"export"}, tc.args...)
			if tc.name != "no out" {
				args = append(args, "--out", filepath.Join(dir, "x.xlsx"))
			}
			var code int
			_, stderr := capture(t, func() { code = run(args) })
			if code != 2 || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.msg)
			}
		})
	}
}
