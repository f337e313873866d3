package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"zhaoshang/app/testapp"
)

// demoRole is one demo user of a role (README: password Demo@2025).
type demoRole struct{ role, user, password string }

var demoRoles = []demoRole{
	{"admin", "admin", testapp.AdminPassword},
	{"manager", "gxq_wang", "Demo@2025"},
	{"officer", "gxq_gu", "Demo@2025"},
	{"field", "gxq_ma", "Demo@2025"},
}

// TestEveryOfferedLinkWorks signs in as each demo role and follows every
// same-origin link the pages offer (a[href], hx-get, GET forms with their
// default values) from the navigation two levels deep (the pages the
// navigation opens and the pages they link to are crawled; what those link
// to is fetched): no link may answer 404, 400 or 5xx, nor 403 — a record
// outside the viewer's scope opens a card instead. Then the pipeline's own
// links: the kanban's "more" link, 清除筛选 and the board's stage filter.
func TestEveryOfferedLinkWorks(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)

	var wg sync.WaitGroup
	results := make([]crawlResult, len(demoRoles))
	for i, r := range demoRoles {
		c := a.Client(t).Login(r.user, r.password)
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = crawl(c, crawlExpand, crawlPerRole)
		}()
	}
	wg.Wait()
	for i, r := range demoRoles {
		res := results[i]
		t.Logf("%s (%s): %d links fetched in %.1f s, %d opened as out-of-scope cards", r.role, r.user, res.fetched, res.took.Seconds(), len(res.cards))
		for _, f := range res.failures {
			t.Errorf("%s (%s): %s", r.role, r.user, f)
		}
		if res.fetched < 100 {
			t.Errorf("%s: only %d links fetched", r.role, res.fetched)
		}
	}
	// The officer meets other units' records through links (a project's
	// talent, an event's participants, a deal's broker): they open as cards,
	// while the API still refuses them.
	officer := results[slices.IndexFunc(demoRoles, func(r demoRole) bool { return r.role == "officer" })]
	if len(officer.cards) == 0 {
		t.Error("the officer's crawl met no record outside the officer's scope; the card is untested")
	}
	oc := a.Client(t).Login("gxq_gu", "Demo@2025")
	for _, p := range officer.cards[:min(len(officer.cards), 5)] {
		if api := apiPathOf(p); api != "" {
			if st, _ := oc.Do("GET", api, nil, nil); st != 403 {
				t.Errorf("%s opened as a card, but GET %s answers %d, want 403", p, api, st)
			}
		}
	}

	t.Run("pages name people and records, not ids", func(t *testing.T) {
		c := a.Client(t).Login("gxq_gu", "Demo@2025")
		type project struct {
			ID          string `json:"id"`
			SourceEvent string `json:"source_event"`
		}
		var list struct {
			Items []project `json:"items"`
		}
		decode(t, mustGet(t, c, "/api/v1/projects?officer=gxq_gu&per_page=50"), &list)
		i := slices.IndexFunc(list.Items, func(p project) bool { return p.SourceEvent != "" })
		if i < 0 {
			t.Fatal("no project of gxq_gu with a source event")
		}
		p := list.Items[i]
		var ev struct {
			Title string `json:"title"`
		}
		decode(t, mustGet(t, a.Admin(t), "/api/v1/events/"+p.SourceEvent), &ev)
		page := mustGet(t, c, "/projects/"+p.ID)
		for _, want := range []string{"顾航", `<a href="/events/` + p.SourceEvent + `">` + html.EscapeString(ev.Title) + `</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("/projects/%s lacks %q", p.ID, want)
			}
		}
		if strings.Contains(page, "由 gxq_gu") {
			t.Errorf("/projects/%s names a user by id", p.ID)
		}
		if edit := mustGet(t, c, "/projects/"+p.ID+"/edit"); !strings.Contains(edit, `<option value="gxq_gu" selected>顾航</option>`) {
			t.Errorf("/projects/%s/edit does not offer its 负责人 by name", p.ID)
		}
		// A bulk result names the projects, the refused ones too.
		var early struct {
			Items []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		decode(t, mustGet(t, c, "/api/v1/projects?officer=gxq_gu&stage=search&per_page=1"), &early)
		if len(early.Items) == 0 {
			t.Fatal("no 资源搜索 project of gxq_gu")
		}
		st, res := postForm(c, "/projects/bulk", url.Values{"ids": {early.Items[0].ID}, "action": {"move"}, "to": {"aftercare"}})
		if st != 200 || !strings.Contains(res, "失败</span>") || !strings.Contains(res, html.EscapeString(early.Items[0].Name)+"</a>") {
			t.Errorf("bulk result of a refused move: %d, want the project's name; %.300s", st, res)
		}
		// The 负责人 filter is a choice among the unit's members.
		listPage := mustGet(t, c, "/projects?reset=1")
		if !strings.Contains(listPage, `<option value="gxq_gu">顾航</option>`) || !strings.Contains(listPage, `<option value="gxq_wang">王芳芳（管理者）</option>`) {
			t.Error("the 负责人 filter does not offer the unit's members by name")
		}
		if strings.Contains(listPage, `<option value="kfq_`) {
			t.Error("the 负责人 filter offers another unit's members")
		}
	})

	t.Run("kanban more links list the column", func(t *testing.T) {
		admin := a.Admin(t)
		board := mustGet(t, admin, "/projects/board?reset=1&industry="+urlq("电子信息"))
		more := attrValues(board, "a", "href", func(n *html.Node) bool { return hasClass(n, "kanban-more") })
		if len(more) == 0 {
			t.Fatal("the board has no 还有 N 个… link")
		}
		for _, href := range more {
			u := mustURL(t, href)
			stage := u.Query().Get("stage")
			if u.Path != "/projects" || stage == "" || u.Query().Get("industry") != "电子信息" {
				t.Errorf("more link %s: want /projects with the board's filters and the column's stage", href)
				continue
			}
			st, list := admin.Do("GET", href, nil, nil)
			if st != 200 {
				t.Errorf("%s: %d", href, st)
				continue
			}
			col := columnCount(board, stage)
			if want := fmt.Sprintf("共 %s 个项目", col); col == "" || !strings.Contains(list, want) {
				t.Errorf("%s: the list lacks %q (the column's count)", href, want)
			}
		}
	})

	t.Run("the board's stage filter keeps one column", func(t *testing.T) {
		admin := a.Admin(t)
		all := mustGet(t, admin, "/projects/board?reset=1")
		one := mustGet(t, admin, "/projects/board?stage=attract")
		if cols := attrValues(one, "section", "data-stage", nil); !slices.Equal(cols, []string{"attract"}) {
			t.Errorf("board?stage=attract shows columns %v, want [attract]", cols)
		}
		if got, want := columnCount(one, "attract"), columnCount(all, "attract"); got == "" || got != want {
			t.Errorf("attract column counts %q filtered, %q unfiltered", got, want)
		}
	})

	t.Run("清除筛选 forgets the remembered filter", func(t *testing.T) {
		c := a.Client(t).Login("gxq_gu", "Demo@2025")
		for _, base := range []string{"/projects", "/projects/board"} {
			filtered := mustGet(t, c, base+"?stage=attract")
			if st, _ := c.Do("GET", base, nil, nil); st != 303 {
				t.Fatalf("%s after a filter: %d, want 303 to the remembered filter", base, st)
			}
			var reset string
			for _, h := range attrValues(filtered, "a", "href", nil) {
				if strings.Contains(h, "reset=1") {
					reset = h
				}
			}
			if reset == "" {
				t.Fatalf("%s offers no 清除筛选 link", base)
			}
			ref := mustURL(t, a.URL+base).ResolveReference(mustURL(t, reset))
			mustGet(t, c, ref.RequestURI())
			if st, _ := c.Do("GET", base, nil, nil); st != 200 {
				t.Errorf("%s after 清除筛选: %d, want 200 (no remembered filter)", base, st)
			}
		}
	})
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
}

