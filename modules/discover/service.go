// Package discover is resource discovery (资源搜索): one search box over every
// kind of record — projects, the four resource pools, events and policies —
// answered by the search engine with the caller's scope applied inside the
// engine query.
//
// Policies are readable by every signed-in user, the other kinds only within
// the caller's scope. So a search runs (at most) two engine queries: one over
// the scoped kinds with the caller's scope, one over policies with
// Scope{All:true}; an admin (Scope.All) needs only one. Totals and facet
// counts of the two add up exactly (the two sets are disjoint by kind).
// Pagination over the merged list fetches the first offset+limit hits of both
// queries and merges them by score (or by updated date when there is no query
// text), ties broken by kind then id; offset+limit is capped at 1000, the
// engines' window.
package discover

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// Kinds are the searchable kinds in tab order.
var Kinds = []string{projects.Kind, resources.KindTalents, resources.KindEnterprises, resources.KindInstitutes,
	resources.KindResults, events.Kind, policies.Kind}

// KindLabels name each kind in Chinese.
var KindLabels = map[string]string{
	projects.Kind: "项目", resources.KindTalents: "人才", resources.KindEnterprises: "企业",
	resources.KindInstitutes: "院所平台", resources.KindResults: "科技成果", events.Kind: "活动", policies.Kind: "政策",
}

// kindPaths are the page of one record, by kind.
var kindPaths = map[string]string{
	projects.Kind: "/projects/", resources.KindTalents: "/resources/talents/",
	resources.KindEnterprises: "/resources/enterprises/", resources.KindInstitutes: "/resources/institutes/",
	resources.KindResults: "/resources/results/", events.Kind: "/events/", policies.Kind: "/policies/",
}

// RecordURL is the page of a record.
func RecordURL(kind, id string) string { return kindPaths[kind] + id }

// Facets are the keyword fields counted and filterable (all exist in the
// merged schema; kinds without a field simply have no value for it), and
// "unit", the record's owning unit (the engine's envelope field units).
// "kind" is counted separately (it is the engine's envelope, not a field).
var Facets = []string{"industry", "zone", "stage", "level", "year", "unit"}

// engineField is the engine's name of a facet.
func engineField(f string) string {
	if f == "unit" {
		return search.UnitsField
	}
	return f
}

// facetName is the facet named by an engine field.
func facetName(field string) string {
	if field == search.UnitsField {
		return "unit"
	}
	return field
}

// Limits of the input.
const (
	MaxText    = 200
	MaxWindow  = 1000
	MaxPerPage = 100
	perPage    = 20
)

// publicKind is readable by every signed-in user.
func publicKind(k string) bool { return k == policies.Kind }

// Query is one search request.
type Query struct {
	Text    string
	Kinds   []string            // empty = all
	Filters map[string][]string // facet field → values (OR-ed); fields AND-ed
	Page    int                 // 1-based
	PerPage int
}

// Item is one hit.
type Item struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	Highlight string `json:"highlight"`
}

// Result is one page of the merged hits with exact counts.
type Result struct {
	Items []Item `json:"items"`
	Total int    `json:"total"`
	// Facets["kind"] counts each kind for the query ignoring the kind
	// selection (so tabs show what another tab would hold); the other facets
	// count the records matching the whole query, kind selection included.
	Facets map[string]map[string]int `json:"facets"`
	// Labels names facet values that are ids: Labels["unit"][id] = unit name.
	Labels map[string]map[string]string `json:"labels,omitempty"`
}

// Service runs searches.
type Service struct {
	Engine search.Engine
}

// Validate checks and normalises q.
func Validate(q *Query) error {
	if utf8.RuneCountInString(q.Text) > MaxText {
		return core.Invalid("q", "搜索词最多 200 字")
	}
	for _, k := range q.Kinds {
		if _, ok := KindLabels[k]; !ok {
			return core.Invalid("kind", "未知的资源类型 %s", k)
		}
	}
	for f, vs := range q.Filters {
		if !slices.Contains(Facets, f) {
			return core.Invalid(f, "未知的筛选条件 %s", f)
		}
		for _, v := range vs {
			if utf8.RuneCountInString(v) > MaxText {
				return core.Invalid(f, "筛选值过长")
			}
		}
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = perPage
	}
	if q.PerPage > MaxPerPage {
		return core.Invalid("per_page", "每页最多 100 条")
	}
	if q.Page*q.PerPage > MaxWindow {
		return core.Invalid("page", "最多可查看前 1000 条结果，请缩小搜索范围")
	}
	return nil
}

