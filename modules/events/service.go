package events

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// Matrix is what the event rules need of the matrix module (*matrix.Service).
type Matrix interface {
	Catalog(ctx context.Context) (*matrix.Catalog, error)
	HasUnit(id string) bool
	Name(id string) string
	Units() []*matrix.Unit
	UnitID(name string) string // a unit a ledger names (core.UnitLookup)
}

// Kinds of the resource pool participants link to (collection and search
// kind names of modules/resources).
const (
	KindTalents     = "talents"
	KindEnterprises = "enterprises"
)

// Service holds the event rules; pages and API go through it.
type Service struct {
	Repo   *Repo
	Engine func() search.Engine
	Matrix Matrix
	// Participant looks up a resource-pool record a participant links to:
	// kind is KindTalents or KindEnterprises, a missing record is
	// core.ErrNotFound. Nil: participants are not linked to the pool.
	Participant func(ctx context.Context, kind, id string) (name, unit string, err error)
}

// NewService wires the service.
func NewService(repo *Repo, m Matrix) *Service {
	return &Service{Repo: repo, Engine: repo.Sync.Engine, Matrix: m}
}

// Input is the editable part of an event, shared by the form and the API.
// Dates are strings as users type them (2024-03-05, 2024/3/5, 2024.3.5,
// 2024年3月5日); Validate parses them.
type Input struct {
	Title        string       `json:"title"`
	Type         string       `json:"type"`
	Date         string       `json:"date"`
	EndDate      string       `json:"end_date"`
	Place        string       `json:"place"`
	Unit         string       `json:"unit"`
	CoOrganisers []string     `json:"co_organisers"`
	ActionLines  []string     `json:"action_lines"`
	Industries   []string     `json:"industries"`
	Participants Participants `json:"participants"`
	Attendees    int          `json:"attendees"`
	Summary      string       `json:"summary"`
	Status       string       `json:"status"`

	date, endDate core.Date
}

// statusSynonyms lets forms, the API and imports use the Chinese labels.
var statusSynonyms = map[string]string{"筹备中": StatusPlanned, "已举办": StatusHeld, "已取消": StatusCancelled}

func clean(s string) string { return core.CleanLine(s) }

