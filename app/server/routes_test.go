package server_test

import (
	"context"
	"strings"
	"testing"

	"zhaoshang/app/server"
	"zhaoshang/app/testapp"
	"zhaoshang/modules/users"
)

// access classes of routes
const (
	public = "public"
	signed = "signed-in"
	admin  = "admin"
)

// accessRules is the table every route must appear in: a new route without
// a rule fails TestEveryRouteHasAnAccessRule.
var accessRules = map[string]string{
	"GET /healthz": public, "GET /readyz": public, "GET /favicon.ico": public, "GET /login": public,
	"POST /login": public, "POST /api/v1/auth/login": public,
	"POST /logout": signed, "POST /api/v1/auth/logout": signed, "GET /api/v1/auth/me": signed, "GET /": signed,
	"GET /projects": signed, "GET /api/v1/projects": signed, "GET /api/v1/projects/:id": signed,
	"GET /api/v1/projects/:id/history": signed,
	"GET /resources": signed, "GET /events": signed, "GET /policies": signed, "GET /dashboard": signed,
	"GET /imports": signed, "GET /settings": signed,
	"GET /users": admin, "POST /users": admin, "POST /users/:id/disable": admin, "POST /users/:id/enable": admin,
	"POST /users/:id/password": admin, "GET /api/v1/users": admin, "POST /api/v1/users": admin,
}

func TestEveryRouteHasAnAccessRule(t *testing.T) {
	a := testapp.Start(t)
	app, err := server.New(a.P)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李明", users.RoleOfficer, []string{"kfq"}, "Officer-2025"); err != nil {
		t.Fatal(err)
	}
	officer := a.Client(t).Login("kfq_li", "Officer-2025")
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == "HEAD" || r.Path == "/static" || strings.HasPrefix(r.Path, "/static/") {
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		rule, ok := accessRules[key]
		if !ok {
			t.Errorf("route %s has no access rule in accessRules", key)
			continue
		}
		path := strings.ReplaceAll(r.Path, ":id", "x1")
		anon := a.Client(t)
		st, _ := anon.Do(r.Method, path, nil, nil)
		switch rule {
		case public:
			if st == 401 || (st == 303 && r.Method == "GET" && path != "/login") {
				t.Errorf("%s is public but anonymous got %d", key, st)
			}
		case signed, admin:
			if st != 401 && st != 303 && st != 403 {
				t.Errorf("%s needs sign-in but anonymous got %d", key, st)
			}
		}
		if rule == admin {
			if st, _ := officer.Do(r.Method, path, nil, nil); st != 403 {
				t.Errorf("%s is admin-only but an officer got %d", key, st)
			}
		}
	}
	for key := range accessRules {
		if !seen[key] {
			t.Errorf("access rule for %s names no route", key)
		}
	}
}
