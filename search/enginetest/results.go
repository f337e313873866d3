package enginetest

// Checks of ordering, paging, sums, versions, returned fields and highlights.

import (
	"html"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"zhaoshang/search"
)

func testSort(t *testing.T, e search.Engine, docs []search.Doc) {
	cases := []struct {
		name  string
		kinds []string
		sort  []search.Sort
	}{
		{name: "default is id then kind"},
		{name: "number asc", sort: []search.Sort{{Field: "amount"}}},
		{name: "number desc", sort: []search.Sort{{Field: "amount", Desc: true}}},
		{name: "date asc", sort: []search.Sort{{Field: "created"}}},
		{name: "date desc", sort: []search.Sort{{Field: "created", Desc: true}}},
		{name: "keyword asc", sort: []search.Sort{{Field: "stage"}}},
		{name: "keyword desc", sort: []search.Sort{{Field: "stage", Desc: true}}},
		{name: "keyword then number", sort: []search.Sort{{Field: "stage"}, {Field: "amount", Desc: true}}},
		{name: "within kinds", kinds: []string{Events, Enterprises}, sort: []search.Sort{{Field: "created", Desc: true}}},
		{name: "one kind", kinds: []string{Projects}, sort: []search.Sort{{Field: "amount"}}},
		{name: "one kind, default", kinds: []string{Enterprises}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := find(t, e, search.Query{Scope: all, Kinds: c.kinds, Sort: c.sort, Limit: 1000})
			matching := selectDocs(docs, func(d search.Doc) bool { return len(c.kinds) == 0 || slices.Contains(c.kinds, d.Kind) })
			want := sortDocs(matching, Schema, c.sort)
			if got := hitKeys(res.Hits); !slices.Equal(got, want) {
				t.Errorf("order\n got %v\nwant %v", got, want)
			}
		})
	}
	t.Run("text with explicit sort", func(t *testing.T) {
		sorts := []search.Sort{{Field: "amount", Desc: true}}
		res := find(t, e, search.Query{Scope: all, Text: "昆山", Sort: sorts, Limit: 1000})
		want := sortDocs(selectDocs(docs, func(d search.Doc) bool { return containsText(d, "昆山") }), Schema, sorts)
		if got := hitKeys(res.Hits); !slices.Equal(got, want) {
			t.Errorf("order\n got %v\nwant %v", got, want)
		}
	})
}

func testPagination(t *testing.T, e search.Engine, docs []search.Doc) {
	sorts := []search.Sort{{Field: "amount", Desc: true}}
	want := sortDocs(docs, Schema, sorts)
	var got []string
	for off := 0; off < len(docs)+7; off += 7 {
		res := find(t, e, search.Query{Scope: all, Sort: sorts, Offset: off, Limit: 7})
		if res.Total != len(docs) {
			t.Fatalf("offset %d: total %d, want %d", off, res.Total, len(docs))
		}
		got = append(got, hitKeys(res.Hits)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages\n got %v\nwant %v", got, want)
	}
	res := find(t, e, search.Query{Scope: all, Sort: sorts, Offset: 5, Limit: 7})
	if g := hitKeys(res.Hits); !slices.Equal(g, want[5:12]) || res.Total != len(docs) {
		t.Errorf("offset 5 limit 7: got %v total %d, want %v total %d", g, res.Total, want[5:12], len(docs))
	}
	res = find(t, e, search.Query{Scope: all})
	if len(res.Hits) != 20 || res.Total != len(docs) {
		t.Errorf("default limit: %d hits total %d, want 20 and %d", len(res.Hits), res.Total, len(docs))
	}
	res = find(t, e, search.Query{Scope: all, Offset: 1000, Limit: 10, Facets: []string{"stage"}})
	if len(res.Hits) != 0 || res.Total != len(docs) || len(res.Facets["stage"]) == 0 {
		t.Errorf("offset past the end: %d hits total %d facets %v", len(res.Hits), res.Total, res.Facets)
	}
}

func testSums(t *testing.T, e search.Engine, docs []search.Doc) {
	cases := []struct {
		name    string
		q       search.Query
		pred    func(search.Doc) bool
		groupBy string
	}{
		{name: "total", q: search.Query{Scope: all}, pred: func(search.Doc) bool { return true }},
		{name: "by stage", q: search.Query{Scope: all}, groupBy: "stage", pred: func(search.Doc) bool { return true }},
		{name: "by many-valued industry", q: search.Query{Scope: all}, groupBy: "industry", pred: func(search.Doc) bool { return true }},
		{
			name:    "filtered by zone, by type",
			q:       search.Query{Scope: all, Filters: []search.Filter{{Field: "zone", Values: []string{"开发区"}}}},
			groupBy: "type",
			pred:    func(d search.Doc) bool { return hasKeyword(d, "zone", "开发区") },
		},
		{
			name: "text and scope", q: search.Query{Scope: search.Scope{Units: []string{"u1"}}, Text: "新能源"}, groupBy: "stage",
			pred: func(d search.Doc) bool { return inUnits(d, "u1") && containsText(d, "新能源") },
		},
		{
			name: "one kind", q: search.Query{Scope: all, Kinds: []string{Projects}},
			pred: func(d search.Doc) bool { return d.Kind == Projects },
		},
		{name: "no match", q: search.Query{Scope: all, Text: "不存在的词语"}, groupBy: "stage", pred: func(search.Doc) bool { return false }},
		{name: "no match ungrouped", q: search.Query{Scope: search.Scope{}}, pred: func(search.Doc) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			q.Sums = []string{"amount"}
			q.GroupBy = c.groupBy
			q.Limit = 1
			res := find(t, e, q)
			matching := selectDocs(docs, c.pred)
			want := sumsOf(matching, "amount", c.groupBy)
			if !maps.Equal(res.Sums["amount"], want) {
				t.Errorf("sums\n got %v\nwant %v", res.Sums["amount"], want)
			}
			if res.Total != len(matching) {
				t.Errorf("total %d, want %d", res.Total, len(matching))
			}
		})
	}
}

