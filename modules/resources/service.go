package resources

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/search"
)

// projectsKind is the projects' search kind; linked projects are found in
// the engine by their talent_id / enterprise_id / institute_id fields.
const projectsKind = "projects"

// Vocab is what the service needs of the matrix.
type Vocab interface {
	Catalog(ctx context.Context) (*matrix.Catalog, error)
	HasUnit(id string) bool
	Name(id string) string
}

// Service holds the rules of the resource pool; pages, the API and the
// importer all go through it.
type Service struct {
	stores map[string]store
	Engine func() search.Engine
	Vocab  Vocab
	Now    func() time.Time
}

// NewService wires the service over the four repositories.
func NewService(t *TalentRepo, e *EnterpriseRepo, in *InstituteRepo, r *ResultRepo, vocab Vocab) *Service {
	return &Service{
		stores: map[string]store{
			KindTalents: repoStore[Talent, *Talent]{t}, KindEnterprises: repoStore[Enterprise, *Enterprise]{e},
			KindInstitutes: repoStore[Institute, *Institute]{in}, KindResults: repoStore[TechResult, *TechResult]{r},
		},
		Engine: t.Sync.Engine, Vocab: vocab, Now: time.Now,
	}
}

func (s *Service) kind(key string) (*Kind, store, error) {
	k := KindOf(key)
	if k == nil {
		return nil, nil, fmt.Errorf("resources: kind %q: %w", key, core.ErrNotFound)
	}
	return k, s.stores[key], nil
}

func (s *Service) engine() (search.Engine, error) {
	if e := s.Engine(); e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("resources: %w", search.ErrUnavailable)
}

// Input is a record as typed: field key → text (tags joined by 、 or commas),
// the owning unit, the version read (updates) and the duplicate confirmation.
type Input struct {
	Values           map[string]string
	Unit             string
	Version          int64
	ConfirmDuplicate bool
}

// InputOf is the Input that leaves r unchanged (edit forms, PATCH).
func InputOf(k *Kind, r Resource) Input {
	in := Input{Values: make(map[string]string, len(k.Fields)), Unit: r.OwnerUnit(), Version: r.GetMeta().Version}
	for _, f := range k.Fields {
		in.Values[f.Key] = f.Text(r)
	}
	return in
}

// Candidate is a stored record that may be the one being created.
type Candidate struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Detail string `json:"detail,omitempty"` // institution, credit code ...
}

// DuplicateWarning refuses a create that looks like a stored record until
// the caller confirms (Input.ConfirmDuplicate).
type DuplicateWarning struct {
	Kind       string
	Candidates []Candidate
}

func (w *DuplicateWarning) Error() string {
	return fmt.Sprintf("可能与已登记的 %d 条记录重复，请核对后确认", len(w.Candidates))
}

// Conflict is a stale version; Current is the stored record now and
// Changes the fields where the caller's input differs from it.
type Conflict struct {
	Current Resource
	Changes []Change
}

// Change is one field on which a stale update and the stored record disagree.
type Change = core.Change

// Diff lists the fields where in (as it would be stored) differs from cur.
func (s *Service) Diff(ctx context.Context, kind string, in Input, cur Resource) []Change {
	k := KindOf(kind)
	if k == nil || cur == nil {
		return nil
	}
	mine, _ := s.Check(ctx, kind, in, cur)
	var out []Change
	for _, f := range k.Fields {
		v, ok := in.Values[f.Key]
		if !ok {
			continue
		}
		a := strings.TrimSpace(v)
		if mine != nil {
			a = f.Text(mine)
		}
		if b := f.Text(cur); a != b {
			out = append(out, Change{Field: f.Key, Label: k.Label(f.Key), Mine: a, Stored: b})
		}
	}
	if u := strings.TrimSpace(in.Unit); u != "" && u != cur.OwnerUnit() {
		out = append(out, Change{Field: "unit", Label: k.Label("unit"), Mine: s.Vocab.Name(u), Stored: s.Vocab.Name(cur.OwnerUnit())})
	}
	return out
}

func (c *Conflict) Error() string { return "记录已被他人修改" }
func (c *Conflict) Unwrap() error { return core.ErrConflict }

var _ core.Stale = (*Conflict)(nil)

// StaleChanges and StoredVersion make a *Conflict a core.Stale.
func (c *Conflict) StaleChanges() []Change { return c.Changes }
func (c *Conflict) StoredVersion() int64 {
	if c.Current == nil {
		return 0
	}
	return c.Current.GetMeta().Version
}

// FieldErrors returns every *core.FieldError in err (validation joins them).
func FieldErrors(err error) []*core.FieldError { return core.FieldErrors(err) }

