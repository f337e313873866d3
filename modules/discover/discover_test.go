package discover_test

import (
	"context"
	"encoding/json"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/discover"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		name, raw, field string
	}{
		{"empty", "", ""},
		{"facets", "q=x&industry=a&industry=b&kind=talents,projects&page=2", ""},
		{"long q", "q=" + strings.Repeat("智", 201), "q"},
		{"200 runes ok", "q=" + strings.Repeat("智", 200), ""},
		{"unknown facet", "colour=red", "colour"},
		{"unknown kind", "kind=widgets", "kind"},
		{"bad page", "page=0", "page"},
		{"window", "page=51", "page"},
		{"per_page", "per_page=101", "per_page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals, _ := url.ParseQuery(tc.raw)
			_, err := discover.ParseQuery(vals)
			fe, _ := core.AsFieldError(err)
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.field != "" && (fe == nil || fe.Field != tc.field):
				t.Fatalf("err = %v, want field %s", err, tc.field)
			}
		})
	}
}

type result struct {
	Items  []struct{ Kind, ID, Title, Highlight string }
	Total  int
	Facets map[string]map[string]int
}

func get(t *testing.T, c *testapp.Client, path string) result {
	t.Helper()
	st, body := c.Do("GET", path, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", path, st, body)
	}
	var r result
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, n := range r.Facets["kind"] {
		sum += n
	}
	if !strings.Contains(path, "kind=") && sum != r.Total {
		t.Errorf("%s: total %d != sum of kind counts %d (%v)", path, r.Total, sum, r.Facets["kind"])
	}
	return r
}

// searchWorld is a running app with the officers kfq_li (kfq) and gxq_wu
// (gxq) and the kfq industry project and enterprise on 智能装备 that the
// search tests start from; must fails the test on an error.
func searchWorld(t *testing.T) (a *testapp.App, must func(error)) {
	t.Helper()
	a = testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, unit string }{{"kfq_li", "kfq"}, {"gxq_wu", "gxq"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, users.RoleOfficer, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	must = func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.P.Projects.Create(ctx, core.System, &projects.Project{Type: projects.TypeIndustry, Name: "苏州某某智能装备有限公司扩产项目",
		Unit: "kfq", Officer: "kfq_li", Stage: projects.StageAttract, Industry: "高端装备", CreditCode: "91320583MA1MXXXX0X"}))
	must(a.P.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Name: "苏州某某智能装备有限公司",
		CreditCode: "91320583MA1N0K3X2T", Industry: "高端装备", Unit: "kfq"}))
	return a, must
}

