package meili

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/meilisearch/meilisearch-go"

	"zhaoshang/search"
)

var testSchema = search.Schema{
	"stage":   search.Keyword,
	"zone":    search.Keyword,
	"amount":  search.Number,
	"created": search.Date,
	"contact": search.Text,
}

// unquote mirrors Meilisearch's filter parser for a double-quoted value:
// \" becomes ", then Rust-style escapes (\\ → \) are resolved.
func unquote(t *testing.T, q string) string {
	t.Helper()
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		t.Fatalf("not quoted: %s", q)
	}
	body := q[1 : len(q)-1]
	// The value must end at the closing quote: every inner quote is escaped.
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			if i+1 == len(body) {
				t.Fatalf("dangling backslash in %s", q)
			}
			i++
		case '"':
			t.Fatalf("unescaped quote at %d in %s", i, q)
		}
	}
	body = strings.ReplaceAll(body, `\"`, `"`)
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' && i+1 < len(body) {
			i++
			switch body[i] {
			case '\\':
				b.WriteByte('\\')
			case '"':
				b.WriteByte('"')
			default:
				t.Fatalf("unexpected escape \\%c in %s", body[i], q)
			}
			continue
		}
		b.WriteByte(body[i])
	}
	return b.String()
}

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{`push`, `"push"`},
		{``, `""`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{`\"`, `"\\\""`},
		{`end\`, `"end\\"`},
		{`" OR kind EXISTS`, `"\" OR kind EXISTS"`},
		{`花桥 (二期)`, `"花桥 (二期)"`},
		{"tab\tnew\nline", "\"tab\tnew\nline\""},
	}
	for _, c := range cases {
		got := quote(c.in)
		if got != c.want {
			t.Errorf("quote(%q) = %s, want %s", c.in, got, c.want)
		}
		if back := unquote(t, got); back != c.in {
			t.Errorf("quote(%q) parses back as %q", c.in, back)
		}
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{`a"b`, `\`, `\\"`, `""\\`, "智能"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("values reach quote as valid UTF-8 (checkQuery), and JSON could not carry them otherwise")
		}
		if back := unquote(t, quote(s)); back != s {
			t.Errorf("quote(%q) parses back as %q", s, back)
		}
	})
}

func fp(f float64) *float64 { return &f }

func TestBuildFilter(t *testing.T) {
	day := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		q    search.Query
		want string
	}{
		{"all, nothing else", search.Query{Scope: search.Scope{All: true}}, ``},
		{"kinds", search.Query{Scope: search.Scope{All: true}, Kinds: []string{"projects", "events"}},
			`kind IN ["projects", "events"]`},
		{"units", search.Query{Scope: search.Scope{Units: []string{"u1", `u"2`}}},
			`units IN ["u1", "u\"2"]`},
		{"kinds and units", search.Query{Kinds: []string{"projects"}, Scope: search.Scope{Units: []string{"u1"}}},
			`(kind IN ["projects"]) AND (units IN ["u1"])`},
		{"keyword values", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "stage", Values: []string{"push", "attract"}}}},
			`stage IN ["push", "attract"]`},
		{"two fields are and-ed", search.Query{Scope: search.Scope{All: true}, Filters: []search.Filter{
			{Field: "stage", Values: []string{"push"}}, {Field: "zone", Values: []string{"花桥"}}}},
			`(stage IN ["push"]) AND (zone IN ["花桥"])`},
		{"missing", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "zone", Missing: true}}},
			`zone NOT EXISTS`},
		{"missing or values", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "zone", Missing: true, Values: []string{"花桥"}}}},
			`(zone IN ["花桥"]) OR (zone NOT EXISTS)`},
		{"number range", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "amount", Min: fp(-1.5), Max: fp(1e21)}}},
			`amount >= -1.5 AND amount <= 1000000000000000000000`},
		{"number min only", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "amount", Min: fp(250.5)}}},
			`amount >= 250.5`},
		{"number max or missing", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "amount", Max: fp(3), Missing: true}}},
			`(amount <= 3) OR (amount NOT EXISTS)`},
		{"date range in seconds", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "created", From: day, To: day.Add(24 * time.Hour)}}},
			fmt.Sprintf(`created >= %d AND created < %d`, day.Unix(), day.Unix()+86400)},
		{"sub-second bounds round up", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "created", From: day.Add(time.Millisecond), To: day.Add(time.Second + time.Nanosecond)}}},
			fmt.Sprintf(`created >= %d AND created < %d`, day.Unix()+1, day.Unix()+2)},
		{"date in another zone", search.Query{Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "created", To: day.In(time.FixedZone("CST", 8*3600))}}},
			fmt.Sprintf(`created < %d`, day.Unix())},
		{"units filter", search.Query{Scope: search.Scope{Units: []string{"u1", "u2"}},
			Filters: []search.Filter{{Field: search.UnitsField, Values: []string{"u2"}}}},
			`(units IN ["u1", "u2"]) AND (units IN ["u2"])`},
		{"everything", search.Query{Kinds: []string{"projects"}, Scope: search.Scope{Units: []string{"u1"}},
			Filters: []search.Filter{{Field: "stage", Values: []string{"push"}, Missing: true}, {Field: "amount", Min: fp(1)}}},
			`(kind IN ["projects"]) AND (units IN ["u1"]) AND ((stage IN ["push"]) OR (stage NOT EXISTS)) AND (amount >= 1)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := search.CheckQuery(testSchema, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := buildFilter(testSchema, q); got != c.want {
				t.Errorf("filter\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestBuildSort(t *testing.T) {
	cases := []struct {
		name string
		q    search.Query
		want []string
	}{
		{"default", search.Query{}, []string{"id:asc", "kind:asc"}},
		{"relevance", search.Query{Text: "智能"}, nil},
		{"blank text is not relevance", search.Query{Text: "  "}, []string{"id:asc", "kind:asc"}},
		{"explicit", search.Query{Text: "智能", Sort: []search.Sort{{Field: "amount", Desc: true}, {Field: "stage"}}},
			[]string{"amount:desc", "stage:asc", "id:asc", "kind:asc"}},
	}
	for _, c := range cases {
		if got := buildSort(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s: sort = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBuildSettings(t *testing.T) {
	b, err := json.Marshal(buildSettings(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		RankingRules         []string `json:"rankingRules"`
		SearchableAttributes []string `json:"searchableAttributes"`
		FilterableAttributes []string `json:"filterableAttributes"`
		SortableAttributes   []string `json:"sortableAttributes"`
		Pagination           struct {
			MaxTotalHits int64 `json:"maxTotalHits"`
		} `json:"pagination"`
		Faceting struct {
			MaxValuesPerFacet int64 `json:"maxValuesPerFacet"`
		} `json:"faceting"`
		TypoTolerance json.RawMessage `json:"typoTolerance"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want []string
	}{
		{"ranking", got.RankingRules, []string{"sort", "words", "typo", "proximity", "attribute", "exactness"}},
		{"searchable", got.SearchableAttributes, []string{"title", "body", "contact", "pinyin", "pinyin_initials"}},
		{"filterable", got.FilterableAttributes, []string{"kind", "units", "id", "amount", "created", "stage", "zone"}},
		{"sortable", got.SortableAttributes, []string{"id", "kind", "amount", "created", "stage", "zone"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.Pagination.MaxTotalHits != 1_000_000 || got.Faceting.MaxValuesPerFacet != 10_000 {
		t.Errorf("caps: maxTotalHits %d, maxValuesPerFacet %d", got.Pagination.MaxTotalHits, got.Faceting.MaxValuesPerFacet)
	}
	if got.TypoTolerance != nil {
		t.Errorf("typo tolerance should stay default, got %s", got.TypoTolerance)
	}
}

func TestDocumentAndDecode(t *testing.T) {
	created := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	d, err := search.NormalizeDoc(testSchema, search.Doc{
		Kind: "projects", ID: "p-1_A", Version: 7, Title: "标题", Body: "正文",
		Fields: map[string]any{"stage": []string{"push"}, "zone": []string{"a", "b"}, "amount": 3, "created": created, "contact": "王五"},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(document(d))
	if err != nil {
		t.Fatal(err)
	}
	var hit meilisearch.Hit
	if err := json.Unmarshal(b, &hit); err != nil {
		t.Fatal(err)
	}
	if got := string(hit["uid"]); got != `"projects_p-1_A"` {
		t.Errorf("uid = %s", got)
	}
	if got := string(hit["created"]); got != fmt.Sprint(created.Unix()) {
		t.Errorf("created = %s, want unix seconds", got)
	}
	if got := string(hit["units"]); got != `[]` {
		t.Errorf("units = %s, want []", got)
	}
	e := &Engine{schema: testSchema}
	h, err := e.hit(hit, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"stage": "push", "zone": []string{"a", "b"}, "amount": 3.0, "created": created, "contact": "王五"}
	for k, v := range want {
		got := h.Fields[k]
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", v) {
			t.Errorf("field %s = %#v, want %#v", k, got, v)
		}
	}
	if h.Kind != "projects" || h.ID != "p-1_A" || h.Version != 7 || h.Title != "标题" || h.Units != nil {
		t.Errorf("hit envelope = %+v", h)
	}
}

func TestDecodeField(t *testing.T) {
	cases := []struct {
		t    search.FieldType
		raw  string
		want any
		ok   bool
	}{
		{search.Keyword, `"a"`, "a", true},
		{search.Keyword, `["a"]`, "a", true},
		{search.Keyword, `["a","b"]`, []string{"a", "b"}, true},
		{search.Keyword, `[]`, nil, false},
		{search.Keyword, `null`, nil, false},
		{search.Keyword, ``, nil, false},
		{search.Number, `250.5`, 250.5, true},
		{search.Number, `-3`, -3.0, true},
		{search.Date, `1705311000`, time.Unix(1705311000, 0).UTC(), true},
		{search.Text, `"张伟"`, "张伟", true},
	}
	for _, c := range cases {
		got, ok, err := decodeField(c.t, json.RawMessage(c.raw))
		if err != nil || ok != c.ok || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", c.want) {
			t.Errorf("decodeField(%d, %s) = %#v %v %v, want %#v %v", c.t, c.raw, got, ok, err, c.want, c.ok)
		}
	}
	if _, _, err := decodeField(search.Number, json.RawMessage(`"x"`)); err == nil {
		t.Error("a string number should fail to decode")
	}
}

func TestFormatted(t *testing.T) {
	cases := []struct{ in, want string }{
		{"苏州某某" + preTag + "智能" + postTag + preTag + "装备" + postTag, "苏州某某<mark>智能</mark><mark>装备</mark>"},
		{`<b>昆山</b> & "x"`, `&lt;b&gt;昆山&lt;/b&gt; &amp; &#34;x&#34;`},
		{"<mark>" + preTag + "a" + postTag, "&lt;mark&gt;<mark>a</mark>"},
	}
	for _, c := range cases {
		if got := formatted(c.in); got != c.want {
			t.Errorf("formatted(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWrap(t *testing.T) {
	apiErr := func(status int, code meilisearch.APIErrCode) error {
		return &meilisearch.Error{StatusCode: status, ErrCode: meilisearch.APIError,
			APIError: meilisearch.APIErrorDetails{Code: code}}
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"communication", &meilisearch.Error{ErrCode: meilisearch.CommunicationError}, search.ErrUnavailable},
		{"timeout", &meilisearch.Error{ErrCode: meilisearch.TimeoutError}, search.ErrUnavailable},
		{"server error", apiErr(500, meilisearch.APIErrCodeInternal), search.ErrUnavailable},
		{"bad key", apiErr(403, meilisearch.APIErrCodeInvalidAPIKey), search.ErrUnavailable},
		{"bad filter", apiErr(400, "invalid_search_filter"), search.ErrBadQuery},
		{"plain", errors.New("boom"), search.ErrUnavailable},
	}
	for _, c := range cases {
		if got := wrap("op", c.err); !errors.Is(got, c.want) || !errors.Is(got, c.err) {
			t.Errorf("%s: wrap = %v, want it to wrap %v and the cause", c.name, got, c.want)
		}
	}
}

func TestCheckSchema(t *testing.T) {
	for _, s := range []search.Schema{{"title": search.Keyword}, {"Stage": search.Keyword}, {"_x": search.Number}, {"x": 0}} {
		if err := search.CheckSchema(s); err == nil {
			t.Errorf("schema %v accepted", s)
		}
	}
	if err := search.CheckSchema(testSchema); err != nil {
		t.Error(err)
	}
}

func TestDocumentCarriesPinyin(t *testing.T) {
	d, err := search.NormalizeDoc(testSchema, search.Doc{Kind: "enterprises", ID: "e1", Version: 1,
		Title: "苏州某某智能装备有限公司", Units: []string{"u1"}})
	if err != nil {
		t.Fatal(err)
	}
	m := document(d)
	full, _ := m[search.PinyinField].(string)
	initials, _ := m[search.InitialsField].(string)
	if !slices.Contains(strings.Fields(full), "zhinengzhuangbeiyouxiangongsi") ||
		!slices.Contains(strings.Fields(initials), "znzbyxgs") {
		t.Errorf("pinyin %q initials %q", full, initials)
	}
	e := &Engine{schema: testSchema, textFlds: []string{"contact"}, retrieve: []string{"kind", "id", "version", "units", "title"}}
	req := e.request(search.Query{Text: "znzb", Highlight: true, Scope: search.Scope{All: true}})
	for _, attrs := range [][]string{req.AttributesToRetrieve, req.AttributesToHighlight, req.AttributesToCrop} {
		if slices.Contains(attrs, search.PinyinField) || slices.Contains(attrs, search.InitialsField) {
			t.Errorf("pinyin must not be retrieved, highlighted or cropped: %v", attrs)
		}
	}
	latin, err := search.NormalizeDoc(testSchema, search.Doc{Kind: "enterprises", ID: "e2", Version: 1, Title: "Siemens"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := document(latin)[search.PinyinField]; ok {
		t.Error("a title without Han characters has no pinyin")
	}
}
