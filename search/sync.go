package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"crypto/rand"
	"encoding/hex"
)

// Loader reads the current state of one record from Mongo for indexing.
// found=false means the record is gone and must leave the index.
type Loader func(ctx context.Context, id string) (doc Doc, found bool, err error)

// Streamer streams every stored record of one kind as a Doc (one pass over
// the collection); CatchUp and Rebuild use it.
type Streamer func(ctx context.Context, fn func(Doc) error) error

// Sync keeps the engine in step with Mongo through an outbox collection:
// a write first records {kind,id,token} in the outbox, then changes the
// record, then indexes it and removes the entry (only if the token is
// still its own). An entry left behind by a crash, an engine outage or a
// command that ran beside a serving process (Deferred) is replayed by Run.
type Sync struct {
	engine   Engine
	outbox   *mongo.Collection
	deferred bool
	log      *slog.Logger

	mu      sync.RWMutex
	loaders map[Kind]Loader
	streams map[Kind]Streamer

	lastErr atomic.Pointer[error]
	stripes stripes
}

// outboxGrace is how old an outbox entry must be before the worker replays it.
const outboxGrace = 3 * time.Second

// OutboxCollection is the Mongo collection of pending index work.
const OutboxCollection = "search_outbox"

// outboxEntry is the mark of one write (one record, or one bulk batch).
// Every write owns its own entry (random _id), so clearing it can never
// drop the mark of another write to the same record.
type outboxEntry struct {
	ID     string    `bson:"_id"`
	Kind   string    `bson:"kind"`
	DocIDs []string  `bson:"doc_ids"`
	At     time.Time `bson:"at"`
}

// NewSync returns a Sync. With deferred=true the engine is not touched:
// entries stay in the outbox for the serving process to index (used by
// commands that attach to a running server, which owns the Bleve files).
func NewSync(db *mongo.Database, engine Engine, deferred bool, log *slog.Logger) *Sync {
	if log == nil {
		log = slog.Default()
	}
	return &Sync{engine: engine, outbox: db.Collection(OutboxCollection), deferred: deferred || engine == nil,
		log: log, loaders: map[Kind]Loader{}, streams: map[Kind]Streamer{}}
}

// Engine returns the engine (nil when deferred without one).
func (s *Sync) Engine() Engine { return s.engine }

// Register tells Sync how to load records of kind.
func (s *Sync) Register(kind Kind, load Loader, stream Streamer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaders[kind] = load
	s.streams[kind] = stream
}

// Kinds lists registered kinds.
func (s *Sync) Kinds() []Kind {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Kind, 0, len(s.loaders))
	for k := range s.loaders {
		out = append(out, k)
	}
	return out
}

func newToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Pending is the outbox mark of a write in progress.
type Pending struct {
	kind    Kind
	entries []string // outbox entry ids owned by this write
	ids     []string // record ids
}

// Mark records that records kind/ids are about to change: one outbox
// document per call, whatever the number of ids.
func (s *Sync) Mark(ctx context.Context, kind Kind, ids ...string) (*Pending, error) {
	p := &Pending{kind: kind, ids: ids}
	if len(ids) == 0 {
		return p, nil
	}
	e := outboxEntry{ID: kind + "/" + newToken(), Kind: kind, DocIDs: ids, At: time.Now().UTC()}
	if _, err := s.outbox.InsertOne(ctx, e); err != nil {
		return nil, fmt.Errorf("search: outbox mark %s: %w", kind, err)
	}
	p.entries = []string{e.ID}
	return p, nil
}

// Done indexes the current state of the marked records, reloaded from Mongo
// under a per-record lock so that two racing writes cannot leave the older
// version indexed, then clears the outbox entries it owns. An engine failure
// is logged and left to Run: the Mongo write has already succeeded, so Done
// never fails the caller.
func (s *Sync) Done(ctx context.Context, p *Pending) {
	if p == nil || s.deferred {
		return
	}
	s.mu.RLock()
	load := s.loaders[p.kind]
	s.mu.RUnlock()
	for _, id := range p.ids {
		l := &s.stripes[stripe(p.kind, id)]
		l.Lock()
		d, found, err := load(ctx, id)
		if err == nil {
			if found {
				err = s.engine.Index(ctx, d)
			} else {
				err = s.engine.Delete(ctx, p.kind, id)
			}
		}
		l.Unlock()
		if err != nil {
			s.setErr(err)
			s.log.Warn("search index deferred to outbox", "kind", p.kind, "id", id, "err", err)
			return
		}
	}
	s.setErr(nil)
	s.clear(ctx, p)
}

