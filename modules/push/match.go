package push

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// LeaseName is the matcher's lease: with several app instances only the
// holder runs a round.
const LeaseName = "push-match"

// overlap widens each window backwards: a record written just before the
// previous round ended may have reached the index after it. Dedupe by
// record and version makes the overlap harmless.
const overlap = 2 * time.Minute

// maxPerRun bounds the hits one subscription pushes in one round.
const maxPerRun = 1000

// Report says what one round did.
type Report struct {
	Ran           bool `json:"ran"` // false when another instance holds the lease
	Units         int  `json:"units"`
	Subscriptions int  `json:"subscriptions"`
	Matched       int  `json:"matched"`
	Pushed        int  `json:"pushed"`
}

// Run matches every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("push matcher round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs one round if this process gets the lease: each unit's
// subscriptions are run on the engine, restricted to the unit's records
// updated since the subscription's last round, and new matches go to the
// unit's inbox.
func (s *Service) RunOnce(ctx context.Context) (Report, error) {
	var rep Report
	s.round.Lock()
	defer s.round.Unlock()
	lease := core.NewLease(s.db, LeaseName, s.Holder, 5*time.Minute)
	lease.Now = s.Now
	ok, err := lease.Acquire(ctx)
	if err != nil || !ok {
		return rep, err
	}
	defer func() { _ = lease.Release(context.WithoutCancel(ctx)) }()
	rep.Ran = true
	e, err := s.engine()
	if err != nil {
		return rep, err
	}
	for _, u := range s.Units.Units() {
		state, err := s.st.units.Get(ctx, u.ID)
		if err != nil || len(state.Subscriptions) == 0 {
			continue
		}
		rep.Units++
		start := s.now()
		found := map[string]*Item{}
		var order []string
		counts := map[string]int{}
		for _, sub := range state.Subscriptions {
			rep.Subscriptions++
			hits, err := s.match(ctx, e, u.ID, sub)
			if err != nil {
				return rep, err
			}
			rep.Matched += len(hits)
			for _, h := range hits {
				k := ItemKey(h.Kind, h.ID, h.Version)
				it, ok := found[k]
				if !ok {
					it = &Item{Kind: h.Kind, RecordID: h.ID, Version: h.Version, Title: h.Title, Source: SourceSubscription}
					found[k] = it
					order = append(order, k)
				}
				if !slices.Contains(it.Searches, sub.Name) {
					it.Searches = append(it.Searches, sub.Name)
				}
			}
			counts[sub.Owner+"/"+sub.ID] = len(hits)
		}
		items := make([]Item, 0, len(order))
		for _, k := range order {
			it := found[k]
			it.Why = "匹配订阅：" + joinNames(it.Searches)
			items = append(items, *it)
		}
		added, err := s.add(ctx, u.ID, items)
		if err != nil {
			return rep, err
		}
		rep.Pushed += len(added)
		_, err = mutate(ctx, s.st.units, u.ID, func(st *UnitState) error {
			for i := range st.Subscriptions {
				sub := &st.Subscriptions[i]
				if n, ok := counts[sub.Owner+"/"+sub.ID]; ok {
					sub.LastRun, sub.LastCount = start, n
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// match runs one subscription: its query, inside the unit's scope (the
// records the unit owns), over records updated since its last round.
func (s *Service) match(ctx context.Context, e search.Engine, unit string, sub Subscription) ([]search.Hit, error) {
	q := sub.engineQuery(search.Scope{Units: []string{unit}})
	// The first round starts at the subscription; later ones overlap.
	since := sub.CreatedAt
	if from := sub.LastRun.Add(-overlap); from.After(since) {
		since = from
	}
	// Indexed dates keep whole seconds: round the bound down.
	q.Filters = append(q.Filters, search.Filter{Field: "updated", From: since.Truncate(time.Second)})
	q.Sort = []search.Sort{{Field: "updated"}}
	q.Limit = 200
	var out []search.Hit
	for len(out) < maxPerRun {
		res, err := e.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("push: match %s for %s: %w", sub.Name, unit, err)
		}
		out = append(out, res.Hits...)
		if len(res.Hits) < q.Limit || q.Offset+len(res.Hits) >= res.Total {
			break
		}
		q.Offset += len(res.Hits)
	}
	return out, nil
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "、"
		}
		out += "「" + n + "」"
	}
	return out
}
