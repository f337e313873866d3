package matrix

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"zhaoshang/modules/core"
)

func defaultLookup() func(string) *Unit {
	by := map[string]*Unit{}
	for _, u := range DefaultUnits() {
		by[u.ID] = u
	}
	return func(id string) *Unit { return by[id] }
}

func TestValidateUnit(t *testing.T) {
	lookup := defaultLookup()
	cat := DefaultCatalog()
	ok := func() Unit {
		return Unit{Meta: core.Meta{ID: "zs-new"}, Name: " 新镇科技招商组 ", Layer: "5", Type: "zone", Parent: "zzfd",
			Zone: "周市镇", Focus: []string{"新材料", " 新材料 ", "新能源", ""}}
	}
	cases := []struct {
		name   string
		edit   func(u *Unit)
		stored *Unit
		field  string // "" = valid
	}{
		{"valid", func(*Unit) {}, nil, ""},
		{"top level", func(u *Unit) { u.Parent = "" }, nil, ""},
		{"id too short", func(u *Unit) { u.ID = "a" }, nil, "id"},
		{"id too long", func(u *Unit) { u.ID = strings.Repeat("a", 21) }, nil, "id"},
		{"id upper case", func(u *Unit) { u.ID = "ZS-New" }, nil, "id"},
		{"id underscore", func(u *Unit) { u.ID = "zs_new" }, nil, "id"},
		{"id city reserved", func(u *Unit) { u.ID = "city" }, nil, "id"},
		{"id chinese", func(u *Unit) { u.ID = "周市" }, nil, "id"},
		{"empty name", func(u *Unit) { u.Name = "  " }, nil, "name"},
		{"long name", func(u *Unit) { u.Name = strings.Repeat("名", 61) }, nil, "name"},
		{"control char", func(u *Unit) { u.Name = "a\x00b" }, nil, "name"},
		{"long short", func(u *Unit) { u.Short = strings.Repeat("简", 21) }, nil, "short"},
		{"bad layer", func(u *Unit) { u.Layer = "3" }, nil, "layer"},
		{"bad type", func(u *Unit) { u.Type = "team" }, nil, "type"},
		{"negative order", func(u *Unit) { u.Order = -1 }, nil, "order"},
		{"unknown parent", func(u *Unit) { u.Parent = "nope" }, nil, "parent"},
		{"self parent", func(u *Unit) { u.ID, u.Parent = "zzfd", "zzfd" }, lookup("zzfd"), "parent"},
		{"cycle through child", func(u *Unit) { u.ID, u.Parent = "zzfd", "zs-zs" }, lookup("zzfd"), "parent"},
		{"cycle two levels", func(u *Unit) { u.ID, u.Parent = "kjj", "zs-zs" }, lookup("kjj"), "parent"},
		{"move under sibling", func(u *Unit) { u.ID, u.Parent = "zs-zs", "zs-lj" }, lookup("zs-zs"), ""},
		{"unknown zone", func(u *Unit) { u.Zone = "火星镇" }, nil, "zone"},
		{"unknown focus", func(u *Unit) { u.Focus = []string{"量子玄学"} }, nil, "focus"},
		{"dropped zone kept on edit", func(u *Unit) { u.ID, u.Zone = "zs-zs", "旧镇" },
			&Unit{Meta: core.Meta{ID: "zs-zs"}, Zone: "旧镇"}, ""},
		{"dropped zone not settable", func(u *Unit) { u.ID, u.Zone = "zs-zs", "旧镇" },
			&Unit{Meta: core.Meta{ID: "zs-zs"}, Zone: "周市镇"}, "zone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := ok()
			tc.edit(&u)
			err := ValidateUnit(&u, UnitCheck{Lookup: lookup, Catalog: cat, Stored: tc.stored})
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			fe, isField := core.AsFieldError(err)
			if !isField || fe.Field != tc.field {
				t.Fatalf("want field error on %s, got %v", tc.field, err)
			}
		})
	}
	u := ok()
	if err := ValidateUnit(&u, UnitCheck{Lookup: lookup, Catalog: cat}); err != nil {
		t.Fatal(err)
	}
	if u.Name != "新镇科技招商组" || !slices.Equal(u.Focus, []string{"新材料", "新能源"}) {
		t.Errorf("not normalised: %q %q", u.Name, u.Focus)
	}
}

var stageKeys = []string{"search", "push", "attract", "decision", "process", "aftercare", "paused", "dropped"}

