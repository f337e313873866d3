package projects

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"zhaoshang/modules/core"
)

type walkVocab struct{}

func (walkVocab) ProjectCatalog(context.Context) (Catalog, error) { return Catalog{}, nil }
func (walkVocab) HasUnit(id string) bool                          { return id == "u1" }

// TestRandomWalkKeepsStageConditions drives projects through 10,000 random
// operations of every kind a path can perform — moves (page, board, bulk,
// API and import all call CheckMove/applyMove), edits of the gated fields,
// score sheets, decisions, withdrawals, import creates and updates — with
// the real rule functions, and checks after each that no project sits in a
// stage whose conditions fail.
func TestRandomWalkKeepsStageConditions(t *testing.T) {
	for _, disabled := range [][]string{nil, {"approval"}, {"assessment", "signed"}} {
		walk(t, 10000, disabled)
	}
}

func walk(t *testing.T, steps int, disabled []string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(14, uint64(len(disabled))))
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	cat := Catalog{DisabledGates: disabled}
	signed := core.NewDate(2025, 2, 1)
	codes := []string{"", "91320583MA1MXXXX05", "91320583MA1MXXXX0Y"}
	newInput := func(stage string) Input {
		in := Input{Type: TypeIndustry, Name: "项目", Unit: "u1", Stage: stage, CreditCode: codes[rng.IntN(2)]}
		if rng.IntN(2) == 0 {
			in.Milestones.Signed = signed
		}
		return in
	}
	var ps []*Project
	for range 12 {
		in := newInput(StageSearch)
		in.CreditCode = ""
		p, err := ImportCreate(in, cat, walkVocab{}, core.AllUnits, ImportRun{By: "o", At: at})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	counts := map[string]int{}
	reached := map[string]bool{}
	for step := range steps {
		at = at.Add(time.Minute)
		i := rng.IntN(len(ps))
		p := ps[i]
		before := *p
		target := Stages[rng.IntN(len(Stages))]
		note := []string{"", "原因"}[rng.IntN(2)]
		var op string
		var err error
		switch rng.IntN(9) {
		case 0, 1, 2:
			op = "move"
			m := Move{To: target, Note: note, Disabled: disabled}
			if err = CheckMove(p, m); err == nil {
				applyMove(p, m, "o", at)
			}
		case 3:
			op = "edit"
			cp := *p
			switch rng.IntN(3) {
			case 0:
				cp.Milestones.Signed = []core.Date{{}, signed}[rng.IntN(2)]
			case 1:
				cp.CreditCode = codes[rng.IntN(len(codes))]
			default:
				cp.Summary = "改"
			}
			if err = CheckState(p, &cp, disabled); err == nil {
				*p = cp
			}
		case 4:
			op = "score"
			cp := *p
			if err = scoreOn(&cp, "o", at, []ScoreItem{{Criterion: "技术", Score: float64(rng.IntN(3)) * 10, Max: 20}}); err == nil {
				if err = CheckState(p, &cp, disabled); err == nil {
					*p = cp
				}
			}
		case 5:
			op = "decide"
			cp := *p
			veto := []string{"", "能耗"}[rng.IntN(2)]
			if err = decideOn(&cp, "m", at, rng.IntN(2) == 0, veto, "意见"); err == nil {
				if err = CheckState(p, &cp, disabled); err == nil {
					*p = cp
				}
			}
		case 6:
			op = "withdraw"
			cp := *p
			if err = withdrawOn(&cp, "m", at, ""); err == nil {
				if err = CheckState(p, &cp, disabled); err == nil {
					*p = cp
				}
			}
		case 7:
			op = "import-update"
			in := InputOf(p)
			in.Stage = target
			if rng.IntN(3) == 0 {
				in.Milestones.Signed = core.Date{}
			}
			run := ImportRun{By: "o", At: at, Note: note, Manager: rng.IntN(2) == 0, Batch: "imp-1"}
			var np *Project
			if np, _, err = ImportUpdate(p, in, cat, walkVocab{}, core.AllUnits, run); err == nil {
				*p = *np
			}
		default:
			op = "import-create"
			run := ImportRun{By: "o", At: at, Note: note, Manager: rng.IntN(2) == 0, Batch: "imp-1"}
			var np *Project
			if np, err = ImportCreate(newInput(target), cat, walkVocab{}, core.AllUnits, run); err == nil {
				ps[i] = np
				p = np
			}
		}
		if errors.Is(err, errUnchanged) {
			err = nil
		}
		var nm *NeedsManager
		_, gate := AsGateError(err)
		_, field := core.AsFieldError(err)
		switch {
		case err == nil:
			counts[op+" ok"]++
		case gate || field || errors.As(err, &nm):
			counts[op+" refused"]++
		default:
			t.Fatalf("step %d %s: unexpected error %v", step, op, err)
		}
		if err := Holds(p, disabled); err != nil && Holds(&before, disabled) == nil {
			t.Fatalf("step %d: %s to %s (from %s, %+v) left the project where a condition fails: %v", step, op, target, before.Stage, before.Approval, err)
		}
		if err := Holds(p, disabled); err != nil {
			t.Fatalf("step %d: %s: project in %s fails: %v", step, op, p.Stage, err)
		}
		reached[p.Stage] = true
	}
	for _, s := range Stages {
		if !reached[s] {
			t.Errorf("disabled %v: the walk never reached %s (counts %v)", disabled, s, counts)
		}
	}
	t.Logf("disabled %v: %v", disabled, counts)
}
