package demo

import (
	"testing"

	"zhaoshang/modules/projects"
)

// TestProjectsMeetTheirStageConditions: every demo project sits in a stage
// whose conditions hold (score sheet from 评估决策 on, an approval and a
// signing date from 过程管理 on, a valid credit code in 后道服务, a reason
// when paused or dropped, no standing veto outside 评估决策/暂缓/终止), and
// its decision record agrees with its current decision.
func TestProjectsMeetTheirStageConditions(t *testing.T) {
	ds, err := Generate(1)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]int{}
	for _, p := range ds.Projects {
		if err := projects.Holds(p, nil); err != nil {
			ge, _ := projects.AsGateError(err)
			bad[p.Stage+"/"+ge.Gate]++
			if bad[p.Stage+"/"+ge.Gate] == 1 {
				t.Errorf("%s (%s): %v", p.ID, p.Stage, err)
			}
		}
		if p.Approval != nil && (len(p.Decisions) == 0 || p.Decisions[len(p.Decisions)-1].At != p.Approval.At) {
			t.Errorf("%s: approval %+v without its decision record entry %+v", p.ID, p.Approval, p.Decisions)
		}
	}
	if len(bad) > 0 {
		t.Errorf("projects failing their stage: %v", bad)
	}
}

// A scored demo project has its score sheet: the page shows the scores the
// total is made of, and saving the sheet as shown keeps the total.
func TestScoreSheetsAddUp(t *testing.T) {
	for _, score := range []float64{40, 55.5, 70, 94, 97.5, 98} {
		sheet := scoreSheet(score)
		total := 0.0
		for i, it := range sheet {
			if it.Score < 0 || it.Score > it.Max || it.Criterion != projects.DefaultCriteria[i].Criterion {
				t.Errorf("%v: item %+v", score, it)
			}
			total += it.Score
		}
		if total != score {
			t.Errorf("sheet for %v adds up to %v: %+v", score, total, sheet)
		}
	}
}
