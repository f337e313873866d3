package bleve

import (
	"context"
	"fmt"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"zhaoshang/search"
)

var (
	_ search.IDWalker     = (*Index)(nil)
	_ search.RecordWalker = (*Index)(nil)
)

// EachID walks every record matching q (kinds, text, scope, filters) with
// an unscored searcher and calls fn with its id: no hit cap, no sorting, no
// stored fields loaded (exports of 100,000 records take tens of ms here).
func (x *Index) EachID(ctx context.Context, q search.Query, fn func(id string) error) error {
	return x.walk(ctx, q, false, func(id string, _ []byte) error { return fn(id) })
}

// EachRecord walks the matches of q as EachID does and also hands over
// each one's kept record (Doc.Record; nil if it was indexed without one).
func (x *Index) EachRecord(ctx context.Context, q search.Query, fn func(id string, rec []byte) error) error {
	return x.walk(ctx, q, true, fn)
}

func (x *Index) walk(ctx context.Context, q search.Query, records bool, fn func(id string, rec []byte) error) error {
	q, err := search.CheckQuery(x.schema, q)
	if err != nil {
		return fmt.Errorf("bleve: ids: %w", err)
	}
	if !q.Scope.All && len(q.Scope.Units) == 0 {
		return nil
	}
	if err := x.lock(); err != nil {
		return err
	}
	defer x.unlock()
	bq, _ := x.buildQuery(q)
	adv, err := x.idx.Advanced()
	if err != nil {
		return fmt.Errorf("bleve: ids: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("bleve: ids: %w", err)
	}
	defer r.Close()
	s, err := bq.Searcher(ctx, r, x.idx.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return fmt.Errorf("bleve: ids: %w", err)
	}
	defer s.Close()
	// The record id is read from the "id" doc values (as sums reads its
	// numbers): much cheaper than looking up each hit's external id.
	dvr, err := r.DocValueReader([]string{"id"})
	if err != nil {
		return fmt.Errorf("bleve: ids: %w", err)
	}
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	var id string
	visit := func(_ string, term []byte) { id = string(term) }
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("bleve: ids: %w", err)
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return fmt.Errorf("bleve: ids: %w", err)
		}
		if dm == nil {
			return nil
		}
		id = ""
		var rec []byte
		if records {
			if id, rec, err = record(r, dm.IndexInternalID); err != nil {
				return fmt.Errorf("bleve: records: %w", err)
			}
		} else if err := dvr.VisitDocValues(dm.IndexInternalID, visit); err != nil {
			return fmt.Errorf("bleve: ids: %w", err)
		}
		if id == "" { // not expected: every document has an id
			ext, err := r.ExternalID(dm.IndexInternalID)
			if err != nil {
				return fmt.Errorf("bleve: ids: %w", err)
			}
			_, id = splitDocID(ext)
		}
		if err := fn(id, rec); err != nil {
			return err
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// record reads the id and the kept record of one match from its stored
// fields.
func record(r index.IndexReader, internal index.IndexInternalID) (id string, rec []byte, err error) {
	ext, err := r.ExternalID(internal)
	if err != nil {
		return "", nil, err
	}
	_, id = splitDocID(ext)
	doc, err := r.Document(ext)
	if err != nil || doc == nil {
		return id, nil, err
	}
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fieldRec {
			rec = f.Value()
		}
	})
	return id, rec, nil
}