func mustGet(t *testing.T, c *testapp.Client, path string) string {
	t.Helper()
	st, body := c.Do("GET", path, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d", path, st)
	}
	return body
}

// columnCount is the count a kanban column shows.
func columnCount(board, stage string) string {
	doc, err := html.Parse(strings.NewReader(board))
	if err != nil {
		return ""
	}
	var out string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "section" && attr(n, "data-stage") == stage {
			walk(n, func(m *html.Node) {
				if out == "" && m.Type == html.ElementNode && hasAttr(m, "data-count") {
					out = strings.TrimSpace(text(m))
				}
			})
		}
	})
	return out
}

type crawlResult struct {
	fetched  int
	took     time.Duration
	failures []string
	cards    []string // pages answered with the out-of-scope card
}

// Bounds of one role's crawl: pages up to crawlExpand links away from "/"
// are read for links (the navigation is 1, its pages' links 2); links
// taken from one page; links of one shape (a path with its ids blanked and
// its query keys) overall; fetches.
const (
	crawlExpand   = 2
	crawlPerPage  = 40
	crawlPerShape = 6
	crawlPerRole  = 600
)

// skipLink: downloads (exports, templates, attachments) are heavy and
// tested elsewhere; static assets are not pages.
var skipLink = regexp.MustCompile(`^/(static/|logout)|\.xlsx|/export|/attachments/|/download|/templates/`)

