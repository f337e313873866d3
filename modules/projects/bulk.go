package projects

import (
	"context"
	"errors"
	"slices"
	"strings"

	"zhaoshang/modules/core"
)

// BulkRequest moves or assigns many projects; each item gets its own result.
type BulkRequest struct {
	IDs     []string `json:"ids"`
	Action  string   `json:"action"` // "move" or "assign"
	To      string   `json:"to"`
	Officer string   `json:"officer"`
	Note    string   `json:"note"`
}

// BulkResult is the outcome for one project.
type BulkResult struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	Version int64  `json:"version,omitempty"`
}

// MaxBulk bounds one bulk action.
const MaxBulk = 500

// Bulk runs the action on every id through the same rules as single moves
// (MoveStage) and edits; a failure on one item does not stop the others.
func (s *Service) Bulk(ctx context.Context, a core.Actor, scope core.Scope, req BulkRequest, disabledGates []string) ([]BulkResult, error) {
	ids := slices.Compact(slices.Sorted(slices.Values(req.IDs)))
	switch {
	case len(ids) == 0:
		return nil, core.Invalid("ids", "请至少选择一个项目")
	case len(ids) > MaxBulk:
		return nil, core.Invalid("ids", "一次最多处理 %d 个项目", MaxBulk)
	case req.Action == "move" && !ValidStage(req.To):
		return nil, core.Invalid("to", "未知阶段 %q", req.To)
	case req.Action == "assign" && strings.TrimSpace(req.Officer) == "":
		return nil, core.Invalid("officer", "请填写负责人")
	case req.Action != "move" && req.Action != "assign":
		return nil, core.Invalid("action", "未知操作 %q（move 或 assign）", req.Action)
	}
	out := make([]BulkResult, 0, len(ids))
	for _, id := range ids {
		r := BulkResult{ID: id}
		var p *Project
		var err error
		if req.Action == "move" {
			p, err = s.MoveStage(ctx, a, scope, id, Move{To: req.To, Note: req.Note, Disabled: disabledGates})
		} else {
			officer := strings.TrimSpace(req.Officer)
			p, err = s.mutate(ctx, a, scope, id, func(p *Project) error {
				if err := s.checkOfficer(ctx, p, officer); err != nil {
					return err
				}
				p.Officer = officer
				return nil
			})
		}
		if err != nil {
			r.Error = bulkMessage(err)
		} else {
			r.OK, r.Name, r.Version = true, p.Name, p.Version
		}
		out = append(out, r)
	}
	return out, nil
}

func bulkMessage(err error) string {
	if ge, ok := AsGateError(err); ok {
		return ge.Message
	}
	if fe, ok := core.AsFieldError(err); ok {
		return fe.Message
	}
	switch {
	case errors.Is(err, core.ErrNotFound):
		return "项目不存在"
	case errors.Is(err, core.ErrForbidden):
		return "无权操作该项目"
	case errors.Is(err, core.ErrConflict):
		return "项目刚被他人修改，请重试"
	}
	return "处理失败：" + err.Error()
}
