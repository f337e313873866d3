package resources

import (
	"slices"
	"strconv"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/templates"
)

// The four kinds are described by one table each: their fields (type,
// required, vocabulary), list columns, filters and sorts. Validation, forms,
// detail pages, the API and the importer all read these tables.

// FieldType says how a field is parsed, checked and shown.
type FieldType string

const (
	TypeText       FieldType = "text"
	TypeLongText   FieldType = "textarea"
	TypeChoice     FieldType = "select" // one value of the field's vocabulary
	TypeTags       FieldType = "tags"
	TypeAmount     FieldType = "amount" // 万元, ≥ 0
	TypeDate       FieldType = "date"
	TypePhone      FieldType = "tel"
	TypeEmail      FieldType = "email"
	TypeCreditCode FieldType = "credit_code"
	TypePatentNo   FieldType = "patent_no"
)

// Field is one editable field of a kind. Key is its JSON, form and import
// name (and the label key in templates/labels.go under the kind's key).
type Field struct {
	Key      string
	Type     FieldType
	Required bool
	Max      int  // runes, text types
	Past     bool // dates: not after today
	options  func(*matrix.Catalog) []string
	ref      func(Resource) any // *string, *float64, *core.Date or *[]string
}

// Options returns the allowed values of a choice field.
func (f *Field) Options(cat *matrix.Catalog) []string {
	if f.options == nil {
		return nil
	}
	return f.options(cat)
}

// Filter is a list filter: URL parameter = engine keyword field, with the
// record field that gives its label and choices.
type Filter struct {
	Param string
	Field string
}

// Kind describes one kind of the pool.
type Kind struct {
	Key       string // collection, search kind, URL segment, labels table
	Start     string // parameter of /projects/new that starts a project from a record
	LinkField string // projects' search field pointing at this kind; "" when projects do not link it
	Sub       string // field shown under the name in lists
	Columns   []string
	Filters   []Filter
	Sorts     []string // "-field" descending; the first is the default
	Fields    []*Field
	check     func(Resource) error // rules across fields
	blank     func() Resource
}

// Label is the Chinese label of one of the kind's fields.
func (k *Kind) Label(field string) string { return templates.Label(k.Key, field) }

// Name is the kind's Chinese name (人才, 企业 ...).
func (k *Kind) Name() string { return templates.Label("rkind", k.Key) }

