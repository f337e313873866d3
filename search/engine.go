// Package search answers every many-record query of zhaoshang: lists, filters,
// sorts, counts, facets and full text. Mongo stays the source of truth; the
// engine holds a derived, rebuildable copy of each record (see outbox.go).
package search

import (
	"context"
	"errors"
	"time"
)

// Kind names a record type; it equals the Mongo collection name.
type Kind = string

// FieldType says how a structured field is indexed.
type FieldType int

const (
	// Keyword fields are exact, filterable, facetable and sortable strings
	// (stage, industry, zone, officer ...). A keyword field may hold many values.
	Keyword FieldType = iota + 1
	// Number fields are float64, filterable by range and sortable (万元 amounts, scores).
	Number
	// Date fields are time.Time, filterable by range and sortable.
	Date
	// Text fields are extra full-text fields (CJK-aware) beside Title and Body,
	// e.g. a contact's name or an enterprise name; searchable, not filterable.
	Text
)

// Schema lists the structured fields an index accepts. Every implementation
// declares exactly these as filterable/sortable/facetable. Field names are
// lower_snake ASCII.
type Schema map[string]FieldType

// Doc is the indexed form of one record.
type Doc struct {
	Kind    Kind
	ID      string // [A-Za-z0-9_-]{1,100}
	Version int64
	// Units the record belongs to; scope filters match any of them.
	Units []string
	Title string
	// Body is free text searched after Title (CJK-aware analysis).
	Body string
	// Fields holds structured values keyed by Schema field name:
	// Keyword: string or []string; Number: float64 (or int); Date: time.Time; Text: string.
	Fields map[string]any
	// Record is the record as the store holds it (BSON), set for kinds that
	// export (core.Repo.KeepRecords). Engines that implement RecordWalker
	// keep it, never index it and never return it from Search: a large
	// export reads it there instead of scanning the store.
	Record []byte
}

// Scope limits a query to records of some units. The zero Scope matches
// nothing; All matches everything (admins and system jobs only).
type Scope struct {
	All   bool
	Units []string
}

// Filter restricts a query on one field. For Keyword fields Values are OR-ed;
// for Number fields Min/Max bound the value (inclusive, nil = open);
// for Date fields From (inclusive) and To (exclusive) bound it (zero = open).
// Missing=true matches records where the field has no value (Keyword only).
// Filters on different fields are AND-ed. Field may also be UnitsField
// (values only, no Missing).
type Filter struct {
	Field   string
	Values  []string
	Min     *float64
	Max     *float64
	From    time.Time
	To      time.Time
	Missing bool
}

// Sort orders results by a Keyword, Number or Date field. Ties are always
// broken by ID ascending so that every engine returns the same order.
type Sort struct {
	Field string
	Desc  bool
}

// Query is one search. Kinds empty means every kind.
type Query struct {
	Kinds []Kind
	// Text is user text; engines escape their own syntax characters. Its
	// words are AND-ed; a Latin word also matches with typos (see
	// TypoDistance) and, as a prefix, the pinyin of titles (see PinyinTerms);
	// a run of CJK characters matches records holding most of its bigrams,
	// those holding the whole run ranking first.
	Text    string
	Scope   Scope
	Filters []Filter
	// Facets names Keyword fields (or UnitsField) whose value counts are
	// returned for the records matching the whole query (scope, text and
	// filters).
	Facets []string
	// Sums names Number fields summed over the matching records, per
	// value of GroupBy when GroupBy is set (e.g. 万元 total per stage column).
	Sums    []string
	GroupBy string
	// Sort empty means relevance when Text is set, else ID ascending.
	Sort      []Sort
	Offset    int
	Limit     int // 0 means 20; capped at 1000
	Highlight bool
	// Prefix treats the last word of Text as a prefix (as-you-type suggestions).
	Prefix bool
	// TitleOnly searches Text in the title and its pinyin only, not in the
	// body nor the Text fields (suggestions of record names).
	TitleOnly bool
}

// Hit is one matching record.
type Hit struct {
	Kind      Kind
	ID        string
	Version   int64
	Title     string
	Highlight string // HTML-safe snippet with <mark>...</mark> around matches
	Score     float64
	// Fields returns the stored structured fields (same types as Doc.Fields).
	Fields map[string]any
	Units  []string
}

// Result is one page of hits plus counts over all matching records.
type Result struct {
	Hits   []Hit
	Total  int
	Facets map[string]map[string]int
	// Sums[field][group] is the sum of field over matching records; the group
	// is "" when Query.GroupBy is empty.
	Sums map[string]map[string]float64
}

// Engine is implemented by the embedded Bleve index and by Meilisearch.
// Both must pass search/enginetest.
type Engine interface {
	// Index adds or replaces docs (by Kind+ID). It returns once the docs are
	// searchable (Meilisearch: waits for the task, bounded by ctx).
	Index(ctx context.Context, docs ...Doc) error
	// Delete removes records; unknown ids are ignored.
	Delete(ctx context.Context, kind Kind, ids ...string) error
	Search(ctx context.Context, q Query) (Result, error)
	// Versions returns the indexed version of each given id that is present.
	Versions(ctx context.Context, kind Kind, ids []string) (map[string]int64, error)
	// Health returns nil when the engine answers.
	Health(ctx context.Context) error
	// Reset removes every document of kind (used by reindex before a rebuild).
	Reset(ctx context.Context, kind Kind) error
	Close() error
}

var (
	// ErrBadQuery wraps a query the engine refuses (unknown field, bad range).
	ErrBadQuery = errors.New("search: bad query")
	// ErrUnavailable wraps failures to reach the engine.
	ErrUnavailable = errors.New("search: engine unavailable")
)

// SortSpec turns a list's sort parameter ("field" ascending, "-field"
// descending) into the engine's sort; "" gives nil.
func SortSpec(spec string) []Sort {
	if spec == "" {
		return nil
	}
	if len(spec) > 1 && spec[0] == '-' {
		return []Sort{{Field: spec[1:], Desc: true}}
	}
	return []Sort{{Field: spec}}
}

// Paged sets the page (1-based) and the order of a list query: the
// requested sort ("field" or "-field"), else relevance when there is text,
// else newest first by the date field newest.
func Paged(q Query, page, perPage int, sort, text, newest string) Query {
	q.Offset, q.Limit = (page-1)*perPage, perPage
	switch {
	case sort != "":
		q.Sort = SortSpec(sort)
	case text == "":
		q.Sort = []Sort{{Field: newest, Desc: true}}
	}
	return q
}
