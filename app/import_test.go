package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// TestMain lets a test run the command line in a child process (to kill
// it with SIGKILL): ZS_TEST_MAIN=1 makes the test binary be zhaoshang.
func TestMain(m *testing.M) {
	if os.Getenv("ZS_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

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

// commandEnv points the commands at a fresh embedded data dir under a temp
// dir (returned) with the test admin password, whatever the caller's
// environment says.
func commandEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("ZS_DATA", filepath.Join(dir, "data"))
	t.Setenv("MONGO_URI", "")
	t.Setenv("MEILI_URL", "")
	t.Setenv("ZS_ADMIN_PASSWORD", "Admin-2025x")
	return dir
}

func TestImportDryRunCommand(t *testing.T) {
	dir := commandEnv(t)
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
	var rep batch.Report
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
		{"unknown kind", []string{"import", "--kind", "fruit", "--file", ledger, "--dry-run"}, "未知导入类型"},
		{"no kind", []string{"import", "--file", ledger}, "--kind 必填"},
		{"bad confirm", []string{"import", "--kind", "projects", "--file", ledger, "--confirm", "x"}, "--confirm"},
		{"unknown batch", []string{"import", "--undo", "imp-nope"}, "没有导入批次"},
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

func writeLedger(t *testing.T, path string, rows [][]any) {
	t.Helper()
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func importJSON(t *testing.T, args ...string) (int, batch.Report, string) {
	t.Helper()
	var code int
	stdout, stderr := capture(t, func() { code = run(append([]string{"import", "--json"}, args...)) })
	var rep batch.Report
	if stdout != "" {
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("stdout is not one JSON report: %v\n%s", err, stdout)
		}
	}
	return code, rep, stderr
}

// Commit, re-import (nothing changes), undo — through the command line.
func TestImportCommitAndUndoCommand(t *testing.T) {
	dir := commandEnv(t)
	ledger := filepath.Join(dir, "台账.xlsx")
	writeLedger(t, ledger, [][]any{
		{"项目名称", "项目类型", "所属区镇", "阶段", "签约日期", "总投资（万元）"},
		{"智能传感器项目", "产业", "张浦镇", "在谈", "2024-03-05", "1,200"},
		{"储能项目", "产业", "张浦镇", "已签约", "2024-03-05", "1.2亿"},
		{"医疗器械项目", "产业", "张浦镇", "已签约", "2024-02-30", "800"},
	})
	code, rep, stderr := importJSON(t, "--kind", "projects", "--file", ledger)
	if code != 3 || rep.DryRun || rep.BatchID == "" || rep.Created != 2 || rep.Rejected != 1 {
		t.Fatalf("commit: exit %d, report %+v, stderr %s", code, rep, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "imports", rep.BatchID, "rejected.xlsx")); err != nil {
		t.Errorf("rejected rows workbook: %v", err)
	}
	code, again, _ := importJSON(t, "--kind", "projects", "--file", ledger)
	if code != 3 || again.Created != 0 || again.Unchanged != 2 {
		t.Fatalf("re-import: exit %d, %+v", code, again)
	}
	var out string
	stdout, stderr := capture(t, func() { code = run([]string{"import", "--undo", rep.BatchID}) })
	out = stdout
	if code != 0 || !strings.Contains(out, "已撤销") {
		t.Fatalf("undo: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, after, _ := importJSON(t, "--kind", "projects", "--file", ledger, "--dry-run")
	if code != 3 || after.Created != 2 {
		t.Fatalf("after undo the rows are new again: exit %d, %+v", code, after)
	}
}

// kill -9 of `zhaoshang import` in the middle of its commit: the server
// sharing the data dir rolls the batch back; no half file remains.
func TestImportKilledMidCommitRollsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,000-row ledger")
	}
	a := testapp.Start(t)
	ledger := filepath.Join(t.TempDir(), "big.xlsx")
	rows := [][]any{{"项目名称", "项目类型", "所属区镇", "总投资（万元）"}}
	for i := range 20000 {
		rows = append(rows, []any{fmt.Sprintf("批量导入项目%05d", i), "产业", "张浦镇", i % 900})
	}
	writeLedger(t, ledger, rows)

	cmd := exec.Command(os.Args[0], "import", "--kind", "projects", "--file", ledger)
	cmd.Env = append(os.Environ(), "ZS_TEST_MAIN=1", "ZS_DATA="+a.Dir, "MONGO_URI=", "MEILI_URL=")
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	jobs := a.P.Store.DB.Collection(batch.JobsCollection)
	deadline := time.Now().Add(60 * time.Second)
	var j batch.Job
	for {
		if jobs.FindOne(ctx, bson.D{{Key: "state", Value: batch.StateCommitting}}).Decode(&j) == nil && j.Chunks >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import never reached its second chunk; stderr: %s", errBuf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	written := 0
	a.P.Projects.Each(ctx, func(p *projects.Project) error { written++; return nil })
	if written == 0 {
		t.Fatal("killed before anything was written: the test proves nothing")
	}
	done, err := a.P.Imports.Recover(ctx)
	if err != nil || len(done) != 1 || done[0] != j.ID {
		t.Fatalf("recover = %v, %v", done, err)
	}
	left := 0
	a.P.Projects.Each(ctx, func(p *projects.Project) error { left++; return nil })
	if left != 0 {
		t.Fatalf("%d of %d written projects left after rollback", left, written)
	}
	got, _ := a.P.Imports.Job(ctx, j.ID)
	if got.State != batch.StateRolledBack {
		t.Fatalf("job state %s", got.State)
	}
	t.Logf("killed after %d chunks with %d projects written; all rolled back", j.Chunks, written)
}

// kill -9 of `zhaoshang reindex` in the middle of its rebuild: the old
// index was never replaced, serves at the next start with every record,
// and the half-built directory is removed.
func TestReindexKilledKeepsOldIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds demo data")
	}
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("ZS_DATA", dir)
	t.Setenv("MONGO_URI", "")
	t.Setenv("MEILI_URL", "")
	t.Setenv("ZS_ADMIN_PASSWORD", testapp.AdminPassword)
	p, err := openFor(context.Background(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ps []*projects.Project
	for i := range 6000 {
		ps = append(ps, &projects.Project{Meta: core.Meta{ID: fmt.Sprintf("rk%05d", i)}, Type: "industry",
			Name: fmt.Sprintf("重建中断测试项目%05d", i), Unit: "kfq", Stage: "search", Summary: strings.Repeat("项目简介", 50)})
	}
	if _, _, err := p.Projects.UpsertMany(context.Background(), core.System, ps); err != nil {
		t.Fatal(err)
	}
	if err := p.EnsureAdmin(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	// The swap writes search.current.tmp before renaming it: a named pipe
	// there that nobody opens for reading blocks that write, so the rebuild
	// cannot swap before the kill however fast it runs.
	fifo := filepath.Join(dir, searchCurrent+".tmp")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "reindex")
	cmd.Env = append(os.Environ(), "ZS_TEST_MAIN=1")
	var progress syncBuffer
	cmd.Stderr = &progress
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Mid-rebuild: the new index directory exists and a batch of projects
	// is in it (the progress line on stderr).
	batchDone := regexp.MustCompile(projects.Kind + ` +\d+ 条`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		m, _ := filepath.Glob(filepath.Join(dir, "search-*"))
		if len(m) > 0 && batchDone.MatchString(progress.String()) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the rebuild never indexed a batch of projects; stderr: %s", progress.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	if err := cmd.Wait(); err == nil {
		t.Fatal("the rebuild finished although its swap was blocked")
	}
	if _, err := os.Stat(filepath.Join(dir, searchCurrent)); err == nil {
		t.Fatal("the swap happened before the kill")
	}
	if err := os.Remove(fifo); err != nil {
		t.Fatal(err)
	}
	a := testapp.StartIn(t, dir)
	if m, _ := filepath.Glob(filepath.Join(dir, "search-*")); len(m) != 0 {
		t.Errorf("half-built index dirs left: %v", m)
	}
	st, body := a.Admin(t).Do("GET", "/api/v1/projects?per_page=1", nil, nil)
	if st != 200 || !strings.Contains(body, `"total":6000`) {
		t.Fatalf("after the killed rebuild: %d %.200s", st, body)
	}
}

// searchCurrent is the file naming the embedded index in use
// (platform.searchCurrent).
const searchCurrent = "search.current"

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
