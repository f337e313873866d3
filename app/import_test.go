package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/dryrun"
)

// capture runs f with os.Stdout and os.Stderr redirected and returns what
// was written to each.
func capture(t *testing.T, f func()) (stdout, stderr string) {
	t.Helper()
	grab := func(target **os.File) (func() string, error) {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		old := *target
		*target = w
		done := make(chan string)
		go func() { b, _ := io.ReadAll(r); done <- string(b) }()
		return func() string { *target = old; w.Close(); return <-done }, nil
	}
	out, err := grab(&os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := grab(&os.Stderr)
	if err != nil {
		out()
		t.Fatal(err)
	}
	f()
	return out(), errOut()
}

func TestImportDryRunCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ZS_DATA", filepath.Join(dir, "data"))
	t.Setenv("MONGO_URI", "")
	t.Setenv("MEILI_URL", "")
	t.Setenv("ZS_ADMIN_PASSWORD", "Admin-2025x")
	p, err := openFor(context.Background(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.EnsureAdmin(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	p.Close()

	x := excelize.NewFile()
	for i, r := range [][]any{
		{"2024年项目台账"},
		{"项目名称", "项目类型", "所属区镇", "阶段", "签约日期", "总投资（万元）"},
		{"智能传感器项目", "产业", "张浦镇", "在谈", "2024-03-05", "1,200"},
		{"医疗器械项目", "产业", "张浦镇", "已签约", "2024-02-30", "800"},
		{"合计", "", "", "", "", "2000"},
	} {
		if err := x.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r); err != nil {
			t.Fatal(err)
		}
	}
	ledger := filepath.Join(dir, "台账.xlsx")
	if err := x.SaveAs(ledger); err != nil {
		t.Fatal(err)
	}
	fake := filepath.Join(dir, "notes.xlsx")
	if err := os.WriteFile(fake, []byte("这不是表格，只是改了扩展名的文本文件\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var code int
	stdout, stderr := capture(t, func() {
		code = run([]string{"import", "--kind", "projects", "--file", ledger, "--dry-run", "--json"})
	})
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	var rep dryrun.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, stdout)
	}
	if rep.File != ledger || rep.Kind != "projects" || !rep.DryRun || rep.Rows != 3 || rep.Created != 1 ||
		rep.Skipped != 1 || rep.Rejected != 1 || rep.BatchID != "" || len(rep.Errors) != 1 {
		t.Fatalf("report %+v", rep)
	}
	if e := rep.Errors[0]; e.Row != 4 || e.Column != "签约日期" || e.Value != "2024-02-30" || e.Message == "" {
		t.Errorf("error %+v", e)
	}
	for _, key := range []string{`"file"`, `"kind"`, `"dry_run":true`, `"rows"`, `"created"`, `"updated"`,
		`"unchanged"`, `"skipped"`, `"rejected"`, `"batch_id":""`, `"errors"`, `"row"`, `"column"`, `"value"`, `"message"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("JSON lacks %s: %s", key, stdout)
		}
	}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"renamed text file", []string{"import", "--kind", "projects", "--file", fake, "--dry-run", "--json"}, "不是有效的 .xlsx"},
		{"other kind", []string{"import", "--kind", "events", "--file", ledger, "--dry-run"}, "暂只支持 --kind projects 的预览"},
		{"commit", []string{"import", "--kind", "projects", "--file", ledger}, "--dry-run"},
		{"missing file", []string{"import", "--kind", "projects", "--file", filepath.Join(dir, "nope.xlsx"), "--dry-run"}, "无法打开文件"},
		{"unknown user", []string{"import", "--kind", "projects", "--file", ledger, "--dry-run", "--as", "nobody"}, "未知用户"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var code int
			stdout, stderr := capture(t, func() { code = run(c.args) })
			if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, c.want)
			}
			lines := 0
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if strings.HasPrefix(l, "zhaoshang:") {
					lines++
				}
			}
			if lines != 1 {
				t.Errorf("want one reason line on stderr, got %q", stderr)
			}
		})
	}
}
