package bleve

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	bv "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"zhaoshang/search"
)

const (
	// facetSize is larger than Meilisearch's maxValuesPerFacet (10000) so
	// that every value of a keyword field is counted.
	facetSize = 100000
	// maxQueryTerms bounds the analysed terms of one text query (Meilisearch
	// reads only the first 10 words of a query).
	maxQueryTerms = 64
	// maxQueryBytes bounds the user text analysed for one query.
	maxQueryBytes = 4096
	titleBoost    = 2.0
)

// Search answers q; see search.Query for the meaning of each part.
func (x *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	q, err := search.CheckQuery(x.schema, q)
	if err != nil {
		return search.Result{}, fmt.Errorf("bleve: search: %w", err)
	}
	if !q.Scope.All && len(q.Scope.Units) == 0 {
		return search.EmptyResult(q), nil
	}
	if err := x.lock(); err != nil {
		return search.Result{}, err
	}
	defer x.unlock()

	bq, scored := x.buildQuery(q)
	req := bv.NewSearchRequestOptions(bq, q.Limit, q.Offset, false)
	if !scored {
		req.Score = "none"
	}
	req.SortByCustom(x.sortOrder(q, scored))
	req.Fields = []string{fieldSrc}
	if q.Highlight {
		req.Fields = append(req.Fields, "body")
		req.IncludeLocations = true
	}
	for _, f := range q.Facets {
		req.AddFacet(f, bv.NewFacetRequest(f, facetSize))
	}
	sr, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return search.Result{}, fmt.Errorf("bleve: search: %w", err)
	}

	res := search.EmptyResult(q)
	res.Total = int(sr.Total)
	res.Hits = make([]search.Hit, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		st, err := x.decodeStored(h.Fields[fieldSrc])
		if err != nil {
			return search.Result{}, fmt.Errorf("bleve: search: record %s: %w", h.ID, err)
		}
		kind, id := splitDocID(h.ID)
		hit := search.Hit{
			Kind:    kind,
			ID:      id,
			Version: st.V,
			Title:   st.T,
			Score:   h.Score,
			Fields:  st.F,
			Units:   st.U,
		}
		if q.Highlight {
			hit.Highlight = x.highlight(h, st)
		}
		res.Hits = append(res.Hits, hit)
	}
	for name, fr := range sr.Facets {
		if fr.Terms == nil {
			continue
		}
		for _, t := range fr.Terms.Terms() {
			res.Facets[name][t.Term] = t.Count
		}
	}
	if len(q.Sums) > 0 {
		res.Sums, err = x.sums(ctx, bq, q)
		if err != nil {
			return search.Result{}, err
		}
	}
	return res, nil
}

// buildQuery turns q into a Bleve query. scored reports whether results are
// ordered by relevance; otherwise scoring is skipped and every part of the
// query is a plain conjunction.
func (x *Index) buildQuery(q search.Query) (query.Query, bool) {
	var filters []query.Query
	if len(q.Kinds) > 0 {
		filters = append(filters, anyTerm("kind", q.Kinds))
	}
	if !q.Scope.All {
		filters = append(filters, anyTerm("units", q.Scope.Units))
	}
	for _, f := range q.Filters {
		filters = append(filters, x.filterQuery(f))
	}
	fields := x.textFields()
	if q.TitleOnly {
		fields = []string{"title"}
	}
	text := x.textQuery(q.Text, q.Prefix, fields)
	if text != nil && len(q.Sort) == 0 {
		// Filters must not change the relevance score, so they go in the
		// boolean filter clause, which is not scored.
		bq := query.NewBooleanQuery([]query.Query{text}, nil, nil)
		if len(filters) > 0 {
			bq.AddFilter(conjunction(filters))
		}
		return bq, true
	}
	if text != nil {
		filters = append(filters, text)
	}
	if len(filters) == 0 {
		return query.NewMatchAllQuery(), false
	}
	return conjunction(filters), false
}

func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

func anyTerm(field string, values []string) query.Query {
	if len(values) == 0 {
		return query.NewMatchNoneQuery()
	}
	if len(values) == 1 {
		return termQuery(field, values[0])
	}
	qs := make([]query.Query, len(values))
	for i, v := range values {
		qs[i] = termQuery(field, v)
	}
	return query.NewDisjunctionQuery(qs)
}

