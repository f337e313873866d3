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

// RecordWalker is implemented by engines that keep Doc.Record (the
// embedded Bleve index): a large export reads the records there, since the
// embedded store decodes ~10,000 documents a second at best in a scan.
type RecordWalker interface {
	// EachRecord calls fn with the id and the kept record (nil when the
	// document was indexed without one) of every record matching q's
	// kinds, text, scope and filters, in no particular order; Offset,
	// Limit, Sort and Facets are ignored.
	EachRecord(ctx context.Context, q Query, fn func(id string, rec []byte) error) error
}

// Records returns e's RecordWalker (looking through a Swappable to the
// engine it serves with), or false when e does not keep records.
func Records(e Engine) (RecordWalker, bool) {
	w, ok := served(e).(RecordWalker)
	return w, ok
}

// served is the engine that answers for e: the current one of a Swappable.
func served(e Engine) Engine {
	if s, ok := e.(*Swappable); ok {
		return s.Current()
	}
	return e
}

// MatchingIDs returns the ids of every record matching q (kinds, text,
// scope, filters), however many: exports use it, since a page of hits is
// capped at 1000. Engines without IDWalker are paged through.
func MatchingIDs(ctx context.Context, e Engine, q Query) (map[string]struct{}, error) {
	if e == nil {
		return nil, fmt.Errorf("search: matching ids: %w", ErrUnavailable)
	}
	ids := map[string]struct{}{}
	q.Facets, q.Sums, q.GroupBy, q.Highlight, q.Prefix = nil, nil, "", false, false
	if w, ok := served(e).(IDWalker); ok {
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
