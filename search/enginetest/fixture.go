package enginetest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"zhaoshang/search"
)

// Kinds of the fixture.
const (
	Projects    = "projects"
	Enterprises = "enterprises"
	Events      = "events"
)

// Schema is the schema the fixture is indexed with.
var Schema = search.Schema{
	"stage":    search.Keyword,
	"industry": search.Keyword,
	"zone":     search.Keyword,
	"type":     search.Keyword,
	"amount":   search.Number,
	"created":  search.Date,
	"contact":  search.Text,
}

var (
	stages     = []string{"search", "push", "attract", "decision", "process", "aftercare", "paused", "dropped"}
	industries = []string{"智能制造", "新能源", "生物医药", "电子信息", "新材料"}
	zones      = []string{"开发区", "高新区", "花桥"}
	contacts   = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏"}
	baseTime   = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)
)

var projectTitles = []string{
	"昆山新能源汽车零部件项目",
	"小核酸药物研发平台",
	"昆山开发区智能制造产业园",
	"新能源电池材料生产基地",
	"高端医疗器械研发中心",
	"半导体封装测试项目",
	"工业互联网平台建设 IIoT Platform",
	"光伏组件智能工厂",
	"生物医药创新孵化器",
	"精密模具制造项目",
	"氢能源燃料电池示范项目",
	"机器人关节减速器项目",
	"集成电路设计中心",
	"新材料研究院",
	"跨境电商产业园",
	"数字经济总部基地",
	"新能源汽车整车项目",
	"智慧物流仓储中心",
	"人工智能算法平台",
	"医疗影像设备项目",
	"纳米材料中试基地",
	"储能系统集成项目",
	"高性能纤维项目",
	`<b>昆山</b> & "精密" 轴承项目`,
}

var enterpriseTitles = []string{
	"苏州某某智能装备有限公司",
	"昆山某某新能源科技有限公司",
	"上海某某生物医药股份有限公司",
	"昆山某某精密机械有限公司",
	"南京某某电子信息有限公司",
	"无锡某某半导体有限公司",
	"杭州某某软件有限公司",
	"昆山某某光电科技有限公司",
}

var eventTitles = []string{
	"智能装备产业对接会",
	"新能源汽车招商推介会",
	"生物医药峰会",
	"昆山开发区项目签约仪式",
	"半导体产业论坛",
}

// Fixture returns the ~40 records of the contract suite, already in the
// normalised form Search returns (so Hit.Fields can be compared directly).
// The ID "x01" exists both as an enterprise and as an event.
func Fixture() []search.Doc {
	var docs []search.Doc
	for i, title := range projectTitles {
		n := i + 1
		f := map[string]any{
			"stage":   stages[n%len(stages)],
			"type":    "一般",
			"created": baseTime.Add(time.Duration(n*37)*24*time.Hour + time.Duration(n)*time.Hour),
			"contact": contacts[n%len(contacts)],
		}
		if n%4 == 0 {
			f["type"] = "重点"
		}
		if n%6 == 0 {
			f["industry"] = []string{industries[n%len(industries)], industries[(n+2)%len(industries)]}
		} else {
			f["industry"] = industries[n%len(industries)]
		}
		if n%7 != 0 {
			f["zone"] = zones[n%len(zones)]
		}
		if n%9 != 0 {
			f["amount"] = float64(n*250) + 0.5
		}
		docs = append(docs, search.Doc{
			Kind:    Projects,
			ID:      fmt.Sprintf("p%02d", n),
			Version: int64(n),
			Units:   unitsFor(n),
			Title:   title,
			Body:    "所属产业：" + industries[n%len(industries)] + "。",
			Fields:  f,
		})
	}
	docs[1].Body = "核心技术为小核酸药物，团队来自上海。"

	for i, title := range enterpriseTitles {
		n := i + 1
		f := map[string]any{
			"industry": industries[(n+1)%len(industries)],
			"type":     []string{"民营", "外资", "国资"}[n%3],
			"amount":   float64(n*1000) + 0.5,
			"created":  baseTime.Add(time.Duration(n*53) * 24 * time.Hour),
		}
		if n%3 != 0 {
			f["zone"] = zones[(n+1)%len(zones)]
		}
		docs = append(docs, search.Doc{
			Kind:    Enterprises,
			ID:      fmt.Sprintf("e%02d", n),
			Version: 1,
			Units:   unitsFor(n + 1),
			Title:   title,
			Body:    "企业简介：主营" + industries[(n+1)%len(industries)] + "相关业务。",
			Fields:  f,
		})
	}
	docs = append(docs, search.Doc{
		Kind: Enterprises, ID: "x01", Version: 3, Units: []string{"u1"},
		Title: "常州某某新材料有限公司", Body: "企业简介：主营新材料。",
		Fields: map[string]any{"industry": "新材料", "type": "民营", "amount": 77.5,
			"created": baseTime.Add(-48 * time.Hour), "contact": "王五"},
	})

	for i, title := range eventTitles {
		n := i + 1
		f := map[string]any{
			"type":    []string{"会议", "论坛"}[n%2],
			"created": baseTime.Add(time.Duration(n*11) * 24 * time.Hour),
		}
		if n != 3 {
			f["zone"] = zones[n%len(zones)]
		}
		docs = append(docs, search.Doc{
			Kind:    Events,
			ID:      fmt.Sprintf("v%02d", n),
			Version: 1,
			Units:   unitsFor(n),
			Title:   title,
			Body:    "活动地点：" + zones[n%len(zones)] + "会议中心。",
			Fields:  f,
		})
	}
	docs = append(docs, search.Doc{
		Kind: Events, ID: "x01", Version: 2, Units: []string{"u2"},
		Title: "长三角招商大会", Body: "活动地点：花桥会议中心。",
		Fields: map[string]any{"type": "会议", "zone": "花桥", "created": baseTime},
	})
	return docs
}

