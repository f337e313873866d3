package export_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// TestDemoProjectsExportReimportsUnchanged: the demo projects exported and
// imported back untouched (dry run, as an admin) are all "unchanged": no
// update, no review, no rejection — also when some of them were stored
// before dates were days, with their 签约 and 下一步期限 as datetimes (a
// time of day, as the demo data had, or the office's midnight in UTC, as
// imports wrote).
func TestDemoProjectsExportReimportsUnchanged(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)
	ctx := context.Background()
	legacy := 0
	err := a.P.Projects.Each(ctx, func(p *projects.Project) error {
		if p.Milestones.Signed.IsZero() || legacy >= 200 {
			return nil
		}
		signed, due := p.Milestones.Signed.Time(), p.NextDue.Time() // the office's midnight, in UTC
		if legacy%2 == 0 {
			signed = signed.Add(9*time.Hour + 50*time.Minute) // 01:50Z: a time of day
		}
		set := bson.M{"milestones.signed": signed}
		if !due.IsZero() {
			set["next_due"] = due.Add(time.Duration(legacy%24) * time.Hour)
		}
		legacy++
		_, err := a.P.Projects.C.UpdateOne(ctx, bson.M{"_id": p.ID}, bson.M{"$set": set})
		return err
	})
	if err != nil || legacy < 100 {
		t.Fatalf("%d legacy projects: %v", legacy, err)
	}
	var raw bson.M
	if err := a.P.Projects.C.FindOne(ctx, bson.M{"milestones.signed": bson.M{"$type": "date"}}).Decode(&raw); err != nil {
		t.Fatalf("no legacy datetime stored: %v", err)
	}

	sheetOf := projects.ExportSheet(a.P.Matrix.Name)
	viaStore := func() []byte {
		var buf bytes.Buffer
		if _, err := export.Write(&buf, sheetOf, func(fn func(*projects.Project) error) error {
			return a.P.Projects.Each(ctx, fn)
		}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	viaEngine := func() []byte { // the kept records, as `zhaoshang export` reads them
		var buf bytes.Buffer
		if _, err := export.Records(ctx, &buf, sheetOf, a.P.Projects,
			search.Query{Kinds: []string{projects.Kind}, Scope: core.AllUnits.Search()}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for name, file := range map[string][]byte{"store": viaStore(), "kept records": viaEngine()} {
		rep := dryImport(t, a, projects.Kind, "projects.xlsx", file)
		if rep.Rows < 3000 || rep.Updated != 0 || rep.Review != 0 || rep.Rejected != 0 || rep.Created != 0 || rep.Unchanged != rep.Rows {
			t.Errorf("export via %s re-imported: %s", name, counts(rep))
		}
	}
}

func first(es []batch.Error) []batch.Error { return es[:min(3, len(es))] }

// TestDemoDaysExportImportRoundTrip: the demo events, policies, enterprises,
// institutes and results exported (store and kept records) and imported
// back untouched (dry run, as an admin) are all "unchanged" — also when some
// were stored before dates were days, their 活动日期, 发布日期, 成立日期 or
// 成交日期 a datetime (a time of day, or the office's midnight in UTC).
func TestDemoDaysExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)
	names, r := a.P.Matrix.Name, a.P.Records
	kind := resources.KindOf
	t.Run(events.Kind, func(t *testing.T) {
		roundTrip(t, a, r.Events, events.ExportSheet(names), func(e *events.Event) map[string]core.Date {
			return map[string]core.Date{"date": e.Date, "end_date": e.EndDate}
		})
	})
	t.Run(policies.Kind, func(t *testing.T) {
		roundTrip(t, a, r.Policies, policies.ExportSheet(names), func(p *policies.Policy) map[string]core.Date {
			return map[string]core.Date{"issued_on": p.IssuedOn, "effective_from": p.EffectiveFrom, "effective_to": p.EffectiveTo}
		})
	})
	t.Run(resources.KindEnterprises, func(t *testing.T) {
		roundTrip(t, a, r.Enterprises, resources.ExportSheet[*resources.Enterprise](kind(resources.KindEnterprises), names),
			func(e *resources.Enterprise) map[string]core.Date { return map[string]core.Date{"founded": e.Founded} })
	})
	t.Run(resources.KindInstitutes, func(t *testing.T) {
		roundTrip(t, a, r.Institutes, resources.ExportSheet[*resources.Institute](kind(resources.KindInstitutes), names),
			func(in *resources.Institute) map[string]core.Date {
				return map[string]core.Date{"established": in.Established}
			})
	})
	t.Run(resources.KindResults, func(t *testing.T) {
		roundTrip(t, a, r.Results, resources.ExportSheet[*resources.TechResult](kind(resources.KindResults), names),
			func(x *resources.TechResult) map[string]core.Date {
				return map[string]core.Date{"deal_date": x.DealDate}
			})
	})
}

// roundTrip stores the days of up to 100 of repo's records as legacy
// datetimes, then exports the kind both ways and checks that a dry-run
// import of each file finds every row unchanged.
func roundTrip[T any, P interface {
	*T
	core.Record
}](t *testing.T, a *testapp.App, repo *core.Repo[T, P], sh export.Sheet[P], days func(P) map[string]core.Date) {
	ctx := context.Background()
	legacy := 0
	err := repo.Each(ctx, func(p P) error {
		set := bson.M{}
		for key, d := range days(p) {
			if at := d.Time(); !at.IsZero() {
				if legacy%2 == 0 {
					at = at.Add(9*time.Hour + 50*time.Minute) // 01:50Z: a time of day
				}
				set[key] = at
			}
		}
		if len(set) == 0 || legacy >= 100 {
			return nil
		}
		legacy++
		_, err := repo.C.UpdateOne(ctx, bson.M{"_id": p.GetMeta().ID}, bson.M{"$set": set})
		return err
	})
	if err != nil || legacy < 20 {
		t.Fatalf("%d legacy %s: %v", legacy, repo.Kind, err)
	}
	var viaStore, viaEngine bytes.Buffer
	if _, err := export.Write(&viaStore, sh, func(fn func(P) error) error { return repo.Each(ctx, fn) }); err != nil {
		t.Fatal(err)
	}
	if _, err := export.Records(ctx, &viaEngine, sh, repo, search.Query{Kinds: []string{repo.Kind}, Scope: core.AllUnits.Search()}); err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{"store": viaStore.Bytes(), "kept records": viaEngine.Bytes()} {
		if rep := dryImport(t, a, repo.Kind, repo.Kind+".xlsx", file); rep.Rows < 20 || rep.Unchanged != rep.Rows {
			t.Errorf("%s export via %s re-imported: %s", repo.Kind, name, counts(rep))
		}
	}
}
