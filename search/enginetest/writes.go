package enginetest

// Checks of writes: re-index, delete, reset and value normalisation.

import (
	"maps"
	"slices"
	"testing"
	"time"

	"zhaoshang/search"
)

func testReindex(t *testing.T, e search.Engine, docs []search.Doc) {
	old := docs[0]
	upd := old
	upd.Version = old.Version + 5
	upd.Title = "昆山新能源汽车零部件二期项目"
	upd.Fields = maps.Clone(old.Fields)
	upd.Fields["stage"] = "aftercare"
	if err := e.Index(ctx(t), upd); err != nil {
		t.Fatal(err)
	}
	next := slices.Clone(docs)
	next[0] = upd
	v, err := e.Versions(ctx(t), Projects, []string{old.ID})
	if err != nil || v[old.ID] != upd.Version {
		t.Errorf("Versions = %v, %v; want %d", v, err, upd.Version)
	}
	res := find(t, e, search.Query{Scope: all, Kinds: []string{Projects}, Facets: []string{"stage"}, Limit: 1000})
	want := selectDocs(next, func(d search.Doc) bool { return d.Kind == Projects })
	checkSet(t, res, selectKeys(want, func(search.Doc) bool { return true }))
	checkFacets(t, res, want, "stage")
	res = find(t, e, search.Query{Scope: all, Text: "二期", Limit: 1000})
	checkSet(t, res, []string{docKey(old)})
	if len(res.Hits) == 1 && (res.Hits[0].Title != upd.Title || res.Hits[0].Version != upd.Version) {
		t.Errorf("hit = %q v%d, want %q v%d", res.Hits[0].Title, res.Hits[0].Version, upd.Title, upd.Version)
	}
	// Indexing the same record twice in one call keeps the last.
	a, b := upd, upd
	a.Version, b.Version = 20, 21
	if err := e.Index(ctx(t), a, b); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.Versions(ctx(t), Projects, []string{old.ID}); v[old.ID] != 21 {
		t.Errorf("after a batch with a repeated id: version %d, want 21", v[old.ID])
	}
	if got := find(t, e, search.Query{Scope: all}).Total; got != len(docs) {
		t.Errorf("total = %d, want %d", got, len(docs))
	}
}

func testDelete(t *testing.T, e search.Engine, docs []search.Doc) {
	if err := e.Delete(ctx(t), Enterprises, "x01", "e02", "nope", "bad/id"); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx(t), Events); err != nil {
		t.Fatalf("Delete without ids: %v", err)
	}
	gone := func(d search.Doc) bool { return d.Kind == Enterprises && (d.ID == "x01" || d.ID == "e02") }
	res := find(t, e, search.Query{Scope: all, Limit: 1000})
	checkSet(t, res, selectKeys(docs, func(d search.Doc) bool { return !gone(d) }))
	v, err := e.Versions(ctx(t), Events, []string{"x01"})
	if err != nil || v["x01"] != 2 {
		t.Errorf("events/x01 after deleting enterprises/x01: %v, %v", v, err)
	}
}

func testReset(t *testing.T, e search.Engine, docs []search.Doc) {
	if err := e.Reset(ctx(t), Events); err != nil {
		t.Fatal(err)
	}
	res := find(t, e, search.Query{Scope: all, Limit: 1000, Facets: []string{"type"}})
	rest := func(d search.Doc) bool { return d.Kind != Events }
	checkSet(t, res, selectKeys(docs, rest))
	checkFacets(t, res, selectDocs(docs, rest), "type")
	if v, err := e.Versions(ctx(t), Events, []string{"x01", "v01"}); err != nil || len(v) != 0 {
		t.Errorf("events versions after reset: %v, %v", v, err)
	}
	if err := e.Reset(ctx(t), Events); err != nil {
		t.Fatalf("second reset: %v", err)
	}
	events := selectDocs(docs, func(d search.Doc) bool { return d.Kind == Events })
	if err := e.Index(ctx(t), events...); err != nil {
		t.Fatal(err)
	}
	checkSet(t, find(t, e, search.Query{Scope: all, Limit: 1000}), selectKeys(docs, func(search.Doc) bool { return true }))
}

func testNormalise(t *testing.T, e search.Engine) {
	cst := time.FixedZone("CST", 8*3600)
	in := search.Doc{
		Kind: Projects, ID: "n1", Version: 1, Units: []string{"u1", "", "u1"}, Title: "标准化\xff",
		Fields: map[string]any{
			"industry": []string{"新材料"},
			"type":     []string{"", "a", "b", "a"},
			"zone":     "",
			"amount":   3,
			"created":  time.Date(2024, 3, 1, 8, 0, 0, 999_999_999, cst),
			"contact":  "",
		},
	}
	if err := e.Index(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	res := find(t, e, search.Query{Scope: all})
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %d, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want := map[string]any{
		"industry": "新材料",
		"type":     []string{"a", "b"},
		"amount":   3.0,
		"created":  time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
	}
	if !fieldsEqual(h.Fields, want) {
		t.Errorf("fields\n got %#v\nwant %#v", h.Fields, want)
	}
	if h.Title != "标准化\uFFFD" {
		t.Errorf("title = %q, want invalid UTF-8 replaced by U+FFFD", h.Title)
	}
	if !slices.Equal(h.Units, []string{"u1"}) {
		t.Errorf("units = %v, want [u1]", h.Units)
	}
	for _, field := range []string{"zone", "contact"} {
		if _, ok := h.Fields[field]; ok {
			t.Errorf("empty %s should be dropped", field)
		}
	}
	if got := find(t, e, search.Query{Scope: all, Filters: []search.Filter{{Field: "zone", Missing: true}}}).Total; got != 1 {
		t.Errorf("an empty zone should count as missing; total %d", got)
	}
}
