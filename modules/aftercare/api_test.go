package aftercare_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

type env struct {
	a *testapp.App
	// officer of kfq, officer of gxq, manager of kjj (whole tree),
	// manager of gxq (a subtree without kfq), admin
	officer, other, boss, gxqBoss, admin *testapp.Client
	landed, landedGxq, early             string // project ids
}

func setup(t *testing.T) env {
	t.Helper()
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"kfq_li", users.RoleOfficer, "kfq"}, {"kfq_zhao", users.RoleOfficer, "kfq"}, {"gxq_wu", users.RoleOfficer, "gxq"},
		{"kjj_boss", users.RoleManager, "kjj"}, {"gxq_boss", users.RoleManager, "gxq"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(name, unit, stage string) string {
		p := &projects.Project{Type: projects.TypeIndustry, Name: name, Unit: unit, Officer: "kfq_li", Stage: stage,
			CreditCode: "91320583MA1MXXXX0X"}
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	pol := &policies.Policy{Meta: core.Meta{ID: "po-0001"}, Title: "昆山市推进科技服务业高质量发展三年行动方案", Level: "市级",
		Status: policies.StatusValid, Issuer: "昆山市科学技术局", Unit: policies.DefaultUnit,
		Clauses: []policies.Clause{{No: "4", Title: "技术经纪（经理）人促成校企合作后补助", Amount: 50, Rate: 3}}}
	if err := a.P.Records.Policies.Create(ctx, core.System, pol); err != nil {
		t.Fatal(err)
	}
	login := func(u string) *testapp.Client { return a.Client(t).Login(u, "Test-2025x") }
	return env{a: a, officer: login("kfq_li"), other: login("gxq_wu"), boss: login("kjj_boss"), gxqBoss: login("gxq_boss"),
		admin: a.Admin(t), landed: mk("开发区精密传感器产业化项目", "kfq", projects.StageAftercare),
		landedGxq: mk("高新区小核酸药物中试平台", "gxq", projects.StageProcess), early: mk("元宇宙内容工场", "kfq", projects.StageAttract)}
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return m
}

func create(t *testing.T, c *testapp.Client, body map[string]any) map[string]any {
	t.Helper()
	st, out := c.Do("POST", "/api/v1/aftercare", body, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, out)
	}
	return decode(t, out)
}

// day is today in the office zone plus offset days, as users type it.
func day(offset int) string { return core.Today(time.Now()).AddDays(offset).String() }