// Validate checks in against the catalog; scope limits the organiser unit.
// now decides whether an event can already have been held.
func (in *Input) Validate(cat *matrix.Catalog, m Matrix, scope core.Scope, now time.Time) error {
	in.Title, in.Type, in.Place, in.Unit = clean(in.Title), clean(in.Type), clean(in.Place), clean(in.Unit)
	in.Summary, in.Status = core.CleanText(in.Summary), clean(in.Status)
	if k, ok := statusSynonyms[in.Status]; ok {
		in.Status = k
	}
	in.CoOrganisers, in.ActionLines, in.Industries = core.CleanLines(in.CoOrganisers), core.CleanLines(in.ActionLines), core.CleanLines(in.Industries)
	var ps core.Problems
	var err error
	in.date, err = core.ParseDateField("date", in.Date)
	ps.Check("date", err)
	dateRead := err == nil
	in.endDate, err = core.ParseDateField("end_date", in.EndDate)
	ps.Check("end_date", err)
	if in.Title == "" {
		ps.Add("title", "请填写活动名称")
	}
	switch {
	case in.Type == "":
		ps.Add("type", "请选择活动类型")
	case !slices.Contains(cat.EventTypes, in.Type):
		ps.Add("type", "未知活动类型 %q（可选：%s）", in.Type, strings.Join(cat.EventTypes, "、"))
	}
	switch {
	case in.date.IsZero() && dateRead:
		ps.Add("date", "请填写活动日期（如 2024-03-05 或 2024年3月5日）")
	case in.date.IsZero():
	case !in.endDate.IsZero() && in.endDate.Before(in.date):
		ps.Add("end_date", "结束日期不能早于开始日期")
	case !in.endDate.IsZero() && in.endDate.DaysSince(in.date) > 90:
		ps.Add("end_date", "活动持续时间不能超过 90 天")
	}
	switch {
	case in.Unit == "" || !m.HasUnit(in.Unit):
		ps.Add("unit", "请选择主办单位")
	case !scope.Allows(in.Unit):
		ps.Add("unit", "只能选择本人所属（或下属）单位作为主办单位")
	}
	switch {
	case in.Attendees < 0:
		ps.Add("attendees", "参会人数不能为负数")
	case in.Attendees > 100000:
		ps.Add("attendees", "参会人数过大")
	}
	if in.Participants.EnterpriseCount < 0 {
		ps.Add("participants", "参与企业数不能为负数")
	}
	if in.Participants.TalentCount < 0 {
		ps.Add("participants", "参与人才数不能为负数")
	}
	if len(in.CoOrganisers) > 10 {
		ps.Add("co_organisers", "协办单位最多 10 个")
	}
	if len(in.Industries) > 10 {
		ps.Add("industries", "产业最多 10 个")
	}
	if in.endDate == in.date {
		in.endDate = core.Date{}
	}
	ps.Length("title", "活动名称", in.Title, core.MaxName)
	ps.Length("place", "活动地点", in.Place, core.MaxName)
	ps.Length("summary", "活动简介", in.Summary, core.MaxText)
	for _, c := range in.CoOrganisers {
		ps.Length("co_organisers", "每个协办单位", c, core.MaxName)
	}
	for _, l := range in.ActionLines {
		if !slices.Contains(cat.ActionLines, l) {
			ps.Add("action_lines", "未知“七个一”行动 %q", l)
		}
	}
	for _, i := range in.Industries {
		if !slices.ContainsFunc(cat.Industries, func(x matrix.Industry) bool { return x.Name == i }) {
			ps.Add("industries", "未知产业 %q", i)
		}
	}
	today := core.Today(now)
	if in.Status == "" {
		in.Status = StatusHeld
		if in.date.After(today) {
			in.Status = StatusPlanned
		}
	}
	switch {
	case !slices.Contains(Statuses, in.Status):
		ps.Add("status", "未知活动状态 %q（筹备中/已举办/已取消）", in.Status)
	case in.Status == StatusHeld && in.date.After(today):
		ps.Add("status", "活动日期尚未到，不能标记为已举办")
	}
	for _, l := range []struct {
		kind string
		refs []Ref
	}{{KindEnterprises, in.Participants.Enterprises}, {KindTalents, in.Participants.Talents}} {
		if err := checkRefs(l.kind, l.refs); err != nil {
			ps.Add("participants", "%s", err.Error())
		}
	}
	return ps.Err()
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (in *Input) apply(e *Event) {
	e.Title, e.Type, e.Date, e.EndDate, e.Place, e.Unit = in.Title, in.Type, in.date, in.endDate, in.Place, in.Unit
	// A form lists choices (action lines, industries) in the catalog's
	// order: the same choices in another order are no change (core.KeepOrder).
	// Co-organisers are typed, one per line: their order is the user's.
	e.CoOrganisers = in.CoOrganisers
	e.ActionLines, e.Industries = core.KeepOrder(e.ActionLines, in.ActionLines), core.KeepOrder(e.Industries, in.Industries)
	e.Participants, e.Attendees, e.Summary, e.Status = in.Participants, in.Attendees, in.Summary, in.Status
}

// InputOf returns the editable fields of e (to prefill a form).
func InputOf(e *Event) Input {
	return Input{Title: e.Title, Type: e.Type, Date: e.Date.String(), EndDate: e.EndDate.String(), Place: e.Place, Unit: e.Unit,
		CoOrganisers: e.CoOrganisers, ActionLines: e.ActionLines, Industries: e.Industries, Participants: e.Participants,
		Attendees: e.Attendees, Summary: e.Summary, Status: e.Status}
}

// check validates in against the catalog within scope and links its
// participants to the pool as stored (the event edited; nil for a new one)
// links them.
func (s *Service) check(ctx context.Context, scope core.Scope, in *Input, stored *Event) error {
	cat, err := s.Matrix.Catalog(ctx)
	if err != nil {
		return err
	}
	if err := in.Validate(cat, s.Matrix, scope, time.Now()); err != nil {
		return err
	}
	return s.Pool().Resolve(ctx, scope, in, stored)
}

// Create validates and stores a new event.
func (s *Service) Create(ctx context.Context, a core.Actor, scope core.Scope, in Input) (*Event, error) {
	if err := s.check(ctx, scope, &in, nil); err != nil {
		return nil, err
	}
	return s.Repo.Add(ctx, a, in.apply)
}

// Get loads an event the scope may see; others are ErrForbidden.
func (s *Service) Get(ctx context.Context, scope core.Scope, id string) (*Event, error) {
	e, err := s.Repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(e.Unit) {
		return nil, fmt.Errorf("events: %s: %w", id, core.Outside(Kind, id, e.Title, e.Unit))
	}
	return e, nil
}

// Change is one field on which a stale update and the stored record disagree.
type Change = core.Change

func joinRefs(rs []Ref) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return strings.Join(names, "、")
}

