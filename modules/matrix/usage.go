package matrix

import (
	"context"
	"fmt"
	"slices"

	"zhaoshang/search"
)

// valueFields says which engine field holds each catalog list's values, and
// in which kinds (nil: every kind with the field; "level" and "type" mean
// other things in other kinds).
var valueFields = map[string]struct {
	Field string
	Kinds []search.Kind
}{
	"industries":    {"industry", nil},
	"zones":         {"zone", nil},
	"talent_levels": {"level", []search.Kind{"talents"}},
	"event_types":   {"type", []search.Kind{"events"}},
	"action_lines":  {"action_lines", nil},
}

// EngineUsage answers Usage with search engine queries.
type EngineUsage struct {
	Engine search.Engine
	// Kinds lists the indexed kinds (search.Sync.Kinds).
	Kinds func() []search.Kind
}

// UnitRefs counts each kind's records whose units include unit.
func (e EngineUsage) UnitRefs(ctx context.Context, unit string) (map[string]int, error) {
	if e.Engine == nil {
		return nil, fmt.Errorf("matrix: %w", search.ErrUnavailable)
	}
	kinds := e.Kinds()
	slices.Sort(kinds)
	out := map[string]int{}
	for _, k := range kinds {
		res, err := e.Engine.Search(ctx, search.Query{Kinds: []search.Kind{k}, Scope: search.Scope{Units: []string{unit}}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if res.Total > 0 {
			out[k] = res.Total
		}
	}
	return out, nil
}

// ValueRefs counts records per value of a catalog list with one facet query.
func (e EngineUsage) ValueRefs(ctx context.Context, list string, values []string) (map[string]int, error) {
	vf, ok := valueFields[list]
	if !ok {
		return nil, fmt.Errorf("matrix: unknown catalog list %q", list)
	}
	if e.Engine == nil {
		return nil, fmt.Errorf("matrix: %w", search.ErrUnavailable)
	}
	q := search.Query{Kinds: vf.Kinds, Scope: search.Scope{All: true}, Facets: []string{vf.Field}, Limit: 1}
	if values != nil {
		if len(values) == 0 {
			return map[string]int{}, nil
		}
		q.Filters = []search.Filter{{Field: vf.Field, Values: values}}
	}
	res, err := e.Engine.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for v, n := range res.Facets[vf.Field] {
		if values == nil || slices.Contains(values, v) {
			out[v] = n
		}
	}
	return out, nil
}
