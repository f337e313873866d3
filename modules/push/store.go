package push

import (
	"context"
	"errors"
	"strconv"

	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
)

// store holds the module's documents; every read and write is by _id.
// They are not indexed in the search engine and not audited per write (the
// service audits what users do).
type store struct {
	saved *core.Repo[SavedSet, *SavedSet]
	units *core.Repo[UnitState, *UnitState]
	inbox *core.Repo[Inbox, *Inbox]
	reads *core.Repo[Reads, *Reads]
}

func newStore(db *mongo.Database) *store {
	return &store{
		saved: core.NewRepo[SavedSet](db, SavedCollection, nil, nil, nil),
		units: core.NewRepo[UnitState](db, UnitsCollection, nil, nil, nil),
		inbox: core.NewRepo[Inbox](db, InboxCollection, nil, nil, nil),
		reads: core.NewRepo[Reads](db, ReadsCollection, nil, nil, nil),
	}
}

// mutate loads the document id (a fresh one when missing), applies fn and
// writes it back guarded by version, retrying when a concurrent write won.
// fn returning an error leaves the document unchanged.
func mutate[T any, P interface {
	*T
	core.Record
}](ctx context.Context, r *core.Repo[T, P], id string, fn func(P) error) (P, error) {
	for attempt := 0; ; attempt++ {
		cur, err := r.Get(ctx, id)
		fresh := errors.Is(err, core.ErrNotFound)
		if fresh {
			cur = P(new(T))
			cur.GetMeta().ID = id
		} else if err != nil {
			return nil, err
		}
		if err := fn(cur); err != nil {
			return nil, err
		}
		if fresh {
			err = r.Create(ctx, core.System, cur)
		} else {
			err = r.Update(ctx, core.System, cur, nil)
		}
		if (errors.Is(err, core.ErrConflict) || errors.Is(err, core.ErrDuplicate)) && attempt < 8 {
			continue
		}
		return cur, err
	}
}

// get loads id, or a zero document when it does not exist yet.
func get[T any, P interface {
	*T
	core.Record
}](ctx context.Context, r *core.Repo[T, P], id string) (P, error) {
	cur, err := r.Get(ctx, id)
	if errors.Is(err, core.ErrNotFound) {
		cur = P(new(T))
		cur.GetMeta().ID = id
		return cur, nil
	}
	return cur, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
