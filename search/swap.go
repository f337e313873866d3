package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Swappable is the Engine the process serves with: it delegates to the
// current engine and can have it replaced while serving, so that a rebuild
// builds a fresh index aside while the old one keeps answering, then swaps.
// While a rebuild runs, every write is mirrored into the fresh index and
// the written ids are remembered, so that the rebuild can reconcile them
// before the swap: no write made during a rebuild is lost.
type Swappable struct {
	mu      sync.RWMutex
	cur     Engine
	aside   Engine
	touched map[string]Kind // kind/id → kind of records written during a rebuild
	tmu     sync.Mutex      // guards touched
}

// NewSwappable serves with e.
func NewSwappable(e Engine) *Swappable { return &Swappable{cur: e} }

// Current returns the engine being served.
func (s *Swappable) Current() Engine {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

func (s *Swappable) touch(kind Kind, ids ...string) {
	s.tmu.Lock()
	for _, id := range ids {
		s.touched[kind+"/"+id] = kind
	}
	s.tmu.Unlock()
}

func (s *Swappable) Index(ctx context.Context, docs ...Doc) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	err := s.cur.Index(ctx, docs...)
	if s.aside != nil {
		for _, d := range docs {
			s.touch(d.Kind, d.ID)
		}
		_ = s.aside.Index(ctx, docs...) // reconciled before the swap anyway
	}
	return err
}

func (s *Swappable) Delete(ctx context.Context, kind Kind, ids ...string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	err := s.cur.Delete(ctx, kind, ids...)
	if s.aside != nil {
		s.touch(kind, ids...)
		_ = s.aside.Delete(ctx, kind, ids...)
	}
	return err
}

func (s *Swappable) Search(ctx context.Context, q Query) (Result, error) {
	return s.Current().Search(ctx, q)
}

func (s *Swappable) Versions(ctx context.Context, kind Kind, ids []string) (map[string]int64, error) {
	return s.Current().Versions(ctx, kind, ids)
}

func (s *Swappable) Health(ctx context.Context) error { return s.Current().Health(ctx) }

func (s *Swappable) Reset(ctx context.Context, kind Kind) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur.Reset(ctx, kind)
}

func (s *Swappable) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.aside != nil {
		err = s.aside.Close()
		s.aside = nil
	}
	return errors.Join(err, s.cur.Close())
}

// ErrRebuildRunning refuses a second rebuild while one runs.
var ErrRebuildRunning = errors.New("search: a rebuild is already running")

// Promote turns a filled fresh engine into the one to serve with and
// returns it together with the engine to close and discard (the old one).
// Bleve: serve the fresh index, discard the old. Meilisearch: swap the two
// indexes on the server and keep serving under the usual name.
type Promote func(ctx context.Context, old, fresh Engine) (serve, discard Engine, err error)

// PromoteFresh serves the fresh engine and discards the old one.
func PromoteFresh(_ context.Context, old, fresh Engine) (Engine, Engine, error) {
	return fresh, old, nil
}

// RebuildAside indexes every stored record into fresh while sw keeps
// serving, reconciles the records written meanwhile, then swaps under a
// short write lock. progress is called after each batch. On error the
// fresh engine is closed and sw serves on unchanged.
func (s *Sync) RebuildAside(ctx context.Context, sw *Swappable, fresh Engine, promote Promote, progress func(kind Kind, done int)) (err error) {
	sw.mu.Lock()
	if sw.aside != nil {
		sw.mu.Unlock()
		return ErrRebuildRunning
	}
	sw.tmu.Lock()
	sw.aside, sw.touched = fresh, map[string]Kind{}
	sw.tmu.Unlock()
	sw.mu.Unlock()
	defer func() {
		if err != nil {
			sw.mu.Lock()
			sw.aside = nil
			sw.mu.Unlock()
			fresh.Close()
		}
	}()
	for _, kind := range s.Kinds() {
		if err := s.fill(ctx, kind, fresh, progress); err != nil {
			return err
		}
	}
	// Records written while streaming may have been streamed in an older
	// state: reload them. Writes keep coming, so repeat a few times, then
	// finish the last ones with writes paused.
	for range 3 {
		if n, err := s.reconcile(ctx, sw, fresh, true); err != nil || n == 0 {
			if err != nil {
				return err
			}
			break
		}
	}
	sw.mu.Lock()
	defer sw.mu.Unlock()
	// Writers are paused on sw.mu now; one may hold a record's stripe lock
	// while it waits, so these last reloads do not take stripe locks: such
	// a writer indexes its (older or equal) state into the new engine after
	// the swap, and the write after it reloads the latest under the lock.
	if _, err := s.reconcile(ctx, sw, fresh, false); err != nil {
		return err
	}
	serve, discard, err := promote(ctx, sw.cur, fresh)
	if err != nil {
		return fmt.Errorf("search: swap: %w", err)
	}
	sw.cur, sw.aside, sw.touched = serve, nil, nil
	if discard != nil {
		discard.Close()
	}
	return nil
}

// reconcile reindexes into fresh the current state of every record
// written since the last call, and returns how many. With lock, each
// reload holds the record's stripe lock like Done.
func (s *Sync) reconcile(ctx context.Context, sw *Swappable, fresh Engine, lock bool) (int, error) {
	sw.tmu.Lock()
	touched := sw.touched
	sw.touched = map[string]Kind{}
	sw.tmu.Unlock()
	for key, kind := range touched {
		id := key[len(kind)+1:]
		s.mu.RLock()
		load := s.loaders[kind]
		s.mu.RUnlock()
		if load == nil {
			continue
		}
		l := &s.stripes[stripe(kind, id)]
		if lock {
			l.Lock()
		}
		d, found, err := load(ctx, id)
		if err == nil {
			if found {
				err = fresh.Index(ctx, d)
			} else {
				err = fresh.Delete(ctx, kind, id)
			}
		}
		if lock {
			l.Unlock()
		}
		if err != nil {
			return 0, fmt.Errorf("search: reconcile %s: %w", key, err)
		}
	}
	return len(touched), nil
}

// Replace serves with e from now on and returns the previous engine
// without closing it (fault-injection tests swap in an unreachable engine
// and back).
func (s *Swappable) Replace(e Engine) Engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur
	s.cur = e
	return old
}
