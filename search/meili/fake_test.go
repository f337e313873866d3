package meili

// These tests check the requests the engine sends and how it reads answers,
// against a loopback stand-in that returns canned Meilisearch responses. They
// prove the wiring, not Meilisearch's behaviour: that is TestContract's job.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhaoshang/search"
)

type call struct {
	method, path, auth string
	body               map[string]any
	raw                string
}

type fakeServer struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []call
	routes map[string]func(c call) (int, string) // "METHOD /path"
	taskID int
	failed map[string]string // task status override by route
}

const taskJSON = `{"taskUid":%d,"indexUid":"t","status":"enqueued","type":"x","enqueuedAt":"2024-01-01T00:00:00Z"}`

func newFake(t *testing.T) (*fakeServer, string) {
	f := &fakeServer{t: t, routes: map[string]func(call) (int, string){}, failed: map[string]string{}}
	f.routes["GET /indexes/t"] = func(call) (int, string) { return 200, `{"uid":"t","primaryKey":"uid"}` }
	f.routes["PATCH /indexes/t/settings"] = f.task
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

// task answers an asynchronous route with a new task id.
func (f *fakeServer) task(call) (int, string) {
	f.taskID++
	return 202, fmt.Sprintf(taskJSON, f.taskID)
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	c := call{method: r.Method, path: r.URL.Path, auth: r.Header.Get("Authorization"), raw: string(raw)}
	_ = json.Unmarshal(raw, &c.body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	w.Header().Set("Content-Type", "application/json")
	if r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/tasks/") {
		id := strings.TrimPrefix(r.URL.Path, "/tasks/")
		if msg, ok := f.failed[id]; ok {
			fmt.Fprintf(w, `{"uid":%s,"status":"failed","type":"x","error":{"message":%q,"code":"invalid_document_fields"},"enqueuedAt":"2024-01-01T00:00:00Z"}`, id, msg)
			return
		}
		fmt.Fprintf(w, `{"uid":%s,"status":"succeeded","type":"x","enqueuedAt":"2024-01-01T00:00:00Z"}`, id)
		return
	}
	h, ok := f.routes[r.Method+" "+r.URL.Path]
	if !ok {
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		w.WriteHeader(500)
		return
	}
	status, body := h(c)
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// take returns and forgets the recorded calls other than task polls.
func (f *fakeServer) take() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if !strings.HasPrefix(c.path, "/tasks/") {
			out = append(out, c)
		}
	}
	f.calls = nil
	return out
}

func testCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestNewCreatesIndexAndAppliesSettings(t *testing.T) {
	f, url := newFake(t)
	f.routes["GET /indexes/t"] = func(call) (int, string) {
		return 404, `{"message":"Index t not found.","code":"index_not_found","type":"invalid_request","link":""}`
	}
	f.routes["POST /indexes"] = f.task
	e, err := New(testCtx(t), url, "secret", "t", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	calls := f.take()
	var paths []string
	for _, c := range calls {
		paths = append(paths, c.method+" "+c.path)
		if c.auth != "Bearer secret" {
			t.Errorf("%s %s: Authorization %q", c.method, c.path, c.auth)
		}
	}
	if want := []string{"GET /indexes/t", "POST /indexes", "PATCH /indexes/t/settings"}; !slices.Equal(paths, want) {
		t.Fatalf("calls = %v, want %v", paths, want)
	}
	if calls[1].body["uid"] != "t" || calls[1].body["primaryKey"] != "uid" {
		t.Errorf("create index body = %s", calls[1].raw)
	}
	settings := calls[2].body
	if p := settings["pagination"].(map[string]any); p["maxTotalHits"] != 1e6 {
		t.Errorf("settings pagination = %v", p)
	}
	if fa := settings["faceting"].(map[string]any); fa["maxValuesPerFacet"] != 1e4 {
		t.Errorf("settings faceting = %v", fa)
	}
}

func TestNewRefusesOtherPrimaryKey(t *testing.T) {
	f, url := newFake(t)
	f.routes["GET /indexes/t"] = func(call) (int, string) { return 200, `{"uid":"t","primaryKey":"id"}` }
	if _, err := New(testCtx(t), url, "", "t", testSchema); err == nil || !strings.Contains(err.Error(), "primary key") {
		t.Errorf("err = %v, want a primary key error", err)
	}
}

func TestUnreachableIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	if _, err := New(testCtx(t), url, "", "t", testSchema); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("New: err = %v, want ErrUnavailable", err)
	}
	f, url := newFake(t)
	e, err := New(testCtx(t), url, "", "t", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	f.routes["POST /indexes/t/search"] = func(call) (int, string) {
		return 500, `{"message":"boom","code":"internal","type":"internal","link":""}`
	}
	if _, err := e.Search(testCtx(t), search.Query{Scope: search.Scope{All: true}}); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("Search: err = %v, want ErrUnavailable", err)
	}
	f.routes["GET /health"] = func(call) (int, string) { return 200, `{"status":"available"}` }
	if err := e.Health(testCtx(t)); err != nil {
		t.Errorf("Health: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Health(ctx); !errors.Is(err, search.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Health with a cancelled context: %v", err)
	}
}

