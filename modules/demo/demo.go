// Package demo generates and loads the demo data set of
// `zhaoshang seed --demo [--scale N]`: a believable three years (2023–2025)
// of Kunshan technology promotion — units and their staff, yearly targets,
// events, talents, enterprises, institutes, technology results, policies and
// a pipeline of projects in every stage.
//
// Generate is pure and deterministic (math/rand/v2 PCG with a fixed seed):
// the same scale always gives the same records and ids (p-000001,
// ev-0001, t-00001, e-00001, in-0001, r-0001, po-0001). Seed writes only
// the records whose ids are not stored yet, so running it twice creates
// nothing the second time and never overwrites edits.
//
// Demo users: per unit one manager, two to four officers and, for area
// teams, one field user, named "<unit id>_<surname pinyin>" (e.g.
// "kfq_li"). Every demo user's password is "Demo@2025" (Password). The
// admin account is not created here.
package demo

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/transfers"
)

// UserMaker creates demo users (users.Service implements it).
type UserMaker interface {
	// EnsureUser creates the user if missing (password as given); created=false if it exists.
	EnsureUser(ctx context.Context, username, name, role string, units []string, password string) (created bool, err error)
}

// Deps are the stores Seed writes to.
type Deps struct {
	Matrix      *matrix.Service
	Projects    *projects.Repo
	Events      *events.Repo
	Talents     *resources.TalentRepo
	Enterprises *resources.EnterpriseRepo
	Institutes  *resources.InstituteRepo
	Results     *resources.ResultRepo
	Policies    *policies.Repo
	Users       UserMaker
	// Optional: service requests, transfer deals and brokers (nil = skip).
	Aftercare *aftercare.Repo
	Deals     *transfers.DealRepo
	Brokers   *transfers.BrokerRepo
}

func (d Deps) check() error {
	var missing []string
	for name, nilDep := range map[string]bool{"Matrix": d.Matrix == nil, "Projects": d.Projects == nil,
		"Events": d.Events == nil, "Talents": d.Talents == nil, "Enterprises": d.Enterprises == nil,
		"Institutes": d.Institutes == nil, "Results": d.Results == nil, "Policies": d.Policies == nil,
		"Users": d.Users == nil} {
		if nilDep {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("demo: missing dependencies %s", strings.Join(missing, ", "))
	}
	return nil
}

// Report counts, per kind, the records Seed created and those already there.
type Report struct {
	Created  map[string]int
	Existing map[string]int
}

// ReportKinds are the report's kinds in the order Seed writes them.
var ReportKinds = []string{"units", "users", "targets", resources.KindTalents, resources.KindEnterprises,
	resources.KindInstitutes, resources.KindResults, events.Kind, policies.Kind, projects.Kind}

// String is one line per kind: "projects: 3200 created, 0 existing".
func (r Report) String() string {
	var b strings.Builder
	for _, k := range ReportKinds {
		fmt.Fprintf(&b, "%s: %d created, %d existing\n", k, r.Created[k], r.Existing[k])
	}
	return b.String()
}

// batchSize is the number of records per bulk write (one outbox entry each).
const batchSize = 1000

// Seed generates the data set for scale and stores what is missing. Units
// missing from the matrix are added; targets, users and records that exist
// (by id) are left as they are. progress, if not nil, gets one line per step.
func Seed(ctx context.Context, d Deps, scale int, progress func(string)) (Report, error) {
	rep := Report{Created: map[string]int{}, Existing: map[string]int{}}
	if err := d.check(); err != nil {
		return rep, err
	}
	ds, err := Generate(scale)
	if err != nil {
		return rep, err
	}
	if progress == nil {
		progress = func(string) {}
	}
	step := func(kind, label string) {
		progress(fmt.Sprintf("%s：新建 %d，已有 %d", label, rep.Created[kind], rep.Existing[kind]))
	}

	if err := seedUnits(ctx, d.Matrix, ds.Units, &rep); err != nil {
		return rep, err
	}
	step("units", "招商单位")
	if err := seedTargets(ctx, d.Matrix, ds.Targets, &rep); err != nil {
		return rep, err
	}
	step("targets", "年度目标")
	if err := seedUsers(ctx, d.Users, ds.Users, &rep); err != nil {
		return rep, err
	}
	step("users", "演示用户")

	type stepRun struct {
		kind, label string
		run         func() error
	}
	steps := []stepRun{
		{resources.KindTalents, "人才", func() error { return seedKind(ctx, d.Talents, ds.Talents, &rep) }},
		{resources.KindEnterprises, "企业", func() error { return seedKind(ctx, d.Enterprises, ds.Enterprises, &rep) }},
		{resources.KindInstitutes, "平台", func() error { return seedKind(ctx, d.Institutes, ds.Institutes, &rep) }},
		{resources.KindResults, "科技成果", func() error { return seedKind(ctx, d.Results, ds.Results, &rep) }},
		{events.Kind, "活动", func() error { return seedKind(ctx, d.Events, ds.Events, &rep) }},
		{policies.Kind, "政策", func() error { return seedKind(ctx, d.Policies, ds.Policies, &rep) }},
		{projects.Kind, "项目", func() error { return seedKind(ctx, d.Projects, ds.Projects, &rep) }},
	}
	if d.Aftercare != nil {
		steps = append(steps, stepRun{aftercare.Kind, "后道服务", func() error {
			return seedKind(ctx, d.Aftercare, serviceRequests(ds.Projects, Today), &rep)
		}})
	}
	if d.Brokers != nil && d.Deals != nil {
		steps = append(steps, stepRun{transfers.KindBrokers, "技术经纪人与成果转化", func() error {
			brokers, deals := transferDemo(ds)
			if err := seedKind(ctx, d.Brokers, brokers, &rep); err != nil {
				return err
			}
			return seedKind(ctx, d.Deals, deals, &rep)
		}})
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return rep, err
		}
		step(s.kind, s.label)
	}
	return rep, nil
}

