package core

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/search"
)

// idOnlyFilters is set when the store is the embedded FerretDB, which only
// uses an index for a filter that is exactly {_id: X}; any other filter is
// a scan of the whole collection decoded in Go. There, the version guard is
// checked under a per-record lock in this process (the only writer of the
// embedded store) and the write filters by _id alone. With MongoDB the
// guard is the atomic filter {_id, version} itself.
var idOnlyFilters atomic.Bool

// UseIDOnlyFilters switches the version guard for the embedded store.
func UseIDOnlyFilters(on bool) { idOnlyFilters.Store(on) }

var recordLocks [256]sync.Mutex

func lockRecord(kind, id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return &recordLocks[h.Sum32()%uint32(len(recordLocks))]
}

// guardedFilter returns the filter of a version-guarded write, having
// checked the version itself when only _id filters are fast.
func (r *Repo[T, P]) guardedFilter(ctx context.Context, id string, version int64) (bson.D, error) {
	if !idOnlyFilters.Load() {
		return bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}}, nil
	}
	if err := r.checkVersion(ctx, id, version); err != nil {
		return nil, err
	}
	return bson.D{{Key: "_id", Value: id}}, nil
}

// Record is a stored document with embedded Meta.
type Record interface {
	GetMeta() *Meta
}

// Repo stores records of one kind in the Mongo collection of that name and
// keeps the search engine in step through search.Sync. Every write is one
// single-document operation guarded by version (the embedded store has no
// multi-document transactions); reads by anything but _id go to the engine.
type Repo[T any, P interface {
	*T
	Record
}] struct {
	Kind  string
	C     *mongo.Collection
	Sync  *search.Sync
	Audit Auditor
	// ToDoc builds the engine document; nil means the kind is not indexed.
	ToDoc func(P) search.Doc
}

// NewRepo wires a Repo and registers its kind with the sync worker.
func NewRepo[T any, P interface {
	*T
	Record
}](db *mongo.Database, kind string, sync *search.Sync, audit Auditor, toDoc func(P) search.Doc) *Repo[T, P] {
	r := &Repo[T, P]{Kind: kind, C: db.Collection(kind), Sync: sync, Audit: audit, ToDoc: toDoc}
	if toDoc != nil && sync != nil {
		sync.Register(kind, r.load, r.stream)
	}
	return r
}

func (r *Repo[T, P]) load(ctx context.Context, id string) (search.Doc, bool, error) {
	p, err := r.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return search.Doc{}, false, nil
	}
	if err != nil {
		return search.Doc{}, false, err
	}
	return r.ToDoc(p), true, nil
}

func (r *Repo[T, P]) stream(ctx context.Context, fn func(search.Doc) error) error {
	return r.Each(ctx, func(p P) error { return fn(r.ToDoc(p)) })
}

// Get loads one record by id (the only query the embedded store answers fast).
func (r *Repo[T, P]) Get(ctx context.Context, id string) (P, error) {
	var v T
	err := r.C.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("%s %s: %w", r.Kind, id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: load %s: %w", r.Kind, id, err)
	}
	return &v, nil
}

// GetMany loads records by id in the given order, skipping missing ones.
// The lookups run a few at a time: each is an _id read (the one query the
// embedded store answers fast), and a page of 50 read one after another
// queues behind other users' requests.
func (r *Repo[T, P]) GetMany(ctx context.Context, ids []string) ([]P, error) {
	got := make([]P, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	sem := make(chan struct{}, getParallel)
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i], errs[i] = r.Get(ctx, id)
		}()
	}
	wg.Wait()
	out := make([]P, 0, len(ids))
	for i, p := range got {
		if errors.Is(errs[i], ErrNotFound) {
			continue
		}
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, p)
	}
	return out, nil
}

// getParallel bounds the concurrent reads of one GetMany.
const getParallel = 8

