package projects

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Service holds the pipeline rules; every entry path (page, API, import)
// goes through it.
type Service struct {
	Repo   *Repo
	Engine func() search.Engine
}

// NewService wires the service.
func NewService(repo *Repo) *Service {
	return &Service{Repo: repo, Engine: repo.Sync.Engine}
}

// ListQuery is a filtered, sorted, paginated list request.
type ListQuery struct {
	Text     string
	Stage    string
	Unit     string
	Industry string
	Type     string
	Zone     string
	Officer  string
	Sort     string // field, "-field" for descending
	Page     int    // 1-based
	PerPage  int
}

// SortFields are the list's sortable columns.
var SortFields = []string{"updated", "created", "stage_since", "investment", "capital_arrived", "next_due", "last_follow_up"}

// Validate normalises q and rejects unknown values with the field named.
func (q *ListQuery) Validate() error {
	q.Text = strings.TrimSpace(q.Text)
	if len([]rune(q.Text)) > 200 {
		return core.Invalid("q", "搜索词过长（最多 200 字）")
	}
	if q.Stage != "" && !ValidStage(q.Stage) {
		return core.Invalid("stage", "未知阶段 %q", q.Stage)
	}
	if q.Type != "" && !slices.Contains(Types, q.Type) {
		return core.Invalid("type", "未知项目类型 %q", q.Type)
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage <= 0 {
		q.PerPage = 20
	}
	if q.PerPage > 200 {
		return core.Invalid("per_page", "每页最多 200 条")
	}
	if q.Page*q.PerPage > 100000 {
		return core.Invalid("page", "页码过大")
	}
	if q.Sort != "" && !slices.Contains(SortFields, strings.TrimPrefix(q.Sort, "-")) {
		return core.Invalid("sort", "不能按 %q 排序", q.Sort)
	}
	return nil
}

// Page is one page of projects with the total over all matches.
type Page struct {
	Items []*Project
	Total int
}

// List answers a list through the search engine within scope; documents
// are then loaded by _id.
func (s *Service) List(ctx context.Context, scope core.Scope, q ListQuery) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	if q.Unit != "" {
		if !scope.Allows(q.Unit) {
			return Page{}, nil
		}
		scope = core.Scope{Units: []string{q.Unit}}
	}
	sq := search.Query{Kinds: []string{Kind}, Text: q.Text, Scope: scope.Search(),
		Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage}
	for field, v := range map[string]string{"stage": q.Stage, "industry": q.Industry, "type": q.Type, "zone": q.Zone, "officer": q.Officer} {
		if v != "" {
			sq.Filters = append(sq.Filters, search.Filter{Field: field, Values: []string{v}})
		}
	}
	switch {
	case q.Sort != "":
		sq.Sort = []search.Sort{{Field: strings.TrimPrefix(q.Sort, "-"), Desc: strings.HasPrefix(q.Sort, "-")}}
	case q.Text == "":
		sq.Sort = []search.Sort{{Field: "updated", Desc: true}}
	}
	res, err := s.Engine().Search(ctx, sq)
	if err != nil {
		return Page{}, fmt.Errorf("projects: list: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	items, err := s.Repo.GetMany(ctx, ids)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, Total: res.Total}, nil
}

// Get loads a project the scope may see; others are ErrForbidden.
func (s *Service) Get(ctx context.Context, scope core.Scope, id string) (*Project, error) {
	p, err := s.Repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(p.Unit) {
		return nil, fmt.Errorf("projects: %s: %w", id, core.ErrForbidden)
	}
	return p, nil
}

// StageCounts returns how many projects in scope are in each stage.
func (s *Service) StageCounts(ctx context.Context, scope core.Scope) (map[string]int, int, error) {
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope.Search(), Facets: []string{"stage"}, Limit: 1})
	if err != nil {
		return nil, 0, fmt.Errorf("projects: stage counts: %w", err)
	}
	return res.Facets["stage"], res.Total, nil
}