// Diff lists the fields where the user's input differs from the stored event.
func Diff(mine Input, stored *Event, unitName func(string) string) []Change {
	st := InputOf(stored)
	return core.Differences([][4]string{
		{"title", "活动名称", mine.Title, st.Title},
		{"type", "活动类型", mine.Type, st.Type},
		{"date", "活动日期", core.DayText(mine.Date), st.Date},
		{"end_date", "结束日期", core.DayText(mine.EndDate), st.EndDate},
		{"place", "地点", mine.Place, st.Place},
		{"unit", "主办单位", unitName(mine.Unit), unitName(st.Unit)},
		{"co_organisers", "协办单位", strings.Join(mine.CoOrganisers, "、"), strings.Join(st.CoOrganisers, "、")},
		{"industries", "产业", strings.Join(mine.Industries, "、"), strings.Join(st.Industries, "、")},
		{"action_lines", "七个一行动", strings.Join(mine.ActionLines, "、"), strings.Join(st.ActionLines, "、")},
		{"enterprises", "参与企业", joinRefs(mine.Participants.Enterprises), joinRefs(st.Participants.Enterprises)},
		{"talents", "参与人才", joinRefs(mine.Participants.Talents), joinRefs(st.Participants.Talents)},
		{"enterprise_count", "参与企业数", strconv.Itoa(mine.Participants.EnterpriseCount), strconv.Itoa(st.Participants.EnterpriseCount)},
		{"talent_count", "参与人才数", strconv.Itoa(mine.Participants.TalentCount), strconv.Itoa(st.Participants.TalentCount)},
		{"attendees", "参会人数", strconv.Itoa(mine.Attendees), strconv.Itoa(st.Attendees)},
		{"summary", "活动纪要", mine.Summary, st.Summary},
		{"status", "状态", statusLabel(mine.Status), statusLabel(st.Status)},
	})
}

func statusLabel(s string) string {
	for k, v := range statusSynonyms {
		if v == s {
			return k
		}
	}
	return s
}

// Update applies in if version is current. A stale version is a
// *ConflictError listing the fields that differ from the stored event.
func (s *Service) Update(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in Input) (*Event, error) {
	e, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	diff := func(cur *Event) []Change { return Diff(in, cur, s.Matrix.Name) }
	if err := s.Repo.Edit(ctx, a, e, version, diff, func(*Event) error {
		if err := s.check(ctx, scope, &in, e); err != nil {
			return err
		}
		in.apply(e)
		return nil
	}); err != nil {
		return nil, err
	}
	return e, nil
}

// Delete removes an event no project names as its source; an event with
// outcomes is kept (cancel it instead) so the projects keep their origin.
func (s *Service) Delete(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
	e, err := s.Get(ctx, scope, id)
	if err != nil {
		return err
	}
	if err := core.Current(e, version, nil); err != nil {
		return err
	}
	total, byUnit, err := projects.FromEvent(ctx, s.Engine(), id)
	if err != nil {
		return fmt.Errorf("events: delete %s: %w", id, err)
	}
	if total > 0 {
		return core.Invalid("id", "已有 %d 个项目来源于该活动（%s），不能删除；如活动未举办，请将状态改为“已取消”",
			total, core.HeldBy(byUnit, s.Matrix.Name, "个"))
	}
	return s.Repo.Delete(ctx, a, id, version)
}

