// Package kinds adapts each importable kind to the import engine
// (importers/batch): which columns it has, how a row becomes the module's
// input, what its natural keys are, and how the module's own rules build
// the record to store.
package kinds

import (
	"regexp"
	"strconv"
	"strings"

	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/matrix"
)

// Units resolves the 责任单位 a ledger names: a unit id, its full name or
// its short name.
type Units interface {
	Units() []*matrix.Unit
	HasUnit(id string) bool
}

// unitID returns the id of the unit a cell names, "" when none matches.
func unitID(units Units, cell string) string {
	v := norm(cell)
	if v == "" {
		return ""
	}
	for _, u := range units.Units() {
		if norm(u.ID) == v || norm(u.Name) == v || (u.Short != "" && norm(u.Short) == v) {
			return u.ID
		}
	}
	return ""
}

// norm folds a cell for comparisons: full-width to half-width, no spaces,
// lower case.
func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(cells.Fold(s)), ""))
}

var companySuffix = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团|公司|研究院|研究所|中心|\(.*?\)|（.*?）)+$`)

// similar is the loose name key for likely duplicates: the folded name
// without a company-form suffix or bracketed parts, at least 2 runes.
func similar(name string) string {
	n := norm(name)
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

// withUnit appends the header's money unit (亿元, 元) to a bare number, so
// that "1.2" under "总投资（亿元）" reads as 12000 万元; a cell with its own
// unit keeps it.
func withUnit(v, unit string) string {
	if unit == "" || unit == "万元" {
		return v
	}
	bare := strings.NewReplacer(",", "", "，", "").Replace(cells.Fold(v))
	if _, err := strconv.ParseFloat(bare, 64); err != nil {
		return v
	}
	return bare + unit
}

// pick sets *dst to v when the ledger has a column for key: a column the
// file lacks never clears a stored value, a blank cell in one it has does.
func pick[T any](has map[string]bool, key string, dst *T, v T) {
	if has[key] {
		*dst = v
	}
}
