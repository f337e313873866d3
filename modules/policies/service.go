package policies

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/search"
)

// Matrix is what the policy rules need of the matrix module (*matrix.Service).
type Matrix interface {
	Catalog(ctx context.Context) (*matrix.Catalog, error)
	HasUnit(id string) bool
	Name(id string) string
	Units() []*matrix.Unit
	UnitID(name string) string // a unit a ledger names (core.UnitLookup)
}

// OtherIndustry is the 支持产业 of a policy that names no industry of the catalog.
const OtherIndustry = "其他"

// Roles that may write policies; everyone signed in reads them.
var writerRoles = []string{"manager", "admin"}

// CanWrite reports whether a role may create, edit and delete policies.
func CanWrite(role string) bool { return slices.Contains(writerRoles, role) }

// Service holds the policy-library rules; pages, API and the aftercare
// module go through it.
type Service struct {
	Repo   *Repo
	Engine func() search.Engine
	Matrix Matrix
}

// NewService wires the service.
func NewService(repo *Repo, m Matrix) *Service {
	return &Service{Repo: repo, Engine: repo.Sync.Engine, Matrix: m}
}

// Writer is who writes: the actor, their role and their unit scope (a
// policy's owning unit must be inside it).
type Writer struct {
	Actor core.Actor
	Role  string
	Scope core.Scope
}

func (w Writer) check(unit string) error {
	if !CanWrite(w.Role) {
		return fmt.Errorf("policies: write by %s: %w", w.Role, core.ErrForbidden)
	}
	if unit != "" && !w.Scope.Allows(unit) {
		return fmt.Errorf("policies: unit %s: %w", unit, core.ErrForbidden)
	}
	return nil
}

// Input is the editable part of a policy, shared by the form and the API.
// Dates are strings as users type them (2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日).
type Input struct {
	Title         string   `json:"title"`
	DocNo         string   `json:"doc_no"`
	Level         string   `json:"level"`
	Status        string   `json:"status"`
	Categories    []string `json:"categories"`
	SupportModes  []string `json:"support_modes"`
	Industries    []string `json:"industries"`
	Issuer        string   `json:"issuer"`
	IssuedOn      string   `json:"issued_on"`
	EffectiveFrom string   `json:"effective_from"`
	EffectiveTo   string   `json:"effective_to"`
	Body          string   `json:"body"`
	Clauses       []Clause `json:"clauses"`
	Unit          string   `json:"unit"`

	issued, from, to core.Date
}

func clean(s string) string { return core.CleanLine(s) }

func tooLong(field, v string, n int) error {
	if utf8.RuneCountInString(v) > n {
		return core.Invalid(field, "最多 %d 字", n)
	}
	return nil
}

