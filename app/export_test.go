package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
	"zhaoshang/app/testapp"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

func TestExportCommand(t *testing.T) {
	dir := commandEnv(t)
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
		{"filter of another kind", []string{"--kind", "talents", "--stage", "push"}, "--stage：talents 不能按此筛选"},
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

// contents reads every sheet's rows and the template sheet's drop-downs.
func contents(t *testing.T, r io.Reader) (map[string][][]string, []*excelize.DataValidation) {
	t.Helper()
	f, err := excelize.OpenReader(r)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		if out[name], err = f.GetRows(name); err != nil {
			t.Fatal(err)
		}
	}
	dvs, err := f.GetDataValidations(export.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	return out, dvs
}

// export --template writes the template the import page offers, for every
// import kind.
func TestExportTemplateCommand(t *testing.T) {
	dir := commandEnv(t)
	ctx := context.Background()
	p, err := openFor(ctx, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	vocab, err := server.ImportVocab(ctx, p.Matrix)
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range platform.ExportKinds {
		t.Run(kind, func(t *testing.T) {
			out := filepath.Join(dir, kind+".xlsx")
			var code int
			stdout, stderr := capture(t, func() { code = run([]string{"export", "--template", "--kind", kind, "--out", out}) })
			if code != 0 || !strings.Contains(stdout, "导入模板") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			file, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			got, gotDV := contents(t, file)
			var page bytes.Buffer
			if err := export.Template(&page, kind, vocab); err != nil {
				t.Fatal(err)
			}
			want, wantDV := contents(t, &page)
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDV, wantDV) {
				t.Errorf("file differs from the page's template:\n%q\n%q", got, want)
			}
			if len(gotDV) == 0 {
				t.Error("template without drop-downs")
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown kind", []string{"--kind", "widgets"}, "没有“widgets”的导入模板"},
		{"with a filter", []string{"--kind", "projects", "--stage", "push"}, "--template 不能与筛选条件同用"},
		{"no kind", nil, "--kind 必填"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "x.xlsx")
			var code int
			_, stderr := capture(t, func() { code = run(append([]string{"export", "--template", "--out", out}, tc.args...)) })
			if code != 2 || !strings.Contains(stderr, tc.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, stderr, tc.msg)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused template left %s (%v)", out, err)
			}
		})
	}
}

// Beside a serving process the command has the store but not the index:
// the server runs the export (filters, the user's units, the kept records)
// and the command moves the workbook into place; a bad filter is still a
// one-line usage error, and no file is left behind.
func TestExportBesideServer(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	for i, stage := range []string{projects.StageAttract, projects.StageSearch} {
		if err := a.P.Projects.Create(ctx, core.System, &projects.Project{Name: fmt.Sprintf("运行中导出项目%d", i), Type: projects.TypeIndustry,
			Unit: "kfq", Stage: stage}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.P.Users.EnsureUser(ctx, "gxq_wang", "王", users.RoleOfficer, []string{"gxq"}, "Officer-2025"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	export := func(args ...string) (int, string) {
		cmd := exec.Command(os.Args[0], append([]string{"export", "--kind", "projects"}, args...)...)
		cmd.Env = append(os.Environ(), "ZS_TEST_MAIN=1", "ZS_DATA="+a.Dir, "MONGO_URI=", "MEILI_URL=")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), stderr.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}
	names := func(path string) []string {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows("项目")
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[2])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"everything", nil, []string{"运行中导出项目0", "运行中导出项目1"}},
		{"filtered", []string{"--stage", "attract"}, []string{"运行中导出项目0"}},
		{"another unit's officer", []string{"--as", "gxq_wang"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".xlsx")
			if code, errOut := export(append(tc.args, "--out", out)...); code != 0 {
				t.Fatalf("exit %d, %s", code, errOut)
			}
			got := names(out)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
		})
	}
	bad := filepath.Join(dir, "bad.xlsx")
	code, errOut := export("--level", "国家级", "--out", bad)
	if code != 2 || !strings.Contains(errOut, "--level") || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
		t.Fatalf("bad filter beside the server: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatalf("a refused export left a file: %v", err)
	}
	if left, _ := os.ReadDir(a.P.Cfg.Files("exports")); len(left) != 0 {
		t.Errorf("workbooks left in the files dir: %v", left)
	}
}