// Search answers q for a caller with scope.
func (s *Service) Search(ctx context.Context, scope core.Scope, q Query) (Result, error) {
	if err := Validate(&q); err != nil {
		return Result{}, err
	}
	if s.Engine == nil {
		return Result{}, search.ErrUnavailable
	}
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = Kinds
	}
	var filters []search.Filter
	engineFacets := make([]string, len(Facets))
	for i, f := range Facets { // fixed order: same query for the same input
		engineFacets[i] = engineField(f)
		if vs := q.Filters[f]; len(vs) > 0 {
			filters = append(filters, search.Filter{Field: engineField(f), Values: vs})
		}
	}
	var sorts []search.Sort
	if q.Text == "" {
		sorts = []search.Sort{{Field: "updated", Desc: true}}
	}
	window := q.Page * q.PerPage
	base := search.Query{Text: q.Text, Filters: filters, Facets: engineFacets, Sort: sorts, Limit: window, Highlight: true}

	res := Result{Items: []Item{}, Facets: map[string]map[string]int{"kind": {}}}
	for _, f := range Facets {
		res.Facets[f] = map[string]int{}
	}
	hits, err := s.searchInScope(ctx, scope, kinds, base, func(r search.Result) {
		res.Total += r.Total
		for field, counts := range r.Facets {
			f := facetName(field)
			if res.Facets[f] == nil {
				continue
			}
			for v, n := range counts {
				res.Facets[f][v] += n
			}
		}
	})
	if err != nil {
		return Result{}, err
	}
	// Kind counts: one counting query per kind, without the kind selection.
	for _, k := range Kinds {
		cq := search.Query{Kinds: []string{k}, Text: q.Text, Filters: filters, Limit: 1, Sort: sorts}
		cq.Scope = scope.Search()
		if publicKind(k) {
			cq.Scope = search.Scope{All: true}
		}
		r, err := s.Engine.Search(ctx, cq)
		if err != nil {
			return Result{}, engineErr(err)
		}
		if r.Total > 0 {
			res.Facets["kind"][k] = r.Total
		}
	}
	sortHits(hits, q.Text == "")
	from := (q.Page - 1) * q.PerPage
	for i := from; i < len(hits) && i < window; i++ {
		h := hits[i]
		res.Items = append(res.Items, Item{Kind: h.Kind, ID: h.ID, Title: h.Title, Highlight: h.Highlight})
	}
	return res, nil
}

// searchInScope runs q over kinds as the caller may see them: the kinds
// everyone may read (and every kind, for a caller who sees all units) in
// one query without a unit filter, the others in one query within scope.
// each, if set, gets every answer; the hits of both come back together.
func (s *Service) searchInScope(ctx context.Context, scope core.Scope, kinds []string, q search.Query, each func(search.Result)) ([]search.Hit, error) {
	var scoped, public []string
	for _, k := range kinds {
		if publicKind(k) || scope.All {
			public = append(public, k)
		} else {
			scoped = append(scoped, k)
		}
	}
	var hits []search.Hit
	for _, part := range []struct {
		kinds []string
		scope search.Scope
	}{{scoped, scope.Search()}, {public, search.Scope{All: true}}} {
		if len(part.kinds) == 0 {
			continue
		}
		q.Kinds, q.Scope = part.kinds, part.scope
		r, err := s.Engine.Search(ctx, q)
		if err != nil {
			return nil, engineErr(err)
		}
		if each != nil {
			each(r)
		}
		hits = append(hits, r.Hits...)
	}
	return hits, nil
}

// sortHits orders the hits of several queries newest first (byUpdated) or
// best score first.
func sortHits(hits []search.Hit, byUpdated bool) {
	slices.SortFunc(hits, func(a, b search.Hit) int {
		if byUpdated {
			if c := updated(b).Compare(updated(a)); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		// The engines break ties by id, then kind: the merge must too, or
		// the windows fetched for different pages disagree.
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
}

func updated(h search.Hit) time.Time {
	t, _ := h.Fields["updated"].(time.Time)
	return t
}

// engineErr turns a query the engine refuses into bad input.
func engineErr(err error) error {
	if errors.Is(err, search.ErrBadQuery) {
		return core.Invalid("q", "搜索条件无法解析")
	}
	return err
}

// MaxSuggestions is the length of the as-you-type list.
const MaxSuggestions = 8

// Suggestion is one entry of the as-you-type list.
type Suggestion struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	KindLabel string `json:"kind_label"`
	URL       string `json:"url"`
}

// Suggest returns up to MaxSuggestions records whose title (or its pinyin)
// matches text, its last word as a prefix, best first, within the
// caller's scope (policies for everyone), as Search does. Empty text gives
// an empty list.
func (s *Service) Suggest(ctx context.Context, scope core.Scope, text string) ([]Suggestion, error) {
	if utf8.RuneCountInString(text) > MaxText {
		return nil, core.Invalid("q", "搜索词最多 200 字")
	}
	out := []Suggestion{}
	if strings.TrimSpace(text) == "" {
		return out, nil
	}
	if s.Engine == nil {
		return nil, search.ErrUnavailable
	}
	hits, err := s.searchInScope(ctx, scope, Kinds, search.Query{Text: text, Prefix: true, TitleOnly: true,
		Limit: MaxSuggestions}, nil)
	if err != nil {
		return nil, err
	}
	sortHits(hits, false)
	for _, h := range hits[:min(len(hits), MaxSuggestions)] {
		out = append(out, Suggestion{Kind: h.Kind, ID: h.ID, Title: h.Title, KindLabel: KindLabels[h.Kind],
			URL: RecordURL(h.Kind, h.ID)})
	}
	return out, nil
}
