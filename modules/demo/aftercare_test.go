package demo

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

func TestServiceRequestsAreDeterministicAndValid(t *testing.T) {
	var ps []*projects.Project
	for i, st := range []string{"process", "aftercare", "attract", "aftercare", "process", "dropped"} {
		for k := 0; k < 10; k++ {
			p := &projects.Project{Name: fmt.Sprintf("项目%d-%d", i, k), Stage: st, Unit: "kfq", Officer: "kfq_li"}
			p.ID = fmt.Sprintf("p-%06d", i*10+k+1)
			ps = append(ps, p)
		}
	}
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, core.Zone())
	a, b := serviceRequests(ps, now), serviceRequests(ps, now)
	if !reflect.DeepEqual(a, b) || len(a) == 0 {
		t.Fatalf("Demo not deterministic or empty (%d)", len(a))
	}
	overdue := 0
	for _, r := range a {
		if r.ProjectID >= "p-000021" && r.ProjectID <= "p-000030" || r.ProjectID > "p-000050" {
			t.Fatalf("request on a project that has not landed: %s", r.ProjectID)
		}
		in := aftercare.InputOf(r)
		if err := in.Validate(); err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		if r.Overdue(now) {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("the demo has no overdue (督办) request")
	}
}
