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
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
	"zhaoshang/search"
)

// TestDemoProjectsExportReimportsUnchanged: the demo projects exported and
// imported back untouched (dry run, as an admin) are all "unchanged": no
// update, no review, no rejection — also when some of them were stored
// before dates were days, with their 签约 and 下一步期限 as datetimes (a
// time of day, as the demo data had, or the office's midnight in UTC, as
// imports wrote).
func TestDemoProjectsExportReimportsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo data")
	}
	a := testapp.Start(t)
	ctx := context.Background()
	if _, err := a.P.SeedDemo(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
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
	admin, err := a.P.Users.Get(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{"store": viaStore(), "kept records": viaEngine()} {
		book, err := sheet.Open("projects.xlsx", bytes.NewReader(file), int64(len(file)), sheet.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.P.Imports.Run(ctx, batch.Request{Kind: projects.Kind, File: "projects.xlsx", Book: book,
			Actor: core.Actor{User: admin.ID}, Scope: users.ScopeOf(admin, a.P.Matrix), Unit: "kfq", DryRun: true})
		book.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows < 3000 || rep.Updated != 0 || rep.Review != 0 || rep.Rejected != 0 || rep.Created != 0 || rep.Unchanged != rep.Rows {
			t.Errorf("export via %s re-imported: rows %d, created %d, updated %d, unchanged %d, review %d, rejected %d; errors %+v, reviews %+v",
				name, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Review, rep.Rejected, first(rep.Errors), first(rep.Reviews))
		}
	}
}

func first(es []batch.Error) []batch.Error { return es[:min(3, len(es))] }
