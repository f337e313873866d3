package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

func TestAuthAndCSRF(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李明", users.RoleOfficer, []string{"kfq"}, "Officer-2025"); err != nil {
		t.Fatal(err)
	}
	admin := a.Admin(t)
	officer := a.Client(t).Login("kfq_li", "Officer-2025")

	testapp.Run(t, a, []testapp.Scenario{
		{Name: "healthz", URL: "/healthz", Status: 200, Expect: []string{`"status":"ok"`}},
		{Name: "readyz", URL: "/readyz", Status: 200, Expect: []string{`"status":"ok"`}},
		{Name: "login page", URL: "/login", Status: 200, Expect: []string{"登录", `name="_csrf"`}},
		{Name: "anonymous page redirects", URL: "/projects", Status: 303},
		{Name: "anonymous api 401", URL: "/api/v1/projects", Status: 401, Expect: []string{`"code":"unauthenticated"`}},
		{Name: "wrong password 401", Method: "POST", URL: "/api/v1/auth/login",
			Body: map[string]string{"username": "admin", "password": "nope-nope-1"}, Status: 401,
			Expect: []string{"用户名或密码错误"}, Reject: []string{"csrf_token", "admin\""}},
		{Name: "unknown user 401 same message", Method: "POST", URL: "/api/v1/auth/login",
			Body: map[string]string{"username": "ghost", "password": "nope-nope-1"}, Status: 401, Expect: []string{"用户名或密码错误"}},
		{Name: "malformed json 400", Method: "POST", URL: "/api/v1/auth/login", Body: `{"username":`, Status: 400,
			Expect: []string{`"code":"bad_request"`, "JSON"}},
		{Name: "unknown field 400", Method: "POST", URL: "/api/v1/auth/login", Body: `{"username":"a","password":"b","x":1}`,
			Status: 400, Expect: []string{`"field":"x"`}},
		{Name: "operator in field 400", Method: "POST", URL: "/api/v1/auth/login", Body: `{"username":{"$ne":""},"password":"x"}`,
			Status: 400, Expect: []string{`"field":"username"`}},
		{Name: "admin me", As: admin, URL: "/api/v1/auth/me", Status: 200, Expect: []string{`"role":"admin"`}},
		{Name: "users page admin", As: admin, URL: "/users", Status: 200, Expect: []string{"用户管理", "kfq_li"}},
		{Name: "users page officer 403", As: officer, URL: "/users", Status: 403},
		{Name: "users api officer 403", As: officer, URL: "/api/v1/users", Status: 403},
		{Name: "create user without csrf 403", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "x_y", "role": "officer", "units": []string{"kfq"}}, Headers: map[string]string{"X-CSRF-Token": ""},
			Status: 403, Expect: []string{`"code":"csrf"`}},
		{Name: "create user wrong csrf 403", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "x_y", "role": "officer", "units": []string{"kfq"}}, Headers: map[string]string{"X-CSRF-Token": "bad"},
			Status: 403},
		{Name: "create user bad unit 422", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "x_y", "role": "officer", "units": []string{"nowhere"}}, Status: 422, Expect: []string{`"field":"units"`}},
		{Name: "create user weak password 422", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "x_y", "role": "officer", "units": []string{"kfq"}, "password": "short"}, Status: 422,
			Expect: []string{`"field":"password"`}},
		{Name: "create user ok", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "gxq_wang", "name": "王芳", "role": "manager", "units": []string{"gxq"}}, Status: 201,
			Expect: []string{`"password":`, `"username":"gxq_wang"`}},
		{Name: "create user duplicate 422", As: admin, Method: "POST", URL: "/api/v1/users",
			Body: map[string]any{"username": "gxq_wang", "role": "manager", "units": []string{"gxq"}}, Status: 422, Expect: []string{"已存在"}},
		{Name: "form post without csrf 403", As: officer, Method: "POST", URL: "/logout", Headers: map[string]string{"X-CSRF-Token": ""}, Status: 403},
		{Name: "unknown route 404", As: officer, URL: "/api/v1/nothing", Status: 404, Expect: []string{`"code":"not_found"`}},
	})

	// Nothing half-written: the rejected creations left no user behind.
	if _, err := a.P.Users.Get(ctx, "x_y"); err == nil {
		t.Error("rejected user x.y was stored")
	}
	// Audit log has the login, the failed logins and the created user, without password hashes.
	entries, err := a.P.Users.AuditLog(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action+":"+e.RecordID] = true
		b, _ := json.Marshal(e)
		if strings.Contains(string(b), "argon2id") {
			t.Errorf("audit entry leaks a password hash: %s", b)
		}
	}
	for _, want := range []string{"login:admin", "login_failed:admin", "login_failed:ghost", "create:gxq_wang"} {
		if !seen[want] {
			t.Errorf("audit log lacks %s", want)
		}
	}
}

