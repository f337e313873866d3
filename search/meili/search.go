package meili

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"zhaoshang/search"
)

// cropWords is the length, in words, of a body snippet.
const cropWords = 30

// Search answers q; see search.Query for the meaning of each part.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	q, err := search.CheckQuery(e.schema, q)
	if err != nil {
		return search.Result{}, fmt.Errorf("meili: search: %w", err)
	}
	if !q.Scope.All && len(q.Scope.Units) == 0 {
		return search.EmptyResult(q), nil
	}
	base := e.request(q)
	res := search.EmptyResult(q)
	var resp *meilisearch.SearchResponse
	if q.Offset%q.Limit == 0 {
		// Page mode is the one in which Meilisearch counts hits exactly.
		req := *base
		hpp := int64(q.Limit)
		req.HitsPerPage, req.Page = &hpp, int64(q.Offset/q.Limit+1)
		req.Facets = q.Facets
		if resp, err = e.index.Search(ctx, q.Text, &req); err != nil {
			return search.Result{}, wrap("search", err)
		}
		res.Total = int(resp.TotalHits)
	} else {
		// A page cannot start at Offset: count in page mode, fetch by offset.
		count := *base
		zero := int64(0)
		count.HitsPerPage = &zero
		count.Facets = q.Facets
		count.AttributesToRetrieve = []string{primaryKey}
		count.AttributesToHighlight, count.AttributesToCrop = nil, nil
		counted, err := e.index.Search(ctx, q.Text, &count)
		if err != nil {
			return search.Result{}, wrap("search", err)
		}
		res.Total = int(counted.TotalHits)
		if err := readFacets(counted, res.Facets); err != nil {
			return search.Result{}, err
		}
		req := *base
		req.Offset, req.Limit = int64(q.Offset), int64(q.Limit)
		if resp, err = e.index.Search(ctx, q.Text, &req); err != nil {
			return search.Result{}, wrap("search", err)
		}
	}
	if err := readFacets(resp, res.Facets); err != nil {
		return search.Result{}, err
	}
	res.Hits = make([]search.Hit, 0, len(resp.Hits))
	for _, h := range resp.Hits {
		hit, err := e.hit(h, q.Highlight)
		if err != nil {
			return search.Result{}, fmt.Errorf("meili: search: %w", err)
		}
		res.Hits = append(res.Hits, hit)
	}
	if len(q.Sums) > 0 {
		if res.Sums, err = e.sums(ctx, q, base.Filter); err != nil {
			return search.Result{}, err
		}
	}
	return res, nil
}

// request is the part of a search request shared by the hit, count and sum
// requests of one query.
func (e *Engine) request(q search.Query) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{
		MatchingStrategy:     meilisearch.All,
		AttributesToRetrieve: e.retrieve,
		Sort:                 buildSort(q),
		ShowRankingScore:     scored(q),
		Locales:              []string{locale},
	}
	if f := buildFilter(e.schema, q); f != "" {
		req.Filter = f
	}
	if q.TitleOnly {
		req.AttributesToSearchOn = []string{"title", search.PinyinField, search.InitialsField}
	}
	if q.Highlight && strings.TrimSpace(q.Text) != "" {
		// _formatted only carries retrieved attributes, so body is fetched too.
		req.AttributesToRetrieve = append(append([]string{}, e.retrieve...), "body")
		req.AttributesToHighlight = append([]string{"title", "body"}, e.textFlds...)
		req.AttributesToCrop = []string{"body"}
		req.CropLength = cropWords
		req.CropMarker = "…"
		req.HighlightPreTag, req.HighlightPostTag = preTag, postTag
	}
	return req
}

func readFacets(resp *meilisearch.SearchResponse, into map[string]map[string]int) error {
	if len(resp.FacetDistribution) == 0 || into == nil {
		return nil
	}
	var dist map[string]map[string]int
	if err := json.Unmarshal(resp.FacetDistribution, &dist); err != nil {
		return fmt.Errorf("meili: search: facets: %w", err)
	}
	for field, counts := range dist {
		if m, ok := into[field]; ok {
			for v, n := range counts {
				m[v] = n
			}
		}
	}
	return nil
}

