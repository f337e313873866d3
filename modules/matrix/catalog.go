package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/templates"
)

// IndustryGroups are the "2+6+X" groups in display order.
var IndustryGroups = []string{"2", "6", "X"}

// CatalogLists are the editable value lists, keyed as in JSON and in Usage.
var CatalogLists = []string{"industries", "zones", "talent_levels", "event_types", "action_lines"}

// Limits of a catalog edit.
const (
	maxValueRunes = 40
	maxListLen    = 200
	MaxStaleDays  = 365
	// MaxStageWordRunes and MaxStageWords bound the 阶段 word table.
	MaxStageWordRunes = 20
	MaxStageWords     = 200
)

// RuleKeys are the keys of the projects module the catalog refers to,
// injected because matrix must not import projects; a nil list skips its
// check.
type RuleKeys struct {
	Gates  []string // stage gate keys (projects.Gates)
	Stages []string // stage keys (projects.Stages)
}

// HasZone reports whether zone is in the catalog.
func (c *Catalog) HasZone(zone string) bool { return slices.Contains(c.Zones, zone) }

// HasIndustry reports whether name is one of the catalog's industries.
func (c *Catalog) HasIndustry(name string) bool {
	return slices.ContainsFunc(c.Industries, func(i Industry) bool { return i.Name == name })
}

// IndustriesIn returns the industry names of one group in order.
func (c *Catalog) IndustriesIn(group string) []string {
	var out []string
	for _, i := range c.Industries {
		if i.Group == group {
			out = append(out, i.Name)
		}
	}
	return out
}

// List returns the values of a list by its key (industries by name).
func (c *Catalog) List(key string) []string {
	switch key {
	case "industries":
		out := make([]string, len(c.Industries))
		for i, x := range c.Industries {
			out[i] = x.Name
		}
		return out
	case "zones":
		return c.Zones
	case "talent_levels":
		return c.TalentLevels
	case "event_types":
		return c.EventTypes
	case "action_lines":
		return c.ActionLines
	}
	return nil
}

// cleanList trims, drops empty and repeated values, and checks lengths.
func cleanList(field, what string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || slices.Contains(out, v) {
			continue
		}
		if hasControl(v) {
			return nil, core.Invalid(field, "%s “%s”含有不可见字符", what, v)
		}
		if utf8.RuneCountInString(v) > maxValueRunes {
			return nil, core.Invalid(field, "%s “%s”过长（最多 %d 字）", what, v, maxValueRunes)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, core.Invalid(field, "%s至少保留一项", what)
	}
	if len(out) > maxListLen {
		return nil, core.Invalid(field, "%s最多 %d 项", what, maxListLen)
	}
	return out, nil
}

// Normalize trims and deduplicates every list of an edited catalog and
// checks it: non-empty lists, known industry groups, stale days 1–365,
// known stage gate keys, a valid 阶段 word table.
func (c *Catalog) Normalize(keys RuleKeys) error {
	seen := map[string]bool{}
	inds := make([]Industry, 0, len(c.Industries))
	for _, i := range c.Industries {
		i.Name, i.Group = strings.TrimSpace(i.Name), strings.ToUpper(strings.TrimSpace(i.Group))
		if i.Name == "" || seen[i.Name] {
			continue
		}
		if !slices.Contains(IndustryGroups, i.Group) {
			return core.Invalid("industries", "产业“%s”的分组须为 2、6 或 X", i.Name)
		}
		if hasControl(i.Name) || utf8.RuneCountInString(i.Name) > maxValueRunes {
			return core.Invalid("industries", "产业名称“%s”无效（最多 %d 字）", i.Name, maxValueRunes)
		}
		seen[i.Name] = true
		inds = append(inds, i)
	}
	if len(inds) == 0 {
		return core.Invalid("industries", "产业目录至少保留一项")
	}
	if len(inds) > maxListLen {
		return core.Invalid("industries", "产业目录最多 %d 项", maxListLen)
	}
	c.Industries = inds
	var err error
	if c.Zones, err = cleanList("zones", "区镇", c.Zones); err != nil {
		return err
	}
	if c.TalentLevels, err = cleanList("talent_levels", "人才层次", c.TalentLevels); err != nil {
		return err
	}
	if c.EventTypes, err = cleanList("event_types", "活动类型", c.EventTypes); err != nil {
		return err
	}
	if c.ActionLines, err = cleanList("action_lines", "“七个一”行动", c.ActionLines); err != nil {
		return err
	}
	if c.StaleDays < 1 || c.StaleDays > MaxStaleDays {
		return core.Invalid("stale_days", "停滞天数须在 1–%d 之间", MaxStaleDays)
	}
	gates := []string{}
	for _, g := range c.DisabledGates {
		g = strings.TrimSpace(g)
		if g == "" || slices.Contains(gates, g) {
			continue
		}
		if keys.Gates != nil && !slices.Contains(keys.Gates, g) {
			return core.Invalid("disabled_gates", "未知的阶段规则 %q", g)
		}
		gates = append(gates, g)
	}
	c.DisabledGates = gates
	c.StageWords, err = cleanStageWords(c.StageWords, keys.Stages)
	return err
}