func TestAftercareAPI(t *testing.T) {
	e := setup(t)
	r := create(t, e.officer, map[string]any{"project_id": e.landed, "type": "policy", "title": "申报高新技术企业认定",
		"detail": "企业拟于今年申报高企，需要辅导材料", "due": day(10), "policy_id": "po-0001", "clause_no": "4"})
	id := r["id"].(string)
	if r["unit"] != "kfq" || r["owner"] != "kfq_li" || r["status"] != "pending" || r["version"].(float64) != 1 ||
		r["project_name"] != "开发区精密传感器产业化项目" || r["overdue"] != false {
		t.Fatalf("created: %v", r)
	}
	late := create(t, e.officer, map[string]any{"project_id": e.landed, "type": "人才安居/子女入学", "title": "高管子女入学协调",
		"owner": "kfq_zhao", "due": day(-3)})
	lateID := late["id"].(string)
	if late["type"] != "talent" || late["overdue"] != true || late["days_overdue"].(float64) != 3 {
		t.Fatalf("late: %v", late)
	}
	gxq := create(t, e.other, map[string]any{"project_id": e.landedGxq, "type": "space", "title": "中试车间 2000 平方米",
		"due": day(-1)})
	gxqID := gxq["id"].(string)
	version := func(id string) int64 {
		_, out := e.admin.Do("GET", "/api/v1/aftercare/"+id, nil, nil)
		return int64(decode(t, out)["version"].(float64))
	}
	put := func(id string, m map[string]any) func() any {
		return func() any {
			body := map[string]any{"type": "policy", "title": "申报高新技术企业认定", "owner": "kfq_li", "due": day(10),
				"version": version(id)}
			for k, v := range m {
				body[k] = v
			}
			return body
		}
	}
	base := "/api/v1/aftercare/" + id
	testapp.Run(t, e.a, []testapp.Scenario{
		// access: role × own/other unit
		{Name: "anonymous list", URL: "/api/v1/aftercare", Status: 401},
		{Name: "anonymous get", URL: base, Status: 401},
		{Name: "officer own get", As: e.officer, URL: base, Status: 200, Expect: []string{`"policy_id":"po-0001"`, `"clause_no":"4"`,
			`"clause_title":"昆山市推进科技服务业高质量发展三年行动方案 · 技术经纪（经理）人促成校企合作后补助"`}},
		{Name: "officer other unit get", As: e.other, URL: base, Status: 403},
		{Name: "officer other unit put", As: e.other, Method: "PUT", URL: base, Body: put(id, nil), Status: 403},
		{Name: "manager subtree get", As: e.boss, URL: base, Status: 200, Expect: []string{`"id":"` + id + `"`, `"unit":"kfq"`}},
		{Name: "manager of another subtree get", As: e.gxqBoss, URL: base, Status: 403},
		{Name: "manager of another subtree sees own", As: e.gxqBoss, URL: "/api/v1/aftercare/" + gxqID, Status: 200,
			Expect: []string{`"id":"` + gxqID + `"`, `"unit":"gxq"`, "中试车间 2000 平方米"}},
		{Name: "admin get", As: e.admin, URL: base, Status: 200, Expect: []string{`"id":"` + id + `"`, "申报高新技术企业认定"}},
		{Name: "missing id", As: e.admin, URL: "/api/v1/aftercare/nope", Status: 404},
		{Name: "officer list is scoped", As: e.officer, URL: "/api/v1/aftercare", Status: 200,
			Expect: []string{id, lateID, `"total":2`}, Reject: []string{gxqID}},
		{Name: "other officer list is scoped", As: e.other, URL: "/api/v1/aftercare", Status: 200,
			Expect: []string{gxqID, `"total":1`}, Reject: []string{id}},
		{Name: "manager list sees the subtree", As: e.boss, URL: "/api/v1/aftercare", Status: 200, Expect: []string{`"total":3`}},
		{Name: "officer create on other unit's project", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landedGxq, "type": "other", "title": "x", "due": day(1)}, Status: 403},
		{Name: "manager creates in subtree", As: e.boss, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landedGxq, "type": "financing", "title": "投贷联动", "owner": "gxq_wu", "due": day(30)}, Status: 201,
			Expect: []string{`"unit":"gxq"`, `"owner":"gxq_wu"`}},

		// filters
		{Name: "overdue list", As: e.boss, URL: "/api/v1/aftercare?overdue=1", Status: 200,
			Expect: []string{lateID, gxqID, `"total":2`}, Reject: []string{`"id":"` + id + `"`}},
		{Name: "overdue list officer", As: e.officer, URL: "/api/v1/aftercare?overdue=1", Status: 200, Expect: []string{lateID, `"total":1`}},
		{Name: "overdue sorted longest first", As: e.boss, URL: "/api/v1/aftercare?overdue=1&sort=due", Status: 200,
			InOrder: []string{`"id":"` + lateID + `"`, `"id":"` + gxqID + `"`}},
		{Name: "filter by type label", As: e.officer, URL: "/api/v1/aftercare?type=" + url.QueryEscape("政策申报"), Status: 200, Expect: []string{`"total":1`, id}},
		{Name: "filter by owner", As: e.officer, URL: "/api/v1/aftercare?owner=kfq_zhao", Status: 200, Expect: []string{`"total":1`, lateID}},
		{Name: "filter by unit outside scope", As: e.officer, URL: "/api/v1/aftercare?unit=gxq", Status: 200, Expect: []string{`"total":0`}},
		{Name: "filter by project", As: e.boss, URL: "/api/v1/aftercare?project=" + e.landedGxq, Status: 200, Expect: []string{`"total":2`}},
		{Name: "bad status filter", As: e.officer, URL: "/api/v1/aftercare?status=done", Status: 400, Expect: []string{`"field":"status"`}},
		{Name: "bad sort", As: e.officer, URL: "/api/v1/aftercare?sort=title", Status: 400, Expect: []string{`"field":"sort"`}},
		{Name: "bad overdue flag", As: e.officer, URL: "/api/v1/aftercare?overdue=maybe", Status: 400, Expect: []string{`"field":"overdue"`}},

		// bad input
		{Name: "project not landed", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.early, "type": "policy", "title": "x", "due": day(1)}, Status: 422, Expect: []string{`"field":"project_id"`, "已落地"}},
		{Name: "unknown project", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": "nope", "type": "policy", "title": "x", "due": day(1)}, Status: 422, Expect: []string{`"field":"project_id"`}},
		{Name: "bad type", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landed, "type": "lunch", "title": "x", "due": day(1)}, Status: 422, Expect: []string{`"field":"type"`}},
		{Name: "impossible date", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "due": "2025-02-30"}, Status: 400},
		{Name: "no due date", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landed, "type": "policy", "title": "x"}, Status: 422, Expect: []string{`"field":"due"`}},
		{Name: "owner from another unit", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "owner": "gxq_wu", "due": day(1)}, Status: 422, Expect: []string{`"field":"owner"`}},
		{Name: "unknown owner", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body: map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "owner": "ghost", "due": day(1)}, Status: 422, Expect: []string{`"field":"owner"`}},
		{Name: "unknown clause", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body:   map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "due": day(1), "policy_id": "po-0001", "clause_no": "99"},
			Status: 422, Expect: []string{`"field":"clause_no"`}},
		{Name: "unknown policy", As: e.officer, Method: "POST", URL: "/api/v1/aftercare",
			Body:   map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "due": day(1), "policy_id": "po-9999", "clause_no": "4"},
			Status: 422, Expect: []string{`"field":"clause_no"`}},
		{Name: "malformed JSON", As: e.officer, Method: "POST", URL: "/api/v1/aftercare", Body: `{"project_id":`, Status: 400},
		{Name: "unknown field", As: e.officer, Method: "POST", URL: "/api/v1/aftercare", Body: `{"project_id":"x","unit":"gxq"}`, Status: 400, Expect: []string{`"field":"unit"`}},
		{Name: "operator in field", As: e.officer, Method: "POST", URL: "/api/v1/aftercare", Body: `{"title":{"$ne":""}}`, Status: 400, Expect: []string{`"field":"title"`}},
		{Name: "no CSRF token", As: e.officer, Method: "POST", URL: "/api/v1/aftercare", Headers: map[string]string{"X-CSRF-Token": ""},
			Body: map[string]any{"project_id": e.landed, "type": "policy", "title": "x", "due": day(1)}, Status: 403},
		{Name: "put without version", As: e.officer, Method: "PUT", URL: base, Body: map[string]any{"type": "policy", "title": "x", "owner": "kfq_li", "due": day(1)}, Status: 400, Expect: []string{`"field":"version"`}},
		{Name: "stale version", As: e.officer, Method: "PUT", URL: base, Body: map[string]any{"type": "policy", "title": "改了", "owner": "kfq_li", "due": day(1), "version": 99},
			Status: 409, Expect: []string{`"code":"conflict"`, `"field":"title"`}},
		{Name: "resolve without resolution", As: e.officer, Method: "PUT", URL: base, Body: put(id, map[string]any{"status": "resolved"}), Status: 422, Expect: []string{`"field":"resolution"`}},

		// updates
		{Name: "start working", As: e.officer, Method: "PUT", URL: base, Body: put(id, map[string]any{"status": "处理中"}), Status: 200,
			Expect: []string{`"status":"in_progress"`, `"version":2`}},
		{Name: "overdue by moving the due date back", As: e.officer, Method: "PUT", URL: base, Body: put(id, map[string]any{"status": "in_progress", "due": day(-2)}),
			Status: 200, Expect: []string{`"overdue":true`, `"days_overdue":2`}},
		{Name: "now in the overdue list", As: e.officer, URL: "/api/v1/aftercare?overdue=1", Status: 200, Expect: []string{id, `"total":2`}},
		{Name: "resolve", As: e.officer, Method: "PUT", URL: base, Body: put(id, map[string]any{"status": "resolved", "due": day(-2), "resolution": "已完成高企申报辅导"}),
			Status: 200, Expect: []string{`"status":"resolved"`, `"overdue":false`, `"resolved_at"`}},
		{Name: "resolved leaves the overdue list", As: e.officer, URL: "/api/v1/aftercare?overdue=1", Status: 200, Expect: []string{`"total":1`}, Reject: []string{`"id":"` + id + `"`}},
		{Name: "resolved with overdue filter and status", As: e.officer, URL: "/api/v1/aftercare?overdue=1&status=resolved", Status: 200, Expect: []string{`"total":0`}},

		// delete: managers only
		{Name: "officer cannot delete", As: e.officer, Method: "DELETE", URL: "/api/v1/aftercare/" + lateID + "?version=1", Status: 403},
		{Name: "delete without version", As: e.boss, Method: "DELETE", URL: "/api/v1/aftercare/" + lateID, Status: 400},
		{Name: "delete stale version", As: e.boss, Method: "DELETE", URL: "/api/v1/aftercare/" + lateID + "?version=7", Status: 409},
		{Name: "manager of another subtree cannot delete", As: e.gxqBoss, Method: "DELETE", URL: "/api/v1/aftercare/" + lateID + "?version=1", Status: 403},
		{Name: "manager deletes", As: e.boss, Method: "DELETE", URL: "/api/v1/aftercare/" + lateID + "?version=1", Status: 200, Expect: []string{`"status":"deleted"`}},
		{Name: "deleted", As: e.boss, URL: "/api/v1/aftercare/" + lateID, Status: 404},
	})

	// A refused load by id is audited.
	log, err := e.a.P.Users.AuditLog(context.Background(), 200)
	if err != nil {
		t.Fatal(err)
	}
	denied := false
	for _, en := range log {
		if en.Action == "denied" && en.Kind == aftercare.Kind && en.RecordID == id && en.User == "gxq_wu" {
			denied = true
		}
	}
	if !denied {
		t.Error("officer's refused read of another unit's request was not audited")
	}
}

