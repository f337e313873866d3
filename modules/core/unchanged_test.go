package core_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

type sample struct {
	core.Meta `bson:",inline"`
	Name      string            `bson:"name"`
	Tags      []string          `bson:"tags"`
	Notes     []string          `bson:"notes,omitempty"`
	Extra     map[string]string `bson:"extra,omitempty"`
	At        time.Time         `bson:"at"`
	Sub       struct {
		N float64 `bson:"n"`
	} `bson:"sub"`
}

type countAudit struct{ n atomic.Int32 }

func (c *countAudit) Audit(context.Context, core.Actor, core.AuditEntry) { c.n.Add(1) }

func TestUnchanged(t *testing.T) {
	base := func() *sample {
		s := &sample{Name: "甲", Tags: []string{"a", "b"}, Extra: map[string]string{"x": "1", "y": "2", "z": "3"}}
		s.ID, s.Version, s.At, s.Sub.N = "r1", 3, time.Date(2024, 5, 16, 0, 0, 0, 0, time.UTC), 1.5
		return s
	}
	cases := []struct {
		name string
		edit func(*sample)
		same bool
	}{
		{"nothing", func(*sample) {}, true},
		{"bookkeeping only", func(s *sample) { s.Version, s.UpdatedAt, s.UpdatedBy = 9, time.Now(), "someone" }, true},
		{"nil against empty list", func(s *sample) { s.Notes = []string{} }, true},
		{"map built anew", func(s *sample) { s.Extra = map[string]string{"z": "3", "y": "2", "x": "1"} }, true},
		{"same instant elsewhere", func(s *sample) { s.At = s.At.In(time.FixedZone("CST", 8*3600)) }, true},
		{"name", func(s *sample) { s.Name = "乙" }, false},
		{"tag order", func(s *sample) { s.Tags = []string{"b", "a"} }, false},
		{"tags emptied", func(s *sample) { s.Tags = nil }, false},
		{"nested number", func(s *sample) { s.Sub.N = 2 }, false},
		{"date", func(s *sample) { s.At = s.At.Add(time.Hour) }, false},
		{"import batch", func(s *sample) { s.Batch = "b1" }, false},
		{"map value", func(s *sample) { s.Extra = map[string]string{"x": "1"} }, false},
	}
	for _, c := range cases {
		a := base()
		c.edit(a)
		if got := core.Unchanged(base(), a); got != c.same {
			t.Errorf("%s: Unchanged = %v, want %v", c.name, got, c.same)
		}
	}
}

// TestUpdateUnchanged: saving what is stored writes nothing (same version,
// same stored bytes, no audit or outbox entry); a real change still writes,
// and an unchanged save of a stale version is still a conflict.
func TestUpdateUnchanged(t *testing.T) {
	st, _ := openStore(t)
	ctx := context.Background()
	audit := &countAudit{}
	sync := search.NewSync(st.DB, nil, true, nil) // deferred: outbox entries stay to be counted
	repo := core.NewRepo[sample](st.DB, "samples", sync, audit, func(*sample) search.Doc { return search.Doc{} })
	outbox := func() int64 {
		n, err := st.DB.Collection(search.OutboxCollection).CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := core.Actor{User: "tester"}
	rec := &sample{Name: "甲", Tags: []string{}, Extra: map[string]string{"x": "1", "y": "2"}, At: time.Date(2024, 5, 16, 1, 2, 3, 0, time.UTC)}
	if err := repo.Create(ctx, a, rec); err != nil {
		t.Fatal(err)
	}
	raw0, _ := repo.GetRaw(ctx, rec.ID)
	audits, marks := audit.n.Load(), outbox()

	save := func(edit func(*sample)) (*sample, error) {
		before, err := repo.Get(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := repo.Get(ctx, rec.ID)
		edit(p)
		return p, repo.Update(ctx, core.Actor{User: "other"}, p, before)
	}
	p, err := save(func(s *sample) { s.Tags = nil; s.Extra = map[string]string{"y": "2", "x": "1"} })
	if err != nil {
		t.Fatal(err)
	}
	raw1, _ := repo.GetRaw(ctx, rec.ID)
	if p.Version != 1 || string(raw1) != string(raw0) || audit.n.Load() != audits || outbox() != marks {
		t.Errorf("unchanged save: version %d, stored same %v, audits +%d, outbox +%d", p.Version,
			string(raw1) == string(raw0), audit.n.Load()-audits, outbox()-marks)
	}

	p, err = save(func(s *sample) { s.Name = "乙" })
	if err != nil || p.Version != 2 || audit.n.Load() != audits+1 || outbox() != marks+1 {
		t.Errorf("changed save: err %v, version %d, audits +%d, outbox +%d", err, p.Version, audit.n.Load()-audits, outbox()-marks)
	}

	stale, _ := repo.Get(ctx, rec.ID)
	if _, err := save(func(s *sample) { s.Name = "丙" }); err != nil {
		t.Fatal(err)
	}
	if err := repo.Update(ctx, a, stale, stale); !errors.Is(err, core.ErrConflict) {
		t.Errorf("unchanged save of a stale version: %v, want a conflict", err)
	}
	gone, _ := repo.Get(ctx, rec.ID)
	if err := repo.Delete(ctx, a, gone.ID, gone.Version); err != nil {
		t.Fatal(err)
	}
	if err := repo.Update(ctx, a, gone, gone); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("unchanged save of a deleted record: %v, want not found", err)
	}
}
