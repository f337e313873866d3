// Package bleve is the embedded search.Engine: one scorch Bleve index in a
// directory holding every kind, with CJK bigram analysis for full text and
// doc values on keyword, number and date fields for sorting, facets and sums.
//
// Semantics shared with search/meili (both pass search/enginetest):
//   - Dates are kept in whole seconds (UTC); Hit.Fields returns them so.
//   - Empty keyword values, empty strings and zero times count as missing.
//   - A filter's Missing is OR-ed with its values or range; a filter with no
//     condition at all is refused (search.ErrBadQuery).
//   - Records lacking a sort field come last in both directions.
//   - Text words are AND-ed across title, body and Text fields; a lone CJK
//     character matches as a prefix (the index holds bigrams); a CJK run
//     needs most of its bigrams, the whole run ranking first; Latin words
//     also match with Meilisearch's typo budget and as prefixes of the
//     title's pinyin terms (hidden fields, see search.PinyinTerms).
package bleve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	bv "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"zhaoshang/search"
)

// layoutVersion changes whenever the mapping built from a schema changes, so
// that an index written by an older build is rebuilt rather than misread.
const layoutVersion = 3

// batchSize bounds one Bleve batch (and one page of Reset/Versions).
const batchSize = 250

// Internal field names; schema names start with a letter, so they cannot clash.
const (
	fieldSrc = "_src" // stored JSON of what a Hit returns
	fieldHas = "_has" // names of the schema fields the record has (Missing filters)
	fieldRec = "_rec" // stored only: the record as the store holds it (Doc.Record)
)

var schemaKey = []byte("zhaoshang.schema")

// ErrSchemaChanged is returned by Open when dir holds an index built for
// another schema (or an older layout). The index is derived data: remove dir,
// Open again and rebuild it from Mongo (zhaoshang reindex).
var ErrSchemaChanged = errors.New("bleve: index was built for another schema")

// Index implements search.Engine on a Bleve index. It is safe for concurrent
// use: searches run while another goroutine indexes.
type Index struct {
	mu       sync.RWMutex // write-locked only by Close
	idx      bv.Index
	closed   bool
	schema   search.Schema
	textFlds []string // full-text fields besides title and body, sorted
	analyzer analysis.Analyzer
}

var _ search.Engine = (*Index)(nil)

// Open opens the index in dir, creating it (and dir) when missing. stamps
// name whatever else the index was built from (the shapes of the records
// it keeps): an index built with other stamps is ErrSchemaChanged, as one
// built for another schema.
func Open(dir string, schema search.Schema, stamps ...string) (*Index, error) {
	if err := search.CheckSchema(schema); err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	fp, err := fingerprint(schema, stamps)
	if err != nil {
		return nil, err
	}
	var idx bv.Index
	if _, statErr := os.Stat(filepath.Join(dir, "index_meta.json")); statErr == nil {
		idx, err = bv.OpenUsing(dir, scorchConfig())
		if err != nil {
			return nil, fmt.Errorf("bleve: open %s: %w", dir, err)
		}
		got, err := idx.GetInternal(schemaKey)
		if err != nil || string(got) != string(fp) {
			idx.Close()
			return nil, fmt.Errorf("%w: remove %s and open again; the index is rebuilt from the store", ErrSchemaChanged, dir)
		}
	} else {
		idx, err = bv.NewUsing(dir, buildMapping(schema), scorch.Name, bv.Config.DefaultKVStore, scorchConfig())
		if err != nil {
			return nil, fmt.Errorf("bleve: create %s: %w", dir, err)
		}
		if err := idx.SetInternal(schemaKey, fp); err != nil {
			idx.Close()
			return nil, fmt.Errorf("bleve: create %s: %w", dir, err)
		}
	}
	an := idx.Mapping().AnalyzerNamed(cjk.AnalyzerName)
	if an == nil {
		idx.Close()
		return nil, errors.New("bleve: cjk analyzer not registered")
	}
	x := &Index{idx: idx, schema: maps.Clone(schema), analyzer: an}
	for name, t := range schema {
		if t == search.Text {
			x.textFlds = append(x.textFlds, name)
		}
	}
	sort.Strings(x.textFlds)
	return x, nil
}

// scorchConfig bounds the segments Bleve merges into: each merge maps and
// reads all its source segments, so with Bleve's default (segments of up
// to 5,000,000 records) a bulk load of 100,000 records merges the whole
// index again and again and keeps all of it resident.
func scorchConfig() map[string]any {
	return map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": maxSegmentDocs}}
}

// maxSegmentDocs is the largest segment a merge produces (records).
const maxSegmentDocs = 20000

