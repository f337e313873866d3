package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

type staleRec struct {
	core.Meta
}

type recorder struct{ entries []core.AuditEntry }

func (r *recorder) Audit(_ context.Context, _ core.Actor, e core.AuditEntry) {
	r.entries = append(r.entries, e)
}

func stale(version int64, changes ...core.Change) error {
	return &core.ConflictError[staleRec]{Current: &staleRec{Meta: core.Meta{Version: version}}, Changes: changes}
}

var oneChange = core.Change{Field: "title", Label: "标题", Mine: "甲", Stored: "乙"}

// call runs h on a test app for the path /api/x/:id and returns the status and body.
func call(t *testing.T, h fiber.Handler) (int, string) {
	t.Helper()
	app := fiber.New()
	app.Post("/api/x/:id", h)
	res, err := app.Test(httptest.NewRequest("POST", "/api/x/r1", nil))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestFailStale(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		want   []string
	}{
		{"conflict", stale(4, oneChange), 409, []string{`"code":"conflict"`, `"message":"该活动已被他人修改"`, `"current_version":4`,
			`"changes":[{"field":"title","label":"标题","mine":"甲","stored":"乙"}]`}},
		{"conflict without changes", fmt.Errorf("save: %w", stale(2)), 409, []string{`"current_version":2`, `"changes":[]`}},
		{"plain conflict", core.ErrConflict, 409, []string{`"code":"conflict"`, `"message":"记录已被他人修改，请刷新后重试"`}},
		{"field error", core.Invalid("title", "请填写标题"), 422, []string{`"code":"invalid"`, `"field":"title"`}},
		{"forbidden", core.ErrForbidden, 403, []string{`"code":"forbidden"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, body := call(t, func(c *fiber.Ctx) error { return FailStale(c, tc.err, "该活动已被他人修改") })
			if st != tc.status {
				t.Errorf("status %d, want %d (%s)", st, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %s lacks %s", body, w)
				}
			}
			if tc.status != 409 || tc.err == core.ErrConflict {
				if strings.Contains(body, "current_version") {
					t.Errorf("body %s has current_version", body)
				}
			}
		})
	}
}

func TestStaleBodyExtra(t *testing.T) {
	body := StaleBody(stale(3).(core.Stale), "m")
	body["current"] = fiber.Map{"id": "r1"}
	b, _ := json.Marshal(body)
	want := `{"current":{"id":"r1"},"error":{"changes":[],"code":"conflict","current_version":3,"message":"m"}}`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

func TestFormFailed(t *testing.T) {
	fe := &core.FieldError{Field: "title", Message: "请填写标题"}
	for _, tc := range []struct {
		name     string
		err      error
		status   int
		rendered bool
		want     FormState // after the call, starting from Version 1
		audited  int
	}{
		{"conflict", stale(5, oneChange), 409, true, FormState{Version: 5, Conflict: []core.Change{oneChange}}, 0},
		{"wrapped conflict", fmt.Errorf("update: %w", stale(7)), 409, true, FormState{Version: 7}, 0},
		{"field error", fmt.Errorf("check: %w", fe), 422, true, FormState{Version: 1, Error: fe}, 0},
		{"forbidden", core.ErrForbidden, 403, false, FormState{Version: 1}, 1},
		{"not found", core.ErrNotFound, 404, false, FormState{Version: 1}, 0},
		{"plain conflict", core.ErrConflict, 409, false, FormState{Version: 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			v := struct {
				FormState
				Title string
			}{FormState: FormState{Version: 1}, Title: "kept"}
			rendered := false
			st, body := call(t, func(c *fiber.Ctx) error {
				return FormFailed(c, tc.err, &v.FormState, func() error {
					rendered = true
					return c.SendString("form " + v.Title)
				}, rec, "things")
			})
			if st != tc.status || rendered != tc.rendered {
				t.Errorf("status %d rendered %v, want %d %v (%s)", st, rendered, tc.status, tc.rendered, body)
			}
			if rendered && body != "form kept" {
				t.Errorf("body %q", body)
			}
			if v.Version != tc.want.Version || v.Error != tc.want.Error || len(v.Conflict) != len(tc.want.Conflict) ||
				(len(v.Conflict) > 0 && v.Conflict[0] != tc.want.Conflict[0]) {
				t.Errorf("state %+v, want %+v", v.FormState, tc.want)
			}
			if len(rec.entries) != tc.audited {
				t.Fatalf("%d audit entries, want %d", len(rec.entries), tc.audited)
			}
			if tc.audited > 0 {
				if e := rec.entries[0]; e.Action != "denied" || e.Kind != "things" || e.RecordID != "r1" {
					t.Errorf("audit entry %+v", e)
				}
			}
		})
	}
}