// Validate checks in against the vocabularies; now decides the default status.
func (in *Input) Validate(cat *matrix.Catalog, m Matrix, now time.Time) error {
	in.Title, in.DocNo, in.Level, in.Status = clean(in.Title), clean(in.DocNo), clean(in.Level), clean(in.Status)
	in.Issuer, in.Body, in.Unit = clean(in.Issuer), core.CleanText(in.Body), clean(in.Unit)
	in.Categories, in.SupportModes, in.Industries = core.CleanLines(in.Categories), core.CleanLines(in.SupportModes), core.CleanLines(in.Industries)
	var ps core.Problems
	for _, d := range []struct {
		field string
		s     string
		dst   *core.Date
	}{{"issued_on", in.IssuedOn, &in.issued}, {"effective_from", in.EffectiveFrom, &in.from}, {"effective_to", in.EffectiveTo, &in.to}} {
		var err error
		*d.dst, err = core.ParseDateField(d.field, d.s)
		ps.Check(d.field, err)
	}
	if in.Title == "" {
		ps.Add("title", "请填写政策标题")
	}
	if !slices.Contains(Levels, in.Level) {
		ps.Add("level", "请选择级别（%s）", strings.Join(Levels, "、"))
	}
	if in.Issuer == "" {
		ps.Add("issuer", "请填写发文单位")
	}
	if !in.from.IsZero() && !in.to.IsZero() && in.to.Before(in.from) {
		ps.Add("effective_to", "失效日期不能早于生效日期")
	}
	if in.Unit == "" || !m.HasUnit(in.Unit) {
		ps.Add("unit", "请选择维护单位")
	}
	if len(in.Clauses) > 100 {
		ps.Add("clauses", "条款最多 100 条（现有 %d 条）", len(in.Clauses))
	}
	ps.Length("title", "政策标题", in.Title, 200)
	ps.Length("doc_no", "文号", in.DocNo, 60)
	ps.Length("issuer", "发文单位", in.Issuer, core.MaxName)
	ps.Length("body", "政策原文", in.Body, 100000)
	for _, c := range in.Categories {
		if !slices.Contains(Categories, c) {
			ps.Add("categories", "未知分类 %q", c)
		}
	}
	for _, s := range in.SupportModes {
		if !slices.Contains(SupportModes, s) {
			ps.Add("support_modes", "未知支持方式 %q", s)
		}
	}
	for _, i := range in.Industries {
		if i != OtherIndustry && !slices.ContainsFunc(cat.Industries, func(x matrix.Industry) bool { return x.Name == i }) {
			ps.Add("industries", "未知产业 %q", i)
		}
	}
	if in.Status == "" {
		in.Status = StatusValid
		// 有效期至 its last day: expired once that day has passed.
		if !in.to.IsZero() && in.to.Before(core.Today(now)) {
			in.Status = StatusExpired
		}
	}
	if !slices.Contains(Statuses, in.Status) {
		ps.Add("status", "状态须为“有效”或“失效”")
	}
	seen := map[string]bool{}
	for i := range in.Clauses {
		c := &in.Clauses[i]
		c.No, c.Title, c.Text, c.Unit = clean(c.No), clean(c.Title), core.CleanText(c.Text), clean(c.Unit)
		n := i + 1
		switch {
		case c.No == "":
			ps.Add("clauses", "第 %d 条缺少条款号（如 4、5(1)）", n)
		case seen[c.No]:
			ps.Add("clauses", "条款号 %s 重复：同一政策的条款号须唯一（如 5(1)、5(2)），以便后道服务准确引用", c.No)
		case c.Title == "":
			ps.Add("clauses", "第 %d 条（%s）缺少名称", n, c.No)
		case math.IsNaN(c.Amount) || math.IsInf(c.Amount, 0) || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0):
			ps.Add("clauses", "第 %d 条（%s）的金额或比例无效", n, c.No)
		case c.Amount < 0:
			ps.Add("clauses", "第 %d 条（%s）的金额不能为负数", n, c.No)
		case c.Amount > 1e7:
			ps.Add("clauses", "第 %d 条（%s）的金额过大（单位为万元）", n, c.No)
		case c.Rate < 0 || c.Rate > 100:
			ps.Add("clauses", "第 %d 条（%s）的比例须在 0–100（%%）之间", n, c.No)
		}
		seen[c.No] = true
		for field, s := range map[string]struct {
			v string
			n int
		}{"no": {c.No, 20}, "title": {c.Title, 100}, "text": {c.Text, 2000}, "unit": {c.Unit, 40}} {
			if utf8.RuneCountInString(s.v) > s.n {
				ps.Add("clauses", "第 %d 条的%s最多 %d 字", n, map[string]string{"no": "条款号", "title": "名称", "text": "内容", "unit": "适用对象"}[field], s.n)
			}
		}
	}
	return ps.Err()
}

func (in *Input) apply(p *Policy) {
	p.Title, p.DocNo, p.Level, p.Status, p.Issuer, p.Body, p.Unit = in.Title, in.DocNo, in.Level, in.Status, in.Issuer, in.Body, in.Unit
	// The same choices in another order (a form's) are no change.
	p.Categories, p.SupportModes = core.KeepOrder(p.Categories, in.Categories), core.KeepOrder(p.SupportModes, in.SupportModes)
	p.Industries = core.KeepOrder(p.Industries, in.Industries)
	p.IssuedOn, p.EffectiveFrom, p.EffectiveTo = in.issued, in.from, in.to
	p.Clauses = in.Clauses
}

// InputOf returns the editable fields of p (to prefill a form).
func InputOf(p *Policy) Input {
	return Input{Title: p.Title, DocNo: p.DocNo, Level: p.Level, Status: p.Status, Categories: p.Categories,
		SupportModes: p.SupportModes, Industries: p.Industries, Issuer: p.Issuer, IssuedOn: p.IssuedOn.String(),
		EffectiveFrom: p.EffectiveFrom.String(), EffectiveTo: p.EffectiveTo.String(), Body: p.Body, Clauses: slices.Clone(p.Clauses), Unit: p.Unit}
}

// Get loads a policy; every signed-in user may read every policy.
func (s *Service) Get(ctx context.Context, id string) (*Policy, error) {
	return s.Repo.Get(ctx, id)
}

