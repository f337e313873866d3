package dashboard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// Stuck work kinds (督办): projects without a follow-up for the configured
// days, next actions past due, and decisions waiting for approval.
const (
	StuckStale    = "stale"
	StuckOverdue  = "overdue"
	StuckApproval = "approval"
)

// StuckKinds are the stuck-work lists in display order.
var StuckKinds = []string{StuckStale, StuckOverdue, StuckApproval}

// StuckSorts are the stuck lists' sortable fields ("-field" descends).
var StuckSorts = []string{"next_due", "last_follow_up", "stage_since"}

// defaultStuckSort puts the longest-waiting project first.
var defaultStuckSort = map[string]string{StuckStale: "last_follow_up", StuckOverdue: "next_due", StuckApproval: "stage_since"}

// StuckQuery asks for one page of one stuck-work list.
type StuckQuery struct {
	Kind    string
	Unit    string
	Sort    string
	Page    int
	PerPage int
}

// StuckRow is one stuck project with its owner.
type StuckRow struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Unit         string    `json:"unit"`
	UnitName     string    `json:"unit_name"`
	Officer      string    `json:"officer"`
	OfficerName  string    `json:"officer_name"`
	Stage        string    `json:"stage"`
	Since        time.Time `json:"since"`
	LastFollowUp time.Time `json:"last_follow_up,omitzero"`
	NextDue      core.Date `json:"next_due,omitzero"`
	NextAction   string    `json:"next_action"`
}

// StuckPage is a page of a stuck list; Total equals the total of Link's list.
type StuckPage struct {
	Kind  string     `json:"kind"`
	Items []StuckRow `json:"items"`
	Total int        `json:"total"`
	Link  string     `json:"link"`
	Sort  string     `json:"sort"`
	Page  int        `json:"page"`
	Pages int        `json:"pages"`
}

// stuckQuery is the project list query (and the list link's parameters)
// behind a stuck kind.
func stuckQuery(kind string) (projects.ListQuery, []string) {
	switch kind {
	case StuckStale:
		return projects.ListQuery{Stale: true}, []string{"stale", "1"}
	case StuckOverdue:
		return projects.ListQuery{Overdue: true}, []string{"overdue", "1"}
	default:
		return projects.ListQuery{Stage: projects.StageDecision, Approval: "pending"},
			[]string{"stage", projects.StageDecision, "approval", "pending"}
	}
}

// Validate normalises q: an empty kind is stale, an empty sort the kind's default.
func (q *StuckQuery) Validate() error {
	q.Kind = strings.TrimSpace(q.Kind)
	if q.Kind == "" {
		q.Kind = StuckStale
	}
	if !slices.Contains(StuckKinds, q.Kind) {
		return core.Invalid("kind", "类别须为 stale、overdue 或 approval")
	}
	q.Sort = strings.TrimSpace(q.Sort)
	if q.Sort == "" {
		q.Sort = defaultStuckSort[q.Kind]
	}
	if !slices.Contains(StuckSorts, strings.TrimPrefix(q.Sort, "-")) {
		return core.Invalid("sort", "只能按 next_due、last_follow_up 或 stage_since 排序")
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
	return nil
}

// scoped checks unit like Cockpit does and narrows scope to it.
func (s *Service) scoped(scope core.Scope, unit string) (core.Scope, error) {
	if unit == "" {
		return scope, nil
	}
	if s.HasUnit != nil && !s.HasUnit(unit) {
		return scope, core.Invalid("unit", "未知单位 %q", unit)
	}
	if !scope.Allows(unit) {
		return scope, fmt.Errorf("dashboard: unit %s: %w", unit, core.ErrForbidden)
	}
	return core.Scope{Units: []string{unit}}, nil
}

func (s *Service) staleDays(ctx context.Context) int {
	if s.StaleDays == nil {
		return 0
	}
	return s.StaleDays(ctx)
}

// StuckCount is the total of a stuck-work list (the cockpit's tiles) and
// its link, counted by the project list's own query.
func (s *Service) StuckCount(ctx context.Context, scope core.Scope, kind, unit string) (int, string, error) {
	scope, err := s.scoped(scope, unit)
	if err != nil {
		return 0, "", err
	}
	lq, params := stuckQuery(kind)
	lq.Unit, lq.StaleDays = unit, s.staleDays(ctx)
	n, err := s.Projects.Count(ctx, scope, lq)
	return n, link("/projects", append(params, "unit", unit)...), err
}

// Stuck answers one page of a stuck-work list within scope, through the
// project list's own query so its total equals the linked list's total.
func (s *Service) Stuck(ctx context.Context, scope core.Scope, q StuckQuery) (*StuckPage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	scope, err := s.scoped(scope, q.Unit)
	if err != nil {
		return nil, err
	}
	lq, params := stuckQuery(q.Kind)
	lq.Unit, lq.StaleDays, lq.Sort, lq.Page, lq.PerPage = q.Unit, s.staleDays(ctx), q.Sort, q.Page, q.PerPage
	p, err := s.Projects.List(ctx, scope, lq)
	if err != nil {
		return nil, err
	}
	out := &StuckPage{Kind: q.Kind, Items: []StuckRow{}, Total: p.Total, Sort: q.Sort, Page: q.Page,
		Pages: (p.Total + q.PerPage - 1) / q.PerPage,
		Link:  link("/projects", append(params, "unit", q.Unit)...)}
	for _, x := range p.Items {
		out.Items = append(out.Items, StuckRow{ID: x.ID, Name: x.Name, Unit: x.Unit, Officer: x.Officer, Stage: x.Stage,
			Since: x.StageSince, LastFollowUp: x.LastFollowUp, NextDue: x.NextDue, NextAction: x.NextAction})
	}
	return out, nil
}
