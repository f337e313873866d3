package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// LeasesCollection holds one document per named lease: {_id: name,
// holder, expires}. A background job that must run once across several app
// instances (the push matcher, scheduled reminders) takes the lease before
// each run.
const LeasesCollection = "leases"

// Lease is a named lock that expires unless renewed, held in Mongo so that
// every instance sharing the database sees it.
type Lease struct {
	C      *mongo.Collection
	Name   string
	Holder string        // who asks: unique per process (NewHolder)
	TTL    time.Duration // how long an acquisition lasts
	Now    func() time.Time
}

// LeaseState is the stored lease document.
type LeaseState struct {
	Name    string    `bson:"_id" json:"name"`
	Holder  string    `bson:"holder" json:"holder"`
	Expires time.Time `bson:"expires" json:"expires"`
}

// NewLease returns the lease name for holder in db.
func NewLease(db *mongo.Database, name, holder string, ttl time.Duration) *Lease {
	return &Lease{C: db.Collection(LeasesCollection), Name: name, Holder: holder, TTL: ttl, Now: time.Now}
}

// NewHolder names this process as a lease holder: host, pid and a random part.
func NewHolder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), NewID()[:8])
}

// leaseLocks serialise acquisitions inside one process: the embedded store
// gives no atomicity across its find-and-modify steps, and it has only one
// process writing to it.
var leaseLocks sync.Map

// Acquire takes the lease, or renews it when this holder has it already. It
// reports false (and no error) while another holder's lease is unexpired.
// The write is one _id-filtered upsert whose filter also requires the lease
// to be free or ours: when it is not, the upsert's insert collides with the
// existing _id and fails, which means "held".
func (l *Lease) Acquire(ctx context.Context) (bool, error) {
	mu, _ := leaseLocks.LoadOrStore(l.C.Database().Name()+"/"+l.Name, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	now := l.Now().UTC().Truncate(time.Millisecond)
	filter := bson.D{{Key: "_id", Value: l.Name}, {Key: "$or", Value: bson.A{
		bson.D{{Key: "holder", Value: l.Holder}},
		bson.D{{Key: "expires", Value: bson.D{{Key: "$lte", Value: now}}}},
	}}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: l.Holder}, {Key: "expires", Value: now.Add(l.TTL)}}}}
	_, err := l.C.UpdateOne(ctx, filter, update, options.Update().SetUpsert(true))
	if err == nil {
		return l.held(ctx)
	}
	// A duplicate _id (reported differently by MongoDB and the embedded
	// store) means someone else holds it; check by reading it back.
	if held, rerr := l.held(ctx); rerr == nil && !held {
		return false, nil
	}
	return false, fmt.Errorf("lease %s: acquire: %w", l.Name, err)
}

// held reports whether the stored lease names this holder.
func (l *Lease) held(ctx context.Context) (bool, error) {
	st, err := l.State(ctx)
	if err != nil {
		return false, err
	}
	return st != nil && st.Holder == l.Holder, nil
}

// State returns the stored lease, nil when it was never taken.
func (l *Lease) State(ctx context.Context) (*LeaseState, error) {
	var st LeaseState
	err := l.C.FindOne(ctx, bson.D{{Key: "_id", Value: l.Name}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lease %s: read: %w", l.Name, err)
	}
	return &st, nil
}

// Release gives the lease up if this holder has it (expires now), so that
// another instance need not wait for the TTL.
func (l *Lease) Release(ctx context.Context) error {
	_, err := l.C.UpdateOne(ctx, bson.D{{Key: "_id", Value: l.Name}, {Key: "holder", Value: l.Holder}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expires", Value: l.Now().UTC().Truncate(time.Millisecond)}}}})
	if err != nil {
		return fmt.Errorf("lease %s: release: %w", l.Name, err)
	}
	return nil
}
