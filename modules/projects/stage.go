package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/importers/cells"
	"zhaoshang/modules/core"
)

// Gate is one stage rule: when a move matches Applies, Check must pass.
// The table below is the only place stage rules live; the kanban, bulk
// actions, the API and the importer all call MoveStage, which runs it.
type Gate struct {
	Key     string
	Label   string // what the rule asks for, shown to admins configuring gates
	Applies func(from, to string) bool
	Check   func(p *Project, m Move) error
}

// GateError is a blocked move; its message names the unmet condition.
type GateError struct {
	Gate    string
	Message string
}

func (e *GateError) Error() string { return e.Message }

// AsGateError unwraps a *GateError.
func AsGateError(err error) (*GateError, bool) {
	var ge *GateError
	ok := errors.As(err, &ge)
	return ge, ok
}

func into(stages ...string) func(from, to string) bool {
	return func(_, to string) bool { return slices.Contains(stages, to) }
}

// Gates are the default stage rules, in the order they are checked.
var Gates = []Gate{
	{Key: "reason", Label: "暂缓、终止须填写原因",
		Applies: into(StagePaused, StageDropped),
		Check: func(p *Project, m Move) error {
			if strings.TrimSpace(m.Note) == "" {
				return fmt.Errorf("转入%s须填写原因", stageName(m.To))
			}
			return nil
		}},
	{Key: "assessment", Label: "进入评估决策须有评估打分表",
		Applies: into(StageDecision),
		Check: func(p *Project, _ Move) error {
			if p.Score <= 0 {
				return errors.New("进入评估决策前须先填写评估打分表（评分为空）")
			}
			return nil
		}},
	{Key: "approval", Label: "离开评估决策须经管理者审批，或记录一票否决原因",
		Applies: func(from, to string) bool {
			return from == StageDecision && (to == StageProcess || to == StageAftercare)
		},
		Check: func(p *Project, _ Move) error {
			switch {
			case p.Approval == nil:
				return errors.New("离开评估决策须经管理者审批通过（尚无审批记录）")
			case p.Approval.Veto != "":
				return fmt.Errorf("该项目已被一票否决（%s），只能终止或暂缓", p.Approval.Veto)
			case !p.Approval.Approved:
				return errors.New("评估决策审批未通过")
			}
			return nil
		}},
	{Key: "signed", Label: "进入过程管理须有签约日期",
		Applies: into(StageProcess),
		Check: func(p *Project, _ Move) error {
			if p.Milestones.Signed.IsZero() {
				return errors.New("进入过程管理须先填写签约日期")
			}
			return nil
		}},
	{Key: "credit_code", Label: "进入后道服务须有落地企业的有效统一社会信用代码",
		Applies: into(StageAftercare),
		Check: func(p *Project, _ Move) error {
			if p.CreditCode == "" {
				return errors.New("进入后道服务须先填写落地企业的统一社会信用代码")
			}
			if !cells.ValidCreditCode(p.CreditCode) {
				return fmt.Errorf("统一社会信用代码 %s 无效（校验位不符）", p.CreditCode)
			}
			return nil
		}},
}

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
	for _, g := range Gates {
		if slices.Contains(m.Disabled, g.Key) || !g.Applies(p.Stage, m.To) {
			continue
		}
		if err := g.Check(p, m); err != nil {
			return &GateError{Gate: g.Key, Message: err.Error()}
		}
	}
	return nil
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
