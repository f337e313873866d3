package platform_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func cfgFor(dir string) platform.Config {
	c := platform.ConfigFromEnv()
	c.DataDir, c.MongoURI, c.MeiliURL = dir, "", ""
	return c
}

func countProjects(t *testing.T, e search.Engine, text string) int {
	t.Helper()
	res, err := e.Search(context.Background(), search.Query{Kinds: []string{projects.Kind}, Text: text, Scope: search.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// A command on the data dir of a running server attaches to its store; its
// writes reach the server's index through the outbox.
func TestCommandAttachesToServer(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	cmd, err := platform.Open(ctx, cfgFor(a.Dir), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatalf("command could not attach: %v", err)
	}
	if cmd.Store.Owner || cmd.Engine != nil {
		t.Fatalf("attached command must not own the store or the index (owner=%v)", cmd.Store.Owner)
	}
	if err := cmd.Projects.Create(ctx, core.System, &projects.Project{Meta: core.Meta{ID: "viaCmd"}, Name: "命令行写入的项目",
		Unit: "kfq", Stage: "search"}); err != nil {
		t.Fatal(err)
	}
	cmd.Close()
	deadline := time.Now().Add(15 * time.Second)
	for countProjects(t, a.P.Engine, "命令行写入") != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the server did not index the command's write from the outbox")
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A second server on the same data dir is refused.
	if _, err := platform.Open(ctx, cfgFor(a.Dir), platform.Options{Role: "serve", Serving: true}, quiet); !platform.IsBusy(err) {
		t.Fatalf("second server: %v", err)
	}
}

// After the index lost records (crash between the Mongo write and indexing),
// the next start compares versions and catches up.
func TestCatchUpAtStart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := platform.Open(ctx, cfgFor(dir), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"甲智能装备项目", "乙新材料项目", "丙生物医药平台"} {
		pr := &projects.Project{Meta: core.Meta{ID: "c" + string(rune('1'+i))}, Name: name, Unit: "gxq", Stage: "search"}
		if err := p.Projects.Create(ctx, core.System, pr); err != nil {
			t.Fatal(err)
		}
	}
	// Simulate the lost index writes and a stale version.
	if err := p.Engine.Delete(ctx, projects.Kind, "c1", "c2"); err != nil {
		t.Fatal(err)
	}
	if got := countProjects(t, p.Engine, ""); got != 1 {
		t.Fatalf("index before restart: %d", got)
	}
	p.Close()
	p, err = platform.Open(ctx, cfgFor(dir), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	n, err := p.Sync.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || countProjects(t, p.Engine, "") != 3 {
		t.Fatalf("caught up %d, index has %d", n, countProjects(t, p.Engine, ""))
	}
	// Rebuild (zhaoshang reindex) gives the same.
	if err := p.Sync.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := countProjects(t, p.Engine, "智能装备"); got != 1 {
		t.Fatalf("after rebuild: %d", got)
	}
}

// Unique 统一社会信用代码 is enforced by the store; versions guard updates.
func TestUniqueCreditCodeAndVersionConflict(t *testing.T) {
	ctx := context.Background()
	p, err := platform.Open(ctx, cfgFor(t.TempDir()), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Indexes are created idempotently: opening twice is fine (done above and here).
	code := "91320583MA1MXXXX0X"
	if err := p.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Meta: core.Meta{ID: "e1"}, Name: "甲公司", CreditCode: code, Unit: "kfq"}); err != nil {
		t.Fatal(err)
	}
	err = p.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Meta: core.Meta{ID: "e2"}, Name: "乙公司", CreditCode: code, Unit: "kfq"})
	if !errors.Is(err, core.ErrDuplicate) {
		t.Fatalf("duplicate credit code: %v", err)
	}
	if _, err := p.Records.Enterprises.Get(ctx, "e2"); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("rejected enterprise was stored: %v", err)
	}
	pr := &projects.Project{Meta: core.Meta{ID: "v1"}, Name: "版本测试", Unit: "kfq", Stage: "search"}
	if err := p.Projects.Create(ctx, core.System, pr); err != nil {
		t.Fatal(err)
	}
	first, _ := p.Projects.Get(ctx, "v1")
	second, _ := p.Projects.Get(ctx, "v1")
	first.Name = "甲改"
	if err := p.Projects.Update(ctx, core.System, first, nil); err != nil {
		t.Fatal(err)
	}
	second.Name = "乙改"
	if err := p.Projects.Update(ctx, core.System, second, nil); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	got, _ := p.Projects.Get(ctx, "v1")
	if got.Name != "甲改" || got.Version != 2 {
		t.Fatalf("stored %q v%d", got.Name, got.Version)
	}
}

func TestUnreachableMongoIsOneLine(t *testing.T) {
	c := cfgFor(t.TempDir())
	c.MongoURI = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := platform.Open(ctx, c, platform.Options{Role: "serve", Serving: true}, quiet)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "MongoDB") {
		t.Fatalf("want a one-line MongoDB error, got %v", err)
	}
}

// Replacing hundreds of existing records in one UpsertMany used to hang the
// embedded store (FerretDB stops answering a bulk write of ~100+ replaces).
func TestUpsertManyReplacesExisting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := platform.Open(ctx, cfgFor(t.TempDir()), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	mk := func(name string) []*projects.Project {
		var ps []*projects.Project
		for i := 0; i < 400; i++ {
			ps = append(ps, &projects.Project{Meta: core.Meta{ID: "u" + strconv.Itoa(i)}, Name: name, Unit: "kfq", Stage: "search"})
		}
		return ps
	}
	if c, _, err := p.Projects.UpsertMany(ctx, core.System, mk("第一版")); err != nil || c != 400 {
		t.Fatalf("insert: %d %v", c, err)
	}
	if _, u, err := p.Projects.UpsertMany(ctx, core.System, mk("第二版")); err != nil || u != 400 {
		t.Fatalf("replace: %d %v", u, err)
	}
	if got := countProjects(t, p.Engine, "第二版"); got != 400 {
		t.Fatalf("index after replace: %d", got)
	}
}