const searchAnswer = `{
 "hits":[{"kind":"projects","id":"p1","version":3,"units":["u1"],"title":"<b>昆山</b>",
  "stage":"push","zone":["a","b"],"amount":250.5,"created":1705311000,"_rankingScore":0.5,
  "_formatted":{"title":"<b>` + preTag + `昆山` + postTag + `</b>","body":"无匹配"}}],
 "totalHits":41,"totalPages":5,"page":1,"hitsPerPage":10,
 "facetDistribution":{"stage":{"push":3,"attract":1}}}`

func TestSearchRequestAndAnswer(t *testing.T) {
	f, url := newFake(t)
	e, err := New(testCtx(t), url, "", "t", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	f.take()
	f.routes["POST /indexes/t/search"] = func(call) (int, string) { return 200, searchAnswer }
	q := search.Query{
		Text: "昆山", Scope: search.Scope{Units: []string{"u1"}}, Highlight: true, Limit: 10,
		Filters: []search.Filter{{Field: "stage", Values: []string{`pu"sh`}}}, Facets: []string{"stage", "zone"},
	}
	res, err := e.Search(testCtx(t), q)
	if err != nil {
		t.Fatal(err)
	}
	calls := f.take()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	b := calls[0].body
	wantBody := map[string]any{
		"q": "昆山", "filter": `(units IN ["u1"]) AND (stage IN ["pu\"sh"])`, "hitsPerPage": 10.0, "page": 1.0,
		"matchingStrategy": "all", "highlightPreTag": preTag, "highlightPostTag": postTag, "showRankingScore": true,
	}
	for k, v := range wantBody {
		if b[k] != v {
			t.Errorf("request %s = %#v, want %#v", k, b[k], v)
		}
	}
	if r, _ := b["attributesToRetrieve"].([]any); !slices.Contains(r, any("body")) || !slices.Contains(r, any("stage")) {
		t.Errorf("a highlighted search must retrieve body (and the fields): %v", b["attributesToRetrieve"])
	}
	if _, ok := b["sort"]; ok {
		t.Errorf("relevance query sent a sort: %v", b["sort"])
	}
	if _, ok := b["offset"]; ok {
		t.Errorf("page-mode query sent an offset")
	}
	if res.Total != 41 || len(res.Hits) != 1 {
		t.Fatalf("total %d hits %d", res.Total, len(res.Hits))
	}
	h := res.Hits[0]
	if h.Highlight != "&lt;b&gt;<mark>昆山</mark>&lt;/b&gt;" {
		t.Errorf("highlight = %q", h.Highlight)
	}
	if h.Score != 0.5 || h.Version != 3 || !slices.Equal(h.Units, []string{"u1"}) {
		t.Errorf("hit = %+v", h)
	}
	if c, ok := h.Fields["created"].(time.Time); !ok || !c.Equal(time.Unix(1705311000, 0)) || c.Location() != time.UTC {
		t.Errorf("created = %#v", h.Fields["created"])
	}
	if res.Facets["stage"]["push"] != 3 || res.Facets["zone"] == nil || len(res.Facets["zone"]) != 0 {
		t.Errorf("facets = %v", res.Facets)
	}

	// An offset that is not a page boundary: count in page mode, fetch by offset.
	q = search.Query{Scope: search.Scope{All: true}, Offset: 5, Limit: 10, Facets: []string{"stage"},
		Sort: []search.Sort{{Field: "amount", Desc: true}}}
	res, err = e.Search(testCtx(t), q)
	if err != nil {
		t.Fatal(err)
	}
	calls = f.take()
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2", len(calls))
	}
	if c := calls[0].body; c["hitsPerPage"] != 0.0 || c["facets"] == nil {
		t.Errorf("count request = %s", calls[0].raw)
	}
	if c := calls[1].body; c["offset"] != 5.0 || c["limit"] != 10.0 || c["hitsPerPage"] != nil || c["facets"] != nil {
		t.Errorf("hits request = %s", calls[1].raw)
	}
	if got := fmt.Sprint(calls[1].body["sort"]); got != "[amount:desc id:asc kind:asc]" {
		t.Errorf("sort = %s", got)
	}
	if res.Total != 41 || res.Facets["stage"]["attract"] != 1 {
		t.Errorf("total %d facets %v", res.Total, res.Facets)
	}

	// The units facet is asked of the server like any keyword facet.
	// TitleOnly searches the title and its pinyin only.
	q = search.Query{Scope: search.Scope{Units: []string{"u1"}}, Facets: []string{search.UnitsField}, Text: "zhin", Prefix: true,
		TitleOnly: true}
	if _, err = e.Search(testCtx(t), q); err != nil {
		t.Fatal(err)
	}
	calls = f.take()
	if len(calls) != 1 || fmt.Sprint(calls[0].body["facets"]) != "[units]" || calls[0].body["q"] != "zhin" ||
		fmt.Sprint(calls[0].body["attributesToSearchOn"]) != "[title pinyin pinyin_initials]" {
		t.Errorf("units facet / title-only request = %v", calls)
	}

	// A zero scope never reaches the server.
	if res, err := e.Search(testCtx(t), search.Query{Facets: []string{"stage"}}); err != nil || res.Total != 0 {
		t.Errorf("zero scope: %+v %v", res, err)
	}
	if calls := f.take(); len(calls) != 0 {
		t.Errorf("zero scope sent %d requests", len(calls))
	}
}

