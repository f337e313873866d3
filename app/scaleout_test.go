package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/app/storage"
	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
)

// storeProcess runs `zhaoshang serve` in a child process and returns the
// loopback MongoDB URI of its embedded store: a third process that two app
// instances then share through MONGO_URI, as they would share a MongoDB.
func storeProcess(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), "ZS_TEST_MAIN=1", "ZS_DATA="+dir, "ZS_ADDR="+addr, "MONGO_URI=", "MEILI_URL=",
		"ZS_ADMIN_PASSWORD="+testapp.AdminPassword)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(filepath.Join(dir, "zhaoshang.pid"))
		var info storage.LockInfo
		if err == nil && json.Unmarshal(b, &info) == nil && info.MongoURI != "" {
			return info.MongoURI
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the store process did not start")
	return ""
}

// Two app instances on two loopback ports share one store: a session made
// on one works on the other, the login rate limit is shared, an import
// committed on one is listed and undone on the other, a dead commit is
// recovered once, and a lease is held by one instance at a time.
func TestTwoInstancesShareOneStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three servers")
	}
	t.Setenv("ZS_TEST_MONGO_URI", storeProcess(t))
	a := testapp.StartIn(t, t.TempDir())
	b := testapp.StartIn(t, t.TempDir())
	if a.URL == b.URL || a.P.Store.Embedded || b.P.Store.Embedded {
		t.Fatalf("instances %s and %s must be two servers on MONGO_URI", a.URL, b.URL)
	}
	ctx := context.Background()

	// Session: signed in on A, the same cookie works on B; logout on B
	// ends it on A.
	ca := a.Admin(t)
	cb := b.Client(t)
	cb.CSRF = ca.CSRF
	cb.HTTP.Jar.SetCookies(mustURL(t, b.URL), ca.HTTP.Jar.Cookies(mustURL(t, a.URL)))
	if st, body := cb.Do("GET", "/api/v1/auth/me", nil, nil); st != 200 {
		t.Fatalf("A's session on B: %d %s", st, body)
	}
	if st, _ := cb.Do("POST", "/api/v1/auth/logout", nil, nil); st != 200 {
		t.Fatalf("logout on B: %d", st)
	}
	if st, _ := ca.Do("GET", "/api/v1/auth/me", nil, nil); st != 401 {
		t.Fatalf("session ended on B still works on A: %d", st)
	}

	// The login rate limit (10 a minute per IP) counts attempts on both
	// instances together: alternating between them, the first 429 comes
	// within 10 attempts (20 if each counted alone). The window is a clock
	// minute: both instances read one fake clock standing at the start of
	// a fresh one, so no attempt falls into the next.
	clock := testapp.NewClock(time.Now().Truncate(time.Minute).Add(time.Minute))
	a.P.Users.SetRateClock(clock.Now)
	b.P.Users.SetRateClock(clock.Now)
	limited := 0
	for i := range 25 {
		app := []*testapp.App{a, b}[i%2]
		st, _ := app.Client(t).Do("POST", "/api/v1/auth/login", map[string]string{"username": fmt.Sprintf("ghost%d", i), "password": "x"}, nil)
		if st == 429 {
			limited = i + 1
			break
		}
		if st != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, st)
		}
	}
	if limited == 0 || limited > 11 {
		t.Fatalf("first 429 at attempt %d, want ≤ 11 (one shared limit)", limited)
	}
	for _, app := range []*testapp.App{a, b} {
		if st, _ := app.Client(t).Do("POST", "/api/v1/auth/login", map[string]string{"username": "ghost", "password": "x"}, nil); st != 429 {
			t.Errorf("after the limit on %s: %d, want 429", app.URL, st)
		}
	}
	// The next minute is a new window on both.
	clock.Advance(time.Minute)
	for _, app := range []*testapp.App{a, b} {
		if st, _ := app.Client(t).Do("POST", "/api/v1/auth/login", map[string]string{"username": "ghost", "password": "x"}, nil); st != 401 {
			t.Errorf("in the next window on %s: %d, want 401", app.URL, st)
		}
	}

	// An import committed on A is listed and undone on B.
	ledger := filepath.Join(t.TempDir(), "台账.xlsx")
	writeLedger(t, ledger, [][]any{{"项目名称", "项目类型"}, {"跨实例导入项目甲", "产业"}, {"跨实例导入项目乙", "人才"}})
	code, rep, stderr := importJSONWith(t, a, "--kind", "projects", "--file", ledger)
	if code != 0 || rep.Created != 2 {
		t.Fatalf("import on A: exit %d, %+v, %s", code, rep, stderr)
	}
	jobs, err := b.P.Imports.List(ctx, "admin", core.AllUnits, "")
	if err != nil || len(jobs) != 1 || jobs[0].ID != rep.BatchID {
		t.Fatalf("B lists %+v, %v", jobs, err)
	}
	if _, err := b.P.Imports.Undo(ctx, core.Actor{User: "admin"}, rep.BatchID); err != nil {
		t.Fatalf("undo on B: %v", err)
	}
	if j, _ := a.P.Imports.Job(ctx, rep.BatchID); j.State != batch.StateUndone {
		t.Fatalf("A sees state %s", j.State)
	}

	// A commit whose process died is rolled back by exactly one instance.
	dead := batch.Job{ID: "imp-dead", Kind: "projects", State: batch.StateCommitting, By: "admin",
		Owner: batch.Owner{Host: "gone", PID: 1}, Heartbeat: time.Now().Add(-time.Hour), CreatedAt: time.Now()}
	if _, err := a.P.Store.DB.Collection(batch.JobsCollection).InsertOne(ctx, dead); err != nil {
		t.Fatal(err)
	}
	got := make(chan []string, 2)
	for _, app := range []*testapp.App{a, b} {
		go func() { ids, _ := app.P.Imports.Recover(ctx); got <- ids }()
	}
	n := len(<-got) + len(<-got)
	if j, _ := b.P.Imports.Job(ctx, "imp-dead"); j.State != batch.StateRolledBack || n < 1 {
		t.Fatalf("dead commit: state %s, recovered %d times", j.State, n)
	}
	var audits int
	cur, _ := a.P.Store.DB.Collection("audit").Find(ctx, bson.D{{Key: "record_id", Value: "imp-dead"}})
	for cur.Next(ctx) {
		audits++
	}
	if audits != 1 {
		t.Errorf("the dead commit was rolled back %d times (audit entries), want once", audits)
	}

	// Search across instances: only with a shared engine (MEILI_URL); the
	// embedded Bleve index is per instance. No Meilisearch can be installed
	// on the build machines, so this part runs where MEILI_URL is set.
	if os.Getenv("MEILI_URL") != "" {
		ca = a.Admin(t)
		name := fmt.Sprintf("跨实例搜索项目%d", time.Now().UnixNano())
		if st, body := ca.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": name, "unit": "kfq"}, nil); st != 201 {
			t.Fatalf("create on A: %d %s", st, body)
		}
		cb = b.Admin(t)
		if st, body := cb.Do("GET", "/api/v1/search?q="+url.QueryEscape(name), nil, nil); st != 200 || !strings.Contains(body, name) {
			t.Fatalf("B does not find A's write in the shared engine: %d %.300s", st, body)
		}
	}

	// A lease: one holder at a time across instances, until it expires.
	la := core.NewLease(a.P.Store.DB, "scaleout-test", "instance-a", 500*time.Millisecond)
	lb := core.NewLease(b.P.Store.DB, "scaleout-test", "instance-b", 500*time.Millisecond)
	if ok, err := la.Acquire(ctx); !ok || err != nil {
		t.Fatalf("A acquire: %v %v", ok, err)
	}
	if ok, err := lb.Acquire(ctx); ok || err != nil {
		t.Fatalf("B acquired a held lease: %v %v", ok, err)
	}
	time.Sleep(600 * time.Millisecond)
	if ok, err := lb.Acquire(ctx); !ok || err != nil {
		t.Fatalf("B after expiry: %v %v", ok, err)
	}
	if ok, _ := la.Acquire(ctx); ok {
		t.Fatal("A took the lease B holds")
	}
}

// importJSONWith runs `zhaoshang import --json` against app's store
// (MONGO_URI as the instance uses it).
func importJSONWith(t *testing.T, app *testapp.App, args ...string) (int, batch.Report, string) {
	t.Helper()
	t.Setenv("MONGO_URI", app.P.Cfg.MongoURI)
	t.Setenv("MONGO_DB", app.P.Cfg.DBName)
	t.Setenv("ZS_DATA", t.TempDir())
	t.Setenv("MEILI_URL", "")
	return importJSON(t, args...)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
