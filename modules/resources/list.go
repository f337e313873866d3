package resources

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Linked is the projects that point at a record.
type Linked struct {
	Items []search.Hit // in scope, latest first
	Total int          // in scope
	Other int          // outside the scope (counted, not shown)
}

// Linked returns up to limit projects in scope whose link field names the
// record; kinds without a link field have none.
func (s *Service) Linked(ctx context.Context, scope core.Scope, kind, id string, limit int) (Linked, error) {
	k, _, err := s.kind(kind)
	if err != nil || k.LinkField == "" {
		return Linked{}, err
	}
	e, err := s.engine()
	if err != nil {
		return Linked{}, err
	}
	q := search.Query{Kinds: []string{projectsKind}, Scope: scope.Search(), Limit: limit,
		Filters: []search.Filter{{Field: k.LinkField, Values: []string{id}}}, Sort: []search.Sort{{Field: "updated", Desc: true}}}
	res, err := e.Search(ctx, q)
	if err != nil {
		return Linked{}, fmt.Errorf("resources: linked projects of %s %s: %w", kind, id, err)
	}
	l := Linked{Items: res.Hits, Total: res.Total}
	if !scope.All {
		q.Scope, q.Limit, q.Sort = search.Scope{All: true}, 1, nil
		all, err := e.Search(ctx, q)
		if err != nil {
			return Linked{}, fmt.Errorf("resources: linked projects of %s %s: %w", kind, id, err)
		}
		l.Other = max(0, all.Total-res.Total)
	}
	return l, nil
}

// ListQuery is a filtered, sorted, paginated list of one kind.
type ListQuery struct {
	Kind    string
	Text    string
	Filters map[string]string // Kind.Filters param → value
	Unit    string
	Sort    string // one of Kind.Sorts, either direction
	Page    int    // 1-based
	PerPage int
}

// Validate normalises q and rejects bad values with the field named.
func (q *ListQuery) Validate() error {
	k := KindOf(q.Kind)
	if k == nil {
		return core.Invalid("kind", "未知资源类别 %q", q.Kind)
	}
	q.Text = strings.TrimSpace(q.Text)
	if err := core.CheckSearchText(q.Text); err != nil {
		return err
	}
	for p, v := range q.Filters {
		if !slices.ContainsFunc(k.Filters, func(f Filter) bool { return f.Param == p }) {
			return core.Invalid(p, "%s不能按 %s 筛选", k.Name(), p)
		}
		if utf8.RuneCountInString(v) > 100 {
			return core.Invalid(p, "筛选值过长")
		}
	}
	if err := core.CheckPaging(&q.Page, &q.PerPage); err != nil {
		return err
	}
	if q.Sort != "" && !k.SortField(q.Sort) {
		return core.Invalid("sort", "不能按 %q 排序", q.Sort)
	}
	return nil
}

// Listing is what the engine needs of q (core.ListQuery): its filters in
// the order of their fields.
func (q *ListQuery) Listing() core.Listing {
	l := core.Listing{Kind: q.Kind, Text: q.Text, Unit: q.Unit, Sort: q.Sort, Newest: "updated", Page: q.Page, PerPage: q.PerPage}
	for p, v := range q.Filters {
		if v != "" {
			l.Filters = append(l.Filters, search.Filter{Field: p, Values: []string{v}})
		}
	}
	slices.SortFunc(l.Filters, func(a, b search.Filter) int { return strings.Compare(a.Field, b.Field) })
	return l
}

// Page is one page of records with the total over all matches.
type Page = core.Page[Resource]

// List answers a list through the engine within scope; records are then
// loaded by _id.
func (s *Service) List(ctx context.Context, scope core.Scope, q ListQuery) (Page, error) {
	sq, ok, err := s.SearchQuery(scope, &q)
	if err != nil || !ok {
		return Page{}, err
	}
	_, st, _ := s.kind(q.Kind)
	e, err := s.engine()
	if err != nil {
		return Page{}, err
	}
	sq = search.Paged(sq, q.Page, q.PerPage, q.Sort, q.Text, "updated")
	res, err := e.Search(ctx, sq)
	if err != nil {
		return Page{}, fmt.Errorf("resources: list %s: %w", q.Kind, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	items, err := st.getMany(ctx, ids)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, Total: res.Total}, nil
}

// SearchQuery validates q and returns the engine query of its matches
// within scope (no paging, no sort): lists and exports share it. ok is
// false when q asks for a unit outside the scope, which matches nothing.
func (s *Service) SearchQuery(scope core.Scope, q *ListQuery) (search.Query, bool, error) {
	return core.SearchQuery(scope, q)
}

// Counts returns how many records of each kind the scope holds that match
// text (the hub's tabs).
func (s *Service) Counts(ctx context.Context, scope core.Scope, text string) (map[string]int, error) {
	e, err := s.engine()
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(Kinds))
	for _, k := range Kinds {
		res, err := e.Search(ctx, search.Query{Kinds: []string{k.Key}, Text: strings.TrimSpace(text), Scope: scope.Search(), Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("resources: count %s: %w", k.Key, err)
		}
		out[k.Key] = res.Total
	}
	return out, nil
}
