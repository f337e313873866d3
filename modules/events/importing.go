package events

import (
	"slices"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

// The importer writes events in bulk, but through the same rules as the
// pages: Input.Validate, and the participant lists linked through the
// same Pool (Pool.ImportRefs: a name the stored list has keeps its pool
// id, another is linked as the form links it).

// ImportBuild validates in and returns the event to store: a new one when
// cur is nil, else a copy of cur with in applied (in is the complete input:
// InputOf(cur) overlaid with the ledger's columns). changed is false when
// the row leaves cur as it was. The organiser unit must be in scope, as on
// the form. Counts never fall below the number of participants listed.
// Errors are *core.FieldError by input field.
func ImportBuild(in Input, cur *Event, cat *matrix.Catalog, m Matrix, scope core.Scope, now time.Time) (e *Event, changed bool, err error) {
	p := &in.Participants
	p.Enterprises, p.Talents = slices.Clone(p.Enterprises), slices.Clone(p.Talents) // Validate cleans them in place
	if err := in.Validate(cat, m, scope, now); err != nil {
		return nil, false, err
	}
	p.listed()
	if cur == nil {
		e = &Event{}
		in.apply(e)
		return e, true, nil
	}
	cp := *cur
	in.apply(&cp)
	cp.CoOrganisers, cp.ActionLines, cp.Industries = slices.Clone(cp.CoOrganisers), slices.Clone(cp.ActionLines), slices.Clone(cp.Industries)
	same := func(s string) string { return s }
	return &cp, len(Diff(InputOf(&cp), cur, same)) > 0, nil
}