// ClauseRef is one clause with the policy it belongs to, as a service
// request (aftercare) cites it.
type ClauseRef struct {
	PolicyID     string `json:"policy_id"`
	PolicyTitle  string `json:"policy_title"`
	DocNo        string `json:"doc_no,omitempty"`
	PolicyStatus string `json:"policy_status"`
	Clause
}

// Clause returns the clause numbered clauseNo (as printed, e.g. "4" or
// "5(1)") of a policy; a missing policy or clause is core.ErrNotFound.
func (s *Service) Clause(ctx context.Context, policyID, clauseNo string) (*ClauseRef, error) {
	p, err := s.Repo.Get(ctx, policyID)
	if err != nil {
		return nil, err
	}
	clauseNo = clean(clauseNo)
	for _, c := range p.Clauses {
		if c.No == clauseNo {
			return &ClauseRef{PolicyID: p.ID, PolicyTitle: p.Title, DocNo: p.DocNo, PolicyStatus: p.Status, Clause: c}, nil
		}
	}
	return nil, fmt.Errorf("policies: %s clause %q: %w", policyID, clauseNo, core.ErrNotFound)
}

// check validates in against the catalog (validFor).
func (s *Service) check(ctx context.Context, w Writer, in *Input) error {
	cat, err := s.Matrix.Catalog(ctx)
	if err != nil {
		return err
	}
	return in.validFor(cat, s.Matrix, w, time.Now())
}

// validFor validates in and checks its unit is one w maintains policies of.
func (in *Input) validFor(cat *matrix.Catalog, m Matrix, w Writer, now time.Time) error {
	if err := in.Validate(cat, m, now); err != nil {
		return err
	}
	if !w.Scope.Allows(in.Unit) {
		return core.Invalid("unit", "只能选择本人所属（或下属）单位作为维护单位")
	}
	return nil
}

// Create validates and stores a new policy (managers and admins).
func (s *Service) Create(ctx context.Context, w Writer, in Input) (*Policy, error) {
	if err := w.check(""); err != nil {
		return nil, err
	}
	if err := s.check(ctx, w, &in); err != nil {
		return nil, err
	}
	return s.Repo.Add(ctx, w.Actor, in.apply)
}

// Change is one field on which a stale update and the stored record disagree.
type Change = core.Change

func clauseText(cs []Clause) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.No + " " + c.Title
		if c.Amount > 0 {
			parts[i] += " " + strconv.FormatFloat(c.Amount, 'f', -1, 64) + "万元"
		}
		if c.Rate > 0 {
			parts[i] += " " + strconv.FormatFloat(c.Rate, 'f', -1, 64) + "%"
		}
	}
	return strings.Join(parts, "；")
}

// Diff lists the fields where the user's input differs from the stored policy.
func Diff(mine Input, stored *Policy, unitName func(string) string) []Change {
	st := InputOf(stored)
	body := func(s string) string {
		if r := []rune(s); len(r) > 60 {
			return string(r[:60]) + "…（共 " + strconv.Itoa(len(r)) + " 字）"
		}
		return s
	}
	out := core.Differences([][4]string{
		{"title", "标题", mine.Title, st.Title},
		{"doc_no", "文号", mine.DocNo, st.DocNo},
		{"level", "级别", mine.Level, st.Level},
		{"status", "状态", mine.Status, st.Status},
		{"categories", "分类", strings.Join(mine.Categories, "、"), strings.Join(st.Categories, "、")},
		{"support_modes", "支持方式", strings.Join(mine.SupportModes, "、"), strings.Join(st.SupportModes, "、")},
		{"industries", "支持产业", strings.Join(mine.Industries, "、"), strings.Join(st.Industries, "、")},
		{"issuer", "发文单位", mine.Issuer, st.Issuer},
		{"issued_on", "发布日期", core.DayText(mine.IssuedOn), st.IssuedOn},
		{"effective_from", "生效日期", core.DayText(mine.EffectiveFrom), st.EffectiveFrom},
		{"effective_to", "失效日期", core.DayText(mine.EffectiveTo), st.EffectiveTo},
		{"unit", "维护单位", unitName(mine.Unit), unitName(st.Unit)},
		{"clauses", "支持条款", clauseText(mine.Clauses), clauseText(st.Clauses)},
	})
	if clean(strings.ReplaceAll(mine.Body, "\r\n", "\n")) != clean(st.Body) {
		out = append(out, Change{Field: "body", Label: "正文", Mine: core.OrEmpty(body(mine.Body)), Stored: core.OrEmpty(body(st.Body))})
	}
	return out
}

