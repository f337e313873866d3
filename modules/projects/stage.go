package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Gate is one condition a project must meet to be in a stage. The table
// below is the only place stage rules live, stated per stage: a project may
// be in a stage only if every gate listing that stage holds, whatever path
// brought it there (page, kanban, bulk, API, import, an edit, a decision).
type Gate struct {
	Key    string
	Label  string   // what the rule asks for, shown to admins configuring gates
	Field  string   // the input a failed check points at (forms, API, import)
	Stages []string // where the condition must hold
	// Check tests p as it is or would be. entering is true when p is
	// arriving in p.Stage by a move (false: it stays there after an edit).
	Check func(p *Project, entering bool) error
}

// GateError is a blocked move or change; its message names every unmet
// condition, Gate the first.
type GateError struct {
	Gate    string
	Field   string
	Message string
}

func (e *GateError) Error() string { return e.Message }

// AsGateError unwraps a *GateError.
func AsGateError(err error) (*GateError, bool) {
	var ge *GateError
	ok := errors.As(err, &ge)
	return ge, ok
}

// atOrPast lists first and the mainline stages after it.
func atOrPast(first string) []string {
	i := slices.Index(ActiveStages, first)
	return slices.Clone(ActiveStages[i:])
}

// Vetoed reports whether the project's current decision is a 一票否决.
func (p *Project) Vetoed() bool { return p.Approval != nil && p.Approval.Veto != "" }

// Gates are the stage conditions, in the order they are reported.
var Gates = []Gate{
	{Key: "reason", Label: "暂缓、终止须填写原因", Field: "note",
		Stages: []string{StagePaused, StageDropped},
		Check: func(p *Project, _ bool) error {
			if strings.TrimSpace(p.Reason) == "" {
				return fmt.Errorf("转入%s须填写原因", stageName(p.Stage))
			}
			return nil
		}},
	{Key: "veto", Label: "被一票否决的项目只能暂缓或终止，直至管理者重新决策", Field: "approval",
		Stages: ActiveStages,
		Check: func(p *Project, entering bool) error {
			// It stays in 评估决策, where the veto was recorded, until a
			// manager decides again; it may not enter any working stage.
			if p.Vetoed() && (entering || p.Stage != StageDecision) {
				return fmt.Errorf("该项目已被一票否决（%s），只能暂缓或终止，须经管理者重新决策", p.Approval.Veto)
			}
			return nil
		}},
	{Key: "assessment", Label: "评估决策及之后的阶段须有评估打分表", Field: "assessment",
		Stages: atOrPast(StageDecision),
		Check: func(p *Project, _ bool) error {
			if p.Score <= 0 && !p.Approval.External() {
				return fmt.Errorf("%s须先填写评估打分表（评分为空）", stageName(p.Stage))
			}
			return nil
		}},
	{Key: "approval", Label: "过程管理、后道服务须经管理者审批通过（非一票否决）", Field: "approval",
		Stages: atOrPast(StageProcess),
		Check: func(p *Project, _ bool) error {
			switch {
			case p.Approval == nil:
				return fmt.Errorf("%s须经管理者审批通过（尚无审批记录）", stageName(p.Stage))
			case p.Approval.Veto != "":
				return fmt.Errorf("该项目已被一票否决（%s），不能进入%s", p.Approval.Veto, stageName(p.Stage))
			case !p.Approval.Approved:
				return fmt.Errorf("评估决策审批未通过，不能进入%s", stageName(p.Stage))
			}
			return nil
		}},
	{Key: "signed", Label: "过程管理、后道服务须有签约日期", Field: "milestones",
		Stages: atOrPast(StageProcess),
		Check: func(p *Project, _ bool) error {
			if p.Milestones.Signed.IsZero() {
				return fmt.Errorf("%s须先填写签约日期", stageName(p.Stage))
			}
			return nil
		}},
	{Key: "credit_code", Label: "后道服务须有落地企业的有效统一社会信用代码", Field: "credit_code",
		Stages: atOrPast(StageAftercare),
		Check: func(p *Project, _ bool) error {
			if p.CreditCode == "" {
				return errors.New("后道服务须先填写落地企业的统一社会信用代码")
			}
			if !cells.ValidCreditCode(p.CreditCode) {
				return fmt.Errorf("统一社会信用代码 %s 无效（校验位不符）", p.CreditCode)
			}
			return nil
		}},
}

