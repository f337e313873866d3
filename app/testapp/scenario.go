package testapp

import (
	"fmt"
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
	InOrder []string // substrings the body must contain in this order (list sorts)
	// Check inspects a body that substrings cannot judge (a workbook, a decoded list).
	Check func(t *testing.T, body string)
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
			reqBody := s.Body
			if f, ok := reqBody.(func() any); ok {
				reqBody = f()
			}
			st, body := c.Do(s.method(), s.URL, reqBody, s.Headers)
			for _, p := range s.check(st, body) {
				t.Error(p)
			}
			if s.Check != nil && st == s.Status {
				s.Check(t, body)
			}
		})
	}
}

func (s Scenario) method() string {
	if s.Method == "" {
		return "GET"
	}
	return s.Method
}

// check lists what is wrong with an answer. A 2xx answer with a body must be
// matched by at least one Expect, InOrder or Check: a scenario that checks only the
// status proves little, and Reject alone says nothing about what came back.
func (s Scenario) check(status int, body string) []string {
	var problems []string
	where := s.method() + " " + s.URL
	if status != s.Status {
		problems = append(problems, fmt.Sprintf("%s: status %d, want %d; body: %.300s", where, status, s.Status, body))
	}
	if status >= 200 && status < 300 && body != "" && len(s.Expect) == 0 && len(s.InOrder) == 0 && s.Check == nil {
		problems = append(problems, fmt.Sprintf("%s: %d answer with a body but the scenario expects nothing of it; body: %.300s", where, status, body))
	}
	for _, e := range s.Expect {
		if !strings.Contains(body, e) {
			problems = append(problems, fmt.Sprintf("%s: body lacks %q; body: %.300s", where, e, body))
		}
	}
	rest := body
	for _, o := range s.InOrder {
		i := strings.Index(rest, o)
		if i < 0 {
			problems = append(problems, fmt.Sprintf("%s: body lacks %q in the order %q; body: %.300s", where, o, s.InOrder, body))
			break
		}
		rest = rest[i+len(o):]
	}
	for _, r := range s.Reject {
		if strings.Contains(body, r) {
			problems = append(problems, fmt.Sprintf("%s: body contains %q", where, r))
		}
	}
	return problems
}
