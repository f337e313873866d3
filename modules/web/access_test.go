package web

import "testing"

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