// crawl follows links breadth first from "/" (depth 0): pages up to depth
// expand are read for links; the links found on them are fetched.
func crawl(c *testapp.Client, expand, limit int) crawlResult {
	t0 := time.Now()
	type item struct {
		path, from string
		depth      int
	}
	var res crawlResult
	seen := map[string]bool{"/": true}
	shapes := map[string]int{}
	queue := []item{{path: "/"}}
	for len(queue) > 0 && res.fetched < limit {
		it := queue[0]
		queue = queue[1:]
		st, ctype, loc, body := fetch(c, it.path)
		res.fetched++
		switch {
		case st == 404 || st == 400 || st == 403 || st >= 500:
			res.failures = append(res.failures, fmt.Sprintf("GET %s (linked from %s): %d %s", it.path, it.from, st, pageMessage(body)))
			continue
		case st == 303 || st == 302:
			if p := localPath(c.App.URL, it.path, loc); p != "" && !seen[p] {
				seen[p] = true
				queue = append(queue, item{path: p, from: it.path + " (redirect)", depth: it.depth})
			}
			continue
		case st != 200:
			continue
		}
		if strings.Contains(body, `class="card outside-card"`) {
			res.cards = append(res.cards, it.path)
		}
		if it.depth > expand || !strings.HasPrefix(ctype, "text/html") {
			continue
		}
		taken := 0
		for _, href := range pageLinks(body) {
			p := localPath(c.App.URL, it.path, href)
			if p == "" || seen[p] || skipLink.MatchString(p) {
				continue
			}
			sh := shape(p)
			if shapes[sh] >= crawlPerShape {
				continue
			}
			if taken >= crawlPerPage {
				break
			}
			seen[p] = true
			shapes[sh]++
			taken++
			queue = append(queue, item{path: p, from: it.path, depth: it.depth + 1})
		}
	}
	res.took = time.Since(t0)
	sort.Strings(res.failures)
	return res
}

func fetch(c *testapp.Client, path string) (status int, ctype, location, body string) {
	resp, err := c.HTTP.Get(c.App.URL + path)
	if err != nil {
		return 599, "", "", err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Location"), string(b)
}

var digit = regexp.MustCompile(`\d`)

// shape is a link with its ids blanked and its query values dropped
// (/projects/p-000123?back=x → /projects/:id?back).
func shape(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if digit.MatchString(s) {
			segs[i] = ":id"
		}
	}
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(segs, "/") + "?" + strings.Join(keys, "&")
}

// localPath resolves href on page against the server and returns its path
// and query, or "" for other origins, fragments and non-http schemes.
func localPath(base, page, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	b, err := url.Parse(base + page)
	if err != nil {
		return ""
	}
	u, err := b.Parse(href)
	if err != nil || u.Scheme != b.Scheme || u.Host != b.Host {
		return ""
	}
	u.Fragment = ""
	return u.RequestURI()
}

// pageLinks lists what a page offers to open with GET: a[href], hx-get,
// and GET forms submitted with their default values.
func pageLinks(body string) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "a" && hasAttr(n, "href") && !hasAttr(n, "download") {
			out = append(out, attr(n, "href"))
		}
		if v := attr(n, "hx-get"); v != "" {
			out = append(out, v)
		}
		if n.Data == "form" && (attr(n, "method") == "" || strings.EqualFold(attr(n, "method"), "get")) {
			out = append(out, formURL(n))
		}
	})
	return out
}

// formURL is a GET form's action with its fields' default values, as a
// submit without typing sends them.
func formURL(form *html.Node) string {
	vals := url.Values{}
	walk(form, func(n *html.Node) {
		if n.Type != html.ElementNode || attr(n, "name") == "" || hasAttr(n, "disabled") {
			return
		}
		name := attr(n, "name")
		switch n.Data {
		case "input":
			switch strings.ToLower(attr(n, "type")) {
			case "submit", "button", "image", "file", "reset":
			case "checkbox", "radio":
				if hasAttr(n, "checked") {
					vals.Add(name, or(attr(n, "value"), "on"))
				}
			default:
				vals.Add(name, attr(n, "value"))
			}
		case "select":
			var first, chosen *html.Node
			walk(n, func(o *html.Node) {
				if o.Type == html.ElementNode && o.Data == "option" {
					if first == nil {
						first = o
					}
					if chosen == nil && hasAttr(o, "selected") {
						chosen = o
					}
				}
			})
			if chosen == nil {
				chosen = first
			}
			if chosen != nil {
				v := strings.TrimSpace(text(chosen))
				if hasAttr(chosen, "value") {
					v = attr(chosen, "value")
				}
				vals.Add(name, v)
			}
		case "textarea":
			vals.Add(name, text(n))
		}
	})
	action := attr(form, "action")
	if q := vals.Encode(); q != "" {
		return action + "?" + q
	}
	return or(action, "?")
}

func pageMessage(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	msg := ""
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && hasClass(n, "error-message") && msg == "" {
			msg = strings.TrimSpace(text(n))
		}
	})
	if msg == "" && len(body) < 300 {
		msg = body
	}
	return msg
}

// apiPathOf maps a record page to its JSON API path.
func apiPathOf(page string) string {
	u, err := url.Parse(page)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case len(segs) == 3 && segs[0] == "resources":
		return "/api/v1/" + segs[1] + "/" + segs[2]
	case len(segs) == 2 && (segs[0] == "events" || segs[0] == "brokers"):
		return "/api/v1/" + segs[0] + "/" + segs[1]
	}
	return ""
}

func attrValues(body, tag, name string, keep func(*html.Node) bool) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && hasAttr(n, name) && (keep == nil || keep(n)) {
			out = append(out, attr(n, name))
		}
	})
	return out
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(m *html.Node) {
		if m.Type == html.TextNode {
			b.WriteString(m.Data)
		}
	})
	return b.String()
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
