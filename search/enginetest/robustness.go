package enginetest

// Checks that hostile input never breaks a search and bad input is refused.

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"zhaoshang/search"
)

func testHostile(t *testing.T, e search.Engine) {
	texts := []string{
		`"`, `:`, `*`, `(`, `)`, `\`, `\"`, `""`, `"智能装备`, `title:智能`, `a AND b OR NOT c`,
		`+-&&||!(){}[]^~*?:\/`, `<script>alert(1)</script>`, `'; DROP TABLE x; --`, "\x00\t\n", "😀🚀",
		`kind = "projects" OR id EXISTS`, `_geoRadius(1,2,3)`, strings.Repeat("智能装备", 250),
		strings.Repeat("a", 1000), strings.Repeat(`"(`, 500), "", "   ",
	}
	for _, text := range texts {
		for _, prefix := range []bool{false, true} {
			q := search.Query{Scope: all, Text: text, Prefix: prefix, Highlight: true, Facets: []string{"stage"},
				Sums: []string{"amount"}, GroupBy: "stage"}
			if _, err := e.Search(ctx(t), q); err != nil {
				t.Errorf("Search(%.40q, prefix=%v): %v", text, prefix, err)
			}
		}
	}
}

func testBadQueries(t *testing.T, e search.Engine) {
	cases := []struct {
		name string
		q    search.Query
	}{
		{"filter unknown field", search.Query{Filters: []search.Filter{{Field: "nope", Values: []string{"x"}}}}},
		{"facet unknown field", search.Query{Facets: []string{"nope"}}},
		{"sort unknown field", search.Query{Sort: []search.Sort{{Field: "nope"}}}},
		{"sum unknown field", search.Query{Sums: []string{"nope"}}},
		{"group by unknown field", search.Query{Sums: []string{"amount"}, GroupBy: "nope"}},
		{"filter on text field", search.Query{Filters: []search.Filter{{Field: "contact", Values: []string{"王五"}}}}},
		{"facet on number", search.Query{Facets: []string{"amount"}}},
		{"sum of keyword", search.Query{Sums: []string{"stage"}}},
		{"sort by text field", search.Query{Sort: []search.Sort{{Field: "contact"}}}},
		{"reserved name", search.Query{Sort: []search.Sort{{Field: "title"}}}},
		{"range on keyword", search.Query{Filters: []search.Filter{{Field: "stage", Min: ptr(1)}}}},
		{"values on number", search.Query{Filters: []search.Filter{{Field: "amount", Values: []string{"1"}}}}},
		{"min above max", search.Query{Filters: []search.Filter{{Field: "amount", Min: ptr(2), Max: ptr(1)}}}},
		{"from after to", search.Query{Filters: []search.Filter{{Field: "created", From: baseTime, To: baseTime.Add(-time.Hour)}}}},
		{"empty filter", search.Query{Filters: []search.Filter{{Field: "stage"}}}},
		{"negative offset", search.Query{Offset: -1}},
		{"bad kind", search.Query{Kinds: []string{`projects" OR kind EXISTS`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, scope := range []search.Scope{all, {}} {
				q := c.q
				q.Scope = scope
				_, err := e.Search(ctx(t), q)
				if !errors.Is(err, search.ErrBadQuery) {
					t.Errorf("scope %+v: err = %v, want ErrBadQuery", scope, err)
				}
			}
		})
	}
}

func testBadDocs(t *testing.T, e search.Engine, docs []search.Doc) {
	good := docs[0]
	with := func(f func(d *search.Doc)) search.Doc {
		d := good
		d.Fields = maps.Clone(good.Fields)
		f(&d)
		return d
	}
	cases := []struct {
		name string
		doc  search.Doc
	}{
		{"unknown field", with(func(d *search.Doc) { d.Fields["nope"] = "x" })},
		{"bad id", with(func(d *search.Doc) { d.ID = "a/b" })},
		{"empty id", with(func(d *search.Doc) { d.ID = "" })},
		{"long id", with(func(d *search.Doc) { d.ID = strings.Repeat("a", 101) })},
		{"bad kind", with(func(d *search.Doc) { d.Kind = "pro jects" })},
		{"keyword as number", with(func(d *search.Doc) { d.Fields["stage"] = 3 })},
		{"number as string", with(func(d *search.Doc) { d.Fields["amount"] = "3" })},
		{"date as string", with(func(d *search.Doc) { d.Fields["created"] = "2024-01-01" })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A bad doc in a batch rejects the whole batch before anything is written.
			changed := with(func(d *search.Doc) { d.Version = 99 })
			err := e.Index(ctx(t), changed, c.doc)
			if !errors.Is(err, search.ErrBadQuery) {
				t.Fatalf("Index: err = %v, want ErrBadQuery", err)
			}
			v, err := e.Versions(ctx(t), good.Kind, []string{good.ID})
			if err != nil || v[good.ID] != good.Version {
				t.Errorf("after a rejected batch: versions %v, %v; want %d", v, err, good.Version)
			}
		})
	}
}
