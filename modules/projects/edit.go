package projects

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Catalog is the configurable vocabulary the project rules need.
type Catalog struct {
	Industries    []string
	Zones         []string
	ActionLines   []string
	DisabledGates []string
	StaleDays     int
	// StageWords maps words of a 阶段 cell to stage keys (the importer).
	StageWords map[string]string
}

// Vocab supplies the catalog and the known units (matrix module).
type Vocab interface {
	ProjectCatalog(ctx context.Context) (Catalog, error)
	HasUnit(id string) bool
}

// Input is the editable part of a project, shared by the form, the API and
// the importer. Stage is set only on create; later moves go through MoveStage.
type Input struct {
	Type              string    `json:"type"`
	Name              string    `json:"name"`
	Industry          string    `json:"industry"`
	Zone              string    `json:"zone"`
	Unit              string    `json:"unit"`
	Officer           string    `json:"officer"`
	Summary           string    `json:"summary"`
	Enterprise        string    `json:"enterprise"`
	CreditCode        string    `json:"credit_code"`
	EnterpriseID      string    `json:"enterprise_id"`
	TalentID          string    `json:"talent_id"`
	InstituteID       string    `json:"institute_id"`
	ResultID          string    `json:"result_id"`
	Contacts          []Contact `json:"contacts"`
	Investment        float64   `json:"investment"`
	RegisteredCapital float64   `json:"registered_capital"`
	CapitalArrived    float64   `json:"capital_arrived"`
	SourceEvent       string    `json:"source_event"`
	Tags              []string  `json:"tags"`
	ActionLines       []string  `json:"action_lines"`
	NextAction        string    `json:"next_action"`
	NextDue           core.Date `json:"next_due"`
	Milestones        struct {
		Signed     core.Date `json:"signed"`
		Registered core.Date `json:"registered"`
		Started    core.Date `json:"started"`
		Producing  core.Date `json:"producing"`
		Funded     core.Date `json:"funded"`
	} `json:"milestones"`
	Stage string `json:"stage"` // create only
	// ConfirmDuplicate saves a new project even when its name or credit code
	// looks like a stored project's (create only; see Duplicates).
	ConfirmDuplicate bool `json:"confirm_duplicate"`
	// Note replaces "新建项目" as the first history entry's note (资源推送
	// says who pushed it); not settable through the API.
	Note string `json:"-"`
}

func clean(s string) string { return core.CleanLine(s) }

func tooLong(field, v string, n int) error {
	if utf8.RuneCountInString(v) > n {
		return core.Invalid(field, "最多 %d 字", n)
	}
	return nil
}

func amount(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return core.Invalid(field, "金额无效")
	}
	if v < 0 {
		return core.Invalid(field, "金额不能为负数")
	}
	if v > 1e9 {
		return core.Invalid(field, "金额过大（单位为万元）")
	}
	return nil
}

