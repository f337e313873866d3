package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/search"
)

// KeepRecord wraps a kind's ToDoc so that every engine document also
// carries the record as the store holds it (search.Doc.Record: BSON behind
// a fingerprint of T's stored shape): exports then read records from the
// engine, which walks 100,000 of them in a few seconds, where the embedded
// store scans ~8,000 a second. trim, if not nil, returns a copy without the
// parts no export column reads (histories, follow-ups); only exports and
// import matching read the kept record, and importers/export tests compare
// it with the store's.
func KeepRecord[T any, P interface {
	*T
	Record
}](toDoc func(P) search.Doc, trim func(P) P) func(P) search.Doc {
	format := recordFormat[T]()
	return func(p P) search.Doc {
		d := toDoc(p)
		kept := p
		if trim != nil {
			kept = trim(p)
		}
		if b, err := bson.Marshal(kept); err == nil {
			d.Record = append(format[:len(format):len(format)], b...)
		}
		return d
	}
}

// RecordFormat is recordFormat in hex: the embedded index is stamped with
// the formats of the records it keeps, so that a new shape rebuilds it at
// start (app/platform KeptFormats).
func RecordFormat[T any]() string { return hex.EncodeToString(recordFormat[T]()) }

// recordFormat fingerprints the stored shape of T: its fields' names, BSON
// tags and types, nested structs included. A record kept by a build whose
// T differed (a field added since) is not trusted: EachKept reads it from
// the store until the record is indexed again.
func recordFormat[T any]() []byte {
	h := sha256.New()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		fmt.Fprintf(h, "%s|%s;", t.Kind(), t.String())
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(t.Elem())
		case reflect.Struct:
			if seen[t] {
				return
			}
			seen[t] = true
			for i := range t.NumField() {
				f := t.Field(i)
				fmt.Fprintf(h, "%s `%s` ", f.Name, f.Tag.Get("bson"))
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[T]())
	return h.Sum(nil)[:8]
}

// KeepsRecords reports whether the engine keeps this kind's records
// (KeepRecord) and can hand them over (search.RecordWalker).
func (r *Repo[T, P]) KeepsRecords() bool {
	if r.Sync == nil {
		return false
	}
	_, ok := search.Records(r.Sync.Engine())
	return ok
}

// EachKept streams the records matching q (kinds, text, scope, filters)
// from the copies the engine keeps, in no particular order. Records with
// an outbox entry, whose engine copy may be older than the store's, and
// any kept without a copy or in another format are read from the store by
// _id and handed over only if still in q's scope; with no text and no
// filters, pending records the engine has not seen yet (a create in
// flight) are included too. Callers check KeepsRecords first.
func (r *Repo[T, P]) EachKept(ctx context.Context, q search.Query, fn func(P) error) error {
	rw, ok := search.Records(r.Sync.Engine())
	if !ok {
		return fmt.Errorf("%s: the search engine keeps no records", r.Kind)
	}
	pending, err := r.Sync.Pending(ctx, r.Kind)
	if err != nil {
		return fmt.Errorf("%s: %w", r.Kind, err)
	}
	q.Kinds = []string{r.Kind}
	format := recordFormat[T]()
	var reload []string
	err = rw.EachRecord(ctx, q, func(id string, rec []byte) error {
		var v T
		if pending[id] || !bytes.HasPrefix(rec, format) || bson.Unmarshal(rec[len(format):], &v) != nil {
			reload = append(reload, id) // the store's copy is the truth
			delete(pending, id)
			return nil
		}
		return fn(&v)
	})
	if err != nil {
		return fmt.Errorf("%s: kept records: %w", r.Kind, err)
	}
	if q.Text == "" && len(q.Filters) == 0 {
		for id := range pending {
			reload = append(reload, id)
		}
	}
	slices.Sort(reload)
	scope := Scope(q.Scope)
	for start := 0; start < len(reload); start += reloadPage {
		ps, err := r.GetMany(ctx, reload[start:min(start+reloadPage, len(reload))])
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !scope.AllowsAny(r.ToDoc(p).Units) {
				continue
			}
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// reloadPage bounds the records EachKept reads back from the store at once.
const reloadPage = 200
