package matrix

import (
	"maps"
	"sync"
	"time"
)

// TargetTTL bounds how long a yearly target read is reused. A write through
// this Service (SetTargets, SaveTargets) clears the cache at once; a write
// by another process on the same store (a seed command, another instance)
// shows after at most TargetTTL.
const TargetTTL = 30 * time.Second

// targetCache keeps the targets read by _id: the cockpit reads one per unit
// and year on every request (about sixty for the plan period).
type targetCache struct {
	mu  sync.Mutex
	gen uint64 // bumped by every clear: a read begun before it is not stored
	m   map[string]cachedTarget
}

type cachedTarget struct {
	t  Target
	at time.Time
}

// get returns a copy of the cached target of id when fresh, and the
// generation a caller reading the store must hand back to put.
func (c *targetCache) get(id string, now time.Time) (*Target, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.Sub(e.at) >= TargetTTL || now.Before(e.at) {
		return nil, c.gen, false
	}
	return cloneTarget(&e.t), c.gen, true
}

// put stores t read at generation gen, unless the cache was cleared since.
func (c *targetCache) put(id string, t *Target, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil {
		c.m = map[string]cachedTarget{}
	}
	c.m[id] = cachedTarget{t: *cloneTarget(t), at: now}
}

// clear forgets every cached target (after a write).
func (c *targetCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

// cloneTarget copies t so that callers never share the cached values map.
func cloneTarget(t *Target) *Target {
	out := *t
	out.Values = maps.Clone(t.Values)
	return &out
}