// Validate checks in against the rules and vocabulary; scope limits units.
// It reports every problem at once (core.Problems), not the first.
func (in *Input) Validate(cat Catalog, v Vocab, scope core.Scope) error {
	// in may share its lists with a stored record (InputOf): clean copies.
	in.Tags, in.Contacts = slices.Clone(in.Tags), slices.Clone(in.Contacts)
	line := core.CleanLine
	in.Name, in.Industry, in.Zone, in.Unit = line(in.Name), line(in.Industry), line(in.Zone), line(in.Unit)
	in.Officer, in.Enterprise, in.CreditCode = line(in.Officer), line(in.Enterprise), strings.ToUpper(line(in.CreditCode))
	in.Summary, in.NextAction = core.CleanText(in.Summary), line(in.NextAction)
	var ps core.Problems
	if !slices.Contains(Types, in.Type) {
		ps.Add("type", "请选择项目类型（人才/产业/平台）")
	}
	if in.Name == "" {
		ps.Add("name", "请填写项目名称")
	}
	if in.Industry != "" && !slices.Contains(cat.Industries, in.Industry) {
		ps.Add("industry", "未知产业 %q", in.Industry)
	}
	if in.Zone != "" && !slices.Contains(cat.Zones, in.Zone) {
		ps.Add("zone", "未知区镇 %q", in.Zone)
	}
	switch {
	case in.Unit == "" || !v.HasUnit(in.Unit):
		ps.Add("unit", "请选择责任单位")
	case !scope.Allows(in.Unit):
		ps.Add("unit", "只能选择本人所属单位")
	}
	if in.CreditCode != "" && !cells.ValidCreditCode(in.CreditCode) {
		ps.Add("credit_code", "统一社会信用代码 %s 无效（应为 18 位且校验位正确）", in.CreditCode)
	}
	ps.Length("name", "项目名称", in.Name, core.MaxName)
	ps.Length("enterprise", "企业名称", in.Enterprise, core.MaxName)
	ps.Length("summary", "项目简介", in.Summary, core.MaxText)
	ps.Length("next_action", "下一步行动", in.NextAction, core.MaxLine)
	ps.Length("officer", "负责人", in.Officer, 32)
	for _, a := range []struct {
		field string
		v     float64
	}{{"investment", in.Investment}, {"registered_capital", in.RegisteredCapital}, {"capital_arrived", in.CapitalArrived}} {
		ps.Check(a.field, amount(a.field, a.v))
	}
	if in.Investment > 0 && in.CapitalArrived > in.Investment {
		ps.Add("capital_arrived", "到资金额不能超过总投资")
	}
	for _, l := range in.ActionLines {
		if !slices.Contains(cat.ActionLines, l) {
			ps.Add("action_lines", "未知“七个一”行动 %q", l)
		}
	}
	in.Tags = slices.DeleteFunc(in.Tags, func(t string) bool { return t == "" })
	for i, t := range in.Tags {
		in.Tags[i] = line(t)
		ps.Length("tags", "每个标签", in.Tags[i], core.MaxTag)
	}
	in.Tags = slices.DeleteFunc(in.Tags, func(t string) bool { return t == "" })
	if len(in.Tags) > core.MaxTags {
		ps.Add("tags", "标签最多 %d 个（现有 %d 个）", core.MaxTags, len(in.Tags))
	}
	if len(in.Contacts) > core.MaxContacts {
		ps.Add("contacts", "联系人最多 %d 位（现有 %d 位）", core.MaxContacts, len(in.Contacts))
	}
	for i := range in.Contacts {
		c := &in.Contacts[i]
		c.Name, c.Title, c.Email = line(c.Name), line(c.Title), line(c.Email)
		who := c.Name
		if who == "" {
			who = fmt.Sprintf("第 %d 位", i+1)
			ps.Add("contacts", "第 %d 位联系人缺少姓名", i+1)
		}
		ps.Length("contacts", "联系人姓名", c.Name, 40)
		ps.Length("contacts", "联系人 "+who+" 的职务", c.Title, 40)
		ps.Length("contacts", "联系人 "+who+" 的邮箱", c.Email, core.MaxEmail)
		if c.Email != "" && !emailRE.MatchString(c.Email) {
			ps.Add("contacts", "联系人 %s 的邮箱 %q 格式不正确", who, c.Email)
		}
		ps.Length("contacts", "联系人 "+who+" 的电话", c.Phone, core.MaxPhone)
		phone, err := ContactPhone(line(c.Phone))
		if err != nil {
			ps.Add("contacts", "联系人 %s 的%v", who, err)
		}
		c.Phone = phone
	}
	m := in.Milestones
	order := []struct {
		label string
		d     core.Date
	}{{"签约", m.Signed}, {"注册", m.Registered}, {"开工", m.Started}, {"投产", m.Producing}}
	var last core.Date
	lastLabel := ""
	for _, o := range order {
		if o.d.IsZero() {
			continue
		}
		if !last.IsZero() && o.d.Before(last) {
			ps.Add("milestones", "%s日期不能早于%s日期", o.label, lastLabel)
		}
		last, lastLabel = o.d, o.label
	}
	if in.Stage != "" && !ValidStage(in.Stage) {
		ps.Add("stage", "未知阶段 %q", in.Stage)
	}
	return ps.Err()
}

