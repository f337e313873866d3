package projects_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestBoundedInput (issue 14, item 9): limits hold on the API and the form
// alike, every problem is reported at once, hidden characters are removed
// from names and file names, and the form reads amounts as the importer
// does ("2亿").
func TestBoundedInput(t *testing.T) {
	e := setup(t)
	long := strings.Repeat("长", 1000)
	many := make([]string, 21)
	for i := range many {
		many[i] = "标签" + string(rune('A'+i))
	}
	// The API: one answer listing every problem, nothing stored.
	for _, tc := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"a long tag", map[string]any{"type": "industry", "name": "标签过长", "unit": "kfq", "tags": []string{long}}, []string{"tags"}},
		{"too many tags", map[string]any{"type": "industry", "name": "标签过多", "unit": "kfq", "tags": many}, []string{"tags"}},
		{"a long contact title", map[string]any{"type": "industry", "name": "职务过长", "unit": "kfq",
			"contacts": []map[string]string{{"name": "王敏", "title": long}}}, []string{"contacts"}},
		{"four problems", map[string]any{"type": "x", "name": "", "unit": "kfq", "credit_code": "123", "summary": strings.Repeat("简", 5001)},
			[]string{"type", "name", "credit_code", "summary"}},
		{"contacts all at once", map[string]any{"type": "industry", "name": "联系人", "unit": "kfq",
			"contacts": []map[string]string{{"name": "", "phone": "123"}, {"name": "李四", "email": "not-an-email"}}}, []string{"contacts", "contacts", "contacts"}},
	} {
		st, body := e.officer.Do("POST", "/api/v1/projects", tc.body, nil)
		var got struct {
			Error  struct{ Field string }
			Errors []struct{ Field, Message string }
		}
		_ = json.Unmarshal([]byte(body), &got)
		var fields []string
		for _, x := range got.Errors {
			fields = append(fields, x.Field)
		}
		if len(tc.fields) == 1 && got.Errors == nil {
			fields = []string{got.Error.Field}
		}
		if st != 422 || strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: %d %s, want 422 naming %v", tc.name, st, body, tc.fields)
		}
	}
	if _, body := e.officer.Do("GET", "/api/v1/projects?limit=100", nil, nil); strings.Contains(body, "标签过") || strings.Contains(body, "职务过长") {
		t.Errorf("a refused project was stored: %s", body)
	}

	// Hidden characters are removed from names.
	p := create(t, e.officer, map[string]any{"type": "industry", "name": "\u202e精密\x00轴承\u200b项目 ", "unit": "kfq",
		"contacts": []map[string]string{{"name": "王\u202e敏", "title": "总经理\n"}}})
	if p["name"] != "精密轴承项目" || !strings.Contains(mustJSON(p["contacts"]), `"name":"王敏","title":"总经理"`) {
		t.Errorf("stored name %q, contacts %s", p["name"], mustJSON(p["contacts"]))
	}

	// The form: "2亿" is an amount, and a form with three problems names all three.
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	ok := url.Values{"type": {"industry"}, "name": {"两亿投资的项目"}, "unit": {"kfq"}, "investment": {"2亿"}, "capital_arrived": {"5,000万元"}}
	if st, body := e.officer.Do("POST", "/projects/new", []byte(ok.Encode()), form); st != 303 {
		t.Fatalf("form with 2亿: %d %s", st, body)
	}
	_, body := e.officer.Do("GET", "/api/v1/projects?q="+url.QueryEscape("两亿投资")+"&limit=5", nil, nil)
	if !strings.Contains(body, `"investment":20000`) || !strings.Contains(body, `"capital_arrived":5000`) {
		t.Errorf("2亿 / 5,000万元 stored as: %s", body)
	}
	bad := url.Values{"type": {"industry"}, "name": {""}, "unit": {"kfq"}, "investment": {"很多"}, "signed": {"2024-13-45"}, "tags": {long}}
	st, page := e.officer.Do("POST", "/projects/new", []byte(bad.Encode()), form)
	if st != 422 {
		t.Fatalf("bad form: %d", st)
	}
	for _, want := range []string{"请填写项目名称", "无法识别的金额", "每个标签最多 20 字", "有 4 处需要修改"} {
		if !strings.Contains(page, want) {
			t.Errorf("the form does not say %q", want)
		}
	}
	// Each problem stands next to its field.
	if n := strings.Count(page, `class="field-error"`); n != 4 {
		t.Errorf("%d field messages on the form, want 4 (name, investment, signed, tags)", n)
	}

	// An attachment's name loses its right-to-left override.
	id := p["id"].(string)
	if st, _ := upload(t, e.officer, id, "\u202etxt.exe", []byte("plain text notes\n")); st != 303 {
		t.Fatalf("upload: %d", st)
	}
	_, body = e.officer.Do("GET", "/api/v1/projects/"+id, nil, nil)
	if !strings.Contains(body, `"name":"txt.exe"`) || strings.Contains(body, `\u202e`) || strings.Contains(body, "\u202e") {
		t.Errorf("attachment stored as: %s", body)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
