package testapp

import (
	"strings"
	"testing"
)

// Scenario is one line of a table-driven HTTP test, in the style of
// PocketBase's tests.ApiScenario: who, what request, what must come back.
type Scenario struct {
	Name    string
	As      *Client // nil = anonymous
	Method  string
	URL     string
	Body    any               // a func() any is called when the scenario runs (for bodies that need fresh versions)
	Headers map[string]string // a "" value removes the header (e.g. X-CSRF-Token)
	Status  int
	Expect  []string // substrings the body must contain
	Reject  []string // substrings the body must not contain
}

// Run executes scenarios as subtests.
func Run(t *testing.T, a *App, scenarios []Scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			c := s.As
			if c == nil {
				c = a.Client(t)
			}
			method := s.Method
			if method == "" {
				method = "GET"
			}
			reqBody := s.Body
			if f, ok := reqBody.(func() any); ok {
				reqBody = f()
			}
			st, body := c.Do(method, s.URL, reqBody, s.Headers)
			if st != s.Status {
				t.Errorf("%s %s: status %d, want %d; body: %.300s", method, s.URL, st, s.Status, body)
			}
			for _, e := range s.Expect {
				if !strings.Contains(body, e) {
					t.Errorf("%s %s: body lacks %q; body: %.300s", method, s.URL, e, body)
				}
			}
			for _, r := range s.Reject {
				if strings.Contains(body, r) {
					t.Errorf("%s %s: body contains %q", method, s.URL, r)
				}
			}
		})
	}
}
