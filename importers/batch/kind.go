// Package batch imports ledgers: it previews a file row by row (create /
// update / unchanged / review / rejected, with the reason and the column),
// commits it in bounded chunks that every written record remembers, rolls
// an interrupted commit back, and undoes a finished batch unless its
// records were edited since.
//
// The engine is the same for every kind and knows no module; a Kind
// adapter (each module's ledger.go) parses a row into the module's input,
// names its natural keys, and builds the record through the module's own
// rules.
package batch

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind adapts one record kind to the importer.
type Kind interface {
	Key() string   // import kind: "projects", "talents", ...
	Label() string // Chinese name: 项目, 人才, ...
	Fields() []header.Field
	Store() Store
	// Open prepares one run (vocabularies, unit names) for env.
	Open(ctx context.Context, env Env) (Planner, error)
}

// Env is who imports what, with which header.
type Env struct {
	Actor  core.Actor
	Scope  core.Scope
	Unit   string        // responsible unit of rows that name none
	Header header.Result // column units (万元, 亿元) and labels
	Now    time.Time
	// Batch is the id the commit's records will carry ("" in a preview of
	// a new file); a rule may name it (an import's out-of-system approval).
	Batch string
}

// Planner reads rows and builds records for one run.
type Planner interface {
	// Keys returns a stored record's natural keys (most specific first),
	// its owner unit, display name and similar-name key (see Candidate).
	Keys(rec core.Record) (keys []string, unit, name, similar string)
	// Parse reads one row (cells by field key, as written). Problems are
	// returned per field key.
	Parse(row map[string]string) (*Candidate, []FieldError)
	// Build returns the record to store for c: a new one when cur is nil,
	// else cur with the row applied (a copy; cur is not modified), and
	// same=true when that leaves cur as it was. Errors are the module's:
	// *core.FieldError, *projects.GateError, ...
	Build(c *Candidate, cur core.Record) (rec core.Record, same bool, err error)
}

// Candidate is a parsed row before matching.
type Candidate struct {
	// Keys are the row's natural keys, most specific first, e.g.
	// "cc:<credit code>", "name:<folded name>|<type>|<unit>".
	Keys []string
	// Similar is a looser key (the name without company suffixes): a new
	// row whose Similar equals an existing record's goes to review.
	Similar string
	Unit    string
	Name    string
	Value   any // the kind's parsed input
}

// Review is a row Build will not write for this importer: it goes to the
// review list with Message for someone with more rights (an officer's
// legacy row that only a manager may land), whatever the confirmations.
type Review struct{ Message string }

func (e *Review) Error() string { return e.Message }

// FieldError is one problem of a row, by field key ("" for the whole row).
type FieldError struct {
	Field   string
	Message string
}

// Store is what the importer needs of a module's repository.
type Store interface {
	Get(ctx context.Context, id string) (core.Record, error)
	GetRaw(ctx context.Context, id string) (bson.Raw, error)
	Decode(raw bson.Raw) (core.Record, error)
	Scan(ctx context.Context, fn func(core.Record) error) error
	Insert(ctx context.Context, a core.Actor, recs []core.Record) error
	Update(ctx context.Context, a core.Actor, rec, before core.Record) error
	Restore(ctx context.Context, a core.Actor, snapshot bson.Raw, version int64) error
	Delete(ctx context.Context, id string, version int64) error
}

// StoreOf adapts a core.Repo.
func StoreOf[T any, P interface {
	*T
	core.Record
}](r *core.Repo[T, P]) Store {
	return repoStore[T, P]{r}
}

type repoStore[T any, P interface {
	*T
	core.Record
}] struct{ r *core.Repo[T, P] }

func (s repoStore[T, P]) Get(ctx context.Context, id string) (core.Record, error) {
	p, err := s.r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s repoStore[T, P]) GetRaw(ctx context.Context, id string) (bson.Raw, error) {
	return s.r.GetRaw(ctx, id)
}

func (s repoStore[T, P]) Decode(raw bson.Raw) (core.Record, error) {
	var v T
	if err := bson.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return P(&v), nil
}

// Scan reads every record of the kind: from the copies the engine keeps
// where it keeps them (a scan of the embedded store decodes ~10,000
// records a second), else from the store.
func (s repoStore[T, P]) Scan(ctx context.Context, fn func(core.Record) error) error {
	if s.r.KeepsRecords() {
		return s.r.EachKept(ctx, search.Query{Scope: search.Scope{All: true}}, func(p P) error { return fn(p) })
	}
	return s.r.Each(ctx, func(p P) error { return fn(p) })
}

func (s repoStore[T, P]) Insert(ctx context.Context, a core.Actor, recs []core.Record) error {
	ps := make([]P, len(recs))
	for i, r := range recs {
		ps[i] = r.(P)
	}
	return s.r.InsertBatch(ctx, a, ps)
}

func (s repoStore[T, P]) Update(ctx context.Context, a core.Actor, rec, before core.Record) error {
	return s.r.Update(ctx, a, rec.(P), before.(P))
}

func (s repoStore[T, P]) Restore(ctx context.Context, a core.Actor, snapshot bson.Raw, version int64) error {
	return s.r.Restore(ctx, a, snapshot, version)
}

func (s repoStore[T, P]) Delete(ctx context.Context, id string, version int64) error {
	return s.r.DeleteQuiet(ctx, id, version)
}