// emailRE is a plausible e-mail address: something@domain.tld, no spaces.
var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func (in *Input) apply(p *Project) {
	p.Type, p.Name, p.Industry, p.Zone, p.Unit, p.Officer = in.Type, in.Name, in.Industry, in.Zone, in.Unit, in.Officer
	p.Summary, p.Enterprise, p.CreditCode = in.Summary, in.Enterprise, in.CreditCode
	p.EnterpriseID, p.TalentID, p.InstituteID = clean(in.EnterpriseID), clean(in.TalentID), clean(in.InstituteID)
	p.ResultID = clean(in.ResultID)
	p.Contacts = in.Contacts
	p.Investment, p.RegisteredCapital, p.CapitalArrived = in.Investment, in.RegisteredCapital, in.CapitalArrived
	p.SourceEvent, p.Tags, p.ActionLines = clean(in.SourceEvent), in.Tags, core.KeepOrder(p.ActionLines, in.ActionLines)
	p.NextAction, p.NextDue = in.NextAction, in.NextDue
	p.Milestones = Milestones(in.Milestones)
}

// InputOf returns the editable fields of p (to prefill a form).
func InputOf(p *Project) Input {
	in := Input{Type: p.Type, Name: p.Name, Industry: p.Industry, Zone: p.Zone, Unit: p.Unit, Officer: p.Officer,
		Summary: p.Summary, Enterprise: p.Enterprise, CreditCode: p.CreditCode, EnterpriseID: p.EnterpriseID,
		TalentID: p.TalentID, InstituteID: p.InstituteID, ResultID: p.ResultID, Contacts: p.Contacts, Investment: p.Investment,
		RegisteredCapital: p.RegisteredCapital, CapitalArrived: p.CapitalArrived, SourceEvent: p.SourceEvent,
		Tags: p.Tags, ActionLines: p.ActionLines, NextAction: p.NextAction, NextDue: p.NextDue, Stage: p.Stage}
	in.Milestones.Signed, in.Milestones.Registered = p.Milestones.Signed, p.Milestones.Registered
	in.Milestones.Started, in.Milestones.Producing = p.Milestones.Started, p.Milestones.Producing
	in.Milestones.Funded = p.Milestones.Funded
	return in
}

