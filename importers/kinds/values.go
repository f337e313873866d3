package kinds

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Helpers shared by the adapters of the resource, event and policy kinds:
// they turn what a ledger cell says into the value the module's form would
// send. Checking the value stays with the module.

// choice maps a cell to a value of options: the value itself (folded), a
// synonym, the value without a generic suffix ("新能源产业" → 新能源,
// "省双创人才" → 省双创), or, with loose, the one option containing the cell
// or contained in it ("项目路演" → 路演, "张浦" → 张浦镇). An ambiguous or
// unknown cell is returned folded, so that the module's check names it.
func choice(cell string, options []string, synonyms map[string]string, loose bool) string {
	v := norm(cell)
	if v == "" {
		return ""
	}
	for _, o := range options {
		if norm(o) == v {
			return o
		}
	}
	if s, ok := synonyms[v]; ok {
		return s
	}
	for _, suffix := range []string{"产业", "行业", "领域", "人才", "类"} {
		if t := strings.TrimSuffix(v, suffix); t != v && t != "" {
			for _, o := range options {
				if norm(o) == t {
					return o
				}
			}
		}
	}
	if loose && len([]rune(v)) >= 2 {
		var hit []string
		for _, o := range options {
			if n := norm(o); strings.Contains(n, v) || strings.Contains(v, n) {
				hit = append(hit, o)
			}
		}
		if len(hit) == 1 {
			return hit[0]
		}
	}
	return cells.Fold(cell)
}

// choices maps a list cell ("新能源、新材料") value by value.
func choices(cell string, options []string, synonyms map[string]string, loose bool) []string {
	var out []string
	for _, v := range splitList(cell) {
		if c := choice(v, options, synonyms, loose); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// splitList splits a cell listing several values on commas, 顿号,
// semicolons (full or half width) and line breaks (not on spaces: names
// may hold them); values are trimmed, blank and repeated ones dropped.
func splitList(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(",，、､;；\n\r", r) }) {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// parseCount reads a head count: "120", "120人", "1,200"; "" is 0. An
// estimate ("约120", "百余人") is refused rather than guessed.
func parseCount(cell string) (int, error) {
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

// amountText reads an amount cell under its header's unit (万元 / 亿元 / 元)
// and returns it in 万元 as the module's form takes it ("" for a blank cell).
func amountText(cell string, res header.Result, key string) (string, error) {
	if strings.TrimSpace(cell) == "" {
		return "", nil
	}
	wan, _, err := cells.ParseAmount(withUnit(cell, res.Units[res.Field(key)]))
	if err != nil {
		return "", err
	}
	return strconv.FormatFloat(wan, 'f', -1, 64), nil
}

// dateText checks a date cell with the one date parser (a full day, never
// guessed) and returns it as 2006-01-02 ("" for a blank cell).
func dateText(cell string) (string, error) {
	d, err := core.ParseDate(cell)
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// present is the set of field keys the file has a column for.
func present(res header.Result) map[string]bool {
	m := make(map[string]bool, len(res.Columns))
	for _, k := range res.Columns {
		m[k] = true
	}
	return m
}
