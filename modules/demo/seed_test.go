package demo

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"zhaoshang/app/storage"
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
	st, err := storage.Open(ctx, storage.Config{DataDir: t.TempDir(), Role: "test", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	db := st.DB
	sync := search.NewSync(db, nil, true, log)
	m := matrix.New(db, nil)
	if err := m.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := resources.EnsureIndexes(ctx, db); err != nil {
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
	first, err := Seed(ctx, d, 1, func(s string) { lines = append(lines, s) })
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
		!p.Milestones.Signed.Equal(g.Milestones.Signed) || p.Version != 1 {
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
	if len(um.users) != len(ds.Users) || !slices.ContainsFunc(ds.Users, func(u User) bool { return u.Username == "kfq.li" || u.Role == "field" }) {
		t.Errorf("%d users created", len(um.users))
	}
}
