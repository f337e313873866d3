package projects

import (
	"testing"
	"time"

	"zhaoshang/modules/core"
)

func TestCheckMove(t *testing.T) {
	signed, _ := core.ParseDate("2024-03-05")
	approved := &Approval{By: "mgr", Approved: true}
	vetoed := &Approval{By: "mgr", Veto: "能耗"}
	cases := []struct {
		name     string
		p        Project
		m        Move
		wantGate string // "" = allowed
		wantErr  bool   // a field error (bad input) rather than a gate
	}{
		{"forward search→push", Project{Stage: StageSearch}, Move{To: StagePush}, "", false},
		{"backward attract→push", Project{Stage: StageAttract}, Move{To: StagePush}, "", false},
		{"unknown stage", Project{Stage: StageSearch}, Move{To: "nowhere"}, "", true},
		{"same stage", Project{Stage: StagePush}, Move{To: StagePush}, "same", false},
		{"pause without reason", Project{Stage: StageAttract}, Move{To: StagePaused}, "reason", false},
		{"pause with blank reason", Project{Stage: StageAttract}, Move{To: StagePaused, Note: "  "}, "reason", false},
		{"pause with reason", Project{Stage: StageAttract}, Move{To: StagePaused, Note: "企业融资推迟"}, "", false},
		{"drop without reason", Project{Stage: StagePush}, Move{To: StageDropped}, "reason", false},
		{"decision without score", Project{Stage: StageAttract}, Move{To: StageDecision}, "assessment", false},
		{"decision with score", Project{Stage: StageAttract, Score: 82}, Move{To: StageDecision}, "", false},
		{"leave decision unapproved", Project{Stage: StageDecision, Score: 82, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "approval", false},
		{"leave decision vetoed", Project{Stage: StageDecision, Score: 82, Approval: vetoed, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "veto", false},
		{"vetoed may be dropped", Project{Stage: StageDecision, Score: 82, Approval: vetoed}, Move{To: StageDropped, Note: "一票否决：能耗"}, "", false},
		{"vetoed may be paused", Project{Stage: StageDecision, Score: 82, Approval: vetoed}, Move{To: StagePaused, Note: "待整改"}, "", false},
		{"vetoed may not go back", Project{Stage: StageDecision, Score: 82, Approval: vetoed}, Move{To: StageAttract}, "veto", false},
		{"vetoed paused may not resume", Project{Stage: StagePaused, Score: 82, Approval: vetoed, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "veto", false},
		{"vetoed paused may not re-enter decision", Project{Stage: StagePaused, Score: 82, Approval: vetoed}, Move{To: StageDecision}, "veto", false},
		{"vetoed via attract to process", Project{Stage: StageAttract, Score: 82, Approval: vetoed, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "veto", false},
		{"rejected may go back", Project{Stage: StageDecision, Score: 60, Approval: &Approval{By: "mgr", Note: "材料不全"}}, Move{To: StageAttract}, "", false},
		{"rejected may not go on", Project{Stage: StageDecision, Score: 60, Approval: &Approval{By: "mgr", Note: "材料不全"}, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "approval", false},
		{"approved but unsigned", Project{Stage: StageDecision, Score: 82, Approval: approved}, Move{To: StageProcess}, "signed", false},
		{"approved and signed", Project{Stage: StageDecision, Score: 82, Approval: approved, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "", false},
		{"attract straight to process", Project{Stage: StageAttract, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "assessment", false},
		{"search straight to process", Project{Stage: StageSearch}, Move{To: StageProcess}, "assessment", false},
		{"search with code straight to aftercare", Project{Stage: StageSearch, CreditCode: "91320583MA1MXXXX05"}, Move{To: StageAftercare}, "assessment", false},
		{"paused straight to process", Project{Stage: StagePaused, Reason: "x"}, Move{To: StageProcess}, "assessment", false},
		{"approved attract back to process", Project{Stage: StageAttract, Score: 82, Approval: approved, Milestones: Milestones{Signed: signed}}, Move{To: StageProcess}, "", false},
		{"aftercare without code", Project{Stage: StageProcess, Score: 82, Approval: approved, Milestones: Milestones{Signed: signed}}, Move{To: StageAftercare}, "credit_code", false},
		{"aftercare bad code", Project{Stage: StageProcess, Score: 82, Approval: approved, Milestones: Milestones{Signed: signed}, CreditCode: "91320583MA1MXXXX0Y"}, Move{To: StageAftercare}, "credit_code", false},
		{"aftercare valid code", Project{Stage: StageProcess, Score: 82, Approval: approved, Milestones: Milestones{Signed: signed}, CreditCode: "91320583MA1MXXXX05"}, Move{To: StageAftercare}, "", false},
		{"aftercare external approval", Project{Stage: StageAttract, Approval: &Approval{By: "mgr", Approved: true, Batch: "imp-1"}, Milestones: Milestones{Signed: signed}, CreditCode: "91320583MA1MXXXX05"}, Move{To: StageAftercare}, "", false},
		{"resume paused", Project{Stage: StagePaused}, Move{To: StageAttract}, "", false},
		{"dropped cannot jump back", Project{Stage: StageDropped}, Move{To: StageAttract}, "dropped", false},
		{"dropped to paused with reason", Project{Stage: StageDropped}, Move{To: StagePaused, Note: "企业重新接洽"}, "", false},
		{"disabled gates", Project{Stage: StageAttract}, Move{To: StageProcess, Disabled: []string{"assessment", "approval", "signed"}}, "", false},
		{"disabled gate", Project{Stage: StageAttract}, Move{To: StageDecision, Disabled: []string{"assessment"}}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckMove(&c.p, c.m)
			ge, isGate := AsGateError(err)
			switch {
			case c.wantErr:
				if err == nil || isGate {
					t.Fatalf("want a field error, got %v", err)
				}
			case c.wantGate == "":
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
			default:
				if !isGate || ge.Gate != c.wantGate {
					t.Fatalf("want gate %s, got %v", c.wantGate, err)
				}
				if ge.Message == "" {
					t.Fatal("gate error without message")
				}
			}
		})
	}
}

func TestApplyMoveRecordsHistory(t *testing.T) {
	p := &Project{Stage: StageAttract}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	applyMove(p, Move{To: StagePaused, Note: " 资金未到位 "}, "kfq_li", at)
	if p.Stage != StagePaused || p.Reason != "资金未到位" || !p.StageSince.Equal(at) {
		t.Fatalf("after pause: %+v", p)
	}
	applyMove(p, Move{To: StageAttract}, "kfq_li", at.Add(time.Hour))
	if p.Reason != "" || len(p.History) != 2 || p.History[1].From != StagePaused || p.History[1].By != "kfq_li" {
		t.Fatalf("after resume: %+v", p.History)
	}
}
