package demo

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"zhaoshang/app/storage"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// fakeUsers records EnsureUser calls; the users module's own tests cover
// the real accounts.
type fakeUsers struct {
	mu    sync.Mutex
	users map[string]User
}

func (f *fakeUsers) EnsureUser(_ context.Context, username, name, role string, units []string, password string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if password != Password {
		panic("demo user without the demo password")
	}
	if _, ok := f.users[username]; ok {
		return false, nil
	}
	f.users[username] = User{Username: username, Name: name, Role: role, Units: units}
	return true, nil
}

// TestSeedIdempotent loads scale 1 into the embedded store twice: the first
// run creates everything, the second nothing.
func TestSeedIdempotent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	st, err := storage.Open(ctx, storage.Config{DataDir: dir, Role: "test", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	db := st.DB
	// As platform.Open does: the embedded store's _id lookup index.
	core.UseIDOnlyFilters(st.Embedded)
	colls := []string{"units", "settings", "targets", search.OutboxCollection, projects.Kind, events.Kind,
		resources.KindTalents, resources.KindEnterprises, resources.KindInstitutes, resources.KindResults, policies.Kind}
	if err := st.EnsureCollections(ctx, colls, dir); err != nil {
		t.Fatal(err)
	}
	sync := search.NewSync(db, nil, true, log)
	m := matrix.New(db, nil)
	if err := m.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := core.EnsureIndexes(ctx, db, resources.Stored); err != nil {
		t.Fatal(err)
	}
	um := &fakeUsers{users: map[string]User{}}
	d := Deps{
		Matrix: m, Projects: projects.NewRepo(db, sync, nil), Events: events.NewRepo(db, sync, nil),
		Talents: resources.NewTalentRepo(db, sync, nil), Enterprises: resources.NewEnterpriseRepo(db, sync, nil),
		Institutes: resources.NewInstituteRepo(db, sync, nil), Results: resources.NewResultRepo(db, sync, nil),
		Policies: policies.NewRepo(db, sync, nil), Users: um,
	}
	ds := generated
	want := map[string]int{"units": len(ds.Units), "users": len(ds.Users), "targets": len(ds.Targets),
		resources.KindTalents: len(ds.Talents), resources.KindEnterprises: len(ds.Enterprises),
		resources.KindInstitutes: len(ds.Institutes), resources.KindResults: len(ds.Results), events.Kind: len(ds.Events),
		policies.Kind: len(ds.Policies), projects.Kind: len(ds.Projects)}

	var lines []string
	start := time.Now()
	first, err := Seed(ctx, d, 1, func(s string) { lines = append(lines, s); t.Logf("%s %s", time.Since(start), s) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first seed: %s\n%s", time.Since(start), first)
	if len(lines) != len(ReportKinds) {
		t.Errorf("progress lines %q", lines)
	}
	for _, k := range ReportKinds {
		// EnsureDefaults stored the default units already.
		wantCreated, wantExisting := want[k], 0
		if k == "units" {
			wantCreated, wantExisting = 0, want[k]
		}
		if first.Created[k] != wantCreated || first.Existing[k] != wantExisting {
			t.Errorf("first run %s: created %d existing %d, want %d and %d", k, first.Created[k], first.Existing[k], wantCreated, wantExisting)
		}
	}

	start = time.Now()
	second, err := Seed(ctx, d, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second seed: %s", time.Since(start))
	for _, k := range ReportKinds {
		if second.Created[k] != 0 || second.Existing[k] != want[k] {
			t.Errorf("second run %s: created %d existing %d, want 0 and %d", k, second.Created[k], second.Existing[k], want[k])
		}
	}

	// Stored records read back as generated.
	p, err := d.Projects.Get(ctx, ds.Projects[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	g := ds.Projects[0]
	if p.Name != g.Name || p.Stage != g.Stage || len(p.History) != len(g.History) || !p.StageSince.Equal(g.StageSince) ||
		p.Milestones.Signed != g.Milestones.Signed || p.Version != 1 {
		t.Errorf("stored project %+v\ngenerated %+v", p, g)
	}
	po, err := d.Policies.Get(ctx, "po-0001")
	if err != nil || po.DocNo != "昆科字〔2023〕53号" || len(po.Clauses) != len(ds.Policies[0].Clauses) {
		t.Errorf("seed policy = %+v, %v", po, err)
	}
	tg, err := m.Targets(ctx, 2025, "kfq")
	if err != nil || tg.Version == 0 || tg.Values["projects"] == 0 {
		t.Errorf("kfq 2025 targets = %+v, %v", tg, err)
	}
	fields := 0
	for name, u := range um.users {
		if !strings.HasPrefix(name, u.Units[0]+"_") {
			t.Errorf("user %s of unit %s", name, u.Units[0])
		}
		if u.Role == "field" {
			fields++
		}
	}
	if len(um.users) != len(ds.Users) || fields == 0 {
		t.Errorf("%d users created (%d field users), want %d", len(um.users), fields, len(ds.Users))
	}
}
