package platform_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// A rebuild builds the index aside while the old one serves and writes go
// on; after the swap every stored record is indexed at its stored version
// and deleted ones are gone.
func TestReindexAsideWhileWriting(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	var ps []*projects.Project
	for i := range 1500 {
		ps = append(ps, &projects.Project{Meta: core.Meta{ID: fmt.Sprintf("rx%04d", i)}, Type: "industry",
			Name: fmt.Sprintf("重建测试项目%04d", i), Unit: "kfq", Stage: "search"})
	}
	if _, _, err := a.P.Projects.UpsertMany(ctx, core.System, ps); err != nil {
		t.Fatal(err)
	}
	oldDir := filepath.Join(a.Dir, "search")

	var writes, searches atomic.Int64
	busy := testapp.KeepBusy(func(i int) bool { // writer: updates, creates and deletes during the rebuild
		id := fmt.Sprintf("rx%04d", i%1500)
		p, err := a.P.Projects.Get(ctx, id)
		if err == nil {
			before := *p
			if i%7 == 0 {
				_ = a.P.Projects.Delete(ctx, core.System, id, p.Version)
			} else {
				p.Name = fmt.Sprintf("重建中改名%04d-%d", i%1500, i)
				_ = a.P.Projects.Update(ctx, core.System, p, &before)
			}
		}
		_ = a.P.Projects.Create(ctx, core.System, &projects.Project{Meta: core.Meta{ID: fmt.Sprintf("rn%05d", i)},
			Type: "talent", Name: "重建期间新建", Unit: "gxq", Stage: "push"})
		writes.Add(1)
		return true
	}, func(int) bool { // reader: the old index answers throughout
		if _, err := a.P.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Text: "重建", Scope: search.Scope{All: true}}); err != nil {
			t.Errorf("search during rebuild: %v", err)
			return false
		}
		searches.Add(1)
		return true
	})
	// The writer and the reader are under way when the rebuild starts and
	// go on after the swap (their writes then go to the new index).
	testapp.WaitUntil(func() bool { return writes.Load() >= 1 && searches.Load() >= 1 })
	err := a.P.Reindex(ctx, nil)
	w, r := writes.Load(), searches.Load()
	testapp.WaitUntil(func() bool { return writes.Load() >= w+3 && searches.Load() >= r+3 })
	busy.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if writes.Load() < 3 || searches.Load() < 3 {
		t.Fatalf("only %d writes and %d searches ran during the rebuild", writes.Load(), searches.Load())
	}
	// Every stored project is indexed at its version; nothing else is.
	stored := map[string]int64{}
	a.P.Projects.Each(ctx, func(p *projects.Project) error { stored[p.ID] = p.Version; return nil })
	res, err := a.P.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: search.Scope{All: true}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != len(stored) {
		t.Errorf("index holds %d projects, store %d", res.Total, len(stored))
	}
	ids := make([]string, 0, len(stored))
	for id := range stored {
		ids = append(ids, id)
	}
	have, err := a.P.Engine.Versions(ctx, projects.Kind, ids)
	if err != nil {
		t.Fatal(err)
	}
	for id, v := range stored {
		if have[id] != v {
			t.Errorf("%s: indexed version %d, stored %d", id, have[id], v)
		}
	}
	if _, err := os.Stat(oldDir); !os.IsNotExist(err) {
		t.Errorf("old index dir %s still there (%v)", oldDir, err)
	}
	cur, _ := os.ReadFile(filepath.Join(a.Dir, "search.current"))
	if len(cur) == 0 {
		t.Error("search.current not written")
	}
	t.Logf("%d writes and %d searches during the rebuild", writes.Load(), searches.Load())

	// A restart opens the rebuilt index.
	a.Stop()
	b := testapp.StartIn(t, a.Dir)
	res, err = b.P.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: search.Scope{All: true}, Limit: 1})
	if err != nil || res.Total != len(stored) {
		t.Fatalf("after restart: %d projects indexed (%v), want %d", res.Total, err, len(stored))
	}
}

// `zhaoshang reindex` while the server runs asks the server to rebuild.
func TestReindexRequestedFromCommand(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	cmd, err := platformOpen(a.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Close()
	if cmd.Swap != nil {
		t.Fatal("an attached command must not own the index")
	}
	if err := cmd.RequestReindex(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		j, err := cmd.ReindexStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if j.State == "done" {
			break
		}
		if j.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("reindex job %+v", j)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func platformOpen(dir string) (*platform.Platform, error) {
	return platform.Open(context.Background(), cfgFor(dir), platform.Options{Role: "reindex"}, quiet)
}
