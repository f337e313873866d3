package projects

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
	words := newStageWords(defaultStageWords())
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
	own := newStageWords(map[string]string{"已开工": "process", "ＫＯ": "dropped"})
	for in, want := range map[string]string{
		"已开工": "process", "ko": "dropped", "服务": "服务", "在谈": "在谈", "Process": "process", "后道服务": "aftercare",
	} {
		if got := own.Stage(in); got != want {
			t.Errorf("own table: Stage(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"人才": "talent", "产业项目": "industry", "平台": "platform",
		"Industry": "industry", "基金": "基金"} {
		if got := ledgerType(in); got != want {
			t.Errorf("ProjectType(%q) = %q, want %q", in, got, want)
		}
	}
}