func testVersions(t *testing.T, e search.Engine) {
	cases := []struct {
		kind string
		ids  []string
		want map[string]int64
	}{
		{Projects, []string{"p01", "p02", "p02", "nope", "x01", "bad/id"}, map[string]int64{"p01": 1, "p02": 2}},
		{Enterprises, []string{"x01"}, map[string]int64{"x01": 3}},
		{Events, []string{"x01", "v01"}, map[string]int64{"x01": 2, "v01": 1}},
		{Events, nil, map[string]int64{}},
		{"nokind", []string{"p01"}, map[string]int64{}},
	}
	for _, c := range cases {
		got, err := e.Versions(ctx(t), c.kind, c.ids)
		if err != nil {
			t.Fatalf("Versions(%s, %v): %v", c.kind, c.ids, err)
		}
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !maps.Equal(got, c.want) {
			t.Errorf("Versions(%s, %v) = %v, want %v", c.kind, c.ids, got, c.want)
		}
	}
}

func fieldsEqual(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			return false
		}
		switch x := va.(type) {
		case time.Time:
			y, ok := vb.(time.Time)
			if !ok || !x.Equal(y) || y.Location() != time.UTC {
				return false
			}
		case []string:
			y, ok := vb.([]string)
			if !ok || !slices.Equal(x, y) {
				return false
			}
		default:
			if va != vb {
				return false
			}
		}
	}
	return true
}

func testHitFields(t *testing.T, e search.Engine, docs []search.Doc) {
	res := find(t, e, search.Query{Scope: all, Limit: 1000})
	byKey := map[string]search.Hit{}
	for _, h := range res.Hits {
		byKey[key(h.Kind, h.ID)] = h
	}
	for _, d := range docs {
		h, ok := byKey[docKey(d)]
		if !ok {
			t.Errorf("%s: not returned", docKey(d))
			continue
		}
		if h.Version != d.Version || h.Title != d.Title || !slices.Equal(h.Units, d.Units) {
			t.Errorf("%s: version/title/units = %d %q %v, want %d %q %v", docKey(d),
				h.Version, h.Title, h.Units, d.Version, d.Title, d.Units)
		}
		if !fieldsEqual(h.Fields, d.Fields) {
			t.Errorf("%s: fields\n got %#v\nwant %#v", docKey(d), h.Fields, d.Fields)
		}
	}
}

var stripMarks = strings.NewReplacer("<mark>", "", "</mark>", "")

func testHighlight(t *testing.T, e search.Engine, docs []search.Doc) {
	byKey := map[string]search.Doc{}
	for _, d := range docs {
		byKey[docKey(d)] = d
	}
	cases := []struct {
		text      string
		mustMatch []string // keys whose highlight must carry a mark
	}{
		{"轴承", []string{key(Projects, "p24")}},
		{"智能装备", []string{key(Enterprises, "e01"), key(Events, "v01")}},
		{"小核酸", []string{key(Projects, "p02")}},
		{"昆山", nil},
		{"", nil},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			res := find(t, e, search.Query{Scope: all, Text: c.text, Highlight: true, Limit: 1000})
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range res.Hits {
				d := byKey[key(h.Kind, h.ID)]
				if slices.Contains(c.mustMatch, key(h.Kind, h.ID)) && !strings.Contains(h.Highlight, "<mark>") {
					t.Errorf("%s/%s: highlight %q has no mark", h.Kind, h.ID, h.Highlight)
				}
				if c.text == "" && h.Highlight != html.EscapeString(d.Title) {
					t.Errorf("%s/%s: highlight without text = %q, want the escaped title", h.Kind, h.ID, h.Highlight)
				}
				if strings.Contains(h.Highlight, "<b>") {
					t.Errorf("%s/%s: highlight %q is not escaped", h.Kind, h.ID, h.Highlight)
				}
				plain := strings.Trim(stripMarks.Replace(h.Highlight), "…")
				if strings.ContainsAny(plain, "<>") {
					t.Errorf("%s/%s: highlight %q has tags besides <mark>", h.Kind, h.ID, h.Highlight)
				}
				contact, _ := d.Fields["contact"].(string)
				if !strings.Contains(html.EscapeString(d.Title), plain) && !strings.Contains(html.EscapeString(d.Body), plain) &&
					!strings.Contains(html.EscapeString(contact), plain) {
					t.Errorf("%s/%s: highlight %q is not an escaped piece of the record", h.Kind, h.ID, h.Highlight)
				}
			}
		})
	}
}
