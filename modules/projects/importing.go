package projects

import (
	"fmt"
	"slices"
	"time"

	"zhaoshang/modules/core"
)

// The importer writes projects in bulk, but through the same rules as the
// pages: Input.Validate for the fields, the stage conditions (CheckMove)
// for any stage the ledger names, and CheckState for the rest.

// ImportRun is who imports, when, and in which batch.
type ImportRun struct {
	By string
	// Manager: a manager's or admin's import may land a project of a
	// legacy ledger past 评估决策, recording its approval as taken outside
	// the system; an officer's or field staff's such row needs a manager.
	Manager bool
	Batch   string // "" in a preview
	At      time.Time
	Note    string // the row's 原因 (the move's note)
	// Member tells whether user is a member of unit (the 负责人 rule of
	// the form); nil checks nothing.
	Member func(unit, user string) bool
}

// officer settles a row's 负责人: one the row names must be a member of
// the project's unit (as on the form); a row naming none keeps the stored
// one, or on create the importing user when a member, else none.
func (run ImportRun) officer(in *Input, stored string, storedUnit string) error {
	member := func(u string) bool { return run.Member == nil || run.Member(in.Unit, u) }
	switch {
	case in.Officer == "" && stored != "":
		in.Officer = stored
	case in.Officer == "":
		if member(run.By) {
			in.Officer = run.By
		}
		return nil
	}
	if (in.Officer != stored || in.Unit != storedUnit) && !member(in.Officer) {
		return core.Invalid("officer", "负责人 %s 不是该项目责任单位的成员", in.Officer)
	}
	return nil
}

// NeedsManager is a row that would land a project past 评估决策 without a
// decision in the system: only a manager's import may record one.
type NeedsManager struct{ Message string }

func (e *NeedsManager) Error() string { return e.Message }

// ImportCreate builds a new project from an imported row. Like the form, a
// new project starts in 资源搜索, 资源推送 or 资源招引; a row naming a later
// stage starts in 资源招引 (暂缓 and 终止: in 资源搜索) and is then moved
// there through the stage conditions with the row's note, exactly as a
// user would on the board. A blocked move is a *GateError.
func ImportCreate(in Input, cat Catalog, v Vocab, scope core.Scope, run ImportRun) (*Project, error) {
	target := in.Stage
	if target == "" {
		target = StageSearch
	}
	in.Stage = target
	if err := in.Validate(cat, v, scope); err != nil {
		return nil, err
	}
	if err := run.officer(&in, "", ""); err != nil {
		return nil, err
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
	p.Stage, p.StageSince = start, run.At
	p.History = []StageChange{{From: "", To: start, By: run.By, At: run.At, Note: "导入新建"}}
	p.LastFollowUp = run.At
	if start != target {
		if err := importMove(p, target, cat, run); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ImportUpdate applies in (the stored values overlaid with the ledger's
// columns) to a copy of cur. A different stage is one move through the
// stage conditions; otherwise the change may not break a condition of the
// stage (CheckState). changed is false when the row leaves the project as
// it was.
func ImportUpdate(cur *Project, in Input, cat Catalog, v Vocab, scope core.Scope, run ImportRun) (p *Project, changed bool, err error) {
	target := in.Stage
	if target == "" {
		target = cur.Stage
	}
	in.Stage = ""
	if err := in.Validate(cat, v, scope); err != nil {
		return nil, false, err
	}
	if err := run.officer(&in, cur.Officer, cur.Unit); err != nil {
		return nil, false, err
	}
	cp := *cur
	cp.History = slices.Clone(cur.History)
	in.apply(&cp)
	before, after := InputOf(cur), InputOf(&cp)
	changed = len(Diff(before, after)) > 0
	if target == cur.Stage {
		if changed {
			if err := CheckState(cur, &cp, cat.DisabledGates); err != nil {
				return nil, false, err
			}
		}
		return &cp, changed, nil
	}
	if err := importMove(&cp, target, cat, run); err != nil {
		return nil, false, err
	}
	return &cp, true, nil
}

// importMove moves p to target as the row asks. A move past 评估决策 of a
// project without any decision is a legacy ledger's: a manager's import
// records the approval as taken outside the system (in the decision record
// and the move's note); anyone else's is *NeedsManager once every other
// condition holds.
func importMove(p *Project, target string, cat Catalog, run ImportRun) error {
	m := Move{To: target, Note: run.Note, Disabled: cat.DisabledGates}
	past := target == StageProcess || target == StageAftercare
	if !past || p.Approval != nil || slices.Contains(cat.DisabledGates, "approval") {
		if err := CheckMove(p, m); err != nil {
			return err
		}
		applyMove(p, m, run.By, run.At)
		return nil
	}
	batch := run.Batch
	if batch == "" {
		batch = "预览"
	}
	note := fmt.Sprintf("审批于系统外（台账导入，批次 %s）", batch)
	p.Approval = &Approval{By: run.By, At: run.At, Approved: true, Note: note, Batch: batch}
	if err := CheckMove(p, m); err != nil {
		p.Approval = nil
		return err
	}
	if !run.Manager {
		p.Approval = nil
		return &NeedsManager{Message: fmt.Sprintf("台账阶段为%s，但系统中没有该项目的评估决策审批：须由管理者导入（将记为“审批于系统外”），或先在系统中完成评估与审批", stageName(target))}
	}
	p.Decisions = append(slices.Clip(p.Decisions), Decision{Kind: DecisionExternal, By: run.By, At: run.At, Note: note})
	if m.Note == "" {
		m.Note = note
	} else {
		m.Note += "；" + note
	}
	applyMove(p, m, run.By, run.At)
	return nil
}
