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
