package cells

import "testing"

func TestSimilar(t *testing.T) {
	for in, want := range map[string]string{
		"昆山某某科技有限公司": "昆山某某科技", "昆山某某科技股份有限公司": "昆山某某科技", "智能传感器项目（二期）": "智能传感器项目",
		"某研究院": "", "Ａ公司": "", " 苏州 某某 集团有限公司 ": "苏州某某",
	} {
		if got := SimilarKey(in); got != want {
			t.Errorf("similar(%q) = %q, want %q", in, got, want)
		}
	}
}
