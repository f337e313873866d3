package batch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Helpers the modules' Kind adapters share: they turn what a ledger cell
// says into the value the module's form would send. Checking the value
// stays with the module.

// Choice maps a cell to a value of options: the value itself (folded), a
// synonym, the value without a generic suffix ("新能源产业" → 新能源,
// "省双创人才" → 省双创), or, with loose, the one option containing the cell
// or contained in it ("项目路演" → 路演, "张浦" → 张浦镇). An ambiguous or
// unknown cell is returned folded, so that the module's check names it.
func Choice(cell string, options []string, synonyms map[string]string, loose bool) string {
	v := cells.Norm(cell)
	if v == "" {
		return ""
	}
	for _, o := range options {
		if cells.Norm(o) == v {
			return o
		}
	}
	if s, ok := synonyms[v]; ok {
		return s
	}
	for _, suffix := range []string{"产业", "行业", "领域", "人才", "类"} {
		if t := strings.TrimSuffix(v, suffix); t != v && t != "" {
			for _, o := range options {
				if cells.Norm(o) == t {
					return o
				}
			}
		}
	}
	if loose && len([]rune(v)) >= 2 {
		var hit []string
		for _, o := range options {
			if n := cells.Norm(o); strings.Contains(n, v) || strings.Contains(v, n) {
				hit = append(hit, o)
			}
		}
		if len(hit) == 1 {
			return hit[0]
		}
	}
	return cells.Fold(cell)
}

// Choices maps a list cell ("新能源、新材料") value by value.
func Choices(cell string, options []string, synonyms map[string]string, loose bool) []string {
	var out []string
	for _, v := range SplitList(cell) {
		if c := Choice(v, options, synonyms, loose); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// SplitList splits a cell listing several values on commas, 顿号,
// semicolons (full or half width) and line breaks (not on spaces: names
// may hold them); values are trimmed, blank and repeated ones dropped.
func SplitList(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(",，、､;；\n\r", r) }) {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// ParseCount reads a head count: "120", "120人", "1,200"; "" is 0. An
// estimate ("约120", "百余人") is refused rather than guessed.
func ParseCount(cell string) (int, error) {
	s := strings.NewReplacer(",", "", "，", "", " ", "").Replace(cells.Fold(cell))
	for _, suffix := range []string{"人次", "人", "家", "名", "个"} {
		s = strings.TrimSuffix(s, suffix)
	}
	if s == "" {
		return 0, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f >= 0 && f < 1e7 {
		return int(f), nil
	}
	return 0, fmt.Errorf("无法识别的人数 %q（填整数，如 120）", strings.TrimSpace(cell))
}

// AmountText reads an amount cell under its header's unit (万元 / 亿元 / 元)
// and returns it in 万元 as the module's form takes it ("" for a blank cell).
func AmountText(cell string, res header.Result, key string) (string, error) {
	if strings.TrimSpace(cell) == "" {
		return "", nil
	}
	wan, _, err := cells.ParseAmount(cells.WithUnit(cell, res.Units[res.Field(key)]))
	if err != nil {
		return "", err
	}
	return strconv.FormatFloat(wan, 'f', -1, 64), nil
}

// DateText checks a date cell with the one date parser (a full day, never
// guessed) and returns it as 2006-01-02 ("" for a blank cell).
func DateText(cell string) (string, error) {
	d, err := core.ParseDate(cell)
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// Present is the set of field keys the file has a column for.
func Present(res header.Result) map[string]bool {
	m := make(map[string]bool, len(res.Columns))
	for _, k := range res.Columns {
		m[k] = true
	}
	return m
}

// Pick sets *dst to v when the ledger has a column for key: a column the
// file lacks never clears a stored value, a blank cell in one it has does.
func Pick[T any](has map[string]bool, key string, dst *T, v T) {
	if has[key] {
		*dst = v
	}
}

// OnColumns names a module's field errors by the import keys of their
// columns (keys: module field → import key; others keep their name), all of
// them; any other error is returned as it is.
func OnColumns(err error, keys map[string]string) error {
	fes := core.FieldErrors(err)
	if len(fes) == 0 {
		return err
	}
	var ps core.Problems
	for _, fe := range fes {
		k, ok := keys[fe.Field]
		if !ok {
			k = fe.Field
		}
		ps.Add(k, "%s", fe.Message)
	}
	return ps.Err()
}
