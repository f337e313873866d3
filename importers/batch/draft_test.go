package batch_test

import (
	"context"
	"errors"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
)

// A draft is stored as uploaded, keeps the user's choices, and is claimed
// by its commit; once committed it can no longer be changed.
func TestDraftLifecycle(t *testing.T) {
	a := testapp.Start(t)
	im := a.P.Imports
	ctx := context.Background()
	j := &batch.Job{Kind: "projects", File: "台账.xlsx", By: officer.User, Unit: "zs-zp"}
	if err := im.CreateDraft(ctx, j); err != nil {
		t.Fatal(err)
	}
	if j.ID == "" || j.State != batch.StateDraft || j.CreatedAt.IsZero() {
		t.Fatalf("draft %+v", j)
	}
	j.Mapping, j.HeaderRow, j.Confirm = map[string]string{"1": "type"}, 2, []int{5}
	j.Report = batch.Report{Rows: 1, Created: 1}
	if err := im.SaveDraft(ctx, j); err != nil {
		t.Fatal(err)
	}
	got, err := im.Job(ctx, j.ID)
	if err != nil || got.State != batch.StateDraft || got.HeaderRow != 2 || got.Mapping["1"] != "type" || len(got.Confirm) != 1 || got.Report.Created != 1 {
		t.Fatalf("stored draft %+v, %v", got, err)
	}
	rows := map[int][]any{1: {"台账"}, 2: {"项目名称", "项目种类"}, 3: {"草稿项目", "产业"}}
	rep := run(t, im, rows, false, func(r *batch.Request) {
		r.Job, r.HeaderRow, r.Mapping = got, got.HeaderRow, map[int]string{1: "type"}
	})
	if rep.BatchID != j.ID || rep.Created != 1 {
		t.Fatalf("commit of the draft: %+v", countsOf(rep))
	}
	if err := im.SaveDraft(ctx, j); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("save after commit: %v, want conflict", err)
	}
	if got, _ := im.Job(ctx, j.ID); got.State != batch.StateDone || got.HeaderRow != 2 {
		t.Fatalf("committed draft %+v", got)
	}
}
