package search

import (
	"slices"
	"testing"
)

func TestPinyinTerms(t *testing.T) {
	cases := []struct {
		title              string
		full, initials     []string
		hasFull, hasInitls []string
	}{
		{title: "智能装备", full: []string{"zhinengzhuangbei", "nengzhuangbei", "zhuangbei", "bei"},
			initials: []string{"znzb", "nzb", "zb", "b"}},
		{title: "Siemens", full: nil, initials: nil},
		{title: "", full: nil, initials: nil},
		{title: "绿色 IIoT 平台", full: []string{"lvse", "se", "pingtai", "tai"}, initials: []string{"ls", "s", "pt", "t"}},
		{title: "某某某", full: []string{"moumoumou", "moumou", "mou"}, initials: []string{"mmm", "mm", "m"}},
		{title: "苏州某某智能装备有限公司", hasFull: []string{"zhinengzhuangbeiyouxiangongsi", "suzhoumoumouzhinengzhuangbei"},
			hasInitls: []string{"szmmznzbyxgs", "znzbyxgs"}},
	}
	for _, c := range cases {
		full, initials := PinyinTerms(c.title)
		if c.hasFull == nil && (!slices.Equal(full, c.full) || !slices.Equal(initials, c.initials)) {
			t.Errorf("PinyinTerms(%q) = %v %v, want %v %v", c.title, full, initials, c.full, c.initials)
		}
		for _, w := range c.hasFull {
			if !slices.ContainsFunc(full, func(f string) bool { return len(f) >= len(w) && f[:len(w)] == w }) {
				t.Errorf("PinyinTerms(%q) full %v: no term starts with %s", c.title, full, w)
			}
		}
		for _, w := range c.hasInitls {
			if !slices.Contains(initials, w) {
				t.Errorf("PinyinTerms(%q) initials %v lack %s", c.title, initials, w)
			}
		}
	}
	long := ""
	for range 100 {
		long += "智"
	}
	full, _ := PinyinTerms(long)
	if len(full) != maxTermSyllables || len(full[0]) != 3*maxTermSyllables {
		t.Errorf("long title: %d terms, first %q", len(full), full[0])
	}
}

func TestTypoDistanceAndPinyinWord(t *testing.T) {
	typos := map[string]int{"robo": 0, "robot": 1, "siemans": 1, "robotcs": 1, "industrial": 2, "智能装备": 0,
		"2024": 0, "abc1234": 0, "": 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": 0}
	for w, want := range typos {
		if got := TypoDistance(w); got != want {
			t.Errorf("TypoDistance(%q) = %d, want %d", w, got, want)
		}
	}
	words := map[string][2]bool{"zh": {false, true}, "zhi": {true, true}, "z": {false, false}, "znzb": {true, true},
		"zhi1": {false, false}, "智能": {false, false}, "Zh": {false, false}, "zhinengzhuangbeiyouxian": {true, false}}
	for w, want := range words {
		if full, initials := PinyinQueryWord(w); full != want[0] || initials != want[1] {
			t.Errorf("PinyinQueryWord(%q) = %v %v, want %v", w, full, initials, want)
		}
	}
}
