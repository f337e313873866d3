package enginetest

// Checks of resource discovery: pinyin and initials of titles, typos in
// Latin words, prefixes as the user types, scope in suggestions, the units
// facet, and CJK phrase ranking. They run on their own small record set.

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"zhaoshang/search"
)

// discoveryDocs are the records of the discovery checks; keys are d01...
var discoveryTitles = []struct {
	units []string
	title string
	body  string
}{
	{[]string{"u1"}, "苏州某某智能装备有限公司", "企业简介：主营智能装备。"},                           // d01
	{[]string{"u2"}, "Siemens 西门子（中国）有限公司", "工业自动化。"},                          // d02
	{[]string{"u1"}, "Siemans Trading 贸易公司", "进出口贸易。"},                         // d03
	{[]string{"u1"}, "Industrial robotics lab 工业机器人实验室", "协作机器人研发。"},           // d04
	{[]string{"u2"}, "苏州某某精密机械有限公司", "主营精密零件。"},                                // d05
	{[]string{"u1"}, "智能制造与高端装备基地", "园区配套。"},                                   // d06
	{[]string{"u1"}, "重型装备制造厂", "主营起重设备。"},                                     // d07
	{[]string{"u2"}, "智能装备产业园", "集聚智能装备企业。"},                                   // d08
	{[]string{"u3"}, "苏州智能网联汽车测试场", "车路协同。"},                                   // d09
	{[]string{"u1", "u3"}, "Robot Arena 机器人竞技馆", "青少年科普。"},                     // d10
	{[]string{"u2"}, "绿色低碳产业联盟", "新能源企业联盟。"},                                   // d11
	{[]string{"u3"}, "Platform Economy Forum 平台经济论坛", "Siemens and partners."}, // d12
}

func discoveryDocs() []search.Doc {
	docs := make([]search.Doc, len(discoveryTitles))
	for i, d := range discoveryTitles {
		docs[i] = search.Doc{Kind: Enterprises, ID: fmt.Sprintf("d%02d", i+1), Version: 1, Units: d.units,
			Title: d.title, Body: d.body, Fields: map[string]any{"type": "民营"}}
	}
	return docs
}

func dkeys(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = key(Enterprises, id)
	}
	slices.Sort(out)
	return out
}

