package core

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// HeldBy names who holds a count of records, most first: "昆山高新区科技招商分队
// 2 个、昆山开发区科技招商分队 1 个" (byUnit: counts by unit id; name: a unit's
// name; measure: the counting word, "个", "笔").
func HeldBy(byUnit map[string]int, name func(string) string, measure string) string {
	ids := make([]string, 0, len(byUnit))
	for u, n := range byUnit {
		if n > 0 {
			ids = append(ids, u)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(byUnit[b]-byUnit[a], strings.Compare(a, b)) })
	parts := make([]string, len(ids))
	for i, u := range ids {
		parts[i] = fmt.Sprintf("%s %d %s", name(u), byUnit[u], measure)
	}
	return strings.Join(parts, "、")
}
