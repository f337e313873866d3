// Package enginetest is the contract suite every search.Engine must pass.
// Expected answers are computed from the fixture (fixture.go), never taken
// from an engine, so both engines are held to the same reference.
package enginetest

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"zhaoshang/search"
)

// Run checks the engine returned by open against the search.Engine contract.
// Read-only checks share one loaded engine; each check that writes opens its own.
func Run(t *testing.T, open func(t *testing.T, schema search.Schema) search.Engine) {
	docs := Fixture()
	load := func(t *testing.T) search.Engine {
		t.Helper()
		e := open(t, Schema)
		if err := e.Index(ctx(t), docs...); err != nil {
			t.Fatalf("index fixture: %v", err)
		}
		return e
	}

	t.Run("read", func(t *testing.T) {
		e := load(t)
		t.Run("health", func(t *testing.T) {
			if err := e.Health(ctx(t)); err != nil {
				t.Fatalf("Health: %v", err)
			}
		})
		t.Run("text", func(t *testing.T) { testText(t, e, docs) })
		t.Run("scope", func(t *testing.T) { testScope(t, e, docs) })
		t.Run("keyword_filters", func(t *testing.T) { testKeywordFilters(t, e, docs) })
		t.Run("ranges", func(t *testing.T) { testRanges(t, e, docs) })
		t.Run("facets_equal_totals", func(t *testing.T) { testFacetTotals(t, e, docs) })
		t.Run("sort", func(t *testing.T) { testSort(t, e, docs) })
		t.Run("pagination", func(t *testing.T) { testPagination(t, e, docs) })
		t.Run("sums", func(t *testing.T) { testSums(t, e, docs) })
		t.Run("versions", func(t *testing.T) { testVersions(t, e) })
		t.Run("hit_fields", func(t *testing.T) { testHitFields(t, e, docs) })
		t.Run("highlight", func(t *testing.T) { testHighlight(t, e, docs) })
		t.Run("hostile_text", func(t *testing.T) { testHostile(t, e) })
		t.Run("bad_queries", func(t *testing.T) { testBadQueries(t, e) })
		t.Run("bad_docs", func(t *testing.T) { testBadDocs(t, e, docs) })
	})
	t.Run("reindex_replaces", func(t *testing.T) { testReindex(t, load(t), docs) })
	t.Run("delete", func(t *testing.T) { testDelete(t, load(t), docs) })
	t.Run("reset_kind", func(t *testing.T) { testReset(t, load(t), docs) })
	t.Run("normalise", func(t *testing.T) { testNormalise(t, open(t, Schema)) })
	t.Run("discovery", func(t *testing.T) { testDiscovery(t, open(t, Schema)) })
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

var all = search.Scope{All: true}

func find(t *testing.T, e search.Engine, q search.Query) search.Result {
	t.Helper()
	res, err := e.Search(ctx(t), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func sortedKeys(res search.Result) []string {
	k := hitKeys(res.Hits)
	slices.Sort(k)
	return k
}

func checkSet(t *testing.T, res search.Result, want []string) {
	t.Helper()
	if got := sortedKeys(res); !slices.Equal(got, want) {
		t.Errorf("hits\n got %v\nwant %v", got, want)
	}
	if res.Total != len(want) {
		t.Errorf("total = %d, want %d", res.Total, len(want))
	}
}

func checkFacets(t *testing.T, res search.Result, matching []search.Doc, fields ...string) {
	t.Helper()
	for _, f := range fields {
		got, ok := res.Facets[f]
		if !ok {
			t.Errorf("facet %q missing from result", f)
			continue
		}
		if want := facetCounts(matching, f); !maps.Equal(got, want) {
			t.Errorf("facet %q\n got %v\nwant %v", f, got, want)
		}
	}
}

func testText(t *testing.T, e search.Engine, docs []search.Doc) {
	if !slices.Contains(selectKeys(docs, func(d search.Doc) bool { return containsText(d, "智能装备") }),
		key(Enterprises, "e01")) {
		t.Fatal("fixture: e01 should contain 智能装备")
	}
	cases := []struct {
		name   string
		text   string
		prefix bool
		kinds  []string
	}{
		{name: "company by cjk words", text: "智能装备"},
		{name: "new energy", text: "新能源"},
		{name: "place name", text: "昆山"},
		{name: "two words are and-ed", text: "昆山 新能源"},
		{name: "text field", text: "王五"},
		{name: "text field shared", text: "张伟"},
		{name: "no match", text: "不存在的词语"},
		{name: "prefix latin", text: "Platfo", prefix: true},
		{name: "prefix cjk", text: "智能装", prefix: true},
		{name: "prefix single cjk char", text: "苏", prefix: true},
		{name: "kinds restrict", text: "新能源", kinds: []string{Events}},
		{name: "two kinds", text: "昆山", kinds: []string{Events, Enterprises}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := find(t, e, search.Query{Text: c.text, Prefix: c.prefix, Kinds: c.kinds, Scope: all, Limit: 1000})
			want := selectKeys(docs, func(d search.Doc) bool {
				return containsText(d, c.text) && (len(c.kinds) == 0 || slices.Contains(c.kinds, d.Kind))
			})
			checkSet(t, res, want)
		})
	}
}

func testScope(t *testing.T, e search.Engine, docs []search.Doc) {
	cases := []struct {
		name  string
		scope search.Scope
		pred  func(search.Doc) bool
	}{
		{"one unit", search.Scope{Units: []string{"u1"}}, func(d search.Doc) bool { return inUnits(d, "u1") }},
		{"two units", search.Scope{Units: []string{"u1", "u3"}}, func(d search.Doc) bool { return inUnits(d, "u1", "u3") }},
		{"all", all, func(search.Doc) bool { return true }},
		{"zero scope matches nothing", search.Scope{}, func(search.Doc) bool { return false }},
		{"empty units match nothing", search.Scope{Units: []string{}}, func(search.Doc) bool { return false }},
		{"unknown unit", search.Scope{Units: []string{"nope"}}, func(search.Doc) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := search.Query{Scope: c.scope, Limit: 1000, Facets: []string{"stage", "industry"}, Sums: []string{"amount"}}
			res := find(t, e, q)
			matching := selectDocs(docs, c.pred)
			checkSet(t, res, selectKeys(docs, c.pred))
			checkFacets(t, res, matching, "stage", "industry")
			if want := sumsOf(matching, "amount", ""); !maps.Equal(res.Sums["amount"], want) {
				t.Errorf("sums = %v, want %v", res.Sums["amount"], want)
			}
			// The same scope with text must not leak either.
			res = find(t, e, search.Query{Scope: c.scope, Text: "昆山", Limit: 1000})
			checkSet(t, res, selectKeys(docs, func(d search.Doc) bool { return c.pred(d) && containsText(d, "昆山") }))
		})
	}
}

func testKeywordFilters(t *testing.T, e search.Engine, docs []search.Doc) {
	cases := []struct {
		name    string
		kinds   []string
		filters []search.Filter
		pred    func(search.Doc) bool
	}{
		{
			name:    "values are or-ed",
			filters: []search.Filter{{Field: "stage", Values: []string{"push", "attract"}}},
			pred:    func(d search.Doc) bool { return hasKeyword(d, "stage", "push", "attract") },
		},
		{
			name: "fields are and-ed",
			filters: []search.Filter{
				{Field: "stage", Values: []string{"push", "attract", "decision", "process"}},
				{Field: "industry", Values: []string{"新能源", "智能制造"}},
			},
			pred: func(d search.Doc) bool {
				return hasKeyword(d, "stage", "push", "attract", "decision", "process") &&
					hasKeyword(d, "industry", "新能源", "智能制造")
			},
		},
		{
			name:    "many-valued field matches any value",
			filters: []search.Filter{{Field: "industry", Values: []string{"新材料"}}},
			pred:    func(d search.Doc) bool { return hasKeyword(d, "industry", "新材料") },
		},
		{
			name:    "missing",
			filters: []search.Filter{{Field: "zone", Missing: true}},
			pred:    func(d search.Doc) bool { return len(keywords(d, "zone")) == 0 },
		},
		{
			name:    "missing or value",
			filters: []search.Filter{{Field: "zone", Missing: true, Values: []string{"花桥"}}},
			pred:    func(d search.Doc) bool { return len(keywords(d, "zone")) == 0 || hasKeyword(d, "zone", "花桥") },
		},
		{
			name:    "missing within a kind",
			kinds:   []string{Projects},
			filters: []search.Filter{{Field: "amount", Missing: true}},
			pred:    func(d search.Doc) bool { _, ok := number(d, "amount"); return d.Kind == Projects && !ok },
		},
		{
			name:    "unknown value",
			filters: []search.Filter{{Field: "stage", Values: []string{"nope"}}},
			pred:    func(search.Doc) bool { return false },
		},
		{
			name:    "value with quotes and backslash",
			filters: []search.Filter{{Field: "zone", Values: []string{`a"b\c`, `" OR zone EXISTS`}}},
			pred:    func(search.Doc) bool { return false },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := find(t, e, search.Query{Scope: all, Kinds: c.kinds, Filters: c.filters, Limit: 1000,
				Facets: []string{"stage", "industry", "zone"}})
			pred := func(d search.Doc) bool {
				return (len(c.kinds) == 0 || slices.Contains(c.kinds, d.Kind)) && c.pred(d)
			}
			checkSet(t, res, selectKeys(docs, pred))
			checkFacets(t, res, selectDocs(docs, pred), "stage", "industry", "zone")
		})
	}
}

