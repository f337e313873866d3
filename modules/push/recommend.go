package push

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// Suggestion is one recommended resource with the reasons it fits.
type Suggestion struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
	Why     string   `json:"why"` // reasons joined: 产业匹配：新能源；区镇：张浦镇；国家级人才
	Unit    string   `json:"unit"`
}

// levelWeights rank talent and platform levels.
var levelWeights = map[string]float64{"国家级": 3, "省双创": 2, "省级": 1.5, "姑苏领军": 1.5, "苏州市级": 1, "昆山双创": 1, "昆山市级": 0.5}

// highLevels are the talent levels asked for separately, so that a few
// top talents are never crowded out of the candidates by recent records.
var highLevels = []string{"国家级", "省双创", "姑苏领军"}

// candidates bounds each engine query of Recommend.
const candidates = 200

// Recommend ranks resources the caller may see (scope, inside the engine
// queries) that fit unit: industry among the unit's focus industries, zone
// the unit's zone, high talent or platform level. Resources the unit
// already has a project for are left out. The engine finds candidates by
// filters; the ranking is a small Go score over them.
func (s *Service) Recommend(ctx context.Context, scope core.Scope, unitID string, n int) ([]Suggestion, error) {
	u := s.Units.Unit(unitID)
	if u == nil {
		return nil, core.Invalid("unit", "未知单位 %q", unitID)
	}
	if !scope.Allows(unitID) {
		return nil, fmt.Errorf("push: recommend for %s: %w", unitID, core.ErrForbidden)
	}
	e, err := s.engine()
	if err != nil {
		return nil, err
	}
	if len(u.Focus) == 0 && u.Zone == "" {
		return nil, nil
	}
	var queries []search.Query
	base := search.Query{Kinds: ResourceKinds, Scope: scope.Search(), Limit: candidates,
		Sort: []search.Sort{{Field: resources.FieldUpdated, Desc: true}}}
	if len(u.Focus) > 0 {
		q := base
		q.Filters = []search.Filter{{Field: resources.FieldIndustry, Values: u.Focus}}
		queries = append(queries, q)
		q.Kinds = []string{resources.KindTalents}
		q.Filters = append(slices.Clone(q.Filters), search.Filter{Field: resources.FieldLevel, Values: highLevels})
		queries = append(queries, q)
	}
	if u.Zone != "" {
		q := base
		q.Filters = []search.Filter{{Field: resources.FieldZone, Values: []string{u.Zone}}}
		queries = append(queries, q)
	}
	seen := map[string]bool{}
	var hits []search.Hit
	for _, q := range queries {
		res, err := e.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("push: recommend for %s: %w", unitID, err)
		}
		for _, h := range res.Hits {
			if k := h.Kind + "/" + h.ID; !seen[k] {
				seen[k] = true
				hits = append(hits, h)
			}
		}
	}
	linked, err := s.linkedSet(ctx, e, unitID, hits)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for _, h := range hits {
		if linked[h.Kind+"/"+h.ID] {
			continue
		}
		sg := score(h, u.Focus, u.Zone)
		if sg.Score > 0 {
			out = append(out, sg)
		}
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind+a.ID, b.Kind+b.ID)
	})
	return diverse(out, n), nil
}

// diverse keeps the n best, at most 40% of them (at least 3) of one kind
// while others are left, so a unit sees enterprises and platforms besides
// the many talents.
func diverse(ranked []Suggestion, n int) []Suggestion {
	if n <= 0 || len(ranked) <= n {
		return ranked
	}
	capPer := max(3, n*2/5)
	per := map[string]int{}
	var out, rest []Suggestion
	for _, s := range ranked {
		if len(out) < n && per[s.Kind] < capPer {
			per[s.Kind]++
			out = append(out, s)
		} else {
			rest = append(rest, s)
		}
	}
	for _, s := range rest {
		if len(out) >= n {
			break
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int { return cmp.Compare(b.Score, a.Score) })
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a keyword field of a hit, one value or many.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, y := range x {
			if s, ok := y.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// score explains and weighs one candidate.
func score(h search.Hit, focus []string, zone string) Suggestion {
	sg := Suggestion{Kind: h.Kind, ID: h.ID, Title: h.Title}
	if len(h.Units) > 0 {
		sg.Unit = h.Units[0]
	}
	if ind := str(h.Fields[resources.FieldIndustry]); ind != "" {
		if i := slices.Index(focus, ind); i >= 0 {
			// the unit's first focus industries weigh a little more
			sg.Score += 3 + 0.5/float64(i+1)
			sg.Reasons = append(sg.Reasons, "产业匹配："+ind)
		}
	}
	if z := str(h.Fields[resources.FieldZone]); z != "" && z == zone {
		sg.Score += 2
		sg.Reasons = append(sg.Reasons, "区镇："+z)
	}
	level := str(h.Fields[resources.FieldLevel])
	if w, ok := levelWeights[level]; ok && sg.Score > 0 {
		sg.Score += w
		switch h.Kind {
		case resources.KindTalents:
			sg.Reasons = append(sg.Reasons, level+"人才")
		default:
			sg.Reasons = append(sg.Reasons, level+"平台")
		}
	}
	if sg.Score > 0 {
		{
			for _, t := range strs(h.Fields[resources.FieldTags]) {
				if t == "高新技术企业" || t == "专精特新" {
					sg.Score += 0.5
					sg.Reasons = append(sg.Reasons, t)
				}
			}
		}
		if m := str(h.Fields[resources.FieldMaturity]); m == "可以量产" || m == "通过中试" {
			sg.Score += 0.5
			sg.Reasons = append(sg.Reasons, "成果"+m)
		}
	}
	sg.Why = strings.Join(sg.Reasons, "；")
	return sg
}

// linkedSet returns kind/id of the hits the unit already has a project
// for: one engine query per kind over the unit's projects.
func (s *Service) linkedSet(ctx context.Context, e search.Engine, unit string, hits []search.Hit) (map[string]bool, error) {
	ids := map[string][]string{}
	for _, h := range hits {
		ids[h.Kind] = append(ids[h.Kind], h.ID)
	}
	out := map[string]bool{}
	for kind, list := range ids {
		k := resources.KindOf(kind)
		if k == nil || k.LinkField == "" {
			continue
		}
		res, err := e.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: search.Scope{Units: []string{unit}},
			Filters: []search.Filter{{Field: k.LinkField, Values: list}}, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("push: projects of %s: %w", unit, err)
		}
		for _, h := range res.Hits {
			for _, x := range strs(h.Fields[k.LinkField]) {
				out[kind+"/"+x] = true
			}
		}
	}
	return out, nil
}