// DoneWith indexes docs and removes deleted ids as given, for bulk writers
// (seed, import) that own the records for the duration of the batch.
func (s *Sync) DoneWith(ctx context.Context, p *Pending, docs []Doc, deleted []string) {
	if p == nil || s.deferred {
		return
	}
	var err error
	for start := 0; start < len(docs) && err == nil; start += 1000 {
		err = s.engine.Index(ctx, docs[start:min(start+1000, len(docs))]...)
	}
	if err == nil && len(deleted) > 0 {
		err = s.engine.Delete(ctx, p.kind, deleted...)
	}
	if err != nil {
		s.setErr(err)
		s.log.Warn("search index deferred to outbox", "kind", p.kind, "err", err)
		return
	}
	s.setErr(nil)
	s.clear(ctx, p)
}

// WriteAndIndex runs write (the Mongo write of a bulk writer that owns the
// records, as for DoneWith) and the indexing of docs at the same time, so
// that a large import costs max(write, index) rather than their sum. The
// outbox mark is cleared only when both succeeded; if the write failed,
// the mark stays and the outbox worker puts the engine back in step with
// what Mongo holds. It returns write's error.
func (s *Sync) WriteAndIndex(ctx context.Context, p *Pending, docs []Doc, write func() error) error {
	if p == nil || s.deferred {
		return write()
	}
	idx := make(chan error, 1)
	go func() {
		var err error
		for start := 0; start < len(docs) && err == nil; start += 1000 {
			err = s.engine.Index(ctx, docs[start:min(start+1000, len(docs))]...)
		}
		idx <- err
	}()
	werr := write()
	if err := <-idx; err != nil {
		s.setErr(err)
		s.log.Warn("search index deferred to outbox", "kind", p.kind, "err", err)
		return werr
	}
	if werr != nil {
		return werr
	}
	s.setErr(nil)
	s.clear(ctx, p)
	return nil
}

func stripe(kind Kind, id string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(kind); i++ {
		h = (h ^ uint32(kind[i])) * 16777619
	}
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return h % uint32(len(stripes{}))
}

type stripes [64]sync.Mutex

func (s *Sync) clear(ctx context.Context, p *Pending) {
	if len(p.entries) == 0 {
		return
	}
	ids := make(bson.A, len(p.entries))
	for i, e := range p.entries {
		ids[i] = e
	}
	var err error
	if len(ids) == 1 {
		_, err = s.outbox.DeleteOne(ctx, bson.D{{Key: "_id", Value: ids[0]}})
	} else {
		_, err = s.outbox.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	}
	if err != nil {
		s.log.Warn("search outbox clear failed; entries will be replayed", "kind", p.kind, "err", err)
	}
}

func (s *Sync) setErr(err error) {
	if err == nil {
		s.lastErr.Store(nil)
		return
	}
	s.lastErr.Store(&err)
}

// Health returns nil when the engine answers and the last index write worked.
func (s *Sync) Health(ctx context.Context) error {
	if s.engine == nil {
		return errors.New("search: no engine in this process")
	}
	if err := s.engine.Health(ctx); err != nil {
		return err
	}
	if p := s.lastErr.Load(); p != nil {
		return fmt.Errorf("search: index behind: %w", *p)
	}
	return nil
}

// Pending returns the ids of kind that have an outbox entry: records whose
// engine copy may be older than the store's (a write in flight, or one left
// for the worker to replay). Readers of engine-kept records load these from
// the store instead.
func (s *Sync) Pending(ctx context.Context, kind Kind) (map[string]bool, error) {
	cur, err := s.outbox.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("search: read outbox: %w", err)
	}
	var entries []outboxEntry
	if err := cur.All(ctx, &entries); err != nil {
		return nil, fmt.Errorf("search: read outbox: %w", err)
	}
	ids := map[string]bool{}
	for _, e := range entries {
		if e.Kind == kind {
			for _, id := range e.DocIDs {
				ids[id] = true
			}
		}
	}
	return ids, nil
}