func testDiscovery(t *testing.T, e search.Engine) {
	docs := discoveryDocs()
	if err := e.Index(ctx(t), docs...); err != nil {
		t.Fatalf("index: %v", err)
	}
	u1 := search.Scope{Units: []string{"u1"}}
	cases := []struct {
		name      string
		text      string
		prefix    bool
		titleOnly bool
		scope     search.Scope
		want      []string // exact set of ids
		first     string   // id that must rank first ("" = no check)
	}{
		{name: "pinyin of a word in the name", text: "zhineng", want: []string{"d01", "d06", "d08", "d09"}},
		{name: "pinyin of two words", text: "zhinengzhuangbei", want: []string{"d01", "d08"}},
		{name: "pinyin from the start", text: "suzhou", want: []string{"d01", "d05", "d09"}},
		{name: "initials", text: "znzb", want: []string{"d01", "d08"}},
		{name: "initials upper case", text: "ZNZB", want: []string{"d01", "d08"}},
		{name: "pinyin mismatch", text: "zhinengqiche", want: nil},
		{name: "pinyin is scoped", text: "znzb", scope: u1, want: []string{"d01"}},
		{name: "one typo", text: "Siemans", want: []string{"d02", "d03", "d12"}, first: "d03"},
		{name: "exact word", text: "Siemens", want: []string{"d02", "d03", "d12"}},
		{name: "typo by deletion", text: "robotcs", want: []string{"d04"}},
		{name: "typo in the first letter does not match", text: "Xiemens", want: nil},
		{name: "short words take no typo", text: "Robt", want: nil},
		{name: "prefix latin", text: "Robo", prefix: true, want: []string{"d04", "d10"}},
		{name: "prefix latin scoped", text: "Robo", prefix: true, scope: u1, want: []string{"d04", "d10"}},
		{name: "prefix latin other scope", text: "Robo", prefix: true, scope: search.Scope{Units: []string{"u2"}}, want: nil},
		{name: "prefix cjk", text: "苏州某", prefix: true, want: []string{"d01", "d05"}},
		{name: "prefix cjk scoped", text: "苏州某", prefix: true, scope: u1, want: []string{"d01"}},
		{name: "prefix pinyin", text: "zhinengzhu", prefix: true, want: []string{"d01", "d08"}},
		{name: "prefix initials", text: "szm", prefix: true, want: []string{"d01", "d05"}},
		{name: "prefix single cjk", text: "绿", prefix: true, want: []string{"d11"}},
		{name: "title only leaves out the body", text: "Siemens", titleOnly: true, want: []string{"d02", "d03"}},
		{name: "title only prefix", text: "智能装", prefix: true, titleOnly: true, want: []string{"d01", "d08"}},
		{name: "title only pinyin", text: "zhinengzhu", prefix: true, titleOnly: true, scope: u1, want: []string{"d01"}},
		{name: "title only cjk", text: "机器人", titleOnly: true, want: []string{"d04", "d10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scope := c.scope
			if !scope.All && scope.Units == nil {
				scope = all
			}
			res := find(t, e, search.Query{Kinds: []string{Enterprises}, Text: c.text, Prefix: c.prefix,
				TitleOnly: c.titleOnly, Scope: scope, Limit: 100})
			want := dkeys(c.want...)
			checkSet(t, res, want)
			if c.first != "" && (len(res.Hits) == 0 || res.Hits[0].ID != c.first) {
				t.Errorf("first hit %v, want %s", hitKeys(res.Hits), c.first)
			}
		})
	}

	t.Run("pinyin is never highlighted nor returned", func(t *testing.T) {
		res := find(t, e, search.Query{Kinds: []string{Enterprises}, Text: "znzb", Scope: all, Highlight: true})
		for _, h := range res.Hits {
			if _, ok := h.Fields[search.PinyinField]; ok || slices.ContainsFunc(slices.Collect(maps.Keys(h.Fields)),
				func(k string) bool { return k == search.InitialsField }) {
				t.Errorf("%s: pinyin in fields %v", h.ID, h.Fields)
			}
			if h.Highlight == "" || containsASCIIPinyin(h.Highlight) {
				t.Errorf("%s: highlight %q", h.ID, h.Highlight)
			}
		}
	})

	t.Run("whole cjk phrase ranks first", func(t *testing.T) {
		res := find(t, e, search.Query{Kinds: []string{Enterprises}, Text: "智能装备", Scope: all, Limit: 100})
		got := hitKeys(res.Hits)
		phrase := dkeys("d01", "d08")
		for _, k := range phrase {
			if !slices.Contains(got, k) {
				t.Fatalf("hits %v lack %s", got, k)
			}
		}
		// Records with the words apart (d06) may match; one with 装备 only
		// (d07) or 智能 only (d09) must not; none ranks above the phrase.
		for i, k := range got {
			if !slices.Contains(phrase, k) && i < len(phrase) {
				t.Errorf("order %v: %s ranks above a record holding the phrase", got, k)
			}
			if k == key(Enterprises, "d07") || k == key(Enterprises, "d09") {
				t.Errorf("order %v: %s holds only part of the phrase", got, k)
			}
		}
	})

	t.Run("units facet and filter", func(t *testing.T) {
		for _, scope := range []search.Scope{all, u1, {Units: []string{"u2", "u3"}}} {
			res := find(t, e, search.Query{Kinds: []string{Enterprises}, Scope: scope, Facets: []string{search.UnitsField}, Limit: 100})
			want := map[string]int{}
			for _, d := range docs {
				if scope.All || inUnits(d, scope.Units...) {
					for _, u := range d.Units {
						want[u]++
					}
				}
			}
			if got := res.Facets[search.UnitsField]; !maps.Equal(got, want) {
				t.Errorf("scope %v: units facet %v, want %v", scope, got, want)
			}
			for u, n := range want {
				r := find(t, e, search.Query{Kinds: []string{Enterprises}, Scope: scope,
					Filters: []search.Filter{{Field: search.UnitsField, Values: []string{u}}}})
				if r.Total != n {
					t.Errorf("scope %v: filter units=%s total %d, want %d", scope, u, r.Total, n)
				}
			}
		}
		_, err := e.Search(ctx(t), search.Query{Scope: all, Filters: []search.Filter{{Field: search.UnitsField, Missing: true}}})
		if err == nil {
			t.Error("a missing-units filter should be refused")
		}
	})
}

// containsASCIIPinyin reports whether s holds a run of 4+ ASCII letters that
// is not in any title: the highlight leaking a pinyin term.
func containsASCIIPinyin(s string) bool {
	run := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
			if run == 0 {
				start = i
			}
			run++
			continue
		}
		if run >= 4 && s[start:i] != "mark" {
			w := s[start:i]
			known := false
			for _, d := range discoveryTitles {
				if containsFold(d.title+" "+d.body, w) {
					known = true
				}
			}
			if !known {
				return true
			}
		}
		run = 0
	}
	return false
}

func containsFold(s, sub string) bool {
	return containsText(search.Doc{Title: s}, sub)
}