// Search runs q on the engine and loads the hits by _id, in hit order: the
// one way lists read many records. It returns the total over all matches.
func (r *Repo[T, P]) Search(ctx context.Context, q search.Query) ([]P, int, error) {
	res, err := r.Sync.Engine().Search(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: list: %w", r.Kind, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	items, err := r.GetMany(ctx, ids)
	return items, res.Total, err
}

// Each streams every record of the kind (exports, reindex, backups).
func (r *Repo[T, P]) Each(ctx context.Context, fn func(P) error) error {
	cur, err := r.C.Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("%s: scan: %w", r.Kind, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("%s: decode: %w", r.Kind, err)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return cur.Err()
}

func (r *Repo[T, P]) mark(ctx context.Context, ids ...string) (*search.Pending, error) {
	if r.ToDoc == nil || r.Sync == nil {
		return nil, nil
	}
	return r.Sync.Mark(ctx, r.Kind, ids...)
}

func (r *Repo[T, P]) done(ctx context.Context, p *search.Pending) {
	if p != nil {
		r.Sync.Done(ctx, p)
	}
}

func (r *Repo[T, P]) audit(ctx context.Context, a Actor, action, id string, before, after any) {
	if r.Audit != nil {
		r.Audit.Audit(ctx, a, AuditEntry{Action: action, Kind: r.Kind, RecordID: id, Before: before, After: after})
	}
}

// Create stores a new record with version 1. An empty ID gets a random one;
// an existing ID is ErrDuplicate.
func (r *Repo[T, P]) Create(ctx context.Context, a Actor, p P) error {
	m := p.GetMeta()
	if m.ID == "" {
		m.ID = NewID()
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	m.Version, m.CreatedAt, m.UpdatedAt, m.CreatedBy, m.UpdatedBy = 1, now, now, a.User, a.User
	pend, err := r.mark(ctx, m.ID)
	if err != nil {
		return err
	}
	if _, err := r.C.InsertOne(ctx, p); err != nil {
		r.done(ctx, pend)
		if isDuplicate(err) {
			return fmt.Errorf("%s %s: %w", r.Kind, m.ID, ErrDuplicate)
		}
		return fmt.Errorf("%s: create %s: %w", r.Kind, m.ID, err)
	}
	r.done(ctx, pend)
	r.audit(ctx, a, "create", m.ID, nil, p)
	return nil
}

// Update replaces the record if its stored version equals p's Version, and
// increments the version. A stale version is ErrConflict; before is the
// stored state the caller read (for the audit log and the comparison), may
// be nil. When p would be stored as before is (Unchanged), nothing is
// written: the version stays, no audit or outbox entry is made; the caller
// tells by p's Version, which then is still the one it read.
func (r *Repo[T, P]) Update(ctx context.Context, a Actor, p P, before P) error {
	if before != nil && before.GetMeta().Version == p.GetMeta().Version && Unchanged(before, p) {
		return r.checkVersion(ctx, p.GetMeta().ID, p.GetMeta().Version)
	}
	if err := r.replace(ctx, a, p, p.GetMeta().Version); err != nil {
		return err
	}
	r.audit(ctx, a, "update", p.GetMeta().ID, before, p)
	return nil
}

// checkVersion answers an unchanged save as the write would have: a record
// changed since it was read is ErrConflict, a deleted one ErrNotFound.
func (r *Repo[T, P]) checkVersion(ctx context.Context, id string, version int64) error {
	var cur struct {
		Version int64 `bson:"version"`
	}
	err := r.C.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&cur)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%s %s: %w", r.Kind, id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: load %s: %w", r.Kind, id, err)
	}
	if cur.Version != version {
		return fmt.Errorf("%s %s version %d: %w", r.Kind, id, version, ErrConflict)
	}
	return nil
}

// replace stores p in place of the record if its stored version is
// expected, as version expected+1 updated now by a (p's Meta is set so).
func (r *Repo[T, P]) replace(ctx context.Context, a Actor, p P, expected int64) error {
	m := p.GetMeta()
	l := lockRecord(r.Kind, m.ID)
	l.Lock()
	defer l.Unlock()
	filter, err := r.guardedFilter(ctx, m.ID, expected)
	if err != nil {
		return err
	}
	pend, err := r.mark(ctx, m.ID)
	if err != nil {
		return err
	}
	m.Version = expected + 1
	m.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	m.UpdatedBy = a.User
	res, err := r.C.ReplaceOne(ctx, filter, p)
	r.done(ctx, pend)
	if err != nil {
		m.Version = expected
		if isDuplicate(err) {
			return fmt.Errorf("%s %s: %w", r.Kind, m.ID, ErrDuplicate)
		}
		return fmt.Errorf("%s: update %s: %w", r.Kind, m.ID, err)
	}
	if res.MatchedCount == 0 {
		m.Version = expected
		if _, gerr := r.Get(ctx, m.ID); errors.Is(gerr, ErrNotFound) {
			return gerr
		}
		return fmt.Errorf("%s %s version %d: %w", r.Kind, m.ID, expected, ErrConflict)
	}
	return nil
}