func fingerprint(schema search.Schema, stamps []string) ([]byte, error) {
	b, err := json.Marshal(struct {
		Layout int
		Schema search.Schema
		Stamps []string `json:",omitempty"`
	}{layoutVersion, schema, stamps})
	if err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	return b, nil
}

func buildMapping(schema search.Schema) *mapping.IndexMappingImpl {
	kw := func(docValues bool) *mapping.FieldMapping {
		f := bv.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	text := func(store bool) *mapping.FieldMapping {
		f := bv.NewTextFieldMapping()
		f.Analyzer = cjk.AnalyzerName
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = true // term locations feed the highlighter
		f.DocValues = false
		return f
	}
	dm := bv.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("kind", kw(true))
	dm.AddFieldMappingsAt("id", kw(true))
	dm.AddFieldMappingsAt("units", kw(true)) // doc values: the units facet
	// Pinyin terms of the title (search.PinyinTerms), one term per value,
	// matched by prefix; never stored nor highlighted.
	dm.AddFieldMappingsAt(search.PinyinField, kw(false))
	dm.AddFieldMappingsAt(search.InitialsField, kw(false))
	dm.AddFieldMappingsAt(fieldHas, kw(false))
	dm.AddFieldMappingsAt("title", text(false))
	dm.AddFieldMappingsAt("body", text(true)) // stored for highlight snippets
	storedOnly := func() *mapping.FieldMapping {
		f := bv.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	dm.AddFieldMappingsAt(fieldSrc, storedOnly())
	dm.AddFieldMappingsAt(fieldRec, storedOnly())
	for name, t := range schema {
		switch t {
		case search.Keyword:
			dm.AddFieldMappingsAt(name, kw(true))
		case search.Number:
			f := bv.NewNumericFieldMapping()
			f.Store, f.IncludeInAll, f.DocValues = false, false, true
			dm.AddFieldMappingsAt(name, f)
		case search.Date:
			f := bv.NewDateTimeFieldMapping()
			f.Store, f.IncludeInAll, f.DocValues = false, false, true
			dm.AddFieldMappingsAt(name, f)
		case search.Text:
			dm.AddFieldMappingsAt(name, text(false))
		}
	}
	im := bv.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = cjk.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// stored is the JSON kept in the _src field: what a Hit returns.
type stored struct {
	V int64          `json:"v"`
	T string         `json:"t,omitempty"`
	U []string       `json:"u,omitempty"`
	F map[string]any `json:"f,omitempty"`
}

func docID(kind, id string) string { return kind + "/" + id }

func splitDocID(s string) (kind, id string) {
	kind, id, _ = strings.Cut(s, "/")
	return kind, id
}

func (x *Index) lock() error {
	x.mu.RLock()
	if x.closed {
		x.mu.RUnlock()
		return fmt.Errorf("%w: bleve index is closed", search.ErrUnavailable)
	}
	return nil
}

func (x *Index) unlock() { x.mu.RUnlock() }

// Index adds or replaces docs; they are searchable when it returns.
func (x *Index) Index(ctx context.Context, docs ...search.Doc) error {
	norm := make([]search.Doc, len(docs))
	for i, d := range docs {
		n, err := search.NormalizeDoc(x.schema, d)
		if err != nil {
			return fmt.Errorf("bleve: index: %w", err)
		}
		norm[i] = n
	}
	if err := x.lock(); err != nil {
		return err
	}
	defer x.unlock()
	for start := 0; start < len(norm); start += batchSize {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bleve: index: %w", err)
		}
		b := x.idx.NewBatch()
		for _, d := range norm[start:min(start+batchSize, len(norm))] {
			m, err := x.bleveDoc(d)
			if err != nil {
				return fmt.Errorf("bleve: index %s/%s: %w", d.Kind, d.ID, err)
			}
			if err := b.Index(docID(d.Kind, d.ID), m); err != nil {
				return fmt.Errorf("bleve: index %s/%s: %w", d.Kind, d.ID, err)
			}
		}
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("bleve: index batch: %w", err)
		}
	}
	return nil
}

func (x *Index) bleveDoc(d search.Doc) (map[string]any, error) {
	src := stored{V: d.Version, T: d.Title, U: d.Units, F: map[string]any{}}
	m := map[string]any{
		"kind":  d.Kind,
		"id":    d.ID,
		"title": d.Title,
		"body":  d.Body,
	}
	if len(d.Units) > 0 {
		m["units"] = d.Units
	}
	if full, initials := search.PinyinTerms(d.Title); len(full) > 0 {
		m[search.PinyinField], m[search.InitialsField] = full, initials
	}
	has := make([]string, 0, len(d.Fields))
	for name, v := range d.Fields {
		has = append(has, name)
		m[name] = v
		if t, ok := v.(time.Time); ok {
			src.F[name] = t.Format(time.RFC3339)
		} else {
			src.F[name] = v
		}
	}
	if len(has) > 0 {
		m[fieldHas] = has
	}
	b, err := json.Marshal(src)
	if err != nil {
		return nil, err
	}
	m[fieldSrc] = string(b)
	if len(d.Record) > 0 {
		m[fieldRec] = string(d.Record)
	}
	return m, nil
}

// decodeStored turns the _src JSON back into Hit fields with their Go types.
func (x *Index) decodeStored(raw any) (stored, error) {
	var s stored
	str, ok := raw.(string)
	if !ok {
		return s, fmt.Errorf("stored record is %T", raw)
	}
	if err := json.Unmarshal([]byte(str), &s); err != nil {
		return s, err
	}
	for name, v := range s.F {
		switch x.schema[name] {
		case search.Keyword:
			if arr, ok := v.([]any); ok {
				vals := make([]string, 0, len(arr))
				for _, e := range arr {
					if es, ok := e.(string); ok {
						vals = append(vals, es)
					}
				}
				s.F[name] = vals
			}
		case search.Date:
			if ds, ok := v.(string); ok {
				t, err := time.Parse(time.RFC3339, ds)
				if err != nil {
					return s, err
				}
				s.F[name] = t.UTC()
			}
		}
	}
	if s.F == nil {
		s.F = map[string]any{}
	}
	return s, nil
}

// Delete removes records; unknown or malformed ids are ignored.
func (x *Index) Delete(ctx context.Context, kind search.Kind, ids ...string) error {
	if err := x.lock(); err != nil {
		return err
	}
	defer x.unlock()
	return x.deleteIDs(ctx, kind, ids)
}

func (x *Index) deleteIDs(ctx context.Context, kind search.Kind, ids []string) error {
	for start := 0; start < len(ids); start += batchSize {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bleve: delete: %w", err)
		}
		b := x.idx.NewBatch()
		for _, id := range ids[start:min(start+batchSize, len(ids))] {
			if search.IDPattern.MatchString(id) {
				b.Delete(docID(kind, id))
			}
		}
		if b.Size() == 0 {
			continue
		}
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("bleve: delete: %w", err)
		}
	}
	return nil
}

