package kinds

import (
	"testing"

	"zhaoshang/modules/matrix"
)

func defaultStageWords() map[string]string {
	out := map[string]string{}
	for _, w := range matrix.DefaultStageWords() {
		out[w.Word] = w.Stage
	}
	return out
}

func TestSynonyms(t *testing.T) {
	words := NewStageWords(defaultStageWords())
	for in, want := range map[string]string{
		"在谈": "attract", "洽谈中": "attract", "接洽": "attract", "已签约": "process", "签约": "process",
		"推送": "push", "终止": "dropped", "暂缓": "paused", "评估": "decision", "评审": "decision",
		"落地": "process", "已投产": "process", "投产": "process", "后道": "aftercare", "服务": "aftercare",
		" 在 谈 ": "attract", "attract": "attract", "资源招引": "attract", "筹备中": "筹备中",
	} {
		if got := words.Stage(in); got != want {
			t.Errorf("Stage(%q) = %q, want %q", in, got, want)
		}
	}
	// An office's own table: its words only, keys and labels always.
	own := NewStageWords(map[string]string{"已开工": "process", "ＫＯ": "dropped"})
	for in, want := range map[string]string{
		"已开工": "process", "ko": "dropped", "服务": "服务", "在谈": "在谈", "Process": "process", "后道服务": "aftercare",
	} {
		if got := own.Stage(in); got != want {
			t.Errorf("own table: Stage(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"人才": "talent", "产业项目": "industry", "平台": "platform",
		"Industry": "industry", "基金": "基金"} {
		if got := ProjectType(in); got != want {
			t.Errorf("ProjectType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithUnit(t *testing.T) {
	for _, c := range []struct{ v, unit, want string }{
		{"1.5", "亿元", "1.5亿元"}, {"1,500", "元", "1500元"}, {"3000万元", "亿元", "3000万元"},
		{"12", "万元", "12"}, {"12", "", "12"}, {"abc", "亿元", "abc"},
	} {
		if got := withUnit(c.v, c.unit); got != c.want {
			t.Errorf("withUnit(%q, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

func TestSimilar(t *testing.T) {
	for in, want := range map[string]string{
		"昆山某某科技有限公司": "昆山某某科技", "昆山某某科技股份有限公司": "昆山某某科技", "智能传感器项目（二期）": "智能传感器项目",
		"某研究院": "", "Ａ公司": "", " 苏州 某某 集团有限公司 ": "苏州某某",
	} {
		if got := similar(in); got != want {
			t.Errorf("similar(%q) = %q, want %q", in, got, want)
		}
	}
}
