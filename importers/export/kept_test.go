package export_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"zhaoshang/app/platform"
	"zhaoshang/app/testapp"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// TestKeptRecordsExportLikeTheStore: on the demo data (worked projects with
// histories, follow-ups and 批示; events, policies and every resource kind),
// an export read from the records the engine keeps has exactly the rows of
// an export streamed from the store, for everything and for one unit; a
// record whose outbox entry is pending is read from the store, and one
// moved out of the caller's units meanwhile is left out.
func TestKeptRecordsExportLikeTheStore(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)
	ctx := context.Background()
	names := a.P.Matrix.Name
	r := a.P.Records
	all := core.AllUnits.Search()
	one := core.Scope{Units: []string{"kfq"}}.Search()
	for _, k := range []string{resources.KindTalents, resources.KindEnterprises, resources.KindInstitutes, resources.KindResults} {
		if resources.KindOf(k) == nil {
			t.Fatalf("no resource kind %s", k)
		}
	}
	cases := []struct {
		kind string
		two  twoWays
	}{
		{projects.Kind, exports(t, a.P.Projects, projects.ExportSheet(names))},
		{events.Kind, exports(t, r.Events, events.ExportSheet(names))},
		{policies.Kind, exports(t, r.Policies, policies.ExportSheet(names))},
		{resources.KindTalents, exports(t, r.Talents, resources.ExportSheet[*resources.Talent](resources.KindOf(resources.KindTalents), names))},
		{resources.KindEnterprises, exports(t, r.Enterprises, resources.ExportSheet[*resources.Enterprise](resources.KindOf(resources.KindEnterprises), names))},
		{resources.KindInstitutes, exports(t, r.Institutes, resources.ExportSheet[*resources.Institute](resources.KindOf(resources.KindInstitutes), names))},
		{resources.KindResults, exports(t, r.Results, resources.ExportSheet[*resources.TechResult](resources.KindOf(resources.KindResults), names))},
	}
	rw, ok := search.Records(a.P.Projects.Sync.Engine())
	if !ok {
		t.Fatal("the embedded engine does not keep records")
	}
	kept := 0
	err := rw.EachRecord(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: all}, func(_ string, rec []byte) error {
		if rec != nil {
			kept++
		}
		return nil
	})
	if err != nil || kept < 3000 {
		t.Fatalf("the engine keeps %d project records (%v)", kept, err)
	}
	// Every kind that keeps records is stamped on the index with its format.
	formats := map[string]string{}
	for _, f := range platform.KeptFormats() {
		kind, hexFormat, _ := strings.Cut(f, ":")
		formats[kind] = hexFormat
	}
	for _, c := range cases {
		err := rw.EachRecord(ctx, search.Query{Kinds: []string{c.kind}, Scope: all}, func(id string, rec []byte) error {
			if len(rec) < 8 || hex.EncodeToString(rec[:8]) != formats[c.kind] {
				return fmt.Errorf("%s/%s kept in format %x, platform.KeptFormats lists %q", c.kind, id, rec[:min(8, len(rec))], formats[c.kind])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		for _, sc := range []search.Scope{all, one} {
			got, want := c.two.viaEngine(sc), c.two.viaStore(sc)
			if got != want {
				t.Errorf("%s (scope %v): the engine-kept export differs from the store's:\n%s", c.kind, sc, firstDiff(got, want))
			}
			if c.kind == projects.Kind && sc.All && strings.Count(want, "\n") < 3000 {
				t.Fatalf("projects: only %d rows", strings.Count(want, "\n"))
			}
		}
	}

	// A pending outbox entry: the store's newer copy is exported (the engine
	// still holds the old one), and a record moved to another unit leaves
	// the unit's export.
	viaEngine := exports(t, a.P.Projects, projects.ExportSheet(nil)).viaEngine
	var moved, renamed *projects.Project
	err = a.P.Projects.Each(ctx, func(p *projects.Project) error {
		switch {
		case p.Unit != "kfq":
		case renamed == nil:
			renamed = p
		case moved == nil:
			moved = p
		}
		return nil
	})
	if err != nil || moved == nil {
		t.Fatalf("no kfq projects: %v", err)
	}
	renamed.Name, moved.Unit = "改名后的项目", "gxq"
	for _, p := range []*projects.Project{renamed, moved} {
		if _, err := a.P.Projects.C.ReplaceOne(ctx, map[string]any{"_id": p.ID}, p); err != nil {
			t.Fatal(err)
		}
	}
	// A record kept by a build whose Project had another shape: not trusted.
	var old projects.Project
	if err := a.P.Projects.Each(ctx, func(p *projects.Project) error {
		if p.Unit == "kfq" && p.ID != renamed.ID && p.ID != moved.ID {
			old = *p
			return errStop
		}
		return nil
	}); err != nil && err != errStop {
		t.Fatal(err)
	}
	stale := old
	stale.Name = "旧格式的项目副本"
	d := a.P.Projects.ToDoc(&stale)
	d.Record[0] ^= 0xff
	if err := a.P.Projects.Sync.Engine().Index(ctx, d); err != nil {
		t.Fatal(err)
	}
	// A create in flight: in the store, marked, not yet in the engine.
	fresh := *renamed
	fresh.ID, fresh.Name = "inflight0001", "刚写入尚未索引的项目"
	if _, err := a.P.Projects.C.InsertOne(ctx, &fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := a.P.Projects.Sync.Mark(ctx, projects.Kind, renamed.ID, moved.ID, fresh.ID); err != nil {
		t.Fatal(err)
	}
	rows := viaEngine(one)
	if !strings.Contains(rows, "改名后的项目") {
		t.Error("a record with a pending outbox entry was not read from the store")
	}
	if strings.Contains(rows, moved.ID) {
		t.Error("a record moved out of the caller's units is still exported")
	}
	if strings.Contains(rows, stale.Name) || !strings.Contains(rows, old.Name) {
		t.Error("a record kept in another format was exported instead of the store's")
	}
	if !strings.Contains(rows, fresh.Name) {
		t.Error("a record written but not yet indexed is missing from an unfiltered export")
	}
}

// exports returns two ways to export repo's records in a scope, as sorted
// rows of tab-separated cells: from the engine-kept records
// (export.Records) and by a plain scan of the store.
func exports[T any, P interface {
	*T
	core.Record
}](t *testing.T, repo *core.Repo[T, P], sh export.Sheet[P]) twoWays {
	ctx := context.Background()
	rows := func(body []byte) string {
		_, rs := book(t, string(body))
		lines := make([]string, 0, len(rs))
		for _, r := range rs[1:] {
			lines = append(lines, strings.Join(r, "\t"))
		}
		slices.Sort(lines)
		return strings.Join(lines, "\n") + "\n"
	}
	viaEngine := func(sc search.Scope) string {
		var buf bytes.Buffer
		if _, err := export.Records(ctx, &buf, sh, repo, search.Query{Kinds: []string{repo.Kind}, Scope: sc}); err != nil {
			t.Fatal(err)
		}
		return rows(buf.Bytes())
	}
	viaStore := func(sc search.Scope) string {
		var buf bytes.Buffer
		_, err := export.Write(&buf, sh, func(fn func(P) error) error {
			return repo.Each(ctx, func(p P) error {
				if !core.Scope(sc).AllowsAny(repo.ToDoc(p).Units) {
					return nil
				}
				return fn(p)
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return rows(buf.Bytes())
	}
	return twoWays{viaEngine, viaStore}
}

var errStop = errors.New("stop")

type twoWays struct{ viaEngine, viaStore func(search.Scope) string }

// firstDiff shows the first line where two row dumps differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "engine: " + g[i] + "\nstore:  " + w[i]
		}
	}
	return "row counts differ"
}