// Field returns the field with key, or nil.
func (k *Kind) Field(key string) *Field {
	for _, f := range k.Fields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// SortField reports whether s ("field" or "-field") is a sort of the kind.
func (k *Kind) SortField(s string) bool {
	for _, x := range k.Sorts {
		if x == s || x[1:] == s || x == "-"+s {
			return true
		}
	}
	return false
}

func ref[T any](f func(*T) any) func(Resource) any {
	return func(r Resource) any { return f(any(r).(*T)) }
}

func industries(c *matrix.Catalog) []string {
	out := make([]string, len(c.Industries))
	for i, x := range c.Industries {
		out[i] = x.Name
	}
	return out
}

func zones(c *matrix.Catalog) []string        { return c.Zones }
func talentLevels(c *matrix.Catalog) []string { return c.TalentLevels }
func fixed(list []string) func(*matrix.Catalog) []string {
	return func(*matrix.Catalog) []string { return list }
}

var sortsCommon = []string{"-updated", "-created", "created"}

// Talents (人才).
var TalentKind = &Kind{
	Key: KindTalents, Start: "talent", LinkField: "talent_id", Sub: "institution",
	Columns: []string{"level", "industry", "field", "intended_zone"},
	Filters: []Filter{{"level", "level"}, {"industry", "industry"}, {"zone", "intended_zone"}},
	Sorts:   sortsCommon,
	blank:   func() Resource { return &Talent{} },
	Fields: []*Field{
		{Key: "name", Type: TypeText, Required: true, Max: 40, ref: ref(func(t *Talent) any { return &t.Name })},
		{Key: "gender", Type: TypeChoice, options: fixed(Genders), ref: ref(func(t *Talent) any { return &t.Gender })},
		{Key: "level", Type: TypeChoice, Required: true, options: talentLevels, ref: ref(func(t *Talent) any { return &t.Level })},
		{Key: "industry", Type: TypeChoice, Required: true, options: industries, ref: ref(func(t *Talent) any { return &t.Industry })},
		{Key: "field", Type: TypeText, Max: 100, ref: ref(func(t *Talent) any { return &t.Field })},
		{Key: "institution", Type: TypeText, Max: 100, ref: ref(func(t *Talent) any { return &t.Institution })},
		{Key: "title", Type: TypeText, Max: 60, ref: ref(func(t *Talent) any { return &t.Title })},
		{Key: "phone", Type: TypePhone, ref: ref(func(t *Talent) any { return &t.Phone })},
		{Key: "email", Type: TypeEmail, ref: ref(func(t *Talent) any { return &t.Email })},
		{Key: "intended_zone", Type: TypeChoice, options: zones, ref: ref(func(t *Talent) any { return &t.IntendedZone })},
		{Key: "tags", Type: TypeTags, ref: ref(func(t *Talent) any { return &t.Tags })},
		{Key: "summary", Type: TypeLongText, Max: 2000, ref: ref(func(t *Talent) any { return &t.Summary })},
	},
}

// Enterprises (企业).
var EnterpriseKind = &Kind{
	Key: KindEnterprises, Start: "enterprise", LinkField: "enterprise_id", Sub: "credit_code",
	Columns: []string{"industry", "zone", "registered_capital", "founded"},
	Filters: []Filter{{"industry", "industry"}, {"zone", "zone"}},
	Sorts:   append(slices.Clone(sortsCommon), "-registered_capital", "registered_capital", "-founded", "founded"),
	blank:   func() Resource { return &Enterprise{} },
	Fields: []*Field{
		{Key: "name", Type: TypeText, Required: true, Max: 100, ref: ref(func(e *Enterprise) any { return &e.Name })},
		{Key: "credit_code", Type: TypeCreditCode, Required: true, ref: ref(func(e *Enterprise) any { return &e.CreditCode })},
		{Key: "industry", Type: TypeChoice, Required: true, options: industries, ref: ref(func(e *Enterprise) any { return &e.Industry })},
		{Key: "zone", Type: TypeChoice, options: zones, ref: ref(func(e *Enterprise) any { return &e.Zone })},
		{Key: "legal_person", Type: TypeText, Max: 40, ref: ref(func(e *Enterprise) any { return &e.LegalPerson })},
		{Key: "registered_capital", Type: TypeAmount, ref: ref(func(e *Enterprise) any { return &e.RegisteredCapital })},
		{Key: "founded", Type: TypeDate, Past: true, ref: ref(func(e *Enterprise) any { return &e.Founded })},
		{Key: "address", Type: TypeText, Max: 200, ref: ref(func(e *Enterprise) any { return &e.Address })},
		{Key: "contact", Type: TypeText, Max: 40, ref: ref(func(e *Enterprise) any { return &e.Contact })},
		{Key: "phone", Type: TypePhone, ref: ref(func(e *Enterprise) any { return &e.Phone })},
		{Key: "tags", Type: TypeTags, ref: ref(func(e *Enterprise) any { return &e.Tags })},
	},
}

// Institutes and platforms (院所平台).
var InstituteKind = &Kind{
	Key: KindInstitutes, Start: "institute", LinkField: "institute_id", Sub: "parent",
	Columns: []string{"kind", "level", "industry", "zone"},
	Filters: []Filter{{"institute_kind", "kind"}, {"level", "level"}, {"industry", "industry"}, {"zone", "zone"}},
	Sorts:   append(slices.Clone(sortsCommon), "-established", "established"),
	blank:   func() Resource { return &Institute{} },
	Fields: []*Field{
		{Key: "name", Type: TypeText, Required: true, Max: 100, ref: ref(func(in *Institute) any { return &in.Name })},
		{Key: "kind", Type: TypeChoice, Required: true, options: fixed(InstituteKinds), ref: ref(func(in *Institute) any { return &in.Kind })},
		{Key: "parent", Type: TypeText, Max: 100, ref: ref(func(in *Institute) any { return &in.Parent })},
		{Key: "industry", Type: TypeChoice, Required: true, options: industries, ref: ref(func(in *Institute) any { return &in.Industry })},
		{Key: "zone", Type: TypeChoice, options: zones, ref: ref(func(in *Institute) any { return &in.Zone })},
		{Key: "level", Type: TypeChoice, options: fixed(InstituteLevels), ref: ref(func(in *Institute) any { return &in.Level })},
		{Key: "established", Type: TypeDate, Past: true, ref: ref(func(in *Institute) any { return &in.Established })},
		{Key: "summary", Type: TypeLongText, Max: 2000, ref: ref(func(in *Institute) any { return &in.Summary })},
	},
}

// Technology results (科技成果).
var ResultKind = &Kind{
	Key: KindResults, Start: "result", LinkField: "result_id", Sub: "owner",
	Columns: []string{"industry", "transfer_mode", "maturity", "status", "asking_price"},
	Filters: []Filter{{"transfer_mode", "transfer_mode"}, {"status", "status"}, {"maturity", "maturity"}, {"industry", "industry"}},
	Sorts:   append(slices.Clone(sortsCommon), "-asking_price", "asking_price", "-deal_amount", "-deal_date"),
	blank:   func() Resource { return &TechResult{} },
	check: func(r Resource) error {
		t := r.(*TechResult)
		if t.Status == ResultTransferred && t.DealDate.IsZero() {
			return core.Invalid("deal_date", "已转化的成果须填写成交日期")
		}
		if t.Status != ResultTransferred && (t.DealAmount > 0 || !t.DealDate.IsZero()) {
			return core.Invalid("status", "填写了成交日期或成交金额的成果，转化状态应为“已转化”")
		}
		return nil
	},
	Fields: []*Field{
		{Key: "title", Type: TypeText, Required: true, Max: 200, ref: ref(func(r *TechResult) any { return &r.Title })},
		{Key: "owner", Type: TypeText, Required: true, Max: 100, ref: ref(func(r *TechResult) any { return &r.Owner })},
		{Key: "industry", Type: TypeChoice, Required: true, options: industries, ref: ref(func(r *TechResult) any { return &r.Industry })},
		{Key: "maturity", Type: TypeChoice, options: fixed(Maturities), ref: ref(func(r *TechResult) any { return &r.Maturity })},
		{Key: "patent_no", Type: TypePatentNo, ref: ref(func(r *TechResult) any { return &r.PatentNo })},
		{Key: "transfer_mode", Type: TypeChoice, Required: true, options: fixed(TransferModes), ref: ref(func(r *TechResult) any { return &r.TransferMode })},
		{Key: "asking_price", Type: TypeAmount, ref: ref(func(r *TechResult) any { return &r.AskingPrice })},
		{Key: "status", Type: TypeChoice, Required: true, options: fixed(ResultStatuses), ref: ref(func(r *TechResult) any { return &r.Status })},
		{Key: "deal_date", Type: TypeDate, Past: true, ref: ref(func(r *TechResult) any { return &r.DealDate })},
		{Key: "deal_amount", Type: TypeAmount, ref: ref(func(r *TechResult) any { return &r.DealAmount })},
		{Key: "summary", Type: TypeLongText, Max: 2000, ref: ref(func(r *TechResult) any { return &r.Summary })},
	},
}

// Kinds in tab order.
var Kinds = []*Kind{TalentKind, EnterpriseKind, InstituteKind, ResultKind}

// KindOf returns the kind with key, or nil.
func KindOf(key string) *Kind {
	for _, k := range Kinds {
		if k.Key == key {
			return k
		}
	}
	return nil
}

// Value returns a field's stored value: string, float64, core.Date or []string.
func (f *Field) Value(r Resource) any {
	switch p := f.ref(r).(type) {
	case *string:
		return *p
	case *float64:
		return *p
	case *core.Date:
		return *p
	case *[]string:
		return *p
	}
	return nil
}

// Text returns the field's value as a form shows and the importer reads it:
// days as 2006-01-02, amounts plain, tags joined by 、; an
// unset optional amount or date is "".
func (f *Field) Text(r Resource) string {
	switch v := f.Value(r).(type) {
	case string:
		return v
	case float64:
		if v == 0 && !f.Required {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case core.Date:
		return v.String()
	case []string:
		return JoinTags(v)
	}
	return ""
}

// set stores a parsed value (same types as Value).
func (f *Field) set(r Resource, v any) {
	switch p := f.ref(r).(type) {
	case *string:
		*p = v.(string)
	case *float64:
		*p = v.(float64)
	case *core.Date:
		*p = v.(core.Date)
	case *[]string:
		*p = v.([]string)
	}
}