// Check validates in against the kind's rules and returns the record it
// describes: a copy of before with the fields replaced, or a new record.
// Every entry path (form, API, import) goes through it. A value of a choice
// field that is no longer in the catalog is kept when unchanged.
func (s *Service) Check(ctx context.Context, kind string, in Input, before Resource) (Resource, error) {
	k, st, err := s.kind(kind)
	if err != nil {
		return nil, err
	}
	cat, err := s.Vocab.Catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("resources: catalog: %w", err)
	}
	var r Resource
	if before != nil {
		r = st.clone(before)
	} else {
		r = k.blank()
	}
	var errs []error
	for key := range in.Values {
		if k.Field(key) == nil {
			errs = append(errs, core.Invalid(key, "未知字段 %s", key))
		}
	}
	for _, f := range k.Fields {
		v, err := s.parse(k, f, in.Values[f.Key], cat, before)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.set(r, v)
	}
	if unit := strings.TrimSpace(in.Unit); unit == "" {
		errs = append(errs, core.Invalid("unit", "请选择所属单位"))
	} else if !s.Vocab.HasUnit(unit) && (before == nil || unit != before.OwnerUnit()) {
		errs = append(errs, core.Invalid("unit", "未知单位 %q", unit))
	} else {
		r.setUnit(unit)
	}
	if len(errs) == 0 && k.check != nil {
		errs = append(errs, k.check(r))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// parse reads one field's text into its stored type.
func (s *Service) parse(k *Kind, f *Field, raw string, cat *matrix.Catalog, before Resource) (any, error) {
	label := k.Label(f.Key)
	raw = core.CleanText(raw) // control, bidirectional and zero-width characters go
	if raw == "" && f.Required {
		return nil, core.Invalid(f.Key, "%s不能为空", label)
	}
	fail := func(err error) (any, error) { return nil, core.Invalid(f.Key, "%s", err.Error()) }
	switch f.Type {
	case TypeText, TypeLongText:
		if f.Type == TypeText {
			raw = core.CleanLine(raw)
		}
		if n := utf8.RuneCountInString(raw); f.Max > 0 && n > f.Max {
			return nil, core.Invalid(f.Key, "%s最多 %d 字（现为 %d 字）", label, f.Max, n)
		}
		return raw, nil
	case TypeChoice:
		if raw == "" || slices.Contains(f.Options(cat), raw) || (before != nil && f.Value(before) == raw) {
			return raw, nil
		}
		return nil, core.Invalid(f.Key, "%s“%s”不在可选范围内（可选：%s）", label, raw, strings.Join(f.Options(cat), "、"))
	case TypeTags:
		tags := SplitTags(raw)
		if len(tags) > 20 {
			return nil, core.Invalid(f.Key, "%s最多 20 个", label)
		}
		for _, t := range tags {
			if utf8.RuneCountInString(t) > 20 {
				return nil, core.Invalid(f.Key, "标签“%s”过长（最多 20 字）", t)
			}
		}
		return tags, nil
	case TypeAmount:
		v, err := ParseAmount(raw)
		if err != nil {
			return nil, core.Invalid(f.Key, "%s：%s", label, err.Error())
		}
		return v, nil
	case TypeDate:
		d, err := core.ParseDate(raw)
		if err != nil {
			return fail(err)
		}
		if f.Past && d.After(core.Today(s.Now())) {
			return nil, core.Invalid(f.Key, "%s不能晚于今天", label)
		}
		return d, nil
	case TypePhone:
		p, err := NormalizePhone(raw)
		if err != nil {
			return fail(err)
		}
		return p, nil
	case TypeEmail:
		e, err := NormalizeEmail(raw)
		if err != nil {
			return fail(err)
		}
		return e, nil
	case TypeCreditCode:
		c, err := NormalizeCreditCode(raw)
		if err != nil {
			return fail(err)
		}
		return c, nil
	case TypePatentNo:
		p, err := NormalizePatentNo(raw)
		if err != nil {
			return fail(err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("resources: field %s has unknown type %q", f.Key, f.Type)
}

// Get loads a record the scope may see; others are ErrForbidden.
func (s *Service) Get(ctx context.Context, scope core.Scope, kind, id string) (Resource, error) {
	_, st, err := s.kind(kind)
	if err != nil {
		return nil, err
	}
	r, err := st.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(r.OwnerUnit()) {
		return nil, fmt.Errorf("resources: %s %s: %w", kind, id, core.Outside(kind, id, r.DisplayName(), r.OwnerUnit()))
	}
	return r, nil
}

// Create validates and stores a new record in a unit of the caller's scope.
// Errors: ErrForbidden (unit outside scope), *core.FieldError (joined),
// *DuplicateWarning (unless confirmed).
func (s *Service) Create(ctx context.Context, a core.Actor, scope core.Scope, kind string, in Input) (Resource, error) {
	k, st, err := s.kind(kind)
	if err != nil {
		return nil, err
	}
	if u := strings.TrimSpace(in.Unit); u != "" && s.Vocab.HasUnit(u) && !scope.Allows(u) {
		return nil, fmt.Errorf("resources: create %s in unit %s: %w", kind, u, core.ErrForbidden)
	}
	r, err := s.Check(ctx, kind, in, nil)
	if err != nil {
		return nil, err
	}
	if !in.ConfirmDuplicate {
		cands, err := s.Duplicates(ctx, kind, r)
		if err != nil {
			return nil, err
		}
		if len(cands) > 0 {
			return nil, &DuplicateWarning{Kind: kind, Candidates: cands}
		}
	}
	if err := st.create(ctx, a, r); err != nil {
		if k == EnterpriseKind && errors.Is(err, core.ErrDuplicate) {
			return nil, s.creditCodeTaken(ctx, r.(*Enterprise).CreditCode, "")
		}
		return nil, fmt.Errorf("resources: create %s: %w", kind, err)
	}
	return r, nil
}

// Update replaces a record's fields if in.Version is the stored version.
// An empty in.Unit keeps the owning unit; moving a record to another unit
// needs both units in scope. Errors: ErrForbidden, ErrNotFound, *Conflict,
// *core.FieldError (joined).
func (s *Service) Update(ctx context.Context, a core.Actor, scope core.Scope, kind, id string, in Input) (Resource, error) {
	k, st, err := s.kind(kind)
	if err != nil {
		return nil, err
	}
	before, err := s.Get(ctx, scope, kind, id)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, core.Invalid("version", "缺少版本号 version（读取记录时得到的 version）")
	}
	if in.Version != before.GetMeta().Version {
		return nil, &Conflict{Current: before, Changes: s.Diff(ctx, kind, in, before)}
	}
	if strings.TrimSpace(in.Unit) == "" {
		in.Unit = before.OwnerUnit()
	} else if u := strings.TrimSpace(in.Unit); u != before.OwnerUnit() && s.Vocab.HasUnit(u) && !scope.Allows(u) {
		return nil, fmt.Errorf("resources: move %s %s to unit %s: %w", kind, id, u, core.ErrForbidden)
	}
	r, err := s.Check(ctx, kind, in, before)
	if err != nil {
		return nil, err
	}
	err = st.update(ctx, a, r, before)
	switch {
	case err == nil:
		return r, nil
	case errors.Is(err, core.ErrConflict):
		if cur, gerr := st.get(ctx, id); gerr == nil {
			return nil, &Conflict{Current: cur, Changes: s.Diff(ctx, kind, in, cur)}
		}
	case k == EnterpriseKind && uniqueViolation(err):
		return nil, s.creditCodeTaken(ctx, r.(*Enterprise).CreditCode, id)
	}
	return nil, fmt.Errorf("resources: update %s %s: %w", kind, id, err)
}

// Delete removes a record in scope at the given version. A record that
// projects still point at is kept (the link would dangle).
// checkUnlinked refuses to delete a record that projects link to, saying
// how many projects of which units hold the links: the user can ask those
// units (their own projects they unlink themselves).
func (s *Service) checkUnlinked(ctx context.Context, k *Kind, id string) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	total, byUnit, err := search.Linking(ctx, e, projectsKind, k.LinkField, id)
	if err != nil || total == 0 {
		return err
	}
	return core.Invalid("id", "该%s已被 %d 个项目关联（%s），不能删除；请先在这些项目中解除关联，其他单位的项目请联系该单位",
		k.Name(), total, core.HeldBy(byUnit, s.Vocab.Name, "个"))
}

func (s *Service) Delete(ctx context.Context, a core.Actor, scope core.Scope, kind, id string, version int64) error {
	k, st, err := s.kind(kind)
	if err != nil {
		return err
	}
	r, err := s.Get(ctx, scope, kind, id)
	if err != nil {
		return err
	}
	if version != r.GetMeta().Version {
		return &Conflict{Current: r}
	}
	if k.LinkField != "" {
		if err := s.checkUnlinked(ctx, k, id); err != nil {
			return err
		}
	}
	if err := st.delete(ctx, a, id, version); err != nil {
		if errors.Is(err, core.ErrConflict) {
			if cur, gerr := st.get(ctx, id); gerr == nil {
				return &Conflict{Current: cur}
			}
		}
		return fmt.Errorf("resources: delete %s %s: %w", kind, id, err)
	}
	return nil
}