func TestLogoutInvalidatesSession(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	c := a.Admin(t)
	if st, _ := c.Do("GET", "/api/v1/auth/me", nil, nil); st != 200 {
		t.Fatalf("me before logout: %d", st)
	}
	old := c.HTTP.Jar.Cookies(mustURL(t, a.URL))
	if st, body := c.Do("POST", "/api/v1/auth/logout", nil, nil); st != 200 {
		t.Fatalf("logout: %d %s", st, body)
	}
	// Replaying the old cookie must not work.
	replay := a.Client(t)
	replay.HTTP.Jar.SetCookies(mustURL(t, a.URL), old)
	if st, _ := replay.Do("GET", "/api/v1/auth/me", nil, nil); st != 401 {
		t.Errorf("old session after logout: %d, want 401", st)
	}
}

func TestLoginLockoutAndRateLimit(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	// The limit's window is a clock minute: a fake clock keeps every
	// attempt in one.
	clock := testapp.NewClock(time.Now().Truncate(time.Minute))
	a.P.Users.SetRateClock(clock.Now)
	c := a.Client(t)
	for i := 0; i < users.MaxFailures; i++ {
		if st, _ := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "wrong-pass-1"}, nil); st != 401 {
			t.Fatalf("failure %d: status %d", i, st)
		}
	}
	// Locked now, even with the right password.
	st, body := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": testapp.AdminPassword}, nil)
	if st != 429 || !strings.Contains(body, "锁定") {
		t.Fatalf("locked login: %d %s", st, body)
	}
	// Per-address rate limit: more than 10 attempts a minute are refused.
	limited := false
	for i := 0; i < 12; i++ {
		st, body := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "someone", "password": "x"}, nil)
		if st == 429 && strings.Contains(body, "rate_limited") {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("no 429 after many login attempts from one address")
	}
	// The next minute is a new window.
	clock.Advance(time.Minute)
	if st, body := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "someone", "password": "x"}, nil); st != 401 {
		t.Errorf("first attempt in the next window: %d %s, want 401", st, body)
	}
}

