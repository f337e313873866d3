package templates

import (
	"bytes"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func mustSet(t *testing.T) *Set {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func render(t *testing.T, s *Set, page string, shell Shell, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Render(&buf, page, shell, data); err != nil {
		t.Fatalf("Render(%s): %v", page, err)
	}
	return buf.String()
}

func officer() *ShellUser {
	return &ShellUser{Username: "zhangsan", Name: "张三", RoleLabel: "招商专员", UnitNames: []string{"昆山高新区", "科创发展服务中心"}}
}

func admin() *ShellUser {
	return &ShellUser{Username: "admin", Name: "管理员", RoleLabel: "系统管理员", IsAdmin: true}
}

func TestPagesRender(t *testing.T) {
	s := mustSet(t)
	cases := []struct {
		name  string
		page  string
		shell Shell
		data  any
		want  []string
	}{
		{"login blank", "login", Shell{Title: "登录", CSRF: "tok123"}, LoginData{},
			[]string{`action="/login"`, `name="_csrf" value="tok123"`, "用户名", "密码", "登录", "昆山市科技招商数字化管理平台", `class="bare"`}},
		{"login failed", "login", Shell{Title: "登录", CSRF: "t"}, LoginData{Username: "lisi", Error: "用户名或密码错误", Next: "/projects?stage=push"},
			[]string{`value="lisi"`, "用户名或密码错误", `name="next" value="/projects?stage=push"`}},
		{"login map data", "login", Shell{Title: "登录"}, map[string]any{"Username": "wang", "Error": "", "Next": ""},
			[]string{`value="wang"`}},
		{"error signed out", "error", Shell{Title: "页面不存在", RequestID: "req-42"}, ErrorData{Status: 404},
			[]string{"404", "页面不存在", `href="/"`, "返回工作台", "req-42"}},
		{"error signed in", "error", Shell{Title: "出错了", User: officer(), Nav: "home"}, ErrorData{Status: 500, Message: "数据库连接失败"},
			[]string{"500", "服务器内部错误", "数据库连接失败", `class="sidebar"`}},
		{"error unknown status", "error", Shell{Title: "出错了"}, ErrorData{Status: 418},
			[]string{"418", "请求未能完成"}},
		{"empty with links", "empty", Shell{Title: "活动", Nav: "events", User: officer(), Flash: "已保存", FlashKind: "ok"},
			EmptyData{Heading: "活动管理将在下一版本提供", Text: "目前可先通过导入导出上传活动台账。", Links: []Link{{"/imports", "去导入导出"}, {"/", "返回工作台"}}},
			[]string{"活动管理将在下一版本提供", "目前可先通过导入导出上传活动台账。", `href="/imports"`, "去导入导出", `class="flash flash-ok"`, "已保存"}},
		{"empty without links", "empty", Shell{Title: "政策库", Nav: "policies", User: admin(), Flash: "保存失败", FlashKind: "error"},
			EmptyData{Heading: "暂无政策"},
			[]string{"暂无政策", `class="flash flash-error" role="alert"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, s, tc.page, tc.shell, tc.data)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, w := range []string{"<!DOCTYPE html>", `<html lang="zh-CN">`, `<meta name="csrf-token"`, `href="/static/app.css"`,
				`src="/static/vendor/htmx.min.js"`, `src="/static/app.js"`} {
				if !strings.Contains(out, w) {
					t.Errorf("layout lacks %q", w)
				}
			}
			if strings.Contains(out, "<no value>") {
				t.Error(`output contains "<no value>"`)
			}
		})
	}
}

func TestEveryPageIsCovered(t *testing.T) {
	s := mustSet(t)
	files, _ := fs.Glob(FS, "pages/*.html")
	if len(s.Pages()) != len(files) || len(files) == 0 {
		t.Fatalf("Pages() = %v, files = %v", s.Pages(), files)
	}
	for _, p := range []string{"login", "error", "empty"} {
		if _, ok := s.pages[p]; !ok {
			t.Errorf("page %q missing", p)
		}
	}
}

func TestUnknownPage(t *testing.T) {
	s := mustSet(t)
	var buf bytes.Buffer
	if err := s.Render(&buf, "nope", Shell{}, nil); err == nil {
		t.Fatal("Render of unknown page: want error")
	}
	if err := s.RenderFragment(&buf, "empty", "nope", Shell{}, nil); err == nil {
		t.Fatal("RenderFragment of unknown block: want error")
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %q on error", buf.String())
	}
}

func TestRenderFragment(t *testing.T) {
	s := mustSet(t)
	var buf bytes.Buffer
	if err := s.RenderFragment(&buf, "empty", "content", Shell{}, EmptyData{Heading: "暂无数据"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "暂无数据") || strings.Contains(out, "<html") {
		t.Fatalf("fragment = %q", out)
	}
}

func TestLayoutEscapes(t *testing.T) {
	s := mustSet(t)
	evil := `<script>alert(1)</script>`
	shell := Shell{
		Title: evil, Nav: "home", CSRF: `"><img src=x>`, Flash: evil, FlashKind: "error",
		User: &ShellUser{Username: `u"onmouseover="x`, Name: evil, RoleLabel: evil, UnitNames: []string{evil}},
	}
	out := render(t, s, "empty", shell, EmptyData{Heading: evil, Text: evil, Links: []Link{{Href: "javascript:alert(1)", Label: evil}}})
	if strings.Contains(out, evil) {
		t.Error("unescaped <script> in output")
	}
	if strings.Contains(out, `"><img`) {
		t.Error("CSRF token not attribute-escaped")
	}
	if strings.Contains(out, `onmouseover="x`) {
		t.Error("username not attribute-escaped")
	}
	if strings.Contains(out, "javascript:alert") {
		t.Error("javascript: URL not filtered")
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Error("escaped text missing")
	}
}

func TestNavUsersOnlyForAdmin(t *testing.T) {
	s := mustSet(t)
	cases := []struct {
		name string
		user *ShellUser
		want bool
	}{
		{"officer", officer(), false},
		{"manager", &ShellUser{Username: "m", RoleLabel: "管理者", IsManager: true}, false},
		{"admin", admin(), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, s, "empty", Shell{Title: "x", Nav: "projects", User: tc.user}, EmptyData{Heading: "h"})
			if got := strings.Contains(out, `href="/users"`) || strings.Contains(out, "用户管理"); got != tc.want {
				t.Errorf("用户管理 shown = %v, want %v", got, tc.want)
			}
			for _, href := range []string{`href="/"`, `href="/projects"`, `href="/resources"`, `href="/events"`, `href="/policies"`,
				`href="/dashboard"`, `href="/imports"`, `href="/settings"`, `action="/logout"`, "退出登录"} {
				if !strings.Contains(out, href) {
					t.Errorf("nav lacks %s", href)
				}
			}
			if !strings.Contains(out, `<a href="/projects" class="active" aria-current="page">项目管线</a>`) {
				t.Error("active nav item not marked")
			}
			if strings.Count(out, `class="active"`) != 1 {
				t.Errorf("want exactly one active nav item, got %d", strings.Count(out, `class="active"`))
			}
		})
	}
}

func TestShellUserDetails(t *testing.T) {
	s := mustSet(t)
	out := render(t, s, "empty", Shell{Title: "工作台", Nav: "home", User: officer(), CSRF: "abc"}, EmptyData{Heading: "h"})
	for _, w := range []string{"张三", "招商专员", "昆山高新区、科创发展服务中心", `name="_csrf" value="abc"`, `content="abc"`, "<title>工作台 · 科技招商平台</title>"} {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q", w)
		}
	}
}

var (
	scriptRe  = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	onAttrRe  = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	styleRe   = regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=|<style\b`)
	remoteRe  = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)
	jsURLRe   = regexp.MustCompile(`(?i)javascript:`)
	hxOnRe    = regexp.MustCompile(`(?i)\s(data-)?hx-on`)
	evalCheck = []struct {
		name string
		re   *regexp.Regexp
	}{
		{"on* attribute", onAttrRe},
		{"inline style (CSP)", styleRe},
		{"remote asset (intranet, no CDN)", remoteRe},
		{"javascript: URL", jsURLRe},
		{"hx-on handler", hxOnRe},
	}
)

// The pages run under a CSP without 'unsafe-inline' and on intranets without a CDN.
func TestTemplatesCSPClean(t *testing.T) {
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		src := string(b)
		for _, m := range scriptRe.FindAllStringSubmatch(src, -1) {
			if strings.TrimSpace(m[2]) != "" || !strings.Contains(m[1], "src=") {
				t.Errorf("%s: inline script: %q", p, m[0])
			}
		}
		for _, c := range evalCheck {
			if loc := c.re.FindStringIndex(src); loc != nil {
				t.Errorf("%s: %s at %q", p, c.name, src[loc[0]:min(len(src), loc[1]+30)])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStaticFS(t *testing.T) {
	st := Static()
	for _, f := range []string{"app.css", "app.js", "STYLEGUIDE.md", "vendor/htmx.min.js", "vendor/echarts.min.js",
		"vendor/htmx.LICENSE", "vendor/echarts.LICENSE", "vendor/echarts.NOTICE", "vendor/VERSIONS.txt"} {
		info, err := fs.Stat(st, f)
		if err != nil {
			t.Errorf("static lacks %s: %v", f, err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("%s is empty", f)
		}
	}
	checkVersion := func(file, marker string) {
		b, err := fs.ReadFile(st, file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(marker)) {
			t.Errorf("%s lacks %q", file, marker)
		}
	}
	checkVersion("vendor/htmx.min.js", `version:"2.`)
	checkVersion("vendor/echarts.min.js", `version="5.`)
	checkVersion("vendor/VERSIONS.txt", "htmx.org  2.")
	checkVersion("vendor/VERSIONS.txt", "echarts   5.")
	checkVersion("app.js", "X-CSRF-Token")
	checkVersion("app.js", "htmx:configRequest")
}

func TestWan(t *testing.T) {
	f := 12.5
	cases := []struct {
		in   any
		want string
	}{
		{1234.5, "1,234.5"},
		{0.0, "0"},
		{12.0, "12"},
		{999.999, "1,000"},
		{1234567.891, "1,234,567.89"},
		{100.10, "100.1"},
		{-9876543.2, "-9,876,543.2"},
		{-0.001, "0"},
		{0.05, "0.05"},
		{50, "50"},
		{int64(3000), "3,000"},
		{&f, "12.5"},
		{(*float64)(nil), "—"},
		{math.NaN(), "—"},
		{math.Inf(1), "—"},
		{"12", "—"},
		{nil, "—"},
	}
	for _, tc := range cases {
		if got := wan(tc.in); got != tc.want {
			t.Errorf("wan(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDate(t *testing.T) {
	utcLate := time.Date(2024, 3, 4, 17, 30, 0, 0, time.UTC) // 2024-03-05 01:30 in China
	mid := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		in          any
		date, dtime string
	}{
		{utcLate, "2024-03-05", "2024-03-05 01:30"},
		{mid, "2024-03-05", "2024-03-05 08:00"},
		{&mid, "2024-03-05", "2024-03-05 08:00"},
		{time.Time{}, "—", "—"},
		{(*time.Time)(nil), "—", "—"},
		{nil, "—", "—"},
	}
	for _, tc := range cases {
		if got := formatDate(tc.in); got != tc.date {
			t.Errorf("date(%v) = %q, want %q", tc.in, got, tc.date)
		}
		if got := formatDateTime(tc.in); got != tc.dtime {
			t.Errorf("datetime(%v) = %q, want %q", tc.in, got, tc.dtime)
		}
	}
}

func TestPageURL(t *testing.T) {
	cases := []struct {
		base string
		page int
		want string
	}{
		{"/projects", 2, "/projects?page=2"},
		{"/projects?q=芯片&stage=push", 3, "/projects?q=芯片&stage=push&page=3"},
		{"/projects?page=7&q=x", 2, "/projects?page=2&q=x"},
		{"/projects?q=x&page=7", 1, "/projects?q=x"},
		{"/projects?page=7", 1, "/projects"},
		{"/projects?page=1&page=9&q=x", 4, "/projects?page=4&q=x"},
		{"/projects?pages=3", 2, "/projects?pages=3&page=2"},
		{"/projects?q=x#list", 2, "/projects?q=x&page=2#list"},
		{"q=x&page=3", 5, "?q=x&page=5"},
		{"", 2, "?page=2"},
		{"", 1, "?"},
	}
	for _, tc := range cases {
		if got := pageURL(tc.base, tc.page); got != tc.want {
			t.Errorf("pageURL(%q, %d) = %q, want %q", tc.base, tc.page, got, tc.want)
		}
	}
}

func TestPageWindow(t *testing.T) {
	cases := []struct {
		page, pages int
		want        []int
	}{
		{1, 0, nil},
		{1, 1, []int{1}},
		{1, 5, []int{1, 2, 3, 4, 5}},
		{1, 20, []int{1, 2, 3, 0, 20}},
		{10, 20, []int{1, 0, 8, 9, 10, 11, 12, 0, 20}},
		{20, 20, []int{1, 0, 18, 19, 20}},
		{4, 20, []int{1, 2, 3, 4, 5, 6, 0, 20}},
	}
	for _, tc := range cases {
		got := pageWindow(tc.page, tc.pages)
		if !equalInts(got, tc.want) {
			t.Errorf("pageWindow(%d, %d) = %v, want %v", tc.page, tc.pages, got, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLabels(t *testing.T) {
	for _, st := range Stages {
		if Label("stage", st) == st {
			t.Errorf("stage %q has no label", st)
		}
		if stageClass(st) != "stage-"+st {
			t.Errorf("stageClass(%q) = %q", st, stageClass(st))
		}
	}
	if stageLabel("aftercare") != "后道服务" || roleLabel("field") != "区镇填报员" || roleLabel("admin") != "系统管理员" {
		t.Error("label table wrong")
	}
	if stageClass(`x" onclick="y`) != "" || stageLabel("bogus") != "bogus" {
		t.Error("unknown stage handling wrong")
	}
}

func TestDictSeq(t *testing.T) {
	m, err := dict("A", 1, "B", "x")
	if err != nil || m["A"] != 1 || m["B"] != "x" {
		t.Fatalf("dict = %v, %v", m, err)
	}
	if _, err := dict("A"); err == nil {
		t.Error("dict with odd args: want error")
	}
	if _, err := dict(1, 2); err == nil {
		t.Error("dict with non-string key: want error")
	}
	if got := seq(1, 3); !equalInts(got, []int{1, 2, 3}) {
		t.Errorf("seq(1,3) = %v", got)
	}
	if got := seq(3, 1); len(got) != 0 {
		t.Errorf("seq(3,1) = %v", got)
	}
}

// The partials in layout.html work when called from a page.
func TestPartials(t *testing.T) {
	s := mustSet(t)
	tpl, err := s.pages["empty"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err = tpl.New("probe").Parse(`{{template "stage" "decision"}}|{{template "pager" (dict "Base" "/projects?q=x" "Page" 2 "Pages" 9 "Total" 170)}}|{{template "emptyState" (dict "Heading" "暂无项目" "Text" "调整筛选条件")}}|{{wan 1234.5}}`)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{`<span class="badge stage-decision">评估决策</span>`, `href="/projects?q=x" rel="prev"`,
		`href="/projects?q=x&amp;page=3" rel="next"`, `<span class="current" aria-current="page">2</span>`, "共 170 条",
		`<span class="gap">…</span>`, "暂无项目", "1,234.5"} {
		if !strings.Contains(out, w) {
			t.Errorf("partials output lacks %q in %s", w, out)
		}
	}
}

func TestFormPartials(t *testing.T) {
	s := mustSet(t)
	probe := func(src string) string {
		t.Helper()
		tpl, err := s.pages["empty"].Clone()
		if err != nil {
			t.Fatal(err)
		}
		if tpl, err = tpl.New("probe").Parse(src); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := tpl.Execute(&buf, nil); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	cases := []struct {
		src       string
		want, not []string
	}{
		{`{{template "formKeys" (dict "CSRF" "tok" "ID" "" "Version" 3)}}`, []string{`name="_csrf" value="tok"`}, []string{`name="version"`}},
		{`{{template "formKeys" (dict "CSRF" "tok" "ID" "ev-1" "Version" 3)}}`, []string{`name="_csrf" value="tok"`, `name="version" value="3"`}, nil},
		{`{{template "formActions" (dict "Base" "/brokers" "ID" "" "Create" "登记" "Cancel" "btn")}}`,
			[]string{`type="submit">登记</button>`, `<a class="btn" href="/brokers">取消</a>`}, nil},
		{`{{template "formActions" (dict "Base" "/events" "ID" "ev-1")}}`,
			[]string{`type="submit">保存</button>`, `<a class="btn btn-link" href="/events/ev-1">取消</a>`}, nil},
		{`{{template "textField" (dict "ID" "ev-date" "Name" "date" "Label" "活动日期" "Value" "x" "Required" true "Max" 20 "Hint" "提示" "Error" "日期错")}}`,
			[]string{`<label for="ev-date">活动日期<span class="required"></span></label>`, `id="ev-date" name="date" value="x" required maxlength="20" aria-invalid="true"`,
				`<span class="hint">提示</span>`, `<span class="field-error">日期错</span>`}, []string{"placeholder"}},
	}
	for _, c := range cases {
		out := probe(c.src)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q in %s", c.src, w, out)
			}
		}
		for _, w := range c.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: output has %q in %s", c.src, w, out)
			}
		}
	}
}

// ZS_TEMPLATES_PREVIEW=/dir go test -run TestWritePreview ./templates/ writes
// login.html, error.html and empty.html with /static/ pointing at this folder,
// for looking at them in a browser.
func TestWritePreview(t *testing.T) {
	dir := os.Getenv("ZS_TEMPLATES_PREVIEW")
	if dir == "" {
		t.Skip("set ZS_TEMPLATES_PREVIEW to write preview pages")
	}
	abs, err := filepath.Abs("static")
	if err != nil {
		t.Fatal(err)
	}
	s := mustSet(t)
	pages := []struct {
		file, page string
		shell      Shell
		data       any
	}{
		{"login.html", "login", Shell{Title: "登录", CSRF: "preview"}, LoginData{}},
		{"login-error.html", "login", Shell{Title: "登录", CSRF: "preview"}, LoginData{Username: "zhangsan", Error: "用户名或密码错误"}},
		{"error.html", "error", Shell{Title: "页面不存在", User: officer(), Nav: "projects", RequestID: "7f3a9c2e"}, ErrorData{Status: 404, Message: "您访问的项目不存在或已被删除。"}},
		{"empty.html", "empty", Shell{Title: "活动", Nav: "events", User: admin(), Flash: "导入完成：新增 120 条，拒绝 3 条。", FlashKind: "ok"},
			EmptyData{Heading: "活动管理将在后续版本提供", Text: "本版本尚未包含活动的录入与统计页面。",
				Links: []Link{{"/imports", "去导入导出"}, {"/", "返回工作台"}}}},
	}
	for _, p := range pages {
		out := render(t, s, p.page, p.shell, p.data)
		out = strings.ReplaceAll(out, `"/static/`, `"file://`+abs+`/`)
		if err := os.WriteFile(filepath.Join(dir, p.file), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
