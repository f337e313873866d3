package web

import "testing"

func TestRulesClass(t *testing.T) {
	r := Rules{"GET /projects/:id": Signed, "GET /projects/board": Signed, "GET /projects/:id/edit": Write,
		"POST /projects/:id/stage": Write, "GET /projects/new": Write, "POST /imports/new": Signed, "GET /": Signed}
	cases := []struct {
		method, path string
		want         string
		ok           bool
	}{
		{"GET", "/projects/p-1", Signed, true},
		{"GET", "/projects/new", Write, true}, // a literal segment wins over :id
		{"GET", "/projects/p-1/edit", Write, true},
		{"POST", "/projects/p-1/stage", Write, true},
		{"POST", "/imports/new", Signed, true},
		{"GET", "/", Signed, true},
		{"GET", "/projects/p-1/nothing", "", false},
		{"DELETE", "/projects/p-1", "", false},
	}
	for _, c := range cases {
		got, ok := r.Class(c.method, c.path)
		if got != c.want || ok != c.ok {
			t.Errorf("%s %s: %q %v, want %q %v", c.method, c.path, got, ok, c.want, c.ok)
		}
	}
}

func TestRoleTable(t *testing.T) {
	want := map[string]map[string]bool{
		"admin":   {Public: true, Signed: true, Write: true, Manager: true, Admin: true},
		"manager": {Public: true, Signed: true, Write: true, Manager: true},
		"officer": {Public: true, Signed: true, Write: true},
		"field":   {Public: true, Signed: true},
		"":        {Public: true},
	}
	for role, actions := range want {
		for _, a := range []string{Public, Signed, Write, Manager, Admin} {
			if May(role, a) != actions[a] {
				t.Errorf("May(%q, %q) = %v", role, a, !actions[a])
			}
		}
	}
}