func TestSearch(t *testing.T) {
	a, must := searchWorld(t)
	ctx := context.Background()
	must(a.P.Records.Talents.Create(ctx, core.System, &resources.Talent{Name: "李智能", Level: "国家级", Industry: "新材料",
		Title: "智能装备专家", Unit: "kfq"}))
	must(a.P.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Name: "昆山高新智能装备科技有限公司",
		CreditCode: "91320583MA1P1K3X2T", Industry: "高端装备", Unit: "gxq"}))
	must(a.P.Records.Talents.Create(ctx, core.System, &resources.Talent{Name: "王秘密", Level: "省级", Industry: "生物医药", Unit: "gxq"}))
	must(a.P.Records.Policies.Create(ctx, core.System, &policies.Policy{Meta: core.Meta{ID: "po-0001"},
		Title: "昆山市智能装备产业扶持政策", Level: "市级", Status: policies.StatusValid, Issuer: "昆山市科学技术局",
		Unit: policies.DefaultUnit, Industries: []string{"高端装备"}}))

	admin := a.Admin(t)
	officer := a.Client(t).Login("kfq_li", "Test-2025x")
	other := a.Client(t).Login("gxq_wu", "Test-2025x")

	r := get(t, admin, "/api/v1/search?q=智能装备")
	if r.Total != 5 || r.Facets["kind"]["enterprises"] != 2 || r.Facets["kind"]["policies"] != 1 {
		t.Errorf("admin 智能装备: total %d kinds %v items %v", r.Total, r.Facets["kind"], r.Items)
	}
	found := false
	for _, it := range r.Items {
		if it.Title == "苏州某某智能装备有限公司" {
			found = true
			if !strings.Contains(it.Highlight, "<mark>") {
				t.Errorf("no highlight: %q", it.Highlight)
			}
		}
	}
	if !found {
		t.Errorf("智能装备 did not find 苏州某某智能装备有限公司: %v", r.Items)
	}

	// the kfq officer: own records and policies, never gxq's
	r = get(t, officer, "/api/v1/search?q=智能装备")
	if r.Total != 4 || r.Facets["kind"]["enterprises"] != 1 || r.Facets["kind"]["policies"] != 1 || r.Facets["industry"]["高端装备"] != 3 {
		t.Errorf("officer 智能装备: total %d facets %v", r.Total, r.Facets)
	}
	for _, it := range r.Items {
		if strings.Contains(it.Title, "昆山高新") {
			t.Errorf("officer sees another unit's record %v", it)
		}
	}
	r = get(t, officer, "/api/v1/search")
	if r.Total != 4 || r.Facets["level"]["省级"] != 0 || r.Facets["industry"]["生物医药"] != 0 || r.Facets["level"]["市级"] != 1 {
		t.Errorf("officer all: total %d facets %v", r.Total, r.Facets)
	}
	r = get(t, other, "/api/v1/search?q=王秘密")
	if r.Total != 1 {
		t.Errorf("gxq officer own talent: %+v", r)
	}
	r = get(t, officer, "/api/v1/search?q=王秘密")
	if r.Total != 0 || len(r.Items) != 0 {
		t.Errorf("kfq officer sees gxq talent: %+v", r)
	}
	// kind and facet filters combine; totals equal the kind count
	r = get(t, officer, "/api/v1/search?kind=policies")
	if r.Total != 1 || len(r.Items) != 1 || r.Items[0].ID != "po-0001" || r.Facets["kind"]["policies"] != 1 {
		t.Errorf("officer policies: %+v", r)
	}
	r = get(t, admin, "/api/v1/search?industry=高端装备&kind=enterprises")
	if r.Total != 2 || r.Facets["kind"]["enterprises"] != 2 || r.Facets["kind"]["policies"] != 1 {
		t.Errorf("admin enterprises 高端装备: %+v", r)
	}
	// pagination over the merged list: pages are disjoint and complete
	seen := map[string]bool{}
	for p := 1; p <= 3; p++ {
		r = get(t, officer, "/api/v1/search?per_page=2&page="+string(rune('0'+p)))
		for _, it := range r.Items {
			if seen[it.Kind+it.ID] {
				t.Errorf("page %d repeats %v", p, it)
			}
			seen[it.Kind+it.ID] = true
		}
	}
	if len(seen) != 4 {
		t.Errorf("paged through %d records, want 4", len(seen))
	}

	// 1,000 characters; 1,000 CJK characters (9 KB escaped) already exceed
	// the server's header limit and get 431 before reaching the handler.
	long := strings.Repeat("ab", 500)
	var sc []testapp.Scenario
	for _, hostile := range []string{`"`, `:`, `*`, `(`, `\`, `智能"装备`, `name:智能`, `(智能`, `*装备*`, `a\`, `"unclosed`, `)`, `[`, `{`} {
		sc = append(sc, testapp.Scenario{Name: "hostile " + hostile, As: officer, URL: "/api/v1/search?q=" + url.QueryEscape(hostile),
			Status: 200, Expect: []string{`"total":`}})
		sc = append(sc, testapp.Scenario{Name: "hostile page " + hostile, As: officer, URL: "/search?q=" + url.QueryEscape(hostile), Status: 200,
			Expect: []string{`name="q" value="` + template.HTMLEscapeString(hostile) + `"`, `<span class="result-count">共 `}})
	}
	sc = append(sc, []testapp.Scenario{
		{Name: "anonymous 401", URL: "/api/v1/search", Status: 401},
		{Name: "anonymous page redirects", URL: "/search", Status: 303},
		{Name: "long q", As: officer, URL: "/api/v1/search?q=" + url.QueryEscape(long), Status: 400, Expect: []string{`"field":"q"`, "搜索词最多 200 字"}},
		{Name: "unknown facet", As: officer, URL: "/api/v1/search?colour=red", Status: 400, Expect: []string{`"field":"colour"`, "colour"}},
		{Name: "unknown kind", As: officer, URL: "/api/v1/search?kind=widgets", Status: 400, Expect: []string{`"field":"kind"`}},
		{Name: "page window", As: officer, URL: "/api/v1/search?page=60", Status: 400, Expect: []string{`"field":"page"`}},
		{Name: "long q page", As: officer, URL: "/search?q=" + url.QueryEscape(long), Status: 400, Expect: []string{"搜索词最多 200 字"}},
		{Name: "page results", As: officer, URL: "/search?q=" + url.QueryEscape("智能装备"), Status: 200,
			Expect: []string{"<mark>", `href="/resources/enterprises/`, `href="/policies/po-0001"`, "政策（1）", "企业（1）", "高端装备"},
			Reject: []string{"昆山高新智能装备", "王秘密"}},
		{Name: "page facet link", As: officer, URL: "/search?industry=" + url.QueryEscape("高端装备"), Status: 200,
			Expect: []string{"产业：高端装备", `href="/projects/`}},
	}...)
	testapp.Run(t, a, sc)
}

