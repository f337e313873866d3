package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/search"
)

// Bulk operations of the importer: many records written in one go, with
// one outbox entry per call and the engine indexed in batches. They audit
// nothing per record; the importer audits the batch as a whole.

// InsertBatch stores new records (version 1, created now by a) with one
// InsertMany. A record whose id exists already makes the call fail with
// ErrDuplicate after the others were written (unordered insert): callers
// choose fresh ids.
func (r *Repo[T, P]) InsertBatch(ctx context.Context, a Actor, ps []P) error {
	if len(ps) == 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	ids := make([]string, len(ps))
	docs := make([]any, len(ps))
	for i, p := range ps {
		m := p.GetMeta()
		if m.ID == "" {
			m.ID = NewID()
		}
		m.Version, m.CreatedAt, m.UpdatedAt, m.CreatedBy, m.UpdatedBy = 1, now, now, a.User, a.User
		ids[i], docs[i] = m.ID, p
	}
	pend, err := r.mark(ctx, ids...)
	if err != nil {
		return err
	}
	insert := func() error {
		_, err := r.C.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return err
	}
	if pend != nil {
		sdocs := make([]search.Doc, len(ps))
		for i, p := range ps {
			sdocs[i] = r.ToDoc(p)
		}
		err = r.Sync.WriteAndIndex(ctx, pend, sdocs, insert)
	} else {
		err = insert()
	}
	if err != nil {
		if isDuplicate(err) {
			return fmt.Errorf("%s: insert batch: %w", r.Kind, ErrDuplicate)
		}
		return fmt.Errorf("%s: insert batch: %w", r.Kind, err)
	}
	return nil
}

// GetRaw loads the stored document as BSON (journal snapshots).
func (r *Repo[T, P]) GetRaw(ctx context.Context, id string) (bson.Raw, error) {
	raw, err := r.C.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("%s %s: %w", r.Kind, id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: load %s: %w", r.Kind, id, err)
	}
	return raw, nil
}

// Restore puts back a snapshot taken by GetRaw, if the stored version is
// still version: the record gets the snapshot's content with a new version
// (so that editors holding the undone state get a conflict). A stale
// version is ErrConflict, a missing record ErrNotFound.
func (r *Repo[T, P]) Restore(ctx context.Context, a Actor, snapshot bson.Raw, version int64) error {
	var v T
	if err := bson.Unmarshal(snapshot, &v); err != nil {
		return fmt.Errorf("%s: restore: %w", r.Kind, err)
	}
	p := P(&v)
	if err := r.replace(ctx, a, p, version); err != nil {
		return err
	}
	r.audit(ctx, a, "restore", p.GetMeta().ID, nil, p)
	return nil
}

// DeleteQuiet removes a record if its version matches, without an audit
// entry (the importer's undo audits the batch).
func (r *Repo[T, P]) DeleteQuiet(ctx context.Context, id string, version int64) error {
	_, err := r.remove(ctx, id, version)
	return err
}