// Drain replays every outbox entry once and returns how many it indexed.
func (s *Sync) Drain(ctx context.Context) (int, error) {
	if s.deferred {
		return 0, nil
	}
	cur, err := s.outbox.Find(ctx, bson.D{}, options.Find().SetLimit(1000))
	if err != nil {
		return 0, fmt.Errorf("search: read outbox: %w", err)
	}
	var entries []outboxEntry
	if err := cur.All(ctx, &entries); err != nil {
		return 0, fmt.Errorf("search: read outbox: %w", err)
	}
	// An entry younger than the grace period may belong to a write still in
	// flight (marked, not yet written): replaying it now could index the old
	// state and clear the mark, losing the write's index update.
	cutoff := time.Now().UTC().Add(-outboxGrace)
	byKind := map[Kind][]outboxEntry{}
	for _, e := range entries {
		if e.At.After(cutoff) {
			continue
		}
		byKind[e.Kind] = append(byKind[e.Kind], e)
	}
	n := 0
	for kind, es := range byKind {
		s.mu.RLock()
		load := s.loaders[kind]
		s.mu.RUnlock()
		if load == nil {
			s.log.Warn("search outbox entry of unknown kind", "kind", kind)
			continue
		}
		p := &Pending{kind: kind}
		seen := map[string]bool{}
		var docs []Doc
		var gone []string
		for _, e := range es {
			p.entries = append(p.entries, e.ID)
			for _, id := range e.DocIDs {
				if seen[id] {
					continue
				}
				seen[id] = true
				d, found, err := load(ctx, id)
				if err != nil {
					return n, fmt.Errorf("search: load %s/%s: %w", kind, id, err)
				}
				if found {
					docs = append(docs, d)
				} else {
					gone = append(gone, id)
				}
			}
		}
		for start := 0; start < len(docs); start += 500 {
			end := min(start+500, len(docs))
			if err := s.engine.Index(ctx, docs[start:end]...); err != nil {
				s.setErr(err)
				return n, err
			}
		}
		if len(gone) > 0 {
			if err := s.engine.Delete(ctx, kind, gone...); err != nil {
				s.setErr(err)
				return n, err
			}
		}
		for start := 0; start < len(p.entries); start += 500 {
			s.clear(ctx, &Pending{kind: kind, entries: p.entries[start:min(start+500, len(p.entries))]})
		}
		n += len(seen)
	}
	s.setErr(nil)
	return n, nil
}

// Run replays the outbox every interval until ctx ends.
func (s *Sync) Run(ctx context.Context, interval time.Duration) {
	if s.deferred {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.Drain(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("search outbox replay failed", "err", err)
		} else if n > 0 {
			s.log.Info("search outbox replayed", "records", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CatchUp compares the version of every stored record with the engine and
// reindexes those that differ or are missing. It returns the number fixed.
func (s *Sync) CatchUp(ctx context.Context) (int, error) {
	if s.deferred {
		return 0, nil
	}
	fixed := 0
	for _, kind := range s.Kinds() {
		s.mu.RLock()
		stream := s.streams[kind]
		s.mu.RUnlock()
		var batch []Doc
		flush := func() error {
			ids := make([]string, len(batch))
			for i, d := range batch {
				ids[i] = d.ID
			}
			have, err := s.engine.Versions(ctx, kind, ids)
			if err != nil {
				return err
			}
			var stale []Doc
			for _, d := range batch {
				if v, ok := have[d.ID]; !ok || v != d.Version {
					stale = append(stale, d)
				}
			}
			batch = batch[:0]
			if len(stale) == 0 {
				return nil
			}
			fixed += len(stale)
			return s.engine.Index(ctx, stale...)
		}
		err := stream(ctx, func(d Doc) error {
			batch = append(batch, d)
			if len(batch) >= 1000 {
				return flush()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = flush()
		}
		if err != nil {
			return fixed, fmt.Errorf("search: catch up %s: %w", kind, err)
		}
	}
	return fixed, nil
}

// Rebuild empties the engine for every registered kind and indexes every
// stored record again, calling progress after each batch.
func (s *Sync) Rebuild(ctx context.Context, progress func(kind Kind, done int)) error {
	if s.engine == nil {
		return errors.New("search: no engine in this process")
	}
	for _, kind := range s.Kinds() {
		if err := s.engine.Reset(ctx, kind); err != nil {
			return fmt.Errorf("search: reset %s: %w", kind, err)
		}
		if err := s.fill(ctx, kind, s.engine, progress); err != nil {
			return err
		}
	}
	return nil
}

// fill indexes every stored record of kind into e in batches of 1,000,
// calling progress after each batch (and once for an empty kind).
func (s *Sync) fill(ctx context.Context, kind Kind, e Engine, progress func(kind Kind, done int)) error {
	s.mu.RLock()
	stream := s.streams[kind]
	s.mu.RUnlock()
	var docs []Doc
	done := 0
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		if err := e.Index(ctx, docs...); err != nil {
			return err
		}
		done += len(docs)
		docs = docs[:0]
		if progress != nil {
			progress(kind, done)
		}
		return nil
	}
	err := stream(ctx, func(d Doc) error {
		docs = append(docs, d)
		if len(docs) >= 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("search: rebuild %s: %w", kind, err)
	}
	if progress != nil && done == 0 {
		progress(kind, 0)
	}
	return nil
}
