package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// errDone stops a collection scan once every wanted record was written.
var errDone = errors.New("export: all rows written")

// Records writes the records of repo that match q (its kinds, text, scope
// and filters; paging and sorting are ignored) to w.
//
// The embedded store answers only {_id: X} fast and decodes ~8,000
// documents a second in a scan, so where the engine keeps the records (the
// embedded Bleve index: core.Repo.EachKept) they are read from it.
// Otherwise (Meilisearch, or a command beside a serving process) the engine
// names the matching ids and the records are read either one by one by id
// (a small share of the collection) or by one scan of the collection (a
// large share; collection order); a query for everything (all units, no
// text, no filters) skips the engine and streams the collection.
func Records[T any, P interface {
	*T
	core.Record
}](ctx context.Context, w io.Writer, sh Sheet[P], repo *core.Repo[T, P], q search.Query) (int, error) {
	if repo.KeepsRecords() {
		return Write(w, sh, pipelined(ctx, func(ctx context.Context, fn func(P) error) error {
			return repo.EachKept(ctx, q, fn)
		}))
	}
	if q.Scope.All && q.Text == "" && len(q.Filters) == 0 {
		return Write(w, sh, pipelined(ctx, func(ctx context.Context, fn func(P) error) error { return repo.Each(ctx, fn) }))
	}
	e := repo.Sync.Engine()
	ids, err := search.MatchingIDs(ctx, e, q)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", repo.Kind, err)
	}
	if len(ids) == 0 {
		return Write(w, sh, func(func(P) error) error { return nil })
	}
	all, err := e.Search(ctx, search.Query{Kinds: q.Kinds, Scope: search.Scope{All: true}, Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", repo.Kind, err)
	}
	if len(ids)*byIDCost < all.Total {
		return Write(w, sh, func(fn func(P) error) error { return byID(ctx, repo, ids, fn) })
	}
	return Write(w, sh, pipelined(ctx, func(ctx context.Context, fn func(P) error) error {
		left := len(ids)
		err := repo.Each(ctx, func(p P) error {
			if _, ok := ids[p.GetMeta().ID]; !ok {
				return nil
			}
			if err := fn(p); err != nil {
				return err
			}
			if left--; left == 0 {
				return errDone
			}
			return nil
		})
		if errors.Is(err, errDone) {
			return nil
		}
		return err
	}))
}

// pipelined runs scan in its own goroutine and hands its records over a
// bounded channel, so that the store decodes the next batch while the
// workbook is written (two cores: about the sum becomes the max).
func pipelined[P any](ctx context.Context, scan func(context.Context, func(P) error) error) func(func(P) error) error {
	return func(fn func(P) error) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ch := make(chan P, pipeDepth)
		errc := make(chan error, 1)
		go func() {
			defer close(ch)
			errc <- scan(ctx, func(p P) error {
				select {
				case ch <- p:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
		for p := range ch {
			if err := fn(p); err != nil {
				cancel()
				for range ch {
				}
				<-errc
				return err
			}
		}
		return <-errc
	}
}

// pipeDepth bounds the records in flight between the scan and the writer.
const pipeDepth = 1024

// byIDCost is how many documents a collection scan decodes in the time of
// one load by _id on the embedded store (~0.6 ms against ~30 µs).
const byIDCost = 20

// byID loads the records one by one, in id order.
func byID[T any, P interface {
	*T
	core.Record
}](ctx context.Context, repo *core.Repo[T, P], ids map[string]struct{}, fn func(P) error) error {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	for _, id := range list {
		p, err := repo.Get(ctx, id)
		if errors.Is(err, core.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}
