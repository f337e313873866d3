package testapp

import (
	"strings"
	"testing"
)

func TestScenarioCheck(t *testing.T) {
	cases := []struct {
		name   string
		s      Scenario
		status int
		body   string
		want   []string // substrings, one per expected problem, in order
	}{
		{"2xx body without expectation", Scenario{URL: "/api/x", Status: 200}, 200, `{"id":"1"}`,
			[]string{"GET /api/x: 200 answer with a body but the scenario expects nothing of it"}},
		{"2xx body with only Reject", Scenario{Method: "POST", URL: "/api/x", Status: 201, Reject: []string{"secret"}}, 201, `{"id":"1"}`,
			[]string{"POST /api/x: 201 answer with a body but the scenario expects nothing of it"}},
		{"2xx body with expectation", Scenario{URL: "/api/x", Status: 200, Expect: []string{`"id":"1"`}}, 200, `{"id":"1"}`, nil},
		{"2xx body with order", Scenario{URL: "/api/x", Status: 200, InOrder: []string{`"a"`, `"b"`}}, 200, `["a","b"]`, nil},
		{"2xx body in the wrong order", Scenario{URL: "/api/x", Status: 200, InOrder: []string{`"a"`, `"b"`}}, 200, `["b","a"]`,
			[]string{`body lacks "\"b\"" in the order`}},
		{"2xx body with a check", Scenario{URL: "/x.xlsx", Status: 200, Check: func(*testing.T, string) {}}, 200, "PK\x03\x04", nil},
		{"2xx empty body", Scenario{Method: "DELETE", URL: "/api/x", Status: 204}, 204, "", nil},
		{"4xx body without expectation", Scenario{URL: "/api/x", Status: 403}, 403, `{"error":"forbidden"}`, nil},
		{"redirect without expectation", Scenario{URL: "/x", Status: 303}, 303, "", nil},
		{"wrong status", Scenario{URL: "/api/x", Status: 403}, 200, `{"id":"1"}`,
			[]string{"status 200, want 403", "expects nothing of it"}},
		{"missing and rejected", Scenario{URL: "/api/x", Status: 200, Expect: []string{"name"}, Reject: []string{"id"}}, 200, `{"id":"1"}`,
			[]string{`body lacks "name"`, `body contains "id"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.s.check(c.status, c.body)
			if len(got) != len(c.want) {
				t.Fatalf("problems %q, want %d matching %q", got, len(c.want), c.want)
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