func ptr(f float64) *float64 { return &f }

func testRanges(t *testing.T, e search.Engine, docs []search.Doc) {
	p01 := docs[0].Fields["created"].(time.Time)
	inRange := func(field string, min, max *float64) func(search.Doc) bool {
		return func(d search.Doc) bool {
			v, ok := number(d, field)
			return ok && (min == nil || v >= *min) && (max == nil || v <= *max)
		}
	}
	inDates := func(from, to time.Time) func(search.Doc) bool {
		return func(d search.Doc) bool {
			v, ok := date(d, "created")
			return ok && (from.IsZero() || !v.Before(from)) && (to.IsZero() || v.Before(to))
		}
	}
	cases := []struct {
		name   string
		filter search.Filter
		pred   func(search.Doc) bool
	}{
		{"min inclusive", search.Filter{Field: "amount", Min: ptr(1000.5)}, inRange("amount", ptr(1000.5), nil)},
		{"max inclusive", search.Filter{Field: "amount", Max: ptr(1000.5)}, inRange("amount", nil, ptr(1000.5))},
		{"min and max", search.Filter{Field: "amount", Min: ptr(500.5), Max: ptr(2000.5)}, inRange("amount", ptr(500.5), ptr(2000.5))},
		{"negative min", search.Filter{Field: "amount", Min: ptr(-1e9), Max: ptr(100)}, inRange("amount", ptr(-1e9), ptr(100))},
		{"number missing", search.Filter{Field: "amount", Missing: true}, func(d search.Doc) bool { _, ok := number(d, "amount"); return !ok }},
		{"from inclusive to exclusive", search.Filter{Field: "created", From: baseTime, To: p01}, inDates(baseTime, p01)},
		{"from only", search.Filter{Field: "created", From: p01}, inDates(p01, time.Time{})},
		{"to only", search.Filter{Field: "created", To: p01}, inDates(time.Time{}, p01)},
		{
			"sub-second bounds",
			search.Filter{Field: "created", From: p01.Add(-time.Nanosecond), To: p01.Add(time.Nanosecond)},
			inDates(p01.Add(-time.Nanosecond), p01.Add(time.Nanosecond)),
		},
		{
			"bounds in another zone",
			search.Filter{Field: "created", From: baseTime.In(time.FixedZone("CST", 8*3600)), To: p01.In(time.FixedZone("CST", 8*3600))},
			inDates(baseTime, p01),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := find(t, e, search.Query{Scope: all, Filters: []search.Filter{c.filter}, Limit: 1000})
			want := selectKeys(docs, c.pred)
			if len(want) == 0 || len(want) == len(docs) {
				t.Fatalf("fixture: case selects %d of %d records; make it discriminate", len(want), len(docs))
			}
			checkSet(t, res, want)
		})
	}
}

func testFacetTotals(t *testing.T, e search.Engine, docs []search.Doc) {
	for _, scope := range []search.Scope{all, {Units: []string{"u2"}}} {
		base := search.Query{Scope: scope, Kinds: []string{Projects, Enterprises}, Facets: []string{"stage", "industry", "zone", "type"}}
		res := find(t, e, base)
		if len(res.Facets["stage"]) == 0 {
			t.Fatal("no stage facet values")
		}
		for _, field := range base.Facets {
			for value, count := range res.Facets[field] {
				q := base
				q.Facets = nil
				q.Filters = []search.Filter{{Field: field, Values: []string{value}}}
				if got := find(t, e, q).Total; got != count {
					t.Errorf("scope %v: facet %s=%s counts %d, filtered total %d", scope, field, value, count, got)
				}
			}
		}
	}
}