func TestLongChineseQueryIs400(t *testing.T) {
	a := testapp.Start(t)
	st, body := a.Admin(t).Do("GET", "/api/v1/search?q="+url.QueryEscape(strings.Repeat("智", 1000)), nil, nil)
	if st != 400 || !strings.Contains(body, `"field":"q"`) {
		t.Fatalf("long query: %d %.200s", st, body)
	}
}

type suggestions struct {
	Items []struct{ Kind, ID, Title, URL string }
}

func suggest(t *testing.T, c *testapp.Client, q string) suggestions {
	t.Helper()
	st, body := c.Do("GET", "/api/v1/search/suggest?q="+url.QueryEscape(q), nil, nil)
	if st != 200 {
		t.Fatalf("suggest %q: %d %s", q, st, body)
	}
	var s suggestions
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if s.Items == nil {
		t.Fatalf("suggest %q: items is not a list: %s", q, body)
	}
	return s
}

func titles(s suggestions) []string {
	var out []string
	for _, it := range s.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestSuggestTyposAndUnitFacet(t *testing.T) {
	a, must := searchWorld(t)
	ctx := context.Background()
	must(a.P.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Name: "Siemens Healthineers 苏州医疗",
		CreditCode: "91320583MA1N0K4X2T", Industry: "生物医药", Unit: "kfq"}))
	must(a.P.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Name: "苏州高新智能装备科技有限公司",
		CreditCode: "91320583MA1P1K3X2T", Industry: "高端装备", Unit: "gxq"}))
	must(a.P.Records.Enterprises.Create(ctx, core.System, &resources.Enterprise{Name: "Siemens 西门子（昆山）有限公司",
		CreditCode: "91320583MA1P1K5X2T", Industry: "电子信息", Unit: "gxq"}))
	must(a.P.Records.Policies.Create(ctx, core.System, &policies.Policy{Meta: core.Meta{ID: "po-0001"},
		Title: "昆山市智能装备产业扶持政策", Level: "市级", Status: policies.StatusValid, Issuer: "昆山市科学技术局",
		Unit: policies.DefaultUnit, Industries: []string{"高端装备"}}))
	for i := range 10 {
		must(a.P.Records.Talents.Create(ctx, core.System, &resources.Talent{Name: "测试人才" + string(rune('A'+i)), Level: "省级",
			Industry: "新材料", Unit: "kfq"}))
	}

	admin := a.Admin(t)
	officer := a.Client(t).Login("kfq_li", "Test-2025x")

	// Suggestions: pinyin, initials, Chinese and Latin prefixes; the
	// officer never sees gxq's records; policies for everyone.
	cases := []struct {
		as         *testapp.Client
		q          string
		want, deny []string
	}{
		{officer, "zhineng", []string{"苏州某某智能装备有限公司", "昆山市智能装备产业扶持政策"}, []string{"苏州高新智能装备科技有限公司"}},
		{officer, "znzb", []string{"苏州某某智能装备有限公司", "苏州某某智能装备有限公司扩产项目"}, []string{"苏州高新智能装备科技有限公司"}},
		{officer, "苏州", []string{"苏州某某智能装备有限公司"}, []string{"苏州高新智能装备科技有限公司"}},
		{officer, "Siem", []string{"Siemens Healthineers 苏州医疗"}, []string{"Siemens 西门子（昆山）有限公司"}},
		{admin, "苏州高", []string{"苏州高新智能装备科技有限公司"}, []string{"苏州某某智能装备有限公司"}},
		{admin, "siem", []string{"Siemens Healthineers 苏州医疗", "Siemens 西门子（昆山）有限公司"}, nil},
		{admin, "szgx", []string{"苏州高新智能装备科技有限公司"}, nil},
	}
	for _, c := range cases {
		got := titles(suggest(t, c.as, c.q))
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("suggest %q: %v lacks %s", c.q, got, w)
			}
		}
		for _, d := range c.deny {
			if slices.Contains(got, d) {
				t.Errorf("suggest %q: %v holds %s", c.q, got, d)
			}
		}
	}
	if s := suggest(t, officer, "测试"); len(s.Items) != discover.MaxSuggestions {
		t.Errorf("suggest 测试: %d items, want %d", len(s.Items), discover.MaxSuggestions)
	}
	if s := suggest(t, officer, ""); len(s.Items) != 0 {
		t.Errorf("empty q: %v", s.Items)
	}
	if s := suggest(t, officer, "zhineng"); len(s.Items) > 0 && !strings.HasPrefix(s.Items[0].URL, "/") {
		t.Errorf("suggestion url %q", s.Items[0].URL)
	}

	// A typo in a Latin word still matches; the exact spelling ranks first.
	r := get(t, admin, "/api/v1/search?q=Siemans")
	if r.Total != 2 {
		t.Errorf("Siemans: %+v", r)
	}

	// The unit facet counts only the caller's units (policies belong to kjj
	// and are visible to all); names come with it.
	var withLabels struct {
		Facets map[string]map[string]int
		Labels map[string]map[string]string
		Total  int
	}
	st, body := officer.Do("GET", "/api/v1/search", nil, nil)
	if st != 200 || json.Unmarshal([]byte(body), &withLabels) != nil {
		t.Fatalf("officer search: %d %s", st, body)
	}
	wantUnits := map[string]int{"kfq": 13, policies.DefaultUnit: 1}
	if !maps.Equal(withLabels.Facets["unit"], wantUnits) || withLabels.Total != 14 {
		t.Errorf("officer unit facet %v total %d, want %v", withLabels.Facets["unit"], withLabels.Total, wantUnits)
	}
	if got := withLabels.Labels["unit"]["kfq"]; got == "" || got != a.P.Matrix.Name("kfq") {
		t.Errorf("unit label %q", got)
	}
	r = get(t, admin, "/api/v1/search?q=智能装备")
	if r.Facets["unit"]["gxq"] != 1 || r.Facets["unit"]["kfq"] != 2 || r.Facets["unit"][policies.DefaultUnit] != 1 {
		t.Errorf("admin unit facet %v", r.Facets["unit"])
	}
	r = get(t, admin, "/api/v1/search?unit=gxq")
	if r.Total != 2 {
		t.Errorf("admin unit=gxq: %+v", r)
	}
	r = get(t, officer, "/api/v1/search?unit=gxq")
	if r.Total != 0 || len(r.Items) != 0 || len(r.Facets["unit"]) != 0 {
		t.Errorf("officer unit=gxq: %+v", r)
	}

	long := strings.Repeat("ab", 500)
	sc := []testapp.Scenario{
		{Name: "suggest anonymous 401", URL: "/api/v1/search/suggest?q=su", Status: 401},
		{Name: "suggest empty", As: officer, URL: "/api/v1/search/suggest?q=", Status: 200, Expect: []string{`{"items":[]}`}},
		{Name: "suggest no q", As: officer, URL: "/api/v1/search/suggest", Status: 200, Expect: []string{`{"items":[]}`}},
		{Name: "suggest long q", As: officer, URL: "/api/v1/search/suggest?q=" + long, Status: 400, Expect: []string{`"field":"q"`}},
		{Name: "suggest unknown parameter", As: officer, URL: "/api/v1/search/suggest?q=a&limit=99", Status: 400, Expect: []string{`"field":"limit"`}},
		{Name: "suggest other unit by pinyin", As: officer, URL: "/api/v1/search/suggest?q=szgx", Status: 200, Expect: []string{`{"items":[]}`}, Reject: []string{"苏州高新"}},
		{Name: "page unit facet", As: officer, URL: "/search", Status: 200, Expect: []string{"单位", a.P.Matrix.Name("kfq")},
			Reject: []string{a.P.Matrix.Name("gxq")}},
		{Name: "page unit filter label", As: admin, URL: "/search?unit=gxq", Status: 200, Expect: []string{"单位：" + a.P.Matrix.Name("gxq")}},
		{Name: "layout wires suggestions", As: officer, URL: "/search", Status: 200, Expect: []string{`data-suggest="/api/v1/search/suggest"`, "/static/suggest.js"}},
	}
	for _, hostile := range []string{`" : * (`, `"`, `:`, `*`, `(`, `\`, `zhi"neng`, `su*`, `znzb(`, `Siem~`, `[`, "😀"} {
		sc = append(sc, testapp.Scenario{Name: "suggest hostile " + hostile, As: officer,
			URL: "/api/v1/search/suggest?q=" + url.QueryEscape(hostile), Status: 200, Expect: []string{`"items":[`}})
	}
	testapp.Run(t, a, sc)
}
