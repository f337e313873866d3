package search

import (
	"context"
	"fmt"
)

// Linking counts the records of kind whose field holds id — the records
// that link to id (projects to a talent, deals to a broker) — over every
// unit, and how many of them each owning unit ("unit") holds, so that a
// refused delete can say who holds the links.
func Linking(ctx context.Context, e Engine, kind, field, id string) (total int, byUnit map[string]int, err error) {
	res, err := e.Search(ctx, Query{Kinds: []string{kind}, Scope: Scope{All: true}, Limit: 1,
		Filters: []Filter{{Field: field, Values: []string{id}}}, Facets: []string{"unit"}})
	if err != nil {
		return 0, nil, fmt.Errorf("search: %s linking %s: %w", kind, id, err)
	}
	return res.Total, res.Facets["unit"], nil
}