// seedKind stores the records whose ids are not in the collection yet. It
// reads the stored ids in one pass (a full scan, once) and upserts the rest
// in batches.
func seedKind[T any, P interface {
	*T
	core.Record
}](ctx context.Context, repo *core.Repo[T, P], recs []P, rep *Report) error {
	have := map[string]bool{}
	if err := repo.Each(ctx, func(p P) error { have[p.GetMeta().ID] = true; return nil }); err != nil {
		return fmt.Errorf("demo: read %s: %w", repo.Kind, err)
	}
	todo := make([]P, 0, len(recs))
	for _, r := range recs {
		if have[r.GetMeta().ID] {
			rep.Existing[repo.Kind]++
		} else {
			todo = append(todo, r)
		}
	}
	rep.Created[repo.Kind] = 0
	for start := 0; start < len(todo); start += batchSize {
		n, _, err := repo.UpsertMany(ctx, core.System, todo[start:min(start+batchSize, len(todo))])
		rep.Created[repo.Kind] += n
		if err != nil {
			return fmt.Errorf("demo: write %s: %w", repo.Kind, err)
		}
	}
	return nil
}

func seedUnits(ctx context.Context, m *matrix.Service, units []*matrix.Unit, rep *Report) error {
	if err := m.Reload(ctx); err != nil {
		return err
	}
	return seedMissing(ctx, "units", units, func(u *matrix.Unit) (bool, error) { return m.HasUnit(u.ID), nil },
		m.SaveUnits, rep)
}

func seedTargets(ctx context.Context, m *matrix.Service, targets []*matrix.Target, rep *Report) error {
	return seedMissing(ctx, "targets", targets, func(t *matrix.Target) (bool, error) {
		have, err := m.Targets(ctx, t.Year, t.Unit)
		return err == nil && have.Version > 0, err // Targets falls back to an unsaved default
	}, m.SaveTargets, rep)
}

// seedMissing saves in one call the records that stored says are not
// there yet, counting both under kind.
func seedMissing[T any](ctx context.Context, kind string, recs []T, stored func(T) (bool, error),
	save func(context.Context, core.Actor, []T) error, rep *Report) error {
	var missing []T
	for _, r := range recs {
		have, err := stored(r)
		if err != nil {
			return fmt.Errorf("demo: read %s: %w", kind, err)
		}
		if have {
			rep.Existing[kind]++
		} else {
			missing = append(missing, r)
		}
	}
	rep.Created[kind] = len(missing)
	if len(missing) == 0 {
		return nil
	}
	if err := save(ctx, core.System, missing); err != nil {
		return fmt.Errorf("demo: write %s: %w", kind, err)
	}
	return nil
}

// seedUsers creates the demo users a few at a time: hashing a password is
// deliberately slow (argon2id), so they are spread over the CPUs.
func seedUsers(ctx context.Context, um UserMaker, list []User, rep *Report) error {
	workers := max(1, min(4, runtime.NumCPU()))
	jobs := make(chan User)
	var (
		mu       sync.Mutex
		created  int
		existing int
		errs     []error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				ok, err := um.EnsureUser(ctx, u.Username, u.Name, u.Role, u.Units, Password)
				mu.Lock()
				switch {
				case err != nil:
					errs = append(errs, fmt.Errorf("demo: user %s: %w", u.Username, err))
				case ok:
					created++
				default:
					existing++
				}
				mu.Unlock()
			}
		}()
	}
	for _, u := range list {
		if ctx.Err() != nil {
			break
		}
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	rep.Created["users"], rep.Existing["users"] = created, existing
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
