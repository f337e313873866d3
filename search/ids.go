package search

import (
	"context"
	"fmt"
)

// IDWalker is implemented by engines that can list every record matching a
// query without paging (the embedded Bleve index walks its matches).
type IDWalker interface {
	// EachID calls fn with the id of every record matching q's kinds,
	// text, scope and filters, in no particular order; Offset, Limit, Sort
	// and Facets are ignored.
	EachID(ctx context.Context, q Query, fn func(id string) error) error
}

// MatchingIDs returns the ids of every record matching q (kinds, text,
// scope, filters), however many: exports use it, since a page of hits is
// capped at 1000. Engines without IDWalker are paged through.
func MatchingIDs(ctx context.Context, e Engine, q Query) (map[string]struct{}, error) {
	ids := map[string]struct{}{}
	q.Facets, q.Sums, q.GroupBy, q.Highlight, q.Prefix = nil, nil, "", false, false
	if w, ok := e.(IDWalker); ok {
		err := w.EachID(ctx, q, func(id string) error {
			ids[id] = struct{}{}
			return nil
		})
		return ids, err
	}
	// Without a sort, hits come by relevance or id, ties by id: a stable
	// order to page through.
	q.Sort, q.Limit = nil, maxLimit
	for q.Offset = 0; ; q.Offset += maxLimit {
		res, err := e.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search: matching ids: %w", err)
		}
		for _, h := range res.Hits {
			ids[h.ID] = struct{}{}
		}
		if len(res.Hits) < maxLimit || q.Offset+maxLimit >= res.Total {
			return ids, nil
		}
	}
}
