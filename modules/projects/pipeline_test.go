package projects_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/users"
)

type env struct {
	a                         *testapp.App
	admin, officer, other, mg *testapp.Client
}

func setup(t *testing.T) env {
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"kfq_li", users.RoleOfficer, "kfq"}, {"gxq_wu", users.RoleOfficer, "gxq"}, {"kjj_boss", users.RoleManager, "kjj"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	return env{a: a, admin: a.Admin(t), officer: a.Client(t).Login("kfq_li", "Test-2025x"),
		other: a.Client(t).Login("gxq_wu", "Test-2025x"), mg: a.Client(t).Login("kjj_boss", "Test-2025x")}
}

func create(t *testing.T, c *testapp.Client, body map[string]any) map[string]any {
	t.Helper()
	st, out := c.Do("POST", "/api/v1/projects", body, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, out)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(out), &m)
	return m
}

func TestPipelineAPI(t *testing.T) {
	e := setup(t)
	p := create(t, e.officer, map[string]any{"type": "industry", "name": "开发区新能源电池项目", "industry": "新能源",
		"zone": "昆山开发区", "unit": "kfq", "investment": 12000, "contacts": []map[string]string{{"name": "张三", "phone": "138-1234-5678"}}})
	id := p["id"].(string)
	if p["version"].(float64) != 1 || p["stage"] != "search" || p["officer"] != "kfq_li" {
		t.Fatalf("created: %v", p)
	}
	v := func() int64 {
		_, out := e.admin.Do("GET", "/api/v1/projects/"+id, nil, nil)
		var m map[string]any
		_ = json.Unmarshal([]byte(out), &m)
		return int64(m["version"].(float64))
	}
	stage := func(to, note string) func() any {
		return func() any { return map[string]any{"to": to, "version": v(), "note": note} }
	}
	withV := func(m map[string]any) func() any {
		return func() any { m["version"] = v(); return m }
	}
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "phone normalised", As: e.officer, URL: "/api/v1/projects/" + id, Status: 200, Expect: []string{`"phone":"13812345678"`}},
		{Name: "negative amount", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "kfq", "investment": -1}, Status: 422, Expect: []string{`"field":"investment"`}},
		{Name: "unknown industry", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "kfq", "industry": "造船"}, Status: 422, Expect: []string{`"field":"industry"`}},
		{Name: "other unit create", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "gxq"}, Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "bad credit code", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "kfq", "credit_code": "91320583MA1MXXXX0Y"}, Status: 422, Expect: []string{`"field":"credit_code"`}},
		{Name: "bad contact phone", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "kfq",
			"contacts": []map[string]string{{"name": "李四", "phone": "1391234"}}}, Status: 422, Expect: []string{`"field":"contacts"`, "李四", "1391234"}},
		{Name: "bad date", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: map[string]any{"type": "industry", "name": "x", "unit": "kfq", "next_due": "2024-02-30"}, Status: 400},
		{Name: "operator in field", As: e.officer, Method: "POST", URL: "/api/v1/projects", Body: `{"type":"industry","name":{"$ne":""},"unit":"kfq"}`, Status: 400, Expect: []string{`"field":"name"`}},
		{Name: "other officer cannot read", As: e.other, URL: "/api/v1/projects/" + id, Status: 403},
		{Name: "other officer cannot move", As: e.other, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: map[string]any{"to": "push", "version": 1}, Status: 403},
		{Name: "unknown stage", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: map[string]any{"to": "moon", "version": 1}, Status: 422, Expect: []string{`"field":"to"`}},
		{Name: "move to push", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: map[string]any{"to": "push", "version": 1, "note": "推送开发区"}, Status: 200, Expect: []string{`"stage":"push"`, `"version":2`}},
		{Name: "stale version move 409", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: map[string]any{"to": "attract", "version": 1}, Status: 409, Expect: []string{`"code":"conflict"`}},
		{Name: "decision without score 422", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: stage("decision", ""), Status: 422, Expect: []string{`"gate":"assessment"`, "评估打分表"}},
		{Name: "pause without reason 422", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: stage("paused", ""), Status: 422, Expect: []string{`"gate":"reason"`}},
		{Name: "score sheet", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/assessment", Body: withV(map[string]any{"items": []map[string]any{{"criterion": "技术先进性", "score": 20, "max": 25}, {"criterion": "落地可行性", "score": 12, "max": 15}}}), Status: 200, Expect: []string{`"score":32`}},
		{Name: "score above max", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/assessment", Body: withV(map[string]any{"items": []map[string]any{{"criterion": "x", "score": 30, "max": 25}}}), Status: 422},
		{Name: "to decision", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: stage("decision", "提交评审会"), Status: 200, Expect: []string{`"stage":"decision"`}},
		{Name: "waiting for approval", As: e.mg, URL: "/api/v1/projects?stage=decision&approval=pending", Status: 200, Expect: []string{`"total":1`}},
		{Name: "bad approval filter", As: e.mg, URL: "/api/v1/projects?approval=maybe", Status: 400, Expect: []string{`"field":"approval"`}},
		{Name: "leave decision unapproved", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: stage("process", ""), Status: 422, Expect: []string{`"gate":"approval"`}},
		{Name: "officer cannot approve", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/decision", Body: withV(map[string]any{"approved": true}), Status: 403},
		{Name: "manager approves", As: e.mg, Method: "POST", URL: "/api/v1/projects/" + id + "/decision", Body: withV(map[string]any{"approved": true, "note": "同意"}), Status: 200, Expect: []string{`"approved":true`}},
		{Name: "no longer waiting", As: e.mg, URL: "/api/v1/projects?stage=decision&approval=pending", Status: 200, Expect: []string{`"total":0`}},
		{Name: "process needs signing date", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/stage", Body: stage("process", ""), Status: 422, Expect: []string{`"gate":"signed"`}},
		{Name: "follow-up", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/followups", Body: map[string]any{"kind": "走访", "text": "实地走访企业", "next_action": "准备签约", "next_due": "2025年3月5日"}, Status: 201, Expect: []string{"实地走访企业", `"next_due":"2025-03-05"`}},
		{Name: "empty follow-up", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/followups", Body: map[string]any{"text": " "}, Status: 422},
		{Name: "officer cannot instruct", As: e.officer, Method: "POST", URL: "/api/v1/projects/" + id + "/instructions", Body: map[string]any{"text": "x"}, Status: 403},
		{Name: "manager instructs", As: e.mg, Method: "POST", URL: "/api/v1/projects/" + id + "/instructions", Body: map[string]any{"text": "本周内完成签约"}, Status: 201, Expect: []string{`"instructions":[`, "本周内完成签约"}},
		{Name: "officer sees 批示 on page", As: e.officer, URL: "/projects/" + id, Status: 200, Expect: []string{"领导批示", "本周内完成签约", "实地走访企业"}},
		{Name: "history oldest first", As: e.officer, URL: "/api/v1/projects/" + id + "/history", Status: 200, Expect: []string{`"to":"search"`, `"from":"search","to":"push"`, `"from":"push","to":"decision"`}},
		{Name: "list filter stage", As: e.officer, URL: "/api/v1/projects?stage=decision", Status: 200, Expect: []string{`"total":1`}},
		{Name: "list other officer empty", As: e.other, URL: "/api/v1/projects", Status: 200, Expect: []string{`"total":0`}},
		{Name: "delete needs manager", As: e.officer, Method: "DELETE", URL: "/api/v1/projects/" + id + "?version=1", Status: 403},
		{Name: "board api", As: e.officer, URL: "/api/v1/projects/board", Status: 200, Expect: []string{`"stage":"decision","count":1,"investment":12000`}},
	})
}

// Two people edit the same project: the second save gets 409 with the
// changed fields, and nothing is lost.
func TestUpdateConflict(t *testing.T) {
	e := setup(t)
	p := create(t, e.officer, map[string]any{"type": "talent", "name": "甲团队", "unit": "kfq", "investment": 500})
	id := p["id"].(string)
	body := func(name string, inv float64, version int) map[string]any {
		return map[string]any{"type": "talent", "name": name, "unit": "kfq", "investment": inv, "version": version}
	}
	if st, out := e.officer.Do("PUT", "/api/v1/projects/"+id, body("甲团队（改名）", 500, 1), nil); st != 200 {
		t.Fatalf("first save: %d %s", st, out)
	}
	st, out := e.mg.Do("PUT", "/api/v1/projects/"+id, body("甲团队", 800, 1), nil)
	if st != 409 || !strings.Contains(out, `"label":"项目名称"`) || !strings.Contains(out, `"current_version":2`) {
		t.Fatalf("stale save: %d %s", st, out)
	}
	_, cur := e.admin.Do("GET", "/api/v1/projects/"+id, nil, nil)
	if !strings.Contains(cur, "甲团队（改名）") || !strings.Contains(cur, `"investment":500`) {
		t.Fatalf("stored after conflict: %s", cur)
	}
	if st, out := e.officer.Do("PUT", "/api/v1/projects/"+id, map[string]any{"type": "talent", "name": "x", "unit": "kfq"}, nil); st != 400 || !strings.Contains(out, "version") {
		t.Fatalf("missing version: %d %s", st, out)
	}
}

func TestBulkPerItemResults(t *testing.T) {
	e := setup(t)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, create(t, e.officer, map[string]any{"type": "industry", "name": fmt.Sprintf("批量项目%d", i), "unit": "kfq"})["id"].(string))
	}
	foreign := create(t, e.other, map[string]any{"type": "industry", "name": "高新区项目", "unit": "gxq"})["id"].(string)
	st, out := e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"ids": append(ids, foreign, "nope"), "action": "move", "to": "push"}, nil)
	if st != 200 {
		t.Fatalf("bulk: %d %s", st, out)
	}
	var res struct {
		Results []struct {
			ID    string `json:"id"`
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		} `json:"results"`
	}
	_ = json.Unmarshal([]byte(out), &res)
	ok := 0
	for _, r := range res.Results {
		if r.OK {
			ok++
		} else if r.ID == foreign && !strings.Contains(r.Error, "无权") {
			t.Errorf("foreign item error: %q", r.Error)
		}
	}
	if ok != 3 || len(res.Results) != 5 {
		t.Fatalf("bulk results: %s", out)
	}
	// A gate failure is per item too: pausing needs a reason.
	_, out = e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"ids": ids, "action": "move", "to": "paused"}, nil)
	if strings.Count(out, `"ok":false`) != 3 || !strings.Contains(out, "原因") {
		t.Fatalf("bulk pause without reason: %s", out)
	}
	if st, _ := e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"ids": []string{}, "action": "move", "to": "push"}, nil); st != 422 {
		t.Fatalf("empty bulk: %d", st)
	}
	if _, err := e.a.P.Users.EnsureUser(context.Background(), "kfq_wang", "王", "officer", []string{"kfq"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	st, out = e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"ids": ids[:1], "action": "assign", "officer": "kfq_wang"}, nil)
	if st != 200 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("assign: %d %s", st, out)
	}
}
