package batch_test

import (
	"slices"
	"testing"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/matrix"
)

func TestChoice(t *testing.T) {
	zones := matrix.DefaultCatalog().Zones
	levels := matrix.DefaultCatalog().TalentLevels
	types := matrix.DefaultCatalog().EventTypes
	for _, c := range []struct {
		cell    string
		options []string
		syn     map[string]string
		loose   bool
		want    string
	}{
		{"张浦镇", zones, nil, true, "张浦镇"},
		{" 张 浦 ", zones, nil, true, "张浦镇"},
		{"开发区", zones, nil, true, "开发区"}, // 昆山开发区 or 花桥经济开发区: not guessed
		{"张浦", zones, nil, false, "张浦"},
		{"省双创人才", levels, nil, true, "省双创"},
		{"国家级人才", levels, nil, false, "国家级"},
		{"双创", levels, nil, true, "双创"}, // 省双创 or 昆山双创
		{"项目路演", types, nil, true, "路演"},
		{"沙龙路演", types, nil, true, "沙龙路演"},
		{"新能源产业", []string{"新能源", "新材料"}, nil, false, "新能源"},
		{"男性", []string{"男", "女"}, map[string]string{"男性": "男"}, false, "男"},
		{"", zones, nil, true, ""},
		{"ＡＢＣ", zones, nil, true, "ABC"},
	} {
		if got := batch.Choice(c.cell, c.options, c.syn, c.loose); got != c.want {
			t.Errorf("choice(%q) = %q, want %q", c.cell, got, c.want)
		}
	}
}

func TestParseCountAndLists(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		bad  bool
	}{
		{"120", 120, false}, {"120人", 120, false}, {"1,200", 1200, false}, {"３０家", 30, false}, {"", 0, false},
		{"约120", 0, true}, {"百余人", 0, true}, {"-3", 0, true}, {"12.5", 0, true},
	} {
		got, err := batch.ParseCount(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("parseCount(%q) = %d, %v", c.in, got, err)
		}
	}
	if got := batch.SplitList("昆山市科技局、 张浦镇人民政府，昆山市科技局;某 协会"); !slices.Equal(got, []string{"昆山市科技局", "张浦镇人民政府", "某 协会"}) {
		t.Errorf("splitList = %q", got)
	}
}
