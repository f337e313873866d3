package export_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// dryImport imports file (named name: .xlsx or .csv) as kind, as the admin,
// in a dry run, and returns the report.
func dryImport(t *testing.T, a *testapp.App, kind, name string, file []byte) *batch.Report {
	t.Helper()
	ctx := context.Background()
	admin, err := a.P.Users.Get(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	book, err := sheet.Open(name, bytes.NewReader(file), int64(len(file)), sheet.DefaultLimits)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer book.Close()
	rep, err := a.P.Imports.Run(ctx, batch.Request{Kind: kind, File: name, Book: book,
		Actor: core.Actor{User: admin.ID}, Scope: users.ScopeOf(admin, a.P.Matrix), Unit: "kfq", DryRun: true})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rep
}

// counts is a report's figures as one line, with its first problems.
func counts(rep *batch.Report) string {
	return fmt.Sprintf("rows %d, created %d, updated %d, unchanged %d, review %d, rejected %d; errors %+v, reviews %+v",
		rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Review, rep.Rejected, first(rep.Errors), first(rep.Reviews))
}
