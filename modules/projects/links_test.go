package projects_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/resources"
)

// TestLinksStayInScope: every id a user submits (links to resources, the
// source event, the 负责人) must exist and be visible to them; a link set
// before stays savable.
func TestLinksStayInScope(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	sys := core.Actor{User: "system"}
	for _, x := range []struct{ id, unit string }{{"ent-kfq", "kfq"}, {"ent-gxq", "gxq"}} {
		if err := e.a.P.Records.Enterprises.Create(ctx, sys, &resources.Enterprise{Meta: core.Meta{ID: x.id}, Name: "企业" + x.id, CreditCode: "CC-" + x.id, Unit: x.unit}); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, x := range []struct{ id, unit string }{{"ev-kfq", "kfq"}, {"ev-gxq", "gxq"}} {
		if err := e.a.P.Records.Events.Create(ctx, sys, &events.Event{Meta: core.Meta{ID: x.id}, Title: "活动" + x.id, Type: "论坛", Date: core.DateOf(day), Unit: x.unit}); err != nil {
			t.Fatal(err)
		}
	}
	body := func(extra map[string]any) map[string]any {
		b := map[string]any{"type": "industry", "name": fmt.Sprintf("关联测试%d", len(extra)), "unit": "kfq"}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "own unit's enterprise and event", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"enterprise_id": "ent-kfq", "source_event": "ev-kfq", "officer": "kfq_li"}), Status: 201,
			Expect: []string{`"enterprise_id":"ent-kfq"`, `"source_event":"ev-kfq"`}},
		{Name: "another unit's enterprise", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"enterprise_id": "ent-gxq"}), Status: 422, Expect: []string{`"field":"enterprise_id"`, "属于其他单位"}},
		{Name: "another unit's event", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"source_event": "ev-gxq"}), Status: 422, Expect: []string{`"field":"source_event"`}},
		{Name: "a script as enterprise id", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"enterprise_id": "javascript:alert(3)"}), Status: 422, Expect: []string{`"field":"enterprise_id"`, "不存在"}},
		{Name: "another unit's user as 负责人", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"officer": "gxq_wu"}), Status: 422, Expect: []string{`"field":"officer"`, "不是该项目责任单位的成员"}},
		{Name: "an unknown user as 负责人", As: e.officer, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"officer": "nobody"}), Status: 422, Expect: []string{`"field":"officer"`}},
		{Name: "admin may link any unit's records", As: e.admin, Method: "POST", URL: "/api/v1/projects",
			Body: body(map[string]any{"enterprise_id": "ent-gxq", "officer": "kfq_li", "name": "管理员关联"}), Status: 201,
			Expect: []string{`"enterprise_id":"ent-gxq"`, `"officer":"kfq_li"`, "管理员关联"}},
	})

	// A project linked (by an admin) to another unit's enterprise: its own
	// officer can still save it unchanged and edit other fields.
	_, out := e.admin.Do("GET", "/api/v1/projects?q="+urlq("管理员关联"), nil, nil)
	var list struct {
		Items []map[string]any `json:"items"`
	}
	json.Unmarshal([]byte(out), &list)
	if len(list.Items) != 1 {
		t.Fatalf("admin's project: %s", out)
	}
	p := list.Items[0]
	st, out := e.officer.Do("PUT", "/api/v1/projects/"+p["id"].(string), map[string]any{"type": "industry", "name": "管理员关联",
		"unit": "kfq", "enterprise_id": "ent-gxq", "officer": "kfq_li", "summary": "补充简介", "version": p["version"]}, nil)
	if st != 200 {
		t.Fatalf("edit keeping a link set before: %d %s", st, out)
	}
	// Bulk assignment checks the 负责人 too.
	st, out = e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"action": "assign", "officer": "gxq_wu", "ids": []string{p["id"].(string)}}, nil)
	if st != 200 || !json.Valid([]byte(out)) || !contains(out, "不是该项目责任单位的成员") {
		t.Fatalf("bulk assign to another unit's user: %d %s", st, out)
	}
}

func urlq(s string) string { return url.QueryEscape(s) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
