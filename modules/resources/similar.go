package resources

import (
	"strings"
	"unicode"

	"zhaoshang/modules/core/cells"
)

// Company names are written with and without their place and legal-form
// parts (昆山恒创智能装备科技有限公司 / 恒创智能装备 / 苏州恒创智能装备股份有限公司):
// the comparison strips those and compares what is left.

var namePlaces = []string{"中国", "江苏省", "江苏", "苏州市", "苏州", "昆山市", "昆山", "上海市", "上海", "北京市", "北京",
	"深圳市", "深圳", "杭州市", "杭州", "南京市", "南京", "无锡市", "无锡", "常州市", "常州", "广州市", "广州"}

var nameForms = []string{"股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团", "公司", "科技", "技术", "实业"}

// nameCore returns a company name without places, brackets, spaces and
// legal-form words.
func nameCore(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("()（）[]【】·.-", r) {
			return -1
		}
		return r
	}, halfWidth(s))
	for changed := true; changed; {
		changed = false
		for _, p := range namePlaces {
			if strings.HasPrefix(s, p) && len(s) > len(p) {
				s, changed = s[len(p):], true
			}
		}
		for _, f := range nameForms {
			if strings.HasSuffix(s, f) && len(s) > len(f) {
				s, changed = s[:len(s)-len(f)], true
			}
		}
	}
	for _, p := range namePlaces { // a place in brackets: 恒创（昆山）智能
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// SimilarNames reports whether two company names very likely name the same
// company: equal cores, one core inside the other (at least 4 characters),
// or cores sharing at least 80% of their character pairs.
func SimilarNames(a, b string) bool {
	ca, cb := nameCore(a), nameCore(b)
	if ca == "" || cb == "" {
		return sameName(a, b)
	}
	return cells.SimilarCores(ca, cb)
}