// cleanStageWords folds the words of the 阶段 table (full-width to
// half-width, no spaces: the importer ignores them) and checks them: not
// empty, unique (ignoring case), short, each naming a known stage, and a
// stage's own key or label never naming another stage.
func cleanStageWords(in []StageWord, stages []string) ([]StageWord, error) {
	out := make([]StageWord, 0, len(in))
	seen := map[string]bool{}
	for i, w := range in {
		w.Word, w.Stage = strings.Join(strings.Fields(cells.Fold(w.Word)), ""), strings.TrimSpace(w.Stage)
		if err := checkStageWord(i, w, stages, seen); err != nil {
			return nil, err
		}
		seen[strings.ToLower(w.Word)] = true
		out = append(out, w)
	}
	if len(out) == 0 {
		return nil, core.Invalid("stage_words", "阶段用语至少保留一项")
	}
	if len(out) > MaxStageWords {
		return nil, core.Invalid("stage_words", "阶段用语最多 %d 项", MaxStageWords)
	}
	return out, nil
}

// checkStageWord checks the i-th (0-based) entry of the 阶段 table.
func checkStageWord(i int, w StageWord, stages []string, seen map[string]bool) error {
	bad := func(format string, args ...any) error { return core.Invalid("stage_words", format, args...) }
	switch {
	case w.Word == "":
		return bad("第 %d 条阶段用语缺少词语（格式：词 = 阶段）", i+1)
	case hasControl(w.Word):
		return bad("阶段用语“%s”含有不可见字符", w.Word)
	case utf8.RuneCountInString(w.Word) > MaxStageWordRunes:
		return bad("阶段用语“%s”过长（最多 %d 字）", w.Word, MaxStageWordRunes)
	case seen[strings.ToLower(w.Word)]:
		return bad("阶段用语“%s”重复出现", w.Word)
	case w.Stage == "":
		return bad("阶段用语“%s”缺少对应的阶段（格式：词 = 阶段）", w.Word)
	case stages != nil && !slices.Contains(stages, w.Stage):
		return bad("阶段用语“%s”对应的阶段“%s”不存在", w.Word, w.Stage)
	}
	for _, k := range stages {
		if k != w.Stage && (strings.EqualFold(w.Word, k) || w.Word == StageLabel(k)) {
			return bad("“%s”是阶段“%s”的名称，不能对应其他阶段", w.Word, StageLabel(k))
		}
	}
	return nil
}

// StageLabel is the Chinese label of a stage key, as the pages show it.
func StageLabel(key string) string { return templates.Label("stage", key) }

// Removal is a value an edit removed from a list while records still use it.
type Removal struct {
	List  string `json:"list"`
	Value string `json:"value"`
	// Records counts the records in the search engine using the value.
	Records int `json:"records"`
	// Units counts the units whose zone or focus industries name it.
	Units int `json:"units,omitempty"`
}

// removed returns, per list, the values in old but not in next.
func removed(old, next *Catalog) map[string][]string {
	out := map[string][]string{}
	for _, l := range CatalogLists {
		for _, v := range old.List(l) {
			if !slices.Contains(next.List(l), v) {
				out[l] = append(out[l], v)
			}
		}
	}
	return out
}

// SaveCatalog stores an edited catalog (admins). c.Version is the version
// the editor read (stale: core.ErrConflict). Removing a value still in use
// is allowed; the removals that still have users are returned as warnings.
func (s *Service) SaveCatalog(ctx context.Context, a core.Actor, c *Catalog, keys RuleKeys, use Usage) ([]Removal, error) {
	if err := c.Normalize(keys); err != nil {
		return nil, err
	}
	stored, err := s.catalog.Get(ctx, CatalogID)
	notFound := errors.Is(err, core.ErrNotFound)
	if err != nil && !notFound {
		return nil, err
	}
	if notFound {
		stored = DefaultCatalog()
	}
	if c.Version != stored.Version {
		return nil, fmt.Errorf("matrix: save catalog: %w", core.ErrConflict)
	}
	var warn []Removal
	for _, list := range CatalogLists {
		vals := removed(stored, c)[list]
		if len(vals) == 0 {
			continue
		}
		counts, err := use.ValueRefs(ctx, list, vals)
		if err != nil {
			return nil, fmt.Errorf("matrix: count uses of %s: %w", list, err)
		}
		for _, v := range vals {
			r := Removal{List: list, Value: v, Records: counts[v], Units: s.unitsNaming(list, v)}
			if r.Records > 0 || r.Units > 0 {
				warn = append(warn, r)
			}
		}
	}
	next := *stored
	next.Industries, next.Zones, next.TalentLevels = c.Industries, c.Zones, c.TalentLevels
	next.EventTypes, next.ActionLines, next.StaleDays, next.DisabledGates = c.EventTypes, c.ActionLines, c.StaleDays, c.DisabledGates
	next.StageWords = c.StageWords
	if notFound {
		next.Meta = core.Meta{ID: CatalogID}
		err = s.catalog.Create(ctx, a, &next)
		if errors.Is(err, core.ErrDuplicate) {
			err = core.ErrConflict
		}
	} else {
		err = s.catalog.Update(ctx, a, &next, stored)
	}
	if err != nil {
		return nil, fmt.Errorf("matrix: save catalog: %w", err)
	}
	*c = next
	return warn, nil
}

// unitsNaming counts units whose zone (zones) or focus (industries) is v.
func (s *Service) unitsNaming(list, v string) int {
	n := 0
	for _, u := range s.Units() {
		if (list == "zones" && u.Zone == v) || (list == "industries" && slices.Contains(u.Focus, v)) {
			n++
		}
	}
	return n
}