// Update applies in if version is current (managers and admins whose scope
// holds the policy's unit). A stale version is a *ConflictError.
func (s *Service) Update(ctx context.Context, w Writer, id string, version int64, in Input) (*Policy, error) {
	if err := w.check(""); err != nil {
		return nil, err
	}
	p, err := s.Repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := w.check(p.Unit); err != nil {
		return nil, err
	}
	diff := func(cur *Policy) []Change { return Diff(in, cur, s.Matrix.Name) }
	if err := s.Repo.Edit(ctx, w.Actor, p, version, diff, func(*Policy) error {
		if err := s.check(ctx, w, &in); err != nil {
			return err
		}
		in.apply(p)
		return nil
	}); err != nil {
		return nil, err
	}
	return p, nil
}

// Delete removes a policy (managers and admins whose scope holds its unit).
func (s *Service) Delete(ctx context.Context, w Writer, id string, version int64) error {
	if err := w.check(""); err != nil {
		return err
	}
	p, err := s.Repo.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := w.check(p.Unit); err != nil {
		return err
	}
	if err := core.Current(p, version, nil); err != nil {
		return err
	}
	return s.Repo.Delete(ctx, w.Actor, id, version)
}

// ListQuery is a filtered, sorted, paginated list request.
type ListQuery struct {
	Text        string
	Level       string
	Status      string
	Category    string
	SupportMode string
	Industry    string
	Issuer      string
	Year        string
	Sort        string // "issued" / "-issued" (default), "max_amount", "updated"
	Page        int
	PerPage     int
}

// SortFields are the list's sortable fields.
var SortFields = []string{"issued", "max_amount", "updated", "effective_to"}

// Validate normalises q and rejects bad values with the parameter named.
func (q *ListQuery) Validate() error {
	q.Text = clean(q.Text)
	if err := core.CheckSearchText(q.Text); err != nil {
		return err
	}
	switch {
	case q.Level != "" && !slices.Contains(Levels, q.Level):
		return core.Invalid("level", "未知级别 %q", q.Level)
	case q.Status != "" && !slices.Contains(Statuses, q.Status):
		return core.Invalid("status", "未知状态 %q", q.Status)
	case q.Category != "" && !slices.Contains(Categories, q.Category):
		return core.Invalid("category", "未知分类 %q", q.Category)
	case q.SupportMode != "" && !slices.Contains(SupportModes, q.SupportMode):
		return core.Invalid("support_mode", "未知支持方式 %q", q.SupportMode)
	}
	if err := core.CheckYear(q.Year); err != nil {
		return err
	}
	if err := core.CheckSort(q.Sort, SortFields); err != nil {
		return err
	}
	return core.CheckPaging(&q.Page, &q.PerPage)
}

func (q *ListQuery) filters() []search.Filter {
	var fs []search.Filter
	for _, kv := range [][2]string{{"level", q.Level}, {"status", q.Status}, {"category", q.Category},
		{"support_mode", q.SupportMode}, {"industry", q.Industry}, {"issuer", q.Issuer}, {"year", q.Year}} {
		if kv[1] != "" {
			fs = append(fs, search.Filter{Field: kv[0], Values: []string{kv[1]}})
		}
	}
	return fs
}

// Listing is what the engine needs of q (core.ListQuery).
func (q *ListQuery) Listing() core.Listing {
	return core.Listing{Kind: Kind, Text: q.Text, Filters: q.filters(), Sort: q.Sort, Newest: "issued", Page: q.Page, PerPage: q.PerPage}
}

// Page is one page of policies with the total over all matches.
type Page = core.Page[*Policy]

// readScope is every unit: policies are city-wide reading for every user.
var readScope = core.AllUnits

// List answers through the search engine (text over title, 文号, 发文单位,
// body and clause names), then loads the page's policies by _id.
func (s *Service) List(ctx context.Context, q ListQuery) (Page, error) {
	return s.Repo.List(ctx, readScope, &q)
}

// SearchQuery validates q and returns the engine query of its matches (no
// paging, no sort): lists and exports share it.
func (s *Service) SearchQuery(q *ListQuery) (search.Query, error) {
	sq, _, err := core.SearchQuery(readScope, q)
	return sq, err
}

// FacetFields are the filters whose values and counts the list page offers.
var FacetFields = []string{"level", "status", "category", "support_mode", "industry", "issuer", "year"}

// Facets counts every filter value over the whole library.
func (s *Service) Facets(ctx context.Context) (map[string]map[string]int, error) {
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{Kind}, Scope: readScope.Search(), Facets: FacetFields, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("policies: facets: %w", err)
	}
	return res.Facets, nil
}
