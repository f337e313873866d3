package projects

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Service holds the pipeline rules; every entry path (page, API, import)
// goes through it.
type Service struct {
	Repo   *Repo
	Engine func() search.Engine
	Vocab  Vocab
	// Links checks submitted links and 负责人 (nil: unchecked, for jobs
	// that build projects themselves, such as 资源推送).
	Links Links
}

// NewService wires the service.
func NewService(repo *Repo, vocab Vocab) *Service {
	return &Service{Repo: repo, Engine: repo.Sync.Engine, Vocab: vocab}
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
	// SourceEvent limits to projects that came from one event.
	SourceEvent string
	// From/To bound the creation day (period), inclusive; with DateField
	// the day of that milestone ("signed", "funded") instead, and with
	// Entered the day the project first entered that stage.
	From, To  core.Date
	DateField string
	// Entered (a stage) lists projects that entered it (in From–To when
	// set); Reached (a stage) those that entered it afterwards (without
	// Entered: ever); Left those that have since left Entered.
	Entered, Reached string
	Left             bool
	// Approval filters by ApprovalState ("pending" with stage=decision lists
	// decisions waiting for a manager).
	Approval string
	// Stale: no follow-up for StaleDays; Overdue: next action past due.
	Stale, Overdue bool
	StaleDays      int
	Sort           string // field, "-field" for descending
	Page           int    // 1-based
	PerPage        int
}

// SortFields are the list's sortable columns.
var SortFields = []string{"updated", "created", "stage_since", "investment", "capital_arrived", "next_due", "last_follow_up"}

// Validate normalises q and rejects unknown values with the field named.
func (q *ListQuery) Validate() error {
	q.Text = strings.TrimSpace(q.Text)
	if err := core.CheckSearchText(q.Text); err != nil {
		return err
	}
	if q.Stage != "" && !ValidStage(q.Stage) {
		return core.Invalid("stage", "未知阶段 %q", q.Stage)
	}
	if q.Approval != "" && q.Approval != "pending" && q.Approval != "approved" && q.Approval != "rejected" {
		return core.Invalid("approval", "审批状态须为 pending、approved 或 rejected")
	}
	if q.Type != "" && !slices.Contains(Types, q.Type) {
		return core.Invalid("type", "未知项目类型 %q", q.Type)
	}
	if err := q.validateHistory(); err != nil {
		return err
	}
	if err := core.CheckPaging(&q.Page, &q.PerPage); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return core.Invalid("to", "结束日期不能早于开始日期")
	}
	return core.CheckSort(q.Sort, SortFields)
}

// filters turns the query's conditions into engine filters.
func (q *ListQuery) filters(now time.Time) []search.Filter {
	var fs []search.Filter
	for _, kv := range [][2]string{{"stage", q.Stage}, {"industry", q.Industry}, {"type", q.Type}, {"zone", q.Zone},
		{"officer", q.Officer}, {"source_event", q.SourceEvent}, {"approval", q.Approval}} {
		if kv[1] != "" {
			fs = append(fs, search.Filter{Field: kv[0], Values: []string{kv[1]}})
		}
	}
	dateField := "created"
	switch {
	case q.Entered != "":
		dateField = EnteredField(q.Entered)
	case q.DateField != "":
		dateField = q.DateField
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		f := search.Filter{Field: dateField, From: q.From.Time()}
		if !q.To.IsZero() {
			f.To = q.To.AddDays(1).Time()
		}
		fs = append(fs, f)
	} else if q.Entered != "" {
		fs = append(fs, search.Filter{Field: dateField, From: ever})
	}
	switch {
	case q.Reached != "" && q.Entered != "":
		fs = append(fs, search.Filter{Field: ThenField(q.Entered), Values: []string{q.Reached}})
	case q.Reached != "":
		fs = append(fs, search.Filter{Field: EnteredField(q.Reached), From: ever})
	}
	if q.Left {
		zero := 0.0
		fs = append(fs, search.Filter{Field: DaysField(q.Entered), Min: &zero})
	}
	if q.Stale {
		days := q.StaleDays
		if days <= 0 {
			days = 30
		}
		fs = append(fs, search.Filter{Field: "last_follow_up", To: now.AddDate(0, 0, -days), Missing: true})
		fs = append(fs, search.Filter{Field: "stage", Values: ActiveStages})
	}
	if q.Overdue {
		// Due before today: the due day itself is still on time.
		fs = append(fs, search.Filter{Field: "next_due", To: core.Today(now).Time()})
		if !q.Stale {
			fs = append(fs, search.Filter{Field: "stage", Values: ActiveStages})
		}
	}
	return fs
}

// ever is a lower bound before every recorded date ("has the field").
var ever = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)

// DateFields are what DateField may name besides the creation day.
var DateFields = []string{"created", "signed", "funded"}

// validateHistory checks the stage-history and date-field filters.
func (q *ListQuery) validateHistory() error {
	for _, kv := range [][2]string{{"entered", q.Entered}, {"reached", q.Reached}} {
		if kv[1] != "" && !ValidStage(kv[1]) {
			return core.Invalid(kv[0], "未知阶段 %q", kv[1])
		}
	}
	switch {
	case q.Reached != "" && q.Reached == q.Entered:
		return core.Invalid("reached", "后续阶段须不同于进入的阶段")
	case q.Left && q.Entered == "":
		return core.Invalid("left", "left 须与 entered 一起使用")
	case q.DateField != "" && !slices.Contains(DateFields, q.DateField):
		return core.Invalid("date", "日期类别须为 created、signed 或 funded")
	case q.DateField != "" && q.Entered != "":
		return core.Invalid("date", "date 不能与 entered 同时使用")
	}
	return nil
}

// Listing is what the engine needs of q (core.ListQuery); the stale and
// overdue filters count from now.
func (q *ListQuery) Listing() core.Listing {
	return core.Listing{Kind: Kind, Text: q.Text, Unit: q.Unit, Filters: q.filters(nowFunc()), Sort: q.Sort, Newest: "updated",
		Page: q.Page, PerPage: q.PerPage}
}

// nowFunc is the clock of stale/overdue filters (tests may pin it).
var nowFunc = time.Now

// ActiveStages are the stages where a project is being worked (not paused
// or dropped): staleness and overdue actions count only there.
var ActiveStages = []string{StageSearch, StagePush, StageAttract, StageDecision, StageProcess, StageAftercare}

// Page is one page of projects with the total over all matches.
type Page = core.Page[*Project]

// List answers a list through the search engine within scope; documents
// are then loaded by _id.
func (s *Service) List(ctx context.Context, scope core.Scope, q ListQuery) (Page, error) {
	return s.Repo.List(ctx, scope, &q)
}

// SearchQuery validates q and returns the engine query of its matches
// within scope (no paging, no sort): lists and exports share it. ok is
// false when q asks for a unit outside the scope, which matches nothing.
func (s *Service) SearchQuery(scope core.Scope, q *ListQuery) (search.Query, bool, error) {
	return core.SearchQuery(scope, q)
}

// Count is the total List gives for q, without sorting or loading records
// (dashboard tiles linking to that list).
func (s *Service) Count(ctx context.Context, scope core.Scope, q ListQuery) (int, error) {
	sq, ok, err := s.SearchQuery(scope, &q)
	if err != nil || !ok {
		return 0, err
	}
	sq.Limit = 1
	res, err := s.Engine().Search(ctx, sq)
	if err != nil {
		return 0, fmt.Errorf("projects: count: %w", err)
	}
	return res.Total, nil
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
