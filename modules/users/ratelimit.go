package users

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// CountAttempt counts one login attempt from key (a client IP) in the
// current fixed window and returns the attempts so far in it. The counter
// is a document addressed by _id (key + window start) in the login-guard
// collection, so several app instances share one limit.
func (s *Service) CountAttempt(ctx context.Context, key string, window time.Duration) (int, error) {
	now := s.rateNow().UTC()
	start := now.Truncate(window)
	id := fmt.Sprintf("rate/%s/%d", key, start.Unix())
	var doc struct {
		N int `bson:"n"`
	}
	err := s.guard.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}},
			{Key: "$set", Value: bson.D{{Key: "exp", Value: start.Add(2 * window)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
	if err != nil {
		return 0, fmt.Errorf("users: rate limit: %w", err)
	}
	s.sweepRates(ctx, now)
	return doc.N, nil
}

// SetRateClock replaces the clock that places login attempts in windows
// (time.Now by default), so that tests step through windows instead of
// sleeping. It may be called while the server runs.
func (s *Service) SetRateClock(now func() time.Time) {
	s.rateClock.Store(&now)
}

func (s *Service) rateNow() time.Time {
	if now := s.rateClock.Load(); now != nil {
		return (*now)()
	}
	return time.Now()
}

var lastSweep atomic.Int64

// sweepRates removes expired counters, at most every ten minutes per
// process (a scan of the small login-guard collection).
func (s *Service) sweepRates(ctx context.Context, now time.Time) {
	last := lastSweep.Load()
	if now.Unix()-last < 600 || !lastSweep.CompareAndSwap(last, now.Unix()) {
		return
	}
	_, _ = s.guard.DeleteMany(ctx, bson.D{{Key: "exp", Value: bson.D{{Key: "$lt", Value: now}}}})
}
