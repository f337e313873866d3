package server_test

import (
	"context"
	"strings"
	"testing"

	"zhaoshang/app/server"
	"zhaoshang/app/testapp"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
)

func TestEveryRouteHasAnAccessRule(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	app, accessRules, err := server.NewWithRules(a.P)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李明", users.RoleOfficer, []string{"kfq"}, "Officer-2025"); err != nil {
		t.Fatal(err)
	}
	officer := a.Client(t).Login("kfq_li", "Officer-2025")
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_tian", "田野", users.RoleField, []string{"kfq"}, "Field-2025x"); err != nil {
		t.Fatal(err)
	}
	field := a.Client(t).Login("kfq_tian", "Field-2025x")
	admin := a.Admin(t)
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
		case web.Public:
			if st == 401 || (st == 303 && r.Method == "GET" && path != "/login") {
				t.Errorf("%s is public but anonymous got %d", key, st)
			}
		case web.Signed, web.Manager, web.Admin:
			if st != 401 && st != 303 && st != 403 {
				t.Errorf("%s needs sign-in but anonymous got %d", key, st)
			}
		}
		if rule == web.Admin || rule == web.Manager {
			if st, _ := officer.Do(r.Method, path, nil, nil); st != 403 {
				t.Errorf("%s is for %s only but an officer got %d", key, rule, st)
			}
		}
		// The role × action table, route by route, for the 区镇填报员.
		if rule != web.Public && !strings.Contains(path, "logout") {
			st, _ := field.Do(r.Method, path, nil, nil)
			if refused := st == 403; refused != !web.May(users.RoleField, rule) {
				t.Errorf("%s (%s): 区镇填报员 got %d, table says allowed=%v", key, rule, st, web.May(users.RoleField, rule))
			}
		}
		if r.Method == "GET" || rule == web.Public {
			continue
		}
		// Every state change needs the session's CSRF token.
		if st, body := admin.Do(r.Method, path, nil, map[string]string{"X-CSRF-Token": ""}); st != 403 {
			t.Errorf("%s without CSRF token: %d %.100s, want 403", key, st, body)
		}
		// Query operators in a JSON body never reach Mongo: refused, never
		// a success or a server error.
		if strings.HasPrefix(r.Path, "/api/") && !strings.Contains(r.Path, "logout") {
			st, body := admin.Do(r.Method, path, operatorBody, nil)
			if st < 400 || st >= 500 {
				t.Errorf("%s with Mongo operators in the body: %d %.100s, want 4xx", key, st, body)
			}
		}
	}
	for key := range accessRules {
		if !seen[key] {
			t.Errorf("access rule for %s names no route", key)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d routes walked", len(seen))
	}
}

// operatorBody is a JSON body full of Mongo query operators.
var operatorBody = map[string]any{"$where": "1", "name": map[string]any{"$ne": nil}, "version": map[string]any{"$gt": 0},
	"username": map[string]any{"$regex": ".*"}, "password": map[string]any{"$ne": ""}, "to": map[string]any{"$in": []string{"x"}}}
