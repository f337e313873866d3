package cells

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var companySuffix = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团|公司|研究院|研究所|中心|\(.*?\)|（.*?）)+$`)

// SimilarKey is the loose name key an import groups likely duplicates by
// (a new row whose key equals a stored record's goes to review): the
// folded name without a company-form suffix or bracketed parts, at least 2
// runes ("" when shorter).
func SimilarKey(name string) string {
	n := Norm(name)
	n = strings.NewReplacer("（", "(", "）", ")").Replace(n)
	for prev := ""; prev != n; {
		prev = n
		n = companySuffix.ReplaceAllString(n, "")
	}
	if len([]rune(n)) < 2 {
		return ""
	}
	return n
}

// SimilarCores reports whether two name cores (names with their
// company-form, place and kind words already removed) very likely name the
// same thing: equal, one inside the other (at least 4 characters), or
// sharing at least 80% of their character pairs.
func SimilarCores(a, b string) bool {
	if a == b {
		return true
	}
	short, long := a, b
	if utf8.RuneCountInString(short) > utf8.RuneCountInString(long) {
		short, long = long, short
	}
	if utf8.RuneCountInString(short) >= 4 && strings.Contains(long, short) {
		return true
	}
	return Dice(a, b) >= 0.8
}

// Dice is the Sørensen–Dice coefficient of the strings' rune bigrams.
func Dice(a, b string) float64 {
	pairs := func(s string) map[string]int {
		r := []rune(s)
		m := map[string]int{}
		for i := 0; i+1 < len(r); i++ {
			m[string(r[i:i+2])]++
		}
		return m
	}
	pa, pb := pairs(a), pairs(b)
	na, nb, common := 0, 0, 0
	for k, n := range pa {
		na += n
		common += min(n, pb[k])
	}
	for _, n := range pb {
		nb += n
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(common) / float64(na+nb)
}