// Create validates and stores a new project with its first history entry.
func (s *Service) Create(ctx context.Context, a core.Actor, scope core.Scope, in Input) (*Project, error) {
	cat, err := s.Vocab.ProjectCatalog(ctx)
	if err != nil {
		return nil, err
	}
	if in.Stage == "" {
		in.Stage = StageSearch
	}
	verr := in.Validate(cat, s.Vocab, scope)
	var serr error
	if in.Stage != StageSearch && in.Stage != StagePush && in.Stage != StageAttract {
		serr = core.Invalid("stage", "新建项目只能处于资源搜索、资源推送或资源招引阶段，之后的阶段须逐步推进")
	}
	if in.Officer == "" && (s.Links == nil || s.Links.Member(ctx, in.Unit, a.User)) {
		in.Officer = a.User
	}
	if err := core.AllProblems(verr, serr, s.checkLinks(ctx, scope, &in, nil)); err != nil {
		return nil, err // every problem at once
	}
	if !in.ConfirmDuplicate {
		// The check is advisory: with the engine down the write still succeeds.
		if cands, err := s.Duplicates(ctx, in, ""); err == nil && len(cands) > 0 {
			return nil, &DuplicateWarning{Candidates: cands}
		}
	}
	p := &Project{}
	in.apply(p)
	now := time.Now().UTC().Truncate(time.Millisecond)
	p.Stage, p.StageSince = in.Stage, now
	note := "新建项目"
	if n := clean(in.Note); n != "" {
		note = n
	}
	p.History = []StageChange{{From: "", To: in.Stage, By: a.User, At: now, Note: note}}
	p.LastFollowUp = now
	if err := s.Repo.Create(ctx, a, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Change is one field on which a stale update and the stored record disagree.
type Change = core.Change

// ConflictError is a stale update with the stored record and what changed.
type ConflictError = core.ConflictError[Project]

// FieldLabels names the editable fields in Chinese (conflict messages).
var FieldLabels = map[string]string{"Type": "项目类型", "Name": "项目名称", "Industry": "产业", "Zone": "区镇",
	"Unit": "责任单位", "Officer": "负责人", "Summary": "项目简介", "Enterprise": "投资方/企业", "CreditCode": "统一社会信用代码",
	"EnterpriseID": "关联企业", "TalentID": "关联人才", "InstituteID": "关联院所", "ResultID": "关联科技成果", "Contacts": "联系人",
	"Investment": "总投资(万元)", "RegisteredCapital": "注册资本(万元)", "CapitalArrived": "到资(万元)",
	"SourceEvent": "来源活动", "Tags": "标签", "ActionLines": "七个一行动", "NextAction": "下一步行动", "NextDue": "下一步期限",
	"Milestones": "里程碑", "Stage": "阶段"}

// Diff lists the editable fields where a and b differ.
func Diff(a, b Input) []Change {
	var out []Change
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := 0; i < va.NumField(); i++ {
		name := va.Type().Field(i).Name
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if reflect.DeepEqual(x, y) || (isEmpty(x) && isEmpty(y)) {
			continue
		}
		out = append(out, Change{Field: name, Label: FieldLabels[name], Mine: fmt.Sprint(show(x)), Stored: fmt.Sprint(show(y))})
	}
	return out
}

func isEmpty(v any) bool {
	rv := reflect.ValueOf(v)
	return !rv.IsValid() || rv.IsZero() || ((rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0)
}

func show(v any) any {
	switch x := v.(type) {
	case core.Date:
		return x.String()
	case []string:
		return strings.Join(x, "、")
	case []Contact:
		return FormatContacts(x)
	}
	if isEmpty(v) {
		return "（空）"
	}
	return v
}

// Check reports every problem of in against the rules without saving.
func (s *Service) Check(ctx context.Context, scope core.Scope, in Input) error {
	cat, err := s.Vocab.ProjectCatalog(ctx)
	if err != nil {
		return err
	}
	return in.Validate(cat, s.Vocab, scope)
}

// Update applies in to the project if version is current. A stale version
// is a *ConflictError listing the fields someone else changed.
func (s *Service) Update(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in Input) (*Project, error) {
	p, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	diff := func(cur *Project) []Change { return Diff(in, InputOf(cur)) }
	if err := s.Repo.Edit(ctx, a, p, version, diff, func(before *Project) error {
		cat, err := s.Vocab.ProjectCatalog(ctx)
		if err != nil {
			return err
		}
		if in.Stage != "" && in.Stage != p.Stage {
			// An edit keeps the stage: a move has its own conditions and record.
			return core.Invalid("stage", "阶段不在编辑中修改，请用“推进阶段”（API：POST /api/v1/projects/%s/stage）", p.ID)
		}
		in.Stage = ""
		verr := in.Validate(cat, s.Vocab, scope)
		stored := InputOf(p)
		if err := core.AllProblems(verr, s.checkLinks(ctx, scope, &in, &stored)); err != nil {
			return err
		}
		in.apply(p)
		return CheckState(before, p, cat.DisabledGates)
	}); err != nil {
		return nil, err
	}
	return p, nil
}

// mutate applies fn to the current project and saves it, retrying when a
// concurrent write won: for appends (follow-ups, 批示) that need no version
// from the client because they commute with every other change.
func (s *Service) mutate(ctx context.Context, a core.Actor, scope core.Scope, id string, fn func(p *Project) error) (*Project, error) {
	for attempt := 0; ; attempt++ {
		p, err := s.Get(ctx, scope, id)
		if err != nil {
			return nil, err
		}
		before := *p
		if err := fn(p); err != nil {
			return nil, err
		}
		err = s.Repo.Update(ctx, a, p, &before)
		if errors.Is(err, core.ErrConflict) && attempt < 5 {
			continue
		}
		return p, err
	}
}

// AddFollowUp records a 跟进记录 and optionally sets the next action.
func (s *Service) AddFollowUp(ctx context.Context, a core.Actor, scope core.Scope, id string, f FollowUp, next string, due core.Date) (*Project, error) {
	f.Text, f.Kind = core.CleanText(f.Text), clean(f.Kind)
	if f.Text == "" {
		return nil, core.Invalid("text", "请填写跟进内容")
	}
	if err := tooLong("text", f.Text, 2000); err != nil {
		return nil, err
	}
	if err := tooLong("next_action", next, 200); err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	f.At, f.By = now, a.User
	return s.mutate(ctx, a, scope, id, func(p *Project) error {
		p.FollowUps = append(p.FollowUps, f)
		p.LastFollowUp = now
		if n := clean(next); n != "" {
			p.NextAction, p.NextDue = n, due
		}
		return nil
	})
}

// AddInstruction records a manager's 批示.
func (s *Service) AddInstruction(ctx context.Context, a core.Actor, scope core.Scope, role, id, text string) (*Project, error) {
	if role != "manager" && role != "admin" {
		return nil, fmt.Errorf("projects: instruction by %s: %w", role, core.ErrForbidden)
	}
	text = core.CleanText(text)
	if text == "" {
		return nil, core.Invalid("text", "请填写批示内容")
	}
	if err := tooLong("text", text, 1000); err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, scope, id, func(p *Project) error {
		p.Instructions = append(p.Instructions, Instruction{At: time.Now().UTC().Truncate(time.Millisecond), By: a.User, Text: text})
		return nil
	})
}

// SetAssessment stores the score sheet; its total becomes Score and the
// sheet is an entry of the decision record. A sheet that would break a
// condition of the project's stage (a zero total in 评估决策) is refused.
func (s *Service) SetAssessment(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, items []ScoreItem) (*Project, error) {
	if err := checkSheet(items); err != nil {
		return nil, err
	}
	return s.decide(ctx, a, scope, id, version, func(p *Project, at time.Time) error {
		return scoreOn(p, a.User, at, items)
	})
}

// checkSheet validates a score sheet (trimming its criteria).
func checkSheet(items []ScoreItem) error {
	if len(items) == 0 || len(items) > 30 {
		return core.Invalid("assessment", "评估打分表须有 1–30 项")
	}
	for i, it := range items {
		it.Criterion = clean(it.Criterion)
		if it.Criterion == "" {
			return core.Invalid("assessment", "第 %d 项缺少评估指标", i+1)
		}
		if err := tooLong("assessment", it.Criterion, 100); err != nil {
			return err
		}
		if it.Max <= 0 || it.Score < 0 || it.Score > it.Max {
			return core.Invalid("assessment", "第 %d 项“%s”得分须在 0 与满分之间", i+1, it.Criterion)
		}
		items[i] = it
	}
	return nil
}

// scoreOn stores a checked score sheet on p (errUnchanged: the same sheet).
func scoreOn(p *Project, by string, at time.Time, items []ScoreItem) error {
	if slices.Equal(p.Assessment, items) {
		return errUnchanged
	}
	total := 0.0
	for _, it := range items {
		total += it.Score
	}
	p.Assessment, p.Score = slices.Clone(items), total
	p.Decisions = append(slices.Clip(p.Decisions), Decision{Kind: DecisionScore, By: by, At: at, Score: total})
	return nil
}

// errUnchanged ends a decision change that would store what is stored.
var errUnchanged = errors.New("unchanged")

// decide applies fn to the current project at version and saves it if the
// change keeps the conditions of its stage (CheckState).
func (s *Service) decide(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, fn func(p *Project, at time.Time) error) (*Project, error) {
	cat, err := s.Vocab.ProjectCatalog(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if err := core.Current(p, version, nil); err != nil {
		return nil, err
	}
	before := *p
	if err := fn(p, time.Now().UTC().Truncate(time.Millisecond)); err != nil {
		if errors.Is(err, errUnchanged) {
			return p, nil
		}
		return nil, err
	}
	if err := CheckState(&before, p, cat.DisabledGates); err != nil {
		return nil, err
	}
	return p, s.Repo.Update(ctx, a, p, &before)
}

// MayDecide reports whether a manager may record a decision on p now: in
// 评估决策, or for a vetoed project also while 暂缓 (its re-decision).
func MayDecide(p *Project) bool {
	return p.Stage == StageDecision || (p.Stage == StagePaused && p.Vetoed())
}

// Decide records a manager's approval, rejection or 一票否决 on a project in
// 评估决策 (a vetoed project: also while 暂缓). A new decision replaces the
// current one; the earlier ones stay in the decision record.
func (s *Service) Decide(ctx context.Context, a core.Actor, scope core.Scope, role, id string, version int64, approved bool, veto, note string) (*Project, error) {
	if role != "manager" && role != "admin" {
		return nil, fmt.Errorf("projects: decision by %s: %w", role, core.ErrForbidden)
	}
	veto, note = clean(veto), core.CleanText(note)
	if !approved && veto == "" && note == "" {
		return nil, core.Invalid("veto", "不予通过须写明原因（一票否决：环保/安全/能耗，或其他原因）")
	}
	if err := tooLong("note", note, 1000); err != nil {
		return nil, err
	}
	if err := tooLong("veto", veto, 100); err != nil {
		return nil, err
	}
	return s.decide(ctx, a, scope, id, version, func(p *Project, at time.Time) error {
		return decideOn(p, a.User, at, approved, veto, note)
	})
}

// decideOn records a checked decision on p.
func decideOn(p *Project, by string, at time.Time, approved bool, veto, note string) error {
	if !MayDecide(p) {
		return core.Invalid("stage", "只有处于评估决策阶段的项目（或被一票否决后暂缓的项目）可以审批")
	}
	d := Decision{Kind: DecisionReject, By: by, At: at, Veto: veto, Note: note}
	switch {
	case veto != "":
		d.Kind = DecisionVeto
	case approved:
		d.Kind = DecisionApprove
	}
	p.Approval = &Approval{By: by, At: at, Approved: d.Kind == DecisionApprove, Veto: veto, Note: note}
	p.Decisions = append(slices.Clip(p.Decisions), d)
	return nil
}

// Withdraw removes the standing decision (a manager's mistake, a veto
// lifted for a new review); the record keeps it. A project past 评估决策
// keeps its approval: move it back first.
func (s *Service) Withdraw(ctx context.Context, a core.Actor, scope core.Scope, role, id string, version int64, note string) (*Project, error) {
	if role != "manager" && role != "admin" {
		return nil, fmt.Errorf("projects: withdraw decision by %s: %w", role, core.ErrForbidden)
	}
	note = core.CleanText(note)
	if err := tooLong("note", note, 1000); err != nil {
		return nil, err
	}
	return s.decide(ctx, a, scope, id, version, func(p *Project, at time.Time) error {
		return withdrawOn(p, a.User, at, note)
	})
}

// withdrawOn removes p's standing decision.
func withdrawOn(p *Project, by string, at time.Time, note string) error {
	if p.Approval == nil {
		return core.Invalid("approval", "该项目没有可撤回的审批决定")
	}
	p.Approval = nil
	p.Decisions = append(slices.Clip(p.Decisions), Decision{Kind: DecisionWithdraw, By: by, At: at, Note: note})
	return nil
}