func (e *Engine) hit(h meilisearch.Hit, highlight bool) (search.Hit, error) {
	var out search.Hit
	if err := decodeAttr(h, "kind", &out.Kind); err != nil {
		return out, err
	}
	if err := decodeAttr(h, "id", &out.ID); err != nil {
		return out, err
	}
	if err := decodeAttr(h, "version", &out.Version); err != nil {
		return out, err
	}
	if raw, ok := h["title"]; ok {
		if err := json.Unmarshal(raw, &out.Title); err != nil {
			return out, fmt.Errorf("attribute title: %w", err)
		}
	}
	if raw, ok := h["units"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &out.Units); err != nil {
			return out, fmt.Errorf("attribute units: %w", err)
		}
		if len(out.Units) == 0 {
			out.Units = nil
		}
	}
	if raw, ok := h["_rankingScore"]; ok {
		_ = json.Unmarshal(raw, &out.Score)
	}
	out.Fields = map[string]any{}
	for name, t := range e.schema {
		v, ok, err := decodeField(t, h[name])
		if err != nil {
			return out, fmt.Errorf("%s/%s: field %s: %w", out.Kind, out.ID, name, err)
		}
		if ok {
			out.Fields[name] = v
		}
	}
	if highlight {
		out.Highlight = e.highlight(h, out.Title)
	}
	return out, nil
}

// highlight picks the first of body, title and the Text fields that has a
// match (Meilisearch's _formatted); without any match, the escaped title.
func (e *Engine) highlight(h meilisearch.Hit, title string) string {
	var f map[string]json.RawMessage
	if raw, ok := h["_formatted"]; ok {
		_ = json.Unmarshal(raw, &f)
	}
	for _, name := range append([]string{"body", "title"}, e.textFlds...) {
		var s string
		if json.Unmarshal(f[name], &s) == nil && strings.Contains(s, preTag) {
			return formatted(s)
		}
	}
	return html.EscapeString(title)
}

// sums walks every match a page at a time, reading only the summed fields
// and the group field, and adds them up here (Meilisearch has no sum).
// Without text the documents route is used: a plain filtered scan.
func (e *Engine) sums(ctx context.Context, q search.Query, filter any) (map[string]map[string]float64, error) {
	attrs := append([]string{}, q.Sums...)
	if q.GroupBy != "" {
		attrs = append(attrs, q.GroupBy)
	}
	acc := search.NewSums(q)
	values := map[string]float64{}
	add := func(hits meilisearch.Hits) error {
		for _, h := range hits {
			clear(values)
			var groups []string
			if q.GroupBy != "" {
				g, ok, err := decodeField(search.Keyword, h[q.GroupBy])
				if err != nil {
					return fmt.Errorf("meili: sums: %s: %w", q.GroupBy, err)
				}
				if ok {
					if s, isStr := g.(string); isStr {
						groups = []string{s}
					} else {
						groups = g.([]string)
					}
				}
			}
			for _, f := range q.Sums {
				v, ok, err := decodeField(search.Number, h[f])
				if err != nil {
					return fmt.Errorf("meili: sums: %s: %w", f, err)
				}
				if ok {
					values[f] = v.(float64)
				}
			}
			acc.Add(groups, values)
		}
		return nil
	}
	if strings.TrimSpace(q.Text) == "" {
		for offset := int64(0); ; offset += pageSize {
			var page meilisearch.DocumentsResult
			err := e.index.GetDocuments(ctx, &meilisearch.DocumentsQuery{
				Filter: filter, Fields: attrs, Offset: offset, Limit: pageSize,
			}, &page)
			if err != nil {
				return nil, wrap("sums", err)
			}
			if err := add(page.Results); err != nil {
				return nil, err
			}
			if len(page.Results) < pageSize || offset+pageSize >= page.Total {
				break
			}
		}
		return acc.Result(), nil
	}
	for p := int64(1); ; p++ {
		hpp := int64(pageSize)
		req := &meilisearch.SearchRequest{
			Filter:               filter,
			MatchingStrategy:     meilisearch.All,
			AttributesToRetrieve: attrs,
			HitsPerPage:          &hpp,
			Page:                 p,
			Sort:                 []string{"id:asc", "kind:asc"},
			Locales:              []string{locale},
		}
		if q.TitleOnly {
			req.AttributesToSearchOn = []string{"title", search.PinyinField, search.InitialsField}
		}
		resp, err := e.index.Search(ctx, q.Text, req)
		if err != nil {
			return nil, wrap("sums", err)
		}
		if err := add(resp.Hits); err != nil {
			return nil, err
		}
		if p >= resp.TotalPages || len(resp.Hits) == 0 {
			break
		}
	}
	return acc.Result(), nil
}