// filterQuery builds one filter; Missing is OR-ed with the values or range.
func (x *Index) filterQuery(f search.Filter) query.Query {
	var parts []query.Query
	yes, no := true, false
	t, _ := search.TypeOf(x.schema, f.Field)
	switch t {
	case search.Keyword:
		if len(f.Values) > 0 {
			parts = append(parts, anyTerm(f.Field, f.Values))
		}
	case search.Number:
		if f.Min != nil || f.Max != nil {
			nq := query.NewNumericRangeInclusiveQuery(f.Min, f.Max, &yes, &yes)
			nq.SetField(f.Field)
			parts = append(parts, nq)
		}
	case search.Date:
		if !f.From.IsZero() || !f.To.IsZero() {
			from, to := f.From, f.To
			if !from.IsZero() {
				from = search.DateBound(from)
			}
			if !to.IsZero() {
				to = search.DateBound(to)
			}
			dq := query.NewDateRangeInclusiveQuery(from, to, &yes, &no)
			dq.SetField(f.Field)
			parts = append(parts, dq)
		}
	}
	if f.Missing {
		parts = append(parts, query.NewBooleanQuery(nil, nil, []query.Query{termQuery(fieldHas, f.Field)}))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return query.NewDisjunctionQuery(parts)
}

// textQuery analyses the user text with the cjk analyzer and requires every
// part of it in at least one of title, body and the Text fields (title
// boosted). The text is never parsed as query syntax. nil means no text
// condition. The parts:
//   - a run of CJK characters (bigrams 智能 能装 装备) matches records holding
//     most of its bigrams (minBigrams), so 智能装备 finds 智能制造装备 but not a
//     record with only 装备; records holding the run as a phrase score higher;
//   - a lone CJK character (which the bigram index holds only as the start
//     of bigrams) and, with prefix, the last Latin word or number match as
//     prefixes;
//   - a Latin word also matches with typos (search.TypoDistance, the first
//     letter exact) and as a prefix of the title's pinyin terms
//     (search.PinyinTerms), both scoring below an exact match.
func (x *Index) textQuery(text string, prefix bool, fields []string) query.Query {
	text = strings.TrimSpace(text)
	if len(text) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	if text == "" {
		return nil
	}
	toks := x.analyzer.Analyze([]byte(text))
	if len(toks) == 0 {
		return nil
	}
	last := 0
	for i, t := range toks {
		if t.End >= toks[last].End {
			last = i
		}
	}
	seen := map[string]bool{}
	var conj []query.Query
	budget := maxQueryTerms
	add := func(key string, q func() query.Query, cost int) {
		if seen[key] || budget <= 0 {
			return
		}
		seen[key] = true
		budget -= cost
		conj = append(conj, q())
	}
	var run []string // bigrams of the current CJK run, in order
	flush := func() {
		if len(run) > 0 {
			terms := run
			add("r\x00"+strings.Join(terms, "\x00"), func() query.Query { return x.runQuery(terms, fields) }, len(terms))
			run = nil
		}
	}
	prevEnd := -1
	for i, t := range toks {
		term := string(t.Term)
		if term == "" {
			continue
		}
		if t.Type == analysis.Double {
			if len(run) > 0 && t.Start >= prevEnd {
				flush()
			}
			if len(run) < maxQueryTerms {
				run = append(run, term)
			}
			prevEnd = t.End
			continue
		}
		flush()
		switch {
		case t.Type == analysis.Single:
			add("s\x00"+term, func() query.Query { return fieldsQuery(fields, term, true) }, 1)
		case prefix && i == last:
			add("p\x00"+term, func() query.Query { return wordQuery(fields, term, true) }, 1)
		default:
			add("w\x00"+term, func() query.Query { return wordQuery(fields, term, false) }, 1)
		}
	}
	flush()
	if len(conj) == 0 {
		return nil
	}
	return conjunction(conj)
}

const (
	// fuzzyBoost and pinyinBoost weigh typo and pinyin matches below exact ones.
	fuzzyBoost  = 0.3
	pinyinBoost = 0.5
)

// minBigrams is how many distinct bigrams of a CJK run of k distinct bigrams
// a record must hold: all of one or two; of longer runs about half plus one,
// which leaves out the bigrams that straddle two words (能装 in 智能|装备,
// 源汽 in 新能源|汽车) while still needing every word.
func minBigrams(k int) int {
	if k <= 2 {
		return k
	}
	return (k + 2) / 2
}

// runQuery matches a run of CJK bigrams (see textQuery).
func (x *Index) runQuery(terms, fields []string) query.Query {
	var uniq []string
	for _, t := range terms {
		if !slices.Contains(uniq, t) {
			uniq = append(uniq, t)
		}
	}
	if len(uniq) == 1 {
		return fieldsQuery(fields, uniq[0], false)
	}
	parts := make([]query.Query, len(uniq))
	for i, t := range uniq {
		parts[i] = fieldsQuery(fields, t, false)
	}
	// A record holding the whole run holds every bigram, the straddling
	// ones included, so the disjunction's coordination already ranks it
	// above records holding only the words apart (a phrase clause gave
	// the same order at twice the cost on 100,000 records).
	must := query.NewDisjunctionQuery(parts)
	must.SetMin(float64(minBigrams(len(uniq))))
	return must
}

// wordQuery matches a Latin word or a number: exactly (or as a prefix), with
// typos, and as a prefix of the title's pinyin.
func wordQuery(fields []string, term string, prefix bool) query.Query {
	qs := []query.Query{fieldsQuery(fields, term, prefix)}
	if d := search.TypoDistance(term); d > 0 {
		for _, f := range fields {
			fq := query.NewFuzzyQuery(term)
			fq.SetField(f)
			fq.SetFuzziness(d)
			fq.SetPrefix(1)
			fq.SetBoost(fuzzyBoost * fieldBoost(f))
			qs = append(qs, fq)
		}
	}
	full, initials := search.PinyinQueryWord(term)
	for _, f := range []string{search.PinyinField, search.InitialsField} {
		if (f == search.PinyinField && full) || (f == search.InitialsField && initials) {
			pq := query.NewPrefixQuery(term)
			pq.SetField(f)
			pq.SetBoost(pinyinBoost)
			qs = append(qs, pq)
		}
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// textFields are the analysed fields a text query searches (without
// Query.TitleOnly).
func (x *Index) textFields() []string {
	return append([]string{"title", "body"}, x.textFlds...)
}

func fieldBoost(f string) float64 {
	if f == "title" {
		return titleBoost
	}
	return 1
}

func fieldsQuery(fields []string, term string, prefix bool) query.Query {
	qs := make([]query.Query, 0, len(fields))
	for _, f := range fields {
		if prefix {
			pq := query.NewPrefixQuery(term)
			pq.SetField(f)
			pq.SetBoost(fieldBoost(f))
			qs = append(qs, pq)
		} else {
			tq := termQuery(f, term)
			tq.SetBoost(fieldBoost(f))
			qs = append(qs, tq)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// sortOrder applies the requested sorts, then ID and kind ascending so that
// every engine returns ties in the same order. Records without the sort
// field come last in both directions; a many-valued keyword sorts by its
// smallest value ascending and its largest descending.
func (x *Index) sortOrder(q search.Query, scored bool) bsearch.SortOrder {
	var so bsearch.SortOrder
	if scored {
		so = append(so, &bsearch.SortScore{Desc: true})
	}
	for _, s := range q.Sort {
		sf := &bsearch.SortField{Field: s.Field, Desc: s.Desc, Missing: bsearch.SortFieldMissingLast, Mode: bsearch.SortFieldMin}
		if s.Desc {
			sf.Mode = bsearch.SortFieldMax
		}
		switch x.schema[s.Field] {
		case search.Number:
			sf.Type = bsearch.SortFieldAsNumber
		case search.Date:
			sf.Type = bsearch.SortFieldAsDate
		default:
			sf.Type = bsearch.SortFieldAsString
		}
		so = append(so, sf)
	}
	so = append(so, &bsearch.SortField{Field: "id", Type: bsearch.SortFieldAsString})
	if len(q.Kinds) != 1 {
		// Only records of different kinds can share an id.
		so = append(so, &bsearch.SortField{Field: "kind", Type: bsearch.SortFieldAsString})
	}
	return so
}

// highlight picks the first of body, title and the Text fields that has a
// match and returns a snippet of it; without any match, the escaped title.
func (x *Index) highlight(h *bsearch.DocumentMatch, st stored) string {
	body, _ := h.Fields["body"].(string)
	type cand struct{ field, text string }
	cands := []cand{{"body", body}, {"title", st.T}}
	for _, f := range x.textFlds {
		if s, ok := st.F[f].(string); ok {
			cands = append(cands, cand{f, s})
		}
	}
	for _, c := range cands {
		var spans [][2]int
		for _, locs := range h.Locations[c.field] {
			for _, l := range locs {
				spans = append(spans, [2]int{int(l.Start), int(l.End)})
			}
		}
		if len(spans) > 0 && c.text != "" {
			return snippet(c.text, spans)
		}
	}
	return html.EscapeString(st.T)
}

// sums walks every record matching bq once, reading the summed numbers and
// the group values from doc values (no stored fields are loaded).
func (x *Index) sums(ctx context.Context, bq query.Query, q search.Query) (map[string]map[string]float64, error) {
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("bleve: sums: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("bleve: sums: %w", err)
	}
	defer r.Close()
	s, err := bq.Searcher(ctx, r, x.idx.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("bleve: sums: %w", err)
	}
	defer s.Close()
	fields := slices.Clone(q.Sums)
	if q.GroupBy != "" {
		fields = append(fields, q.GroupBy)
	}
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		return nil, fmt.Errorf("bleve: sums: %w", err)
	}
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	acc := search.NewSums(q)
	values := map[string]float64{}
	var groups []string
	var visitErr error
	visit := func(field string, term []byte) {
		if field == q.GroupBy {
			if !slices.Contains(groups, string(term)) {
				groups = append(groups, string(term))
			}
			return
		}
		if valid, shift := numeric.ValidPrefixCodedTermBytes(term); !valid || shift != 0 {
			return
		}
		i64, err := numeric.PrefixCoded(term).Int64()
		if err != nil {
			visitErr = err
			return
		}
		values[field] = numeric.Int64ToFloat64(i64)
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("bleve: sums: %w", err)
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("bleve: sums: %w", err)
		}
		if dm == nil {
			break
		}
		clear(values)
		groups = groups[:0]
		if err := dvr.VisitDocValues(dm.IndexInternalID, visit); err != nil {
			return nil, fmt.Errorf("bleve: sums: %w", err)
		}
		if visitErr != nil {
			return nil, fmt.Errorf("bleve: sums: %w", visitErr)
		}
		acc.Add(groups, values)
		sctx.DocumentMatchPool.Put(dm)
	}
	return acc.Result(), nil
}
