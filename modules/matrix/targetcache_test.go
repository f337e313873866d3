package matrix

import (
	"testing"
	"time"

	"zhaoshang/modules/core"
)

func TestTargetCache(t *testing.T) {
	var c targetCache
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	tg := &Target{Meta: core.Meta{ID: "2025-kfq", Version: 2}, Year: 2025, Unit: "kfq", Values: map[string]float64{"events": 10}}
	if _, _, ok := c.get("2025-kfq", now); ok {
		t.Fatal("empty cache hit")
	}
	_, gen, _ := c.get("2025-kfq", now)
	c.put("2025-kfq", tg, gen, now)
	tg.Values["events"] = 99 // the caller's copy is not the cached one
	got, _, ok := c.get("2025-kfq", now.Add(time.Second))
	if !ok || got.Values["events"] != 10 || got.Version != 2 {
		t.Fatalf("hit %v %+v", ok, got)
	}
	got.Values["events"] = 77 // nor is a reader's
	if again, _, _ := c.get("2025-kfq", now); again.Values["events"] != 10 {
		t.Fatalf("shared values: %+v", again)
	}
	if _, _, ok := c.get("2025-kfq", now.Add(TargetTTL)); ok {
		t.Fatal("stale entry served after the TTL")
	}
	// A read begun before a write must not store what it read.
	_, gen, _ = c.get("2025-gxq", now)
	c.clear()
	c.put("2025-gxq", tg, gen, now)
	if _, _, ok := c.get("2025-gxq", now); ok {
		t.Fatal("read from before the write was cached")
	}
	if _, _, ok := c.get("2025-kfq", now); ok {
		t.Fatal("clear kept an entry")
	}
}