func TestCatalogNormalize(t *testing.T) {
	keys := RuleKeys{Gates: []string{"reason", "assessment"}, Stages: stageKeys}
	words := func(kv ...string) []StageWord {
		var out []StageWord
		for i := 0; i < len(kv); i += 2 {
			out = append(out, StageWord{Word: kv[i], Stage: kv[i+1]})
		}
		return out
	}
	cases := []struct {
		name  string
		edit  func(c *Catalog)
		field string
		check func(t *testing.T, c *Catalog)
	}{
		{"defaults", func(*Catalog) {}, "", nil},
		{"trim and dedupe", func(c *Catalog) {
			c.Zones = []string{" 周市镇 ", "周市镇", "", "  ", "新区"}
			c.Industries = []Industry{{" 电子信息 ", "2"}, {"电子信息", "6"}, {"新材料", "x"}}
			c.DisabledGates = []string{"reason", " reason ", ""}
		}, "", func(t *testing.T, c *Catalog) {
			if !slices.Equal(c.Zones, []string{"周市镇", "新区"}) {
				t.Errorf("zones %q", c.Zones)
			}
			if len(c.Industries) != 2 || c.Industries[0] != (Industry{"电子信息", "2"}) || c.Industries[1] != (Industry{"新材料", "X"}) {
				t.Errorf("industries %v", c.Industries)
			}
			if !slices.Equal(c.DisabledGates, []string{"reason"}) {
				t.Errorf("gates %q", c.DisabledGates)
			}
		}},
		{"empty zones", func(c *Catalog) { c.Zones = []string{" ", ""} }, "zones", nil},
		{"nil levels", func(c *Catalog) { c.TalentLevels = nil }, "talent_levels", nil},
		{"empty event types", func(c *Catalog) { c.EventTypes = []string{} }, "event_types", nil},
		{"empty action lines", func(c *Catalog) { c.ActionLines = []string{""} }, "action_lines", nil},
		{"empty industries", func(c *Catalog) { c.Industries = []Industry{{" ", "2"}} }, "industries", nil},
		{"bad group", func(c *Catalog) { c.Industries = []Industry{{"新材料", "7"}} }, "industries", nil},
		{"long value", func(c *Catalog) { c.Zones = []string{strings.Repeat("镇", 41)} }, "zones", nil},
		{"control char", func(c *Catalog) { c.EventTypes = []string{"论\x07坛"} }, "event_types", nil},
		{"too many", func(c *Catalog) {
			c.Zones = nil
			for i := range 201 {
				c.Zones = append(c.Zones, strings.Repeat("z", i%40+1)+string(rune('A'+i/40)))
			}
		}, "zones", nil},
		{"stale 0", func(c *Catalog) { c.StaleDays = 0 }, "stale_days", nil},
		{"stale 366", func(c *Catalog) { c.StaleDays = 366 }, "stale_days", nil},
		{"stale 1", func(c *Catalog) { c.StaleDays = 1 }, "", nil},
		{"stale 365", func(c *Catalog) { c.StaleDays = 365 }, "", nil},
		{"unknown gate", func(c *Catalog) { c.DisabledGates = []string{"magic"} }, "disabled_gates", nil},
		{"stage words folded", func(c *Catalog) { c.StageWords = words(" 已 开工 ", "process", "ＫＯ", " dropped ") }, "",
			func(t *testing.T, c *Catalog) {
				if !slices.Equal(c.StageWords, words("已开工", "process", "KO", "dropped")) {
					t.Errorf("stage words %q", c.StageWords)
				}
			}},
		{"stage word max length", func(c *Catalog) { c.StageWords = words(strings.Repeat("阶", 20), "push") }, "", nil},
		{"stage label as its own word", func(c *Catalog) { c.StageWords = words("资源招引", "attract") }, "", nil},
		{"duplicate stage word", func(c *Catalog) { c.StageWords = words("在谈", "attract", "在 谈", "decision") }, "stage_words", nil},
		{"duplicate stage word by case", func(c *Catalog) { c.StageWords = words("ko", "dropped", "KO", "dropped") }, "stage_words", nil},
		{"unknown stage", func(c *Catalog) { c.StageWords = words("已开工", "building") }, "stage_words", nil},
		{"stage missing", func(c *Catalog) { c.StageWords = words("已开工", " ") }, "stage_words", nil},
		{"empty stage word", func(c *Catalog) { c.StageWords = words(" ", "process") }, "stage_words", nil},
		{"stage word too long", func(c *Catalog) { c.StageWords = words(strings.Repeat("阶", 21), "push") }, "stage_words", nil},
		{"stage word control char", func(c *Catalog) { c.StageWords = words("在\x07谈", "attract") }, "stage_words", nil},
		{"label of another stage", func(c *Catalog) { c.StageWords = words("过程管理", "attract") }, "stage_words", nil},
		{"key of another stage", func(c *Catalog) { c.StageWords = words("Process", "attract") }, "stage_words", nil},
		{"no stage words", func(c *Catalog) { c.StageWords = nil }, "stage_words", nil},
		{"too many stage words", func(c *Catalog) {
			c.StageWords = nil
			for i := range MaxStageWords + 1 {
				c.StageWords = append(c.StageWords, StageWord{Word: fmt.Sprintf("词%d", i), Stage: "push"})
			}
		}, "stage_words", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultCatalog()
			tc.edit(c)
			err := c.Normalize(keys)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if tc.check != nil {
					tc.check(t, c)
				}
				return
			}
			fe, ok := core.AsFieldError(err)
			if !ok || fe.Field != tc.field {
				t.Fatalf("want field error on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestRemoved(t *testing.T) {
	old, next := DefaultCatalog(), DefaultCatalog()
	next.Zones = slices.DeleteFunc(slices.Clone(next.Zones), func(z string) bool { return z == "周市镇" })
	next.Industries = next.Industries[1:]
	next.EventTypes = append(next.EventTypes, "推介会2")
	got := removed(old, next)
	if !slices.Equal(got["zones"], []string{"周市镇"}) || !slices.Equal(got["industries"], []string{"电子信息"}) || len(got) != 2 {
		t.Errorf("removed = %v", got)
	}
}

func TestValidateTargetValues(t *testing.T) {
	cases := []struct {
		vals map[string]float64
		ok   bool
	}{
		{nil, true},
		{map[string]float64{"events": 500, "contract_amount": 12.5}, true},
		{map[string]float64{"events": 0}, true},
		{map[string]float64{"events": -1}, false},
		{map[string]float64{"events": math.NaN()}, false},
		{map[string]float64{"events": math.Inf(1)}, false},
		{map[string]float64{"events": 2e9}, false},
		{map[string]float64{"revenue": 1}, false},
	}
	for _, tc := range cases {
		if err := ValidateTargetValues(tc.vals); (err == nil) != tc.ok {
			t.Errorf("%v: err %v, want ok=%v", tc.vals, err, tc.ok)
		}
	}
}

func TestTreeAndLayers(t *testing.T) {
	units := DefaultUnits()
	order := tree(units)
	if len(order) != len(units) {
		t.Fatalf("tree lost units: %d of %d", len(order), len(units))
	}
	pos := map[string]int{}
	for i, n := range order {
		pos[n.U.ID] = i
	}
	for _, u := range units {
		if u.Parent != "" && pos[u.Parent] > pos[u.ID] {
			t.Errorf("%s listed before its parent %s", u.ID, u.Parent)
		}
	}
	if order[pos["zs-zs"]].Depth != 2 || order[pos["kjj"]].Depth != 0 {
		t.Errorf("depths: zs-zs %d kjj %d", order[pos["zs-zs"]].Depth, order[pos["kjj"]].Depth)
	}
	// A hand-made cycle still lists every unit once.
	cyc := []*Unit{{Meta: core.Meta{ID: "a"}, Parent: "b"}, {Meta: core.Meta{ID: "b"}, Parent: "a"}}
	if got := tree(cyc); len(got) != 2 {
		t.Errorf("cycle: %d nodes", len(got))
	}
	layers := byLayer(units)
	if len(layers) != 3 {
		t.Fatalf("layers %d", len(layers))
	}
	count := map[Layer]int{}
	for _, l := range layers {
		count[l.Layer] = len(l.Rows)
	}
	if count["2"] != 2 || count["4"] != 4 || count["5"] != 13 {
		t.Errorf("layer sizes %v", count)
	}
	for _, r := range layers[2].Rows {
		if r.ID == "zs-zs" && r.Indent != "└ " {
			t.Errorf("town team indent %q", r.Indent)
		}
		if r.ID == "zzfd" && r.Indent != "" {
			t.Errorf("zzfd indent %q", r.Indent)
		}
	}
}

func TestStageWordMessages(t *testing.T) {
	for _, tc := range []struct {
		words []StageWord
		want  string
	}{
		{[]StageWord{{"在谈", "attract"}, {"在谈", "decision"}}, "阶段用语“在谈”重复出现"},
		{[]StageWord{{"已开工", "building"}}, "阶段用语“已开工”对应的阶段“building”不存在"},
		{[]StageWord{{"已开工", ""}}, "阶段用语“已开工”缺少对应的阶段"},
		{[]StageWord{{"在谈", "attract"}, {"", "process"}}, "第 2 条阶段用语缺少词语"},
		{[]StageWord{{strings.Repeat("阶", 21), "push"}}, "过长（最多 20 字）"},
		{[]StageWord{{"终止", "paused"}}, "“终止”是阶段“终止”的名称"},
	} {
		c := DefaultCatalog()
		c.StageWords = tc.words
		err := c.Normalize(RuleKeys{Stages: stageKeys})
		if fe, ok := core.AsFieldError(err); !ok || fe.Field != "stage_words" || !strings.Contains(fe.Message, tc.want) {
			t.Errorf("%v: got %v, want %q", tc.words, err, tc.want)
		}
	}
}

func TestParseStageWords(t *testing.T) {
	h := &Handlers{Stages: stageKeys}
	got := h.parseStageWords("已开工 = 过程管理\r\n\r\n  在谈=attract \n服务＝后道服务\n签约\n开工 = 建设中\n = 暂缓")
	want := []StageWord{{"已开工 ", "process"}, {"在谈", "attract"}, {"服务", "aftercare"}, {"签约", ""},
		{"开工 ", "建设中"}, {"", "paused"}}
	if !slices.Equal(got, want) {
		t.Errorf("parse = %q\nwant    %q", got, want)
	}
	// The page writes stages by label; reading that back gives the table.
	c := DefaultCatalog()
	c.StageWords = h.parseStageWords(formatStageWords(c.StageWords))
	if err := c.Normalize(RuleKeys{Stages: stageKeys}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.StageWords, DefaultStageWords()) {
		t.Errorf("round trip %q", c.StageWords)
	}
}