func TestScopeAndProjectsFromEngine(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{{"kfq_li", "officer", "kfq"}, {"zz_boss", "manager", "zzfd"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Demo-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(id, unit, stage, name string) *projects.Project {
		return &projects.Project{Meta: core.Meta{ID: id}, Type: "industry", Name: name, Industry: "新能源", Zone: "张浦镇", Unit: unit, Stage: stage}
	}
	for _, p := range []*projects.Project{
		mk("p1", "kfq", "search", "昆山开发区智能装备项目"), mk("p2", "kfq", "attract", "开发区新显示项目"),
		mk("p3", "zs-zp", "search", "张浦新能源电池项目"), mk("p4", "gxq", "process", "高新区小核酸平台"),
	} {
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	officer := a.Client(t).Login("kfq_li", "Demo-2025x")
	manager := a.Client(t).Login("zz_boss", "Demo-2025x")
	admin := a.Admin(t)
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "officer sees own unit", As: officer, URL: "/api/v1/projects", Status: 200, Expect: []string{`"total":2`, "p1", "p2"}, Reject: []string{"p3", "p4"}},
		{Name: "officer stage filter", As: officer, URL: "/api/v1/projects?stage=attract", Status: 200, Expect: []string{`"total":1`, "p2"}},
		{Name: "officer other unit filter is empty", As: officer, URL: "/api/v1/projects?unit=gxq", Status: 200, Expect: []string{`"total":0`}},
		{Name: "officer other unit by id 403", As: officer, URL: "/api/v1/projects/p4", Status: 403},
		{Name: "officer history of own", As: officer, URL: "/api/v1/projects/p1/history", Status: 200, Expect: []string{`"items":[]`}},
		{Name: "manager sees subtree", As: manager, URL: "/api/v1/projects", Status: 200, Expect: []string{`"total":1`, "p3"}},
		{Name: "admin sees all", As: admin, URL: "/api/v1/projects", Status: 200, Expect: []string{`"total":4`}},
		{Name: "cjk text search", As: admin, URL: "/api/v1/projects?q=" + urlq("智能装备"), Status: 200, Expect: []string{`"total":1`, "p1"}},
		{Name: "unknown stage 400", As: admin, URL: "/api/v1/projects?stage=nowhere", Status: 400, Expect: []string{`"field":"stage"`}},
		{Name: "bad page 400", As: admin, URL: "/api/v1/projects?page=-1", Status: 400, Expect: []string{`"field":"page"`}},
		{Name: "missing project 404", As: admin, URL: "/api/v1/projects/nope", Status: 404},
		{Name: "projects page", As: officer, URL: "/projects", Status: 200, Expect: []string{"昆山开发区智能装备项目", "共 2 个项目"}, Reject: []string{"高新区小核酸平台"}},
		{Name: "home page", As: manager, URL: "/", Status: 200, Expect: []string{"含下属单位"}},
	})
	// The denied read was audited.
	entries, _ := a.P.Users.AuditLog(ctx, 100)
	found := false
	for _, e := range entries {
		if e.Action == "denied" && e.RecordID == "p4" && e.User == "kfq_li" {
			found = true
		}
	}
	if !found {
		t.Error("denied access to p4 not audited")
	}
}

func TestRestartKeepsDataAndSecondServerRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := testapp.StartIn(t, dir)
	ctx := context.Background()
	if err := a.P.Projects.Create(ctx, core.System, &projects.Project{Meta: core.Meta{ID: "keep1"}, Name: "保留项目", Unit: "kfq", Stage: "search"}); err != nil {
		t.Fatal(err)
	}
	// A second server on the same data dir must refuse with a clear message.
	if err := startSecond(t, dir); err == nil || !strings.Contains(err.Error(), "in use by zhaoshang serve") {
		t.Fatalf("second server: %v", err)
	}
	a.Stop()
	b := testapp.StartIn(t, dir)
	c := b.Admin(t)
	st, body := c.Do("GET", "/api/v1/projects/keep1", nil, nil)
	if st != 200 || !strings.Contains(body, "保留项目") {
		t.Fatalf("after restart: %d %s", st, body)
	}
	if st, body := c.Do("GET", "/api/v1/projects?q="+urlq("保留"), nil, nil); st != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("search after restart: %d %s", st, body)
	}
}

// Session fixation: a session id planted before login is never adopted;
// login issues a fresh one, and every login gets a new id.
func TestLoginIssuesFreshSession(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	u := mustURL(t, a.URL)
	c := a.Client(t)
	planted := &http.Cookie{Name: "zs_session", Value: "attacker-chosen-session-id-0123456789", Path: "/"}
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{planted})
	c.Login("admin", testapp.AdminPassword)
	var first string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "zs_session" {
			first = ck.Value
		}
	}
	if first == "" || first == planted.Value {
		t.Fatalf("session cookie after login = %q (planted %q)", first, planted.Value)
	}
	// The planted id alone is not a session.
	evil := a.Client(t)
	evil.HTTP.Jar.SetCookies(u, []*http.Cookie{planted})
	if st, _ := evil.Do("GET", "/api/v1/auth/me", nil, nil); st != 401 {
		t.Errorf("planted session id: %d, want 401", st)
	}
	again := a.Client(t).Login("admin", testapp.AdminPassword)
	for _, ck := range again.HTTP.Jar.Cookies(u) {
		if ck.Name == "zs_session" && ck.Value == first {
			t.Error("two logins got the same session id")
		}
	}
}