func TestSumsWalkEveryPage(t *testing.T) {
	f, url := newFake(t)
	e, err := New(testCtx(t), url, "", "t", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	const total = 2500
	page := func(offset int) string {
		var hits []string
		for i := offset; i < min(offset+1000, total); i++ {
			stage := `"push"`
			if i%2 == 1 {
				stage = `["attract","push"]`
			}
			if i%5 == 0 {
				hits = append(hits, `{"stage":`+stage+`}`) // no amount
				continue
			}
			hits = append(hits, fmt.Sprintf(`{"stage":%s,"amount":%d.5}`, stage, i))
		}
		return "[" + strings.Join(hits, ",") + "]"
	}
	var want = map[string]float64{}
	for i := 0; i < total; i++ {
		if i%5 == 0 {
			continue
		}
		v := float64(i) + 0.5
		want["push"] += v
		if i%2 == 1 {
			want["attract"] += v
		}
	}
	f.routes["POST /indexes/t/documents/fetch"] = func(c call) (int, string) {
		off, _ := c.body["offset"].(float64) // omitted when 0
		return 200, fmt.Sprintf(`{"results":%s,"offset":%d,"limit":1000,"total":%d}`, page(int(off)), int(off), total)
	}
	f.routes["POST /indexes/t/search"] = func(c call) (int, string) {
		if hpp, ok := c.body["hitsPerPage"].(float64); ok && hpp == 1000 {
			p := int(c.body["page"].(float64))
			return 200, fmt.Sprintf(`{"hits":%s,"totalHits":%d,"totalPages":3,"page":%d,"hitsPerPage":1000}`, page((p-1)*1000), total, p)
		}
		return 200, fmt.Sprintf(`{"hits":[],"totalHits":%d,"totalPages":250,"page":1,"hitsPerPage":10}`, total)
	}
	f.take()
	for _, text := range []string{"", "新能源"} {
		res, err := e.Search(testCtx(t), search.Query{Text: text, Scope: search.Scope{Units: []string{"u1"}},
			Sums: []string{"amount"}, GroupBy: "stage", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Sums["amount"]; len(got) != 2 || got["push"] != want["push"] || got["attract"] != want["attract"] {
			t.Errorf("text %q: sums = %v, want %v", text, got, want)
		}
		var pages []string
		for _, c := range f.take()[1:] {
			if c.body["filter"] != `units IN ["u1"]` {
				t.Errorf("sum page filter = %v", c.body["filter"])
			}
			pages = append(pages, fmt.Sprint(c.path, c.body["offset"], c.body["page"]))
		}
		if len(pages) != 3 {
			t.Errorf("text %q: sum pages = %v, want 3", text, pages)
		}
	}
}

func TestWritesWaitForTasks(t *testing.T) {
	f, url := newFake(t)
	e, err := New(testCtx(t), url, "", "t", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	f.routes["POST /indexes/t/documents"] = f.task
	f.routes["POST /indexes/t/documents/delete-batch"] = f.task
	f.routes["POST /indexes/t/documents/delete"] = f.task
	f.routes["POST /indexes/t/documents/fetch"] = func(call) (int, string) {
		return 200, `{"results":[{"id":"a","version":4}],"offset":0,"limit":2,"total":1}`
	}
	f.take()

	docs := make([]search.Doc, 1500)
	for i := range docs {
		docs[i] = search.Doc{Kind: "projects", ID: fmt.Sprint("p", i), Version: 1, Title: "项目",
			Fields: map[string]any{"created": time.Unix(1705311000, 0)}}
	}
	if err := e.Index(testCtx(t), docs...); err != nil {
		t.Fatal(err)
	}
	calls := f.take()
	if len(calls) != 2 || !strings.Contains(calls[0].raw, `"uid":"projects_p0"`) || !strings.Contains(calls[0].raw, `"created":1705311000`) {
		t.Errorf("index calls = %d, first = %.200s", len(calls), calls[0].raw)
	}

	f.failed[fmt.Sprint(f.taskID+1)] = "document has a bad field"
	if err := e.Index(testCtx(t), docs[0]); err == nil || !strings.Contains(err.Error(), "bad field") {
		t.Errorf("failed task: err = %v", err)
	}
	f.take()

	if err := e.Delete(testCtx(t), "projects", "a", "bad/id", "b"); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(testCtx(t), "projects", "bad/id"); err != nil {
		t.Fatal(err)
	}
	if err := e.Reset(testCtx(t), `ev"ents`); err != nil {
		t.Fatal(err)
	}
	v, err := e.Versions(testCtx(t), "projects", []string{"b", "a", "a", "x/y"})
	if err != nil || v["a"] != 4 || len(v) != 1 {
		t.Errorf("versions = %v, %v", v, err)
	}
	calls = f.take()
	var got []string
	for _, c := range calls {
		got = append(got, c.path+" "+strings.TrimSpace(c.raw))
	}
	want := []string{
		`/indexes/t/documents/delete-batch ["projects_a","projects_b"]`,
		`/indexes/t/documents/delete {"filter":"kind = \"ev\\\"ents\""}`,
		`/indexes/t/documents/fetch {"limit":2,"fields":["id","version"],"filter":"kind = \"projects\" AND id IN [\"a\", \"b\"]"}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls\n got %q\nwant %q", got, want)
	}
}