// Delete removes the record if its version matches.
func (r *Repo[T, P]) Delete(ctx context.Context, a Actor, id string, version int64) error {
	before, err := r.remove(ctx, id, version)
	if err != nil {
		return err
	}
	r.audit(ctx, a, "delete", id, before, nil)
	return nil
}

// remove deletes the record if its stored version is version and returns
// what it was.
func (r *Repo[T, P]) remove(ctx context.Context, id string, version int64) (P, error) {
	l := lockRecord(r.Kind, id)
	l.Lock()
	defer l.Unlock()
	before, err := r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	filter, err := r.guardedFilter(ctx, id, version)
	if err != nil {
		return nil, err
	}
	pend, err := r.mark(ctx, id)
	if err != nil {
		return nil, err
	}
	res, err := r.C.DeleteOne(ctx, filter)
	r.done(ctx, pend)
	if err != nil {
		return nil, fmt.Errorf("%s: delete %s: %w", r.Kind, id, err)
	}
	if res.DeletedCount == 0 {
		return nil, fmt.Errorf("%s %s version %d: %w", r.Kind, id, version, ErrConflict)
	}
	return before, nil
}

// UpsertMany writes records by id in one bulk operation (seed, import): a
// record whose stored content is unchanged keeps its version. It returns how
// many were created and updated. Callers own the records for the batch.
func (r *Repo[T, P]) UpsertMany(ctx context.Context, a Actor, ps []P) (created, updated int, err error) {
	if len(ps) == 0 {
		return 0, 0, nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.GetMeta().ID
	}
	pend, err := r.mark(ctx, ids...)
	if err != nil {
		return 0, 0, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	models := make([]mongo.WriteModel, 0, len(ps))
	for _, p := range ps {
		m := p.GetMeta()
		if m.Version == 0 {
			m.Version = 1
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		if m.UpdatedAt.IsZero() {
			m.UpdatedAt = m.CreatedAt
		}
		if m.CreatedBy == "" {
			m.CreatedBy = a.User
		}
		if m.UpdatedBy == "" {
			m.UpdatedBy = a.User
		}
		models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: m.ID}}).SetReplacement(p).SetUpsert(true))
	}
	// The embedded store (FerretDB 1.24, SQLite) stops answering a bulk
	// write of ~100 or more replacements of existing documents; chunks of
	// bulkChunk are safe there and cost MongoDB little.
	for start := 0; start < len(models); start += bulkChunk {
		res, err := r.C.BulkWrite(ctx, models[start:min(start+bulkChunk, len(models))], options.BulkWrite().SetOrdered(false))
		if err != nil {
			return created, updated, fmt.Errorf("%s: bulk upsert: %w", r.Kind, err)
		}
		created += int(res.UpsertedCount)
		updated += int(res.ModifiedCount)
	}
	if pend != nil {
		docs := make([]search.Doc, len(ps))
		for i, p := range ps {
			docs[i] = r.ToDoc(p)
		}
		r.Sync.DoneWith(ctx, pend, docs, nil)
	}
	return created, updated, nil
}

// bulkChunk bounds one BulkWrite (see UpsertMany).
const bulkChunk = 50

// isDuplicate recognises a unique-index violation from MongoDB (E11000) and
// from the embedded store, which reports it differently on some paths.
func isDuplicate(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	s := err.Error()
	// The embedded store reports an update that breaks a unique index as
	// the SQLite error itself.
	return strings.Contains(s, "E11000") || strings.Contains(s, "duplicate key") || strings.Contains(s, "UNIQUE constraint failed")
}

// IsDuplicate is isDuplicate for other packages' direct writes.
func IsDuplicate(err error) bool { return err != nil && isDuplicate(err) }