// ListQuery is a filtered, sorted, paginated list request.
type ListQuery struct {
	Text       string
	Type       string
	Year       string
	From, To   core.Date // period on the event date, both days inclusive
	Unit       string
	Industry   string
	ActionLine string
	Status     string
	Sort       string // "date" or "-date" (default), "attendees", "updated"
	Page       int
	PerPage    int
}

// SortFields are the list's sortable fields.
var SortFields = []string{"date", "attendees", "updated"}

// Validate normalises q and rejects bad values with the parameter named.
func (q *ListQuery) Validate() error {
	q.Text = clean(q.Text)
	if err := core.CheckSearchText(q.Text); err != nil {
		return err
	}
	if k, ok := statusSynonyms[q.Status]; ok {
		q.Status = k
	}
	if q.Status != "" && !slices.Contains(Statuses, q.Status) {
		return core.Invalid("status", "未知活动状态 %q", q.Status)
	}
	if err := core.CheckYear(q.Year); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return core.Invalid("to", "结束日期不能早于开始日期")
	}
	if err := core.CheckSort(q.Sort, SortFields); err != nil {
		return err
	}
	return core.CheckPaging(&q.Page, &q.PerPage)
}

func (q *ListQuery) filters() []search.Filter {
	var fs []search.Filter
	for _, kv := range [][2]string{{"type", q.Type}, {"year", q.Year}, {"industry", q.Industry},
		{"action_lines", q.ActionLine}, {"status", q.Status}} {
		if kv[1] != "" {
			fs = append(fs, search.Filter{Field: kv[0], Values: []string{kv[1]}})
		}
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		f := search.Filter{Field: "date", From: q.From.Time()}
		if !q.To.IsZero() {
			f.To = q.To.AddDays(1).Time()
		}
		fs = append(fs, f)
	}
	return fs
}

// Listing is what the engine needs of q (core.ListQuery).
func (q *ListQuery) Listing() core.Listing {
	return core.Listing{Kind: Kind, Text: q.Text, Unit: q.Unit, Filters: q.filters(), Sort: q.Sort, Newest: "date",
		Page: q.Page, PerPage: q.PerPage}
}

// Page is one page of events with the total over all matches.
type Page = core.Page[*Event]

// List answers through the search engine within scope, then loads the
// page's events by _id.
func (s *Service) List(ctx context.Context, scope core.Scope, q ListQuery) (Page, error) {
	return s.Repo.List(ctx, scope, &q)
}

// SearchQuery validates q and returns the engine query of its matches
// within scope (no paging, no sort): lists and exports share it. ok is
// false when q asks for a unit outside the scope, which matches nothing.
func (s *Service) SearchQuery(scope core.Scope, q *ListQuery) (search.Query, bool, error) {
	return core.SearchQuery(scope, q)
}

// Years lists the event years present in scope, newest first.
func (s *Service) Years(ctx context.Context, scope core.Scope) ([]string, error) {
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope.Search(), Facets: []string{"year"}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("events: years: %w", err)
	}
	var ys []string
	for y := range res.Facets["year"] {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	slices.Reverse(ys)
	return ys, nil
}

// Outcome is an event's outcome pipeline (projects answers it).
type Outcome = projects.EventOutcome

// OutcomeProject is one project of the outcome list.
type OutcomeProject = projects.OutcomeProject

// Outcome counts, through the engine and within the caller's scope, the
// projects that came from event id.
func (s *Service) Outcome(ctx context.Context, scope core.Scope, id string) (Outcome, error) {
	o, err := projects.OutcomeOf(ctx, s.Engine(), scope.Search(), id)
	if err != nil {
		return Outcome{}, fmt.Errorf("events: outcome %s: %w", id, err)
	}
	return o, nil
}