// unmet runs the gates of p.Stage, except those skip names, and returns
// every failure as one *GateError; nil when all hold.
func unmet(p *Project, entering bool, skip func(Gate) bool) error {
	var first *Gate
	var msgs []string
	for i, g := range Gates {
		if !slices.Contains(g.Stages, p.Stage) || skip(g) {
			continue
		}
		if err := g.Check(p, entering); err != nil {
			if first == nil {
				first = &Gates[i]
			}
			msgs = append(msgs, err.Error())
		}
	}
	if first == nil {
		return nil
	}
	return &GateError{Gate: first.Key, Field: first.Field, Message: strings.Join(msgs, "；")}
}

// off skips the gates switched off in the settings.
func off(disabled []string) func(Gate) bool {
	return func(g Gate) bool { return slices.Contains(disabled, g.Key) }
}

// CheckState reports whether a change that is not a move (an edit, a score
// sheet, a decision, an import update) may turn before into after: it may
// not break a condition of the stage that held before. A record that
// already failed one (stored before the rule) can still be edited. The
// error is a *core.FieldError naming the input that would break it.
func CheckState(before, after *Project, disabled []string) error {
	skip := func(g Gate) bool {
		return slices.Contains(disabled, g.Key) ||
			(before != nil && before.Stage == after.Stage && g.Check(before, false) != nil)
	}
	ge, ok := AsGateError(unmet(after, false, skip))
	if !ok {
		return nil
	}
	return core.Invalid(ge.Field, "项目处于%s阶段，此修改不可保存：%s", stageName(after.Stage), ge.Message)
}

// Holds reports whether p meets every enabled condition of its stage (the
// invariant every path keeps).
func Holds(p *Project, disabled []string) error { return unmet(p, false, off(disabled)) }

// Move is a request to move a project to another stage.
type Move struct {
	To      string
	Version int64
	Note    string
	// Disabled lists gate keys switched off in the settings.
	Disabled []string
}

func stageName(s string) string {
	names := map[string]string{StageSearch: "资源搜索", StagePush: "资源推送", StageAttract: "资源招引",
		StageDecision: "评估决策", StageProcess: "过程管理", StageAftercare: "后道服务", StagePaused: "暂缓", StageDropped: "终止"}
	if n, ok := names[s]; ok {
		return n
	}
	return s
}

// CheckMove runs the gates for moving p to m.To without writing anything.
func CheckMove(p *Project, m Move) error {
	if !ValidStage(m.To) {
		return core.Invalid("to", "未知阶段 %q", m.To)
	}
	if m.To == p.Stage {
		return &GateError{Gate: "same", Message: "项目已在" + stageName(m.To) + "阶段"}
	}
	if p.Stage == StageDropped && m.To != StagePaused {
		// A dropped project is closed; reopening goes through 暂缓 with a reason.
		return &GateError{Gate: "dropped", Message: "已终止的项目只能先转为暂缓（须填写原因）再恢复"}
	}
	if utf8.RuneCountInString(m.Note) > 2000 {
		return core.Invalid("note", "备注最多 2000 字")
	}
	cp := *p
	cp.History = nil // the gates read the state, not the history
	applyMove(&cp, m, "", time.Time{})
	return unmet(&cp, true, off(m.Disabled))
}

// applyMove changes p in memory: stage, history entry, time in stage.
func applyMove(p *Project, m Move, by string, at time.Time) {
	p.History = append(p.History, StageChange{From: p.Stage, To: m.To, By: by, At: at, Note: strings.TrimSpace(m.Note)})
	if m.To == StagePaused || m.To == StageDropped {
		p.Reason = strings.TrimSpace(m.Note)
	} else {
		p.Reason = ""
	}
	p.Stage, p.StageSince = m.To, at
}

// MoveStage moves a project the scope may change, guarded by version and
// the gates. Errors: ErrForbidden, ErrNotFound, ErrConflict, *GateError,
// *core.FieldError.
func (s *Service) MoveStage(ctx context.Context, a core.Actor, scope core.Scope, id string, m Move) (*Project, error) {
	p, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if m.Version != 0 && m.Version != p.Version {
		return nil, fmt.Errorf("projects: move %s: %w", id, core.ErrConflict)
	}
	if err := CheckMove(p, m); err != nil {
		return nil, err
	}
	before := *p
	before.History = slices.Clone(p.History)
	applyMove(p, m, a.User, time.Now().UTC().Truncate(time.Millisecond))
	if err := s.Repo.Update(ctx, a, p, &before); err != nil {
		return nil, fmt.Errorf("projects: move %s to %s: %w", id, m.To, err)
	}
	return p, nil
}
