package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// down is a search engine that cannot be reached.
type down struct{}

func (down) err() error                                             { return fmt.Errorf("test: %w", search.ErrUnavailable) }
func (d down) Index(context.Context, ...search.Doc) error           { return d.err() }
func (d down) Delete(context.Context, search.Kind, ...string) error { return d.err() }
func (d down) Search(context.Context, search.Query) (search.Result, error) {
	return search.Result{}, d.err()
}
func (d down) Versions(context.Context, search.Kind, []string) (map[string]int64, error) {
	return nil, d.err()
}
func (d down) Health(context.Context) error             { return d.err() }
func (d down) Reset(context.Context, search.Kind) error { return d.err() }
func (d down) Close() error                             { return nil }

// The search engine unreachable for a while: writes still succeed,
// /readyz says search is degraded, and when the engine is back the outbox
// catches the index up and /readyz is ready again.
func TestSearchOutageDegradesAndCatchesUp(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	admin := a.Admin(t)
	live := a.P.Swap.Replace(down{})

	st, body := admin.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": "引擎停机期间新建的项目",
		"unit": "kfq"}, nil)
	if st != 201 {
		t.Fatalf("create while search is down: %d %s", st, body)
	}
	var id string
	if i := strings.Index(body, `"id":"`); i >= 0 {
		id = body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
	}
	if p, err := a.P.Projects.Get(context.Background(), id); err != nil || p.Name != "引擎停机期间新建的项目" {
		t.Fatalf("the write is not stored: %v", err)
	}
	cat, _ := a.P.Matrix.Catalog(context.Background())
	st, body = admin.Do("POST", "/api/v1/talents", map[string]any{"name": "停机期间登记的人才", "level": cat.TalentLevels[0],
		"industry": cat.Industries[0].Name, "unit": "kfq"}, nil)
	if st != 201 {
		t.Fatalf("create a talent while search is down: %d %s", st, body)
	}
	st, body = admin.Do("GET", "/readyz", nil, nil)
	if st != 503 || !strings.Contains(body, `"status":"degraded"`) || !strings.Contains(body, `"failing":"search"`) {
		t.Fatalf("/readyz while search is down: %d %s", st, body)
	}
	if st, _ := admin.Do("GET", "/api/v1/projects?q=停机", nil, nil); st < 500 {
		// Lists need the engine: a clear error, not a wrong empty list.
		t.Logf("list while search is down: %d", st)
	}

	a.P.Swap.Replace(live)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := a.P.Engine.Search(context.Background(), search.Query{Kinds: []string{projects.Kind}, Text: "引擎停机期间",
			Scope: search.Scope{All: true}})
		if err == nil && res.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index did not catch up: %+v %v", res.Total, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for {
		if st, _ := admin.Do("GET", "/readyz", nil, nil); st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz stayed degraded after the engine came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// tmpfs mounts a size-limited tmpfs for the test (root only; skipped
// elsewhere) and returns its path.
func tmpfs(t *testing.T, size string, opts ...string) string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-t", "tmpfs", "-o", strings.Join(append([]string{"size=" + size}, opts...), ","), "tmpfs", dir}
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// The disk fills up while serving: a write gets a clear 507 and is not
// half-stored; once space is freed writes work again and, after a
// restart, every acknowledged record is there.
func TestDiskFullIsClearAndHarmless(t *testing.T) {
	t.Parallel()
	dir := tmpfs(t, "96m")
	a := testapp.StartIn(t, filepath.Join(dir, "data"))
	admin := a.Admin(t)
	create := func(name string) (int, string) {
		return admin.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": name, "unit": "kfq"}, nil)
	}
	if st, body := create("磁盘满之前的项目"); st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	for {
		if _, err := f.Write(buf); err != nil {
			break // ENOSPC: the disk is full
		}
	}
	f.Close()
	full := 0
	for i := range 20 { // SQLite may still have free pages for a few writes
		st, body := create(fmt.Sprintf("磁盘满时的项目%d", i))
		if st == 201 {
			continue
		}
		if st != 507 || !strings.Contains(body, "storage_full") || !strings.Contains(body, "磁盘空间不足") {
			t.Fatalf("write on a full disk: %d %s, want 507 storage_full", st, body)
		}
		full++
		break
	}
	if full == 0 {
		t.Fatal("20 writes succeeded on a full disk: the test filled nothing")
	}
	os.Remove(filler)
	if st, body := create("清理空间之后的项目"); st != 201 {
		t.Fatalf("create after freeing space: %d %s", st, body)
	}
	stored := 0
	a.P.Projects.Each(context.Background(), func(p *projects.Project) error { stored++; return nil })
	a.Stop()
	b := testapp.StartIn(t, filepath.Join(dir, "data"))
	again := 0
	if err := b.P.Projects.Each(context.Background(), func(p *projects.Project) error { again++; return nil }); err != nil {
		t.Fatalf("store after restart: %v", err)
	}
	if again != stored || stored < 2 {
		t.Fatalf("after restart %d projects, before %d", again, stored)
	}
}

// A data dir that became read-only (a remount after a disk error) refuses
// to start with a one-line reason, and its data is intact once writable.
func TestReadOnlyDataDirRefusesToStart(t *testing.T) {
	t.Parallel()
	dir := tmpfs(t, "96m")
	data := filepath.Join(dir, "data")
	a := testapp.StartIn(t, data)
	if st, body := a.Admin(t).Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": "只读之前的项目", "unit": "kfq"}, nil); st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	a.Stop()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	err := startSecond(t, data)
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("start on a read-only dir: %v", err)
	}
	t.Logf("refused: %v", err)
	if out, err := exec.Command("mount", "-o", "remount,rw", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount rw: %v %s", err, out)
	}
	b := testapp.StartIn(t, data)
	n := 0
	b.P.Projects.Each(context.Background(), func(p *projects.Project) error { n++; return nil })
	if n != 1 {
		t.Fatalf("%d projects after the read-only episode, want 1", n)
	}
}
