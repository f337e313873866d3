package aftercare

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
	"zhaoshang/search"
)

// ProjectSource loads a project within a scope (projects.Service).
type ProjectSource interface {
	Get(ctx context.Context, scope core.Scope, id string) (*projects.Project, error)
}

// People loads and lists accounts (users.Service).
type People interface {
	Get(ctx context.Context, username string) (*users.User, error)
	List(ctx context.Context, scope core.Scope, text string, offset, limit int) ([]*users.User, int, error)
}

// Service holds the aftercare rules; pages, the API and any importer go
// through it.
type Service struct {
	Repo     *Repo
	Engine   func() search.Engine
	Projects ProjectSource
	People   People
	Tree     users.UnitTree
	// ClauseTitle names a policy clause; nil while the policy library has
	// no such API, in which case ids are stored and shown as they are.
	ClauseTitle func(ctx context.Context, policyID, clauseNo string) (string, error)
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
}

// NewService wires the service.
func NewService(repo *Repo, projects ProjectSource, people People, tree users.UnitTree) *Service {
	return &Service{Repo: repo, Engine: repo.Sync.Engine, Projects: projects, People: people, Tree: tree}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Input is the editable part of a request, shared by the form and the API.
// ProjectID is read on create only: a request stays with its project.
type Input struct {
	ProjectID  string    `json:"project_id"`
	Type       string    `json:"type"`
	Title      string    `json:"title"`
	Detail     string    `json:"detail"`
	Owner      string    `json:"owner"`
	Due        core.Date `json:"due"`
	Status     string    `json:"status"`
	Resolution string    `json:"resolution"`
	PolicyID   string    `json:"policy_id"`
	ClauseNo   string    `json:"clause_no"`
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Validate normalises in and checks the rules that need no stored data.
func (in *Input) Validate() error {
	cl := core.CleanLine
	in.ProjectID, in.Title, in.Detail, in.Resolution = cl(in.ProjectID), cl(in.Title), core.CleanText(in.Detail), core.CleanText(in.Resolution)
	in.Type, in.Status = normalise(cl(in.Type)), normalise(cl(in.Status))
	in.Owner, in.PolicyID, in.ClauseNo = strings.ToLower(cl(in.Owner)), cl(in.PolicyID), cl(in.ClauseNo)
	if in.Status == "" {
		in.Status = StatusPending
	}
	var ps core.Problems
	switch {
	case in.Type == "":
		ps.Add("type", "请选择服务类型")
	case !slices.Contains(Types, in.Type):
		ps.Add("type", "未知服务类型 %q", in.Type)
	}
	if in.Title == "" {
		ps.Add("title", "请填写诉求标题")
	}
	if in.Owner == "" {
		ps.Add("owner", "请填写责任人")
	}
	switch {
	case !slices.Contains(Statuses, in.Status):
		ps.Add("status", "未知办理状态 %q", in.Status)
	case (in.Status == StatusResolved || in.Status == StatusClosed) && in.Resolution == "":
		ps.Add("resolution", "已解决或已关闭的诉求须填写办理结果")
	}
	if in.Due.IsZero() {
		ps.Add("due", "请填写办结期限")
	}
	switch {
	case in.PolicyID != "" && !idRE.MatchString(in.PolicyID):
		ps.Add("policy_id", "政策编号格式不正确")
	case in.ClauseNo != "" && in.PolicyID == "":
		ps.Add("policy_id", "填写条款号时须同时填写政策编号")
	}
	ps.Length("title", "诉求标题", in.Title, core.MaxName)
	ps.Length("detail", "诉求内容", in.Detail, core.MaxText)
	ps.Length("resolution", "办理结果", in.Resolution, core.MaxText)
	ps.Length("owner", "责任人", in.Owner, 32)
	ps.Length("clause_no", "条款号", in.ClauseNo, 20)
	return ps.Err()
}

// checkOwner makes sure the owner is an active user who can see the unit.
func (s *Service) checkOwner(ctx context.Context, owner, unit string) error {
	u, err := s.People.Get(ctx, owner)
	if errors.Is(err, core.ErrNotFound) {
		return core.Invalid("owner", "用户 %s 不存在", owner)
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return core.Invalid("owner", "用户 %s 已停用", owner)
	}
	if !users.ScopeOf(u, s.Tree).Allows(unit) {
		return core.Invalid("owner", "用户 %s 不属于该项目的责任单位", owner)
	}
	return nil
}

// checkClause names the policy clause when the policy library can.
func (s *Service) checkClause(ctx context.Context, in Input) error {
	if s.ClauseTitle == nil || in.PolicyID == "" || in.ClauseNo == "" {
		return nil
	}
	if _, err := s.ClauseTitle(ctx, in.PolicyID, in.ClauseNo); err != nil {
		if errors.Is(err, core.ErrNotFound) {
			return core.Invalid("clause_no", "政策库中找不到政策 %s 的第 %s 条", in.PolicyID, in.ClauseNo)
		}
		return err
	}
	return nil
}

// Owners lists the active users who may own a request of unit: the
// unit's own members (name, 姓名), for the form's picker.
func (s *Service) Owners(ctx context.Context, unit string) [][2]string {
	us, _, err := s.People.List(ctx, core.Scope{Units: []string{unit}}, "", 0, 200)
	if err != nil {
		return nil
	}
	var out [][2]string
	for _, u := range us {
		if !u.Disabled {
			out = append(out, [2]string{u.ID, u.Name})
		}
	}
	return out
}

// landed loads the project of a new request: it must be in scope and landed.
func (s *Service) landed(ctx context.Context, scope core.Scope, id string) (*projects.Project, error) {
	if id == "" {
		return nil, core.Invalid("project_id", "请指定所属项目")
	}
	if !idRE.MatchString(id) {
		return nil, core.Invalid("project_id", "项目编号格式不正确")
	}
	p, err := s.Projects.Get(ctx, scope, id)
	if errors.Is(err, core.ErrNotFound) {
		return nil, core.Invalid("project_id", "项目 %s 不存在", id)
	}
	if err != nil {
		return nil, err
	}
	if !slices.Contains(ProjectStages, p.Stage) {
		return nil, core.Invalid("project_id", "只有过程管理或后道服务阶段（已落地）的项目可以登记服务诉求")
	}
	return p, nil
}

func (in *Input) apply(r *Request, now time.Time) {
	wasOpen := r.Status == "" || r.Open()
	r.Type, r.Title, r.Detail, r.Owner, r.Due = in.Type, in.Title, in.Detail, in.Owner, in.Due
	r.Status, r.Resolution, r.PolicyID, r.ClauseNo = in.Status, in.Resolution, in.PolicyID, in.ClauseNo
	switch {
	case r.Open():
		r.ResolvedAt = time.Time{}
	case wasOpen:
		r.ResolvedAt = now.UTC().Truncate(time.Millisecond)
	}
}

// InputOf returns the editable fields of r (to prefill a form).
func InputOf(r *Request) Input {
	return Input{ProjectID: r.ProjectID, Type: r.Type, Title: r.Title, Detail: r.Detail, Owner: r.Owner,
		Due: r.Due, Status: r.Status, Resolution: r.Resolution, PolicyID: r.PolicyID, ClauseNo: r.ClauseNo}
}

// Create validates and stores a request on a landed project in scope; the
// request takes the project's unit. An empty owner is the actor.
func (s *Service) Create(ctx context.Context, a core.Actor, scope core.Scope, in Input) (*Request, error) {
	if in.Owner == "" {
		in.Owner = a.User
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := s.landed(ctx, scope, in.ProjectID)
	if err != nil {
		return nil, err
	}
	if err := s.checkOwner(ctx, in.Owner, p.Unit); err != nil {
		return nil, err
	}
	if err := s.checkClause(ctx, in); err != nil {
		return nil, err
	}
	r := &Request{ProjectID: p.ID, ProjectName: p.Name, Unit: p.Unit}
	in.apply(r, s.now())
	if err := s.Repo.Create(ctx, a, r); err != nil {
		return nil, fmt.Errorf("aftercare: create: %w", err)
	}
	return r, nil
}

// Get loads a request the scope may see; others are ErrForbidden.
func (s *Service) Get(ctx context.Context, scope core.Scope, id string) (*Request, error) {
	r, err := s.Repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(r.Unit) {
		return nil, fmt.Errorf("aftercare: %s: %w", id, core.ErrForbidden)
	}
	return r, nil
}

// Change is one field on which a stale update and the stored record disagree.
type Change = core.Change

// ConflictError is a stale update with the stored record and what changed.
type ConflictError = core.ConflictError[Request]

// Diff lists the editable fields where mine and stored differ.
func Diff(mine, stored Input) []Change {
	var out []Change
	add := func(field, label, a, b string) {
		if a != b {
			out = append(out, Change{Field: field, Label: label, Mine: a, Stored: b})
		}
	}
	add("type", "服务类型", mine.Type, stored.Type)
	add("title", "诉求标题", mine.Title, stored.Title)
	add("detail", "诉求内容", mine.Detail, stored.Detail)
	add("owner", "责任人", mine.Owner, stored.Owner)
	add("due", "办结期限", mine.Due.String(), stored.Due.String())
	add("status", "办理状态", mine.Status, stored.Status)
	add("resolution", "办理结果", mine.Resolution, stored.Resolution)
	add("policy_id", "政策编号", mine.PolicyID, stored.PolicyID)
	add("clause_no", "条款号", mine.ClauseNo, stored.ClauseNo)
	return out
}

// Update applies in if version is current; a stale version is a
// *ConflictError. The project name and unit are refreshed from the project.
func (s *Service) Update(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in Input) (*Request, error) {
	r, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if version != r.Version {
		_ = in.Validate()
		return nil, &ConflictError{Current: r, Changes: Diff(in, InputOf(r))}
	}
	if p := strings.TrimSpace(in.ProjectID); p != "" && p != r.ProjectID {
		return nil, core.Invalid("project_id", "诉求属于项目 %s，不能改到另一个项目下（请在该项目下新建诉求）", r.ProjectID)
	}
	in.ProjectID = r.ProjectID
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if p, err := s.Projects.Get(ctx, core.AllUnits, r.ProjectID); err == nil {
		r.ProjectName, r.Unit = p.Name, p.Unit
	} else if !errors.Is(err, core.ErrNotFound) {
		return nil, err
	}
	if err := s.checkOwner(ctx, in.Owner, r.Unit); err != nil {
		return nil, err
	}
	if err := s.checkClause(ctx, in); err != nil {
		return nil, err
	}
	before := *r
	in.apply(r, s.now())
	if err := s.Repo.Update(ctx, a, r, &before); err != nil {
		if errors.Is(err, core.ErrConflict) {
			if cur, gerr := s.Repo.Get(ctx, id); gerr == nil {
				return nil, &ConflictError{Current: cur, Changes: Diff(in, InputOf(cur))}
			}
		}
		return nil, fmt.Errorf("aftercare: update %s: %w", id, err)
	}
	return r, nil
}

// Delete removes a request in scope if version is current.
func (s *Service) Delete(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
	if _, err := s.Get(ctx, scope, id); err != nil {
		return err
	}
	if err := s.Repo.Delete(ctx, a, id, version); err != nil {
		return fmt.Errorf("aftercare: delete %s: %w", id, err)
	}
	return nil
}

// ListQuery is a filtered, sorted, paginated list request.
type ListQuery struct {
	Text      string
	Status    string
	Type      string
	Overdue   bool // 督办: open and past the due day
	Unit      string
	Owner     string
	ProjectID string
	Sort      string // field, "-field" for descending
	Page      int    // 1-based
	PerPage   int
}

// SortFields are the list's sortable columns.
var SortFields = []string{"due", "updated", "created", "status", "type", "owner", "resolved_at"}

// Validate normalises q and rejects unknown values with the field named.
func (q *ListQuery) Validate() error {
	q.Text = strings.TrimSpace(q.Text)
	q.Status, q.Type = normalise(strings.TrimSpace(q.Status)), normalise(strings.TrimSpace(q.Type))
	q.Owner, q.Unit, q.ProjectID = strings.TrimSpace(q.Owner), strings.TrimSpace(q.Unit), strings.TrimSpace(q.ProjectID)
	if err := core.CheckSearchText(q.Text); err != nil {
		return err
	}
	switch {
	case q.Status != "" && !slices.Contains(Statuses, q.Status):
		return core.Invalid("status", "未知办理状态 %q", q.Status)
	case q.Type != "" && !slices.Contains(Types, q.Type):
		return core.Invalid("type", "未知服务类型 %q", q.Type)
	}
	if err := core.CheckSort(q.Sort, SortFields); err != nil {
		return err
	}
	return core.CheckPaging(&q.Page, &q.PerPage)
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Page is one page of requests with the total over all matches.
type Page = core.Page[*Request]

// query builds the engine query of q within scope; false when q.Unit lies
// outside the scope (nothing matches).
func (s *Service) query(scope core.Scope, q ListQuery) (search.Query, bool) {
	scope, ok := scope.To(q.Unit)
	if !ok {
		return search.Query{}, false
	}
	sq := search.Query{Kinds: []string{Kind}, Text: q.Text, Scope: scope.Search(),
		Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage}
	for field, v := range map[string]string{"status": q.Status, "type": q.Type, "owner": q.Owner, "project_id": q.ProjectID} {
		if v != "" {
			sq.Filters = append(sq.Filters, search.Filter{Field: field, Values: []string{v}})
		}
	}
	if q.Overdue {
		if q.Status == "" {
			sq.Filters = append(sq.Filters, search.Filter{Field: "status", Values: OpenStatuses})
		}
		sq.Filters = append(sq.Filters, search.Filter{Field: "due", To: core.Today(s.now()).Time()})
	}
	switch {
	case q.Sort != "":
		sq.Sort = search.SortSpec(q.Sort)
	case q.Overdue:
		sq.Sort = []search.Sort{{Field: "due"}} // longest overdue first
	case q.Text == "":
		sq.Sort = []search.Sort{{Field: "updated", Desc: true}}
	}
	return sq, true
}

// List answers a list through the search engine within scope; documents
// are then loaded by _id.
func (s *Service) List(ctx context.Context, scope core.Scope, q ListQuery) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	if q.Overdue && q.Status != "" && !slices.Contains(OpenStatuses, q.Status) {
		return Page{}, nil // a resolved or closed request is never overdue
	}
	sq, ok := s.query(scope, q)
	if !ok {
		return Page{}, nil
	}
	items, total, err := s.Repo.Search(ctx, sq)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, Total: total}, nil
}

// ForProject returns the requests of one project within scope, the most
// urgent (earliest due) first. The project page shows them.
func (s *Service) ForProject(ctx context.Context, scope core.Scope, projectID string) ([]*Request, error) {
	if projectID == "" {
		return nil, nil
	}
	items, _, err := s.Repo.Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope.Search(),
		Filters: []search.Filter{{Field: "project_id", Values: []string{projectID}}},
		Sort:    []search.Sort{{Field: "due"}}, Limit: 200})
	return items, err
}

// Counts returns the number of requests in scope per status and how many
// are overdue (督办).
func (s *Service) Counts(ctx context.Context, scope core.Scope) (byStatus map[string]int, overdue int, err error) {
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope.Search(), Facets: []string{"status"}, Limit: 1})
	if err != nil {
		return nil, 0, fmt.Errorf("aftercare: counts: %w", err)
	}
	od, err := s.Engine().Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope.Search(), Limit: 1,
		Filters: []search.Filter{{Field: "status", Values: OpenStatuses}, {Field: "due", To: core.Today(s.now()).Time()}}})
	if err != nil {
		return nil, 0, fmt.Errorf("aftercare: overdue count: %w", err)
	}
	return res.Facets["status"], od.Total, nil
}
