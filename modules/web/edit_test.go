package web

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

type editInput struct {
	Name    string   `json:"name"`
	Tags    []string `json:"tags"`
	Version int64    `json:"version"`
}

type editRequest struct {
	editInput
	Note string `json:"note,omitempty"`
}

// TestDecodeEdit: the body a GET answered decodes (its read-only fields
// ignored when they hold what is stored), a changed read-only field is
// refused by name, an unknown one stays unknown, malformed JSON says so.
func TestDecodeEdit(t *testing.T) {
	stored := map[string]any{"id": "p-1", "name": "旧名", "tags": []string{"a"}, "version": 3,
		"created_at": "2025-01-02T03:04:05Z", "stage": "push", "unit_name": "开发区"}
	cases := []struct {
		name, body string
		wantName   string
		wantErr    string // substring of the error; "" for none
		wantField  string
		loads      bool // current is read
	}{
		{"input only", `{"name":"新名","version":3}`, "新名", "", "", false},
		{"GET body unchanged", `{"id":"p-1","name":"旧名","tags":["a"],"version":3,"created_at":"2025-01-02T03:04:05Z","stage":"push","unit_name":"开发区"}`, "旧名", "", "", true},
		{"GET body with an edit", `{"id":"p-1","name":"新名","tags":["a","b"],"version":3,"stage":"push"}`, "新名", "", "", true},
		{"read-only changed", `{"id":"p-2","name":"新名","version":3,"stage":"signed"}`, "", "只读字段不能在更新中修改：id、stage", "id", true},
		{"unknown", `{"name":"新名","version":3,"colour":"red"}`, "", "未知字段 colour", "colour", true},
		{"null for a field the record lacks", `{"name":"新名","version":3,"batch":null}`, "新名", "", "", true},
		{"embedded and own fields", `{"name":"新名","version":3,"note":"x","NAME":"大写"}`, "大写", "", "", false},
		{"type error in an embedded struct names the JSON key", `{"name":5,"version":3}`, "", "字段 name 的类型不正确", "name", false},
		{"not an object", `[1,2]`, "", "类型不正确", "", false},
		{"syntax", `{"name":`, "", "JSON 格式错误", "", false},
		{"empty", ``, "", "请求体为空", "", false},
		{"trailing", `{"name":"a"} {}`, "", "JSON 之后还有多余内容", "", false},
	}
	for _, tc := range cases {
		app := fiber.New()
		var got editRequest
		var err error
		loaded := false
		app.Put("/", func(c *fiber.Ctx) error {
			err = DecodeEdit(c, &got, func() (any, error) { loaded = true; return stored, nil })
			return nil
		})
		resp, rerr := app.Test(httptest.NewRequest("PUT", "/", strings.NewReader(tc.body)))
		if rerr != nil {
			t.Fatal(rerr)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		var bad *BadInput
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		case tc.wantField != "" && (!errors.As(err, &bad) || bad.Field != tc.wantField):
			t.Errorf("%s: error %v names field %q, want %q", tc.name, err, bad.Field, tc.wantField)
		case tc.wantErr == "" && got.Name != tc.wantName:
			t.Errorf("%s: name %q, want %q", tc.name, got.Name, tc.wantName)
		case loaded != tc.loads:
			t.Errorf("%s: current read %v, want %v", tc.name, loaded, tc.loads)
		}
	}
}