func unitsFor(n int) []string {
	u := []string{"u2"}
	if n%2 == 0 {
		u = []string{"u1"}
	}
	if n%5 == 0 {
		u = append(u, "u3")
	}
	return u
}

// key names a record across kinds.
func key(kind, id string) string { return kind + "/" + id }

func docKey(d search.Doc) string { return key(d.Kind, d.ID) }

func hitKeys(hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = key(h.Kind, h.ID)
	}
	return out
}

// keywords returns the values of a keyword field.
func keywords(d search.Doc, field string) []string {
	switch v := d.Fields[field].(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

func number(d search.Doc, field string) (float64, bool) {
	v, ok := d.Fields[field].(float64)
	return v, ok
}

func date(d search.Doc, field string) (time.Time, bool) {
	v, ok := d.Fields[field].(time.Time)
	return v, ok
}

func hasKeyword(d search.Doc, field string, values ...string) bool {
	for _, v := range keywords(d, field) {
		if slices.Contains(values, v) {
			return true
		}
	}
	return false
}

// containsText reports whether every space-separated word of text occurs in
// the title, body or a Text field of d.
func containsText(d search.Doc, text string) bool {
	all := d.Title + "\n" + d.Body
	if c, ok := d.Fields["contact"].(string); ok {
		all += "\n" + c
	}
	all = strings.ToLower(all)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
}

func inUnits(d search.Doc, units ...string) bool {
	for _, u := range d.Units {
		if slices.Contains(units, u) {
			return true
		}
	}
	return false
}

// selectKeys returns the sorted keys of the docs matching pred.
func selectKeys(docs []search.Doc, pred func(search.Doc) bool) []string {
	var out []string
	for _, d := range docs {
		if pred(d) {
			out = append(out, docKey(d))
		}
	}
	sort.Strings(out)
	return out
}

func selectDocs(docs []search.Doc, pred func(search.Doc) bool) []search.Doc {
	var out []search.Doc
	for _, d := range docs {
		if pred(d) {
			out = append(out, d)
		}
	}
	return out
}

// facetCounts counts, per value of field, the docs having it.
func facetCounts(docs []search.Doc, field string) map[string]int {
	out := map[string]int{}
	for _, d := range docs {
		for _, v := range keywords(d, field) {
			out[v]++
		}
	}
	return out
}

// sumsOf is the reference for Result.Sums: a record without a group value
// belongs to group ""; a many-valued group field adds to each of its values.
func sumsOf(docs []search.Doc, field, groupBy string) map[string]float64 {
	out := map[string]float64{}
	if groupBy == "" {
		out[""] = 0
	}
	for _, d := range docs {
		groups := []string{""}
		if groupBy != "" {
			if g := keywords(d, groupBy); len(g) > 0 {
				groups = g
			}
		}
		v, _ := number(d, field)
		for _, g := range groups {
			out[g] += v
		}
	}
	return out
}

// sortDocs orders docs as the contract demands: by the sort keys (missing
// values last in both directions; a many-valued keyword by its smallest value
// ascending, its largest descending), then ID, then kind, ascending.
func sortDocs(docs []search.Doc, schema search.Schema, sorts []search.Sort) []string {
	ds := slices.Clone(docs)
	cmpField := func(a, b search.Doc, s search.Sort) int {
		switch schema[s.Field] {
		case search.Number:
			va, oka := number(a, s.Field)
			vb, okb := number(b, s.Field)
			if c := missingLast(oka, okb); c != 0 || !oka {
				return c
			}
			return directed(cmpFloat(va, vb), s.Desc)
		case search.Date:
			va, oka := date(a, s.Field)
			vb, okb := date(b, s.Field)
			if c := missingLast(oka, okb); c != 0 || !oka {
				return c
			}
			return directed(va.Compare(vb), s.Desc)
		default:
			va, vb := keywords(a, s.Field), keywords(b, s.Field)
			if c := missingLast(len(va) > 0, len(vb) > 0); c != 0 || len(va) == 0 {
				return c
			}
			pick := slices.Min[[]string]
			if s.Desc {
				pick = slices.Max[[]string]
			}
			return directed(strings.Compare(pick(va), pick(vb)), s.Desc)
		}
	}
	slices.SortStableFunc(ds, func(a, b search.Doc) int {
		for _, s := range sorts {
			if c := cmpField(a, b, s); c != 0 {
				return c
			}
		}
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = docKey(d)
	}
	return out
}

func missingLast(a, b bool) int {
	switch {
	case a && !b:
		return -1
	case !a && b:
		return 1
	}
	return 0
}

func directed(c int, desc bool) int {
	if desc {
		return -c
	}
	return c
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
