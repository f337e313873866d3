package core_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"zhaoshang/app/storage"
	"zhaoshang/modules/core"
)

// openStore opens an embedded store in a temporary folder, closed when the
// test ends, with the ID-only filters the repositories use on it; under
// -short the test is skipped.
func openStore(t *testing.T) (st *storage.Store, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	dir = t.TempDir()
	st, err := storage.Open(context.Background(), storage.Config{DataDir: dir, Role: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	core.UseIDOnlyFilters(st.Embedded)
	return st, dir
}

// TestLease: two holders on the embedded store; only one holds at a time,
// the holder renews, the other takes over after expiry or release.
func TestLease(t *testing.T) {
	st, dir := openStore(t)
	ctx := context.Background()
	if err := st.EnsureCollections(ctx, []string{core.LeasesCollection}, dir); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a := core.NewLease(st.DB, "job", "holder-a", time.Minute)
	b := core.NewLease(st.DB, "job", "holder-b", time.Minute)
	a.Now, b.Now = clock, clock
	other := core.NewLease(st.DB, "other-job", "holder-b", time.Minute)
	other.Now = clock

	steps := []struct {
		name    string
		advance time.Duration
		l       *core.Lease
		want    bool
	}{
		{"a takes the free lease", 0, a, true},
		{"b is refused while a holds it", 10 * time.Second, b, false},
		{"a renews", 20 * time.Second, a, true},
		{"b still refused (renewed)", 50 * time.Second, b, false},
		{"another name is independent", 0, other, true},
		{"b takes it after expiry", 31 * time.Second, b, true},
		{"a is now refused", time.Second, a, false},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		got, err := s.l.Acquire(ctx)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Fatalf("%s: acquired %v, want %v", s.name, got, s.want)
		}
	}
	state, err := a.State(ctx)
	if err != nil || state == nil || state.Holder != "holder-b" {
		t.Fatalf("state %+v %v", state, err)
	}
	// a's release does nothing (not the holder); b's release frees it at once.
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.Acquire(ctx); ok {
		t.Fatal("a acquired a lease b holds after a's release")
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.Acquire(ctx); !ok || err != nil {
		t.Fatalf("a after b released: %v %v", ok, err)
	}

	// Concurrent contenders: exactly one wins.
	now = now.Add(time.Hour)
	wins := make(chan bool, 8)
	for i := range 8 {
		l := core.NewLease(st.DB, "race", "h"+string(rune('0'+i)), time.Minute)
		l.Now = clock
		go func() {
			ok, err := l.Acquire(ctx)
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		}()
	}
	n := 0
	for range 8 {
		if <-wins {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d contenders acquired the lease, want 1", n)
	}
}
