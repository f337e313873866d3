package meili

// Pure translation of search.Query and search.Schema into Meilisearch
// filter expressions, sort rules and index settings (unit-tested without a
// server).

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"zhaoshang/search"
)

const (
	primaryKey        = "uid"
	maxTotalHits      = 1_000_000
	maxValuesPerFacet = 10_000
	// pageSize is the page used to walk all matches (sums, versions).
	pageSize = 1000
	// Highlight tags from Meilisearch are private-use characters, replaced by
	// <mark> after the text is HTML-escaped (Meilisearch does not escape).
	preTag  = "\uE000"
	postTag = "\uE001"
)

// rankingRules put an explicit sort before every relevance rule, so that a
// sorted text query orders exactly like Bleve does (sort, then id, then kind).
// Without a sort parameter the sort rule is a no-op and relevance decides.
var rankingRules = []string{"sort", "words", "typo", "proximity", "attribute", "exactness"}

// uid is the Meilisearch primary key of a record.
func uid(kind, id string) string { return kind + "_" + id }

// quote returns s as a double-quoted filter value. Meilisearch unescapes \"
// and then Rust-style escapes (\\ → \), so both are escaped here.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// inList is `field IN ["a", "b"]`.
func inList(field string, values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	return field + " IN [" + strings.Join(q, ", ") + "]"
}

// buildFilter translates kinds, scope and filters of a checked query into one
// filter expression; "" means no filter. The caller answers a query whose
// scope has no units without asking the server.
func buildFilter(schema search.Schema, q search.Query) string {
	var parts []string
	if len(q.Kinds) > 0 {
		parts = append(parts, inList("kind", q.Kinds))
	}
	if !q.Scope.All {
		parts = append(parts, inList("units", q.Scope.Units))
	}
	for _, f := range q.Filters {
		parts = append(parts, filterExpr(schema, f))
	}
	return andAll(parts)
}

func andAll(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	for i, p := range parts {
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, " AND ")
}

// filterExpr builds one filter; Missing is OR-ed with the values or range.
func filterExpr(schema search.Schema, f search.Filter) string {
	var or []string
	t, _ := search.TypeOf(schema, f.Field)
	switch t {
	case search.Keyword:
		if len(f.Values) > 0 {
			or = append(or, inList(f.Field, f.Values))
		}
	case search.Number:
		var and []string
		if f.Min != nil {
			and = append(and, f.Field+" >= "+formatNumber(*f.Min))
		}
		if f.Max != nil {
			and = append(and, f.Field+" <= "+formatNumber(*f.Max))
		}
		if len(and) > 0 {
			or = append(or, strings.Join(and, " AND "))
		}
	case search.Date:
		var and []string
		if !f.From.IsZero() {
			and = append(and, f.Field+" >= "+strconv.FormatInt(search.DateBound(f.From).Unix(), 10))
		}
		if !f.To.IsZero() {
			and = append(and, f.Field+" < "+strconv.FormatInt(search.DateBound(f.To).Unix(), 10))
		}
		if len(and) > 0 {
			or = append(or, strings.Join(and, " AND "))
		}
	}
	if f.Missing {
		or = append(or, f.Field+" NOT EXISTS")
	}
	if len(or) == 1 {
		return or[0]
	}
	for i, p := range or {
		or[i] = "(" + p + ")"
	}
	return strings.Join(or, " OR ")
}

// scored reports whether results are ordered by relevance.
func scored(q search.Query) bool {
	return strings.TrimSpace(q.Text) != "" && len(q.Sort) == 0
}

// buildSort returns the sort rules: the requested ones, then id and kind
// ascending (the contract's tiebreak), or none for relevance order.
func buildSort(q search.Query) []string {
	if scored(q) {
		return nil
	}
	out := make([]string, 0, len(q.Sort)+2)
	for _, s := range q.Sort {
		dir := ":asc"
		if s.Desc {
			dir = ":desc"
		}
		out = append(out, s.Field+dir)
	}
	return append(out, "id:asc", "kind:asc")
}

// schemaFields returns the schema's field names of the given types, sorted.
func schemaFields(schema search.Schema, types ...search.FieldType) []string {
	var out []string
	for name, t := range schema {
		for _, want := range types {
			if t == want {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// buildSettings declares every structured field filterable and sortable and
// raises the hit and facet caps, without which totals and deep pages are
// silently wrong.
func buildSettings(schema search.Schema) *meilisearch.Settings {
	structured := schemaFields(schema, search.Keyword, search.Number, search.Date)
	searchable := append([]string{"title", "body"}, schemaFields(schema, search.Text)...)
	// The pinyin terms come last: the attribute rule ranks a match in the
	// Chinese text above one in the pinyin. They are Latin, so not localized.
	searchAll := append(slices.Clone(searchable), search.PinyinField, search.InitialsField)
	return &meilisearch.Settings{
		RankingRules:         rankingRules,
		SearchableAttributes: searchAll,
		DisplayedAttributes:  []string{"*"},
		FilterableAttributes: append([]string{"kind", "units", "id"}, structured...),
		SortableAttributes:   append([]string{"id", "kind"}, structured...),
		Pagination:           &meilisearch.Pagination{MaxTotalHits: maxTotalHits},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: maxValuesPerFacet,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeAlpha},
		},
		// Short Chinese texts are otherwise sometimes detected as Japanese
		// and segmented differently from the query.
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{
			{Locales: []string{locale}, AttributePatterns: searchable},
		},
	}
}

// locale is Mandarin Chinese (ISO 639-3), used for documents and queries.
const locale = "cmn"