// Reset removes every record of kind, a batch at a time.
func (x *Index) Reset(ctx context.Context, kind search.Kind) error {
	if err := x.lock(); err != nil {
		return err
	}
	defer x.unlock()
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bleve: reset %s: %w", kind, err)
		}
		req := bv.NewSearchRequestOptions(termQuery("kind", kind), batchSize, 0, false)
		req.Score = "none"
		req.SortBy([]string{"_id"})
		sr, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("bleve: reset %s: %w", kind, err)
		}
		if len(sr.Hits) == 0 {
			return nil
		}
		b := x.idx.NewBatch()
		for _, h := range sr.Hits {
			b.Delete(h.ID)
		}
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("bleve: reset %s: %w", kind, err)
		}
	}
}

// Versions returns the indexed version of each present id.
func (x *Index) Versions(ctx context.Context, kind search.Kind, ids []string) (map[string]int64, error) {
	if err := x.lock(); err != nil {
		return nil, err
	}
	defer x.unlock()
	out := make(map[string]int64, len(ids))
	var docIDs []string
	for _, id := range ids {
		if search.IDPattern.MatchString(id) {
			docIDs = append(docIDs, docID(kind, id))
		}
	}
	slices.Sort(docIDs)
	docIDs = slices.Compact(docIDs)
	for start := 0; start < len(docIDs); start += batchSize {
		page := docIDs[start:min(start+batchSize, len(docIDs))]
		req := bv.NewSearchRequestOptions(query.NewDocIDQuery(page), len(page), 0, false)
		req.Score = "none"
		req.Fields = []string{fieldSrc}
		sr, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("bleve: versions: %w", err)
		}
		for _, h := range sr.Hits {
			var s struct {
				V int64 `json:"v"`
			}
			str, _ := h.Fields[fieldSrc].(string)
			if err := json.Unmarshal([]byte(str), &s); err != nil {
				return nil, fmt.Errorf("bleve: versions: %s: %w", h.ID, err)
			}
			_, id := splitDocID(h.ID)
			out[id] = s.V
		}
	}
	return out, nil
}

// Health returns nil when the index answers.
func (x *Index) Health(ctx context.Context) error {
	if err := x.lock(); err != nil {
		return err
	}
	defer x.unlock()
	if _, err := x.idx.DocCount(); err != nil {
		return fmt.Errorf("%w: bleve: %v", search.ErrUnavailable, err)
	}
	return nil
}

// Close closes the index; later calls fail with search.ErrUnavailable.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("bleve: close: %w", err)
	}
	return nil
}

func termQuery(field, term string) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}
