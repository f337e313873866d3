package projects

import (
	"slices"
	"time"

	"zhaoshang/modules/core"
)

// The importer writes projects in bulk, but through the same rules as the
// pages: Input.Validate for the fields, and the stage gates (CheckMove) for
// any stage the ledger names.

// ImportCreate builds a new project from an imported row. Like the form, a
// new project starts in 资源搜索, 资源推送 or 资源招引; a row naming a later
// stage starts in 资源招引 (暂缓 and 终止: in 资源搜索) and is then moved
// there through the stage gates with note as the move's note, exactly as a
// user would on the board. A blocked move is a *GateError.
func ImportCreate(in Input, cat Catalog, v Vocab, scope core.Scope, by, note string, at time.Time) (*Project, error) {
	target := in.Stage
	if target == "" {
		target = StageSearch
	}
	in.Stage = target
	if err := in.Validate(cat, v, scope); err != nil {
		return nil, err
	}
	if in.Officer == "" {
		in.Officer = by
	}
	start := target
	switch target {
	case StageSearch, StagePush, StageAttract:
	case StagePaused, StageDropped:
		start = StageSearch
	default:
		start = StageAttract
	}
	p := &Project{}
	in.apply(p)
	p.Stage, p.StageSince = start, at
	p.History = []StageChange{{From: "", To: start, By: by, At: at, Note: "导入新建"}}
	p.LastFollowUp = at
	if start != target {
		m := Move{To: target, Note: note, Disabled: cat.DisabledGates}
		if err := CheckMove(p, m); err != nil {
			return nil, err
		}
		applyMove(p, m, by, at)
	}
	return p, nil
}

// ImportUpdate applies in (the stored values overlaid with the ledger's
// columns) to a copy of cur. A different stage is one move through the
// gates. changed is false when the row leaves the project as it was.
func ImportUpdate(cur *Project, in Input, cat Catalog, v Vocab, scope core.Scope, by, note string, at time.Time) (p *Project, changed bool, err error) {
	target := in.Stage
	if target == "" {
		target = cur.Stage
	}
	in.Stage = ""
	if err := in.Validate(cat, v, scope); err != nil {
		return nil, false, err
	}
	if in.Officer == "" {
		in.Officer = cur.Officer
	}
	cp := *cur
	cp.History = slices.Clone(cur.History)
	in.apply(&cp)
	before, after := InputOf(cur), InputOf(&cp)
	changed = len(Diff(before, after)) > 0
	if target != cur.Stage {
		m := Move{To: target, Note: note, Disabled: cat.DisabledGates}
		if err := CheckMove(&cp, m); err != nil {
			return nil, false, err
		}
		applyMove(&cp, m, by, at)
		changed = true
	}
	return &cp, changed, nil
}