func TestForProject(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	svc := aftercare.NewService(e.a.P.Records.Aftercare, projects.NewService(e.a.P.Projects, nil), e.a.P.Users, e.a.P.Matrix)
	a := core.Actor{User: "kfq_li"}
	kfq := core.Scope{Units: []string{"kfq"}}
	due := func(off int) core.Date {
		d, _ := core.ParseDate(day(off))
		return d
	}
	for i, off := range []int{20, -5, 3} {
		if _, err := svc.Create(ctx, a, kfq, aftercare.Input{ProjectID: e.landed, Type: aftercare.Types[i], Title: "诉求" + day(off), Due: due(off)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Create(ctx, core.Actor{User: "gxq_wu"}, core.Scope{Units: []string{"gxq"}},
		aftercare.Input{ProjectID: e.landedGxq, Type: "other", Title: "别的项目", Due: due(1)}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.ForProject(ctx, kfq, e.landed)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !strings.Contains(got[0].Title, day(-5)) || !strings.Contains(got[2].Title, day(20)) {
		t.Fatalf("ForProject: %d items, first %q", len(got), got[0].Title)
	}
	if other, err := svc.ForProject(ctx, core.Scope{Units: []string{"gxq"}}, e.landed); err != nil || len(other) != 0 {
		t.Fatalf("another unit's scope sees %d requests (%v)", len(other), err)
	}
	if none, err := svc.ForProject(ctx, kfq, e.early); err != nil || len(none) != 0 {
		t.Fatalf("project without requests: %d (%v)", len(none), err)
	}
	byStatus, overdue, err := svc.Counts(ctx, kfq)
	if err != nil || byStatus["pending"] != 3 || overdue != 1 {
		t.Fatalf("counts %v overdue %d (%v)", byStatus, overdue, err)
	}
}

func TestAftercarePages(t *testing.T) {
	e := setup(t)
	r := create(t, e.officer, map[string]any{"project_id": e.landed, "type": "approval", "title": "环评审批代办", "due": day(-4)})
	id := r["id"].(string)
	form := func(vals url.Values) string { return vals.Encode() }
	formHdr := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	v := func() string { return "1" }
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "anonymous list page", URL: "/aftercare", Status: 303},
		{Name: "list page", As: e.officer, URL: "/aftercare", Status: 200, Expect: []string{"环评审批代办", "审批代办", "逾期 4 天", "督办"}},
		{Name: "overdue page for manager", As: e.boss, URL: "/aftercare?overdue=1", Status: 200, Expect: []string{"环评审批代办", "逾期 4 天"}},
		{Name: "overdue page other subtree", As: e.gxqBoss, URL: "/aftercare?overdue=1", Status: 200,
			Expect: []string{"共 0 件", "没有逾期的服务诉求"}, Reject: []string{"环评审批代办"}},
		{Name: "sorted page", As: e.boss, URL: "/aftercare?sort=-due", Status: 200, Expect: []string{"环评审批代办"}},
		{Name: "bad filter page", As: e.officer, URL: "/aftercare?status=bogus", Status: 400, Expect: []string{"未知办理状态"}},
		{Name: "detail page", As: e.officer, URL: "/aftercare/" + id, Status: 200, Expect: []string{"环评审批代办", "督办 · 逾期 4 天", "开发区精密传感器产业化项目"}},
		{Name: "detail page other unit", As: e.other, URL: "/aftercare/" + id, Status: 403},
		{Name: "new page", As: e.officer, URL: "/aftercare/new?project=" + e.landed, Status: 200, Expect: []string{"登记服务诉求", "开发区精密传感器产业化项目", "kfq_zhao"}},
		{Name: "new page without project", As: e.officer, URL: "/aftercare/new", Status: 200, Expect: []string{"项目编号"}},
		{Name: "new page on early project", As: e.officer, URL: "/aftercare/new?project=" + e.early, Status: 422, Expect: []string{"已落地"}},
		{Name: "new page other unit's project", As: e.officer, URL: "/aftercare/new?project=" + e.landedGxq, Status: 403},
		{Name: "create by form", As: e.officer, Method: "POST", URL: "/aftercare/new", Headers: formHdr,
			Body:   form(url.Values{"project_id": {e.landed}, "type": {"financing"}, "title": {"贷款贴息"}, "owner": {"kfq_li"}, "due": {"2030年1月5日"}, "status": {"pending"}}),
			Status: 303},
		{Name: "create by form, bad date", As: e.officer, Method: "POST", URL: "/aftercare/new", Headers: formHdr,
			Body:   form(url.Values{"project_id": {e.landed}, "type": {"financing"}, "title": {"贷款贴息"}, "owner": {"kfq_li"}, "due": {"2030-13-01"}}),
			Status: 422, Expect: []string{"aria-invalid", "贷款贴息"}},
		{Name: "edit by form with stale version", As: e.officer, Method: "POST", URL: "/aftercare/" + id, Headers: formHdr,
			Body:   form(url.Values{"version": {"9"}, "type": {"approval"}, "title": {"环评审批代办（改）"}, "owner": {"kfq_li"}, "due": {day(-4)}, "status": {"pending"}}),
			Status: 409, Expect: []string{"已被他人修改", "环评审批代办（改）"}},
		{Name: "edit by form", As: e.officer, Method: "POST", URL: "/aftercare/" + id, Headers: formHdr,
			Body: func() any {
				return form(url.Values{"version": {v()}, "type": {"approval"}, "title": {"环评审批代办"}, "owner": {"kfq_li"}, "due": {day(-4)}, "status": {"in_progress"}})
			}, Status: 303},
		{Name: "officer cannot delete by form", As: e.officer, Method: "POST", URL: "/aftercare/" + id + "/delete", Headers: formHdr, Body: "version=2", Status: 403},
	})
}
