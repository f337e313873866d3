package bleve

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"zhaoshang/search"
)

// pager hides EachID so that MatchingIDs pages through Search instead.
type pager struct{ search.Engine }

func TestMatchingIDs(t *testing.T) {
	ctx := context.Background()
	schema := search.Schema{"stage": search.Keyword, "amount": search.Number}
	x := openTest(t, schema)
	var docs []search.Doc
	for i := range 2500 { // more than one page of 1000 hits
		for _, kind := range []string{"projects", "events"} {
			docs = append(docs, search.Doc{Kind: kind, ID: fmt.Sprintf("r%04d", i), Units: []string{[]string{"kfq", "gxq"}[i%2]},
				Title: fmt.Sprintf("昆山新材料项目 %d", i), Fields: map[string]any{"stage": []string{"search", "push", "attract"}[i%3], "amount": float64(i)}})
		}
	}
	if err := x.Index(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	ten := 10.0
	for _, tc := range []struct {
		name string
		q    search.Query
		want int
	}{
		{"kind", search.Query{Kinds: []string{"projects"}, Scope: search.Scope{All: true}}, 2500},
		{"scope", search.Query{Kinds: []string{"projects"}, Scope: search.Scope{Units: []string{"kfq"}}}, 1250},
		{"filter", search.Query{Kinds: []string{"projects"}, Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "stage", Values: []string{"attract"}}}}, 833},
		{"range", search.Query{Kinds: []string{"events"}, Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "amount", Max: &ten}}}, 11},
		{"text", search.Query{Kinds: []string{"projects"}, Text: "新材料", Scope: search.Scope{All: true}}, 2500},
		{"no scope", search.Query{Kinds: []string{"projects"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			walked, err := search.MatchingIDs(ctx, x, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			paged, err := search.MatchingIDs(ctx, pager{x}, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(walked) != tc.want || !maps.Equal(walked, paged) {
				t.Errorf("walked %d ids, paged %d, want %d", len(walked), len(paged), tc.want)
			}
			for id := range walked {
				if !strings.HasPrefix(id, "r") { // the record id, not the kind/id document id
					t.Fatalf("id %q", id)
				}
			}
		})
	}
}

// TestEachRecord: the kept record comes back byte for byte (BSON holds
// NULs) for the matches of the query only, through a Swappable too; a
// document indexed without one yields nil; a re-index replaces it.
func TestEachRecord(t *testing.T) {
	ctx := context.Background()
	x := openTest(t, search.Schema{"stage": search.Keyword})
	rec := func(i int) []byte { return []byte(fmt.Sprintf("\x16\x00\x00\x00rec %d\x00\xff", i)) }
	var docs []search.Doc
	for i := range 30 {
		d := search.Doc{Kind: "projects", ID: fmt.Sprintf("p%02d", i), Units: []string{[]string{"kfq", "gxq"}[i%2]},
			Title: "项目", Fields: map[string]any{"stage": "push"}}
		if i != 8 {
			d.Record = rec(i)
		}
		docs = append(docs, d)
	}
	docs = append(docs, search.Doc{Kind: "events", ID: "e1", Units: []string{"kfq"}, Title: "活动", Record: []byte("event")})
	if err := x.Index(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	docs[4].Record = []byte("changed")
	if err := x.Index(ctx, docs[4]); err != nil {
		t.Fatal(err)
	}
	rw, ok := search.Records(search.NewSwappable(x))
	if !ok {
		t.Fatal("no RecordWalker through a Swappable")
	}
	got := map[string]string{}
	err := rw.EachRecord(ctx, search.Query{Kinds: []string{"projects"}, Scope: search.Scope{Units: []string{"kfq"}}},
		func(id string, r []byte) error {
			got[id] = string(r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 15 || got["p00"] != string(rec(0)) || got["p04"] != "changed" || got["p01"] != "" {
		t.Fatalf("records %q", got)
	}
	if r, ok := got["p08"]; !ok || r != "" {
		t.Fatalf("p08 (indexed without a record): %q, walked %v", r, ok)
	}
	res, err := x.Search(ctx, search.Query{Kinds: []string{"projects"}, Scope: search.Scope{All: true}, Text: "rec", Limit: 50})
	if err != nil || res.Total != 0 {
		t.Fatalf("the kept record is searchable: %d hits, %v", res.Total, err)
	}
}
