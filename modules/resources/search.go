package resources

import (
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kinds of the resource pool: collection and search kind names.
const (
	KindTalents     = "talents"
	KindEnterprises = "enterprises"
	KindInstitutes  = "institutes"
	KindResults     = "results"
)

// Fields of the resource search documents that other modules read (the
// push recommender filters, sorts and weighs candidates by them).
const (
	FieldUpdated  = "updated"
	FieldIndustry = "industry"
	FieldZone     = "zone"
	FieldLevel    = "level"
	FieldTags     = "tags"
	FieldMaturity = "maturity"
)

// SearchSchema lists the structured fields the four kinds put in the engine.
// Names shared with other modules (industry, zone, tags, year, created,
// updated, registered_capital, status, level) keep the same type everywhere.
var SearchSchema = search.Schema{
	FieldLevel: search.Keyword, "gender": search.Keyword, FieldIndustry: search.Keyword, FieldZone: search.Keyword,
	FieldTags: search.Keyword, "phone": search.Keyword, "credit_code": search.Keyword, "institute_kind": search.Keyword,
	FieldMaturity: search.Keyword, "transfer_mode": search.Keyword, "status": search.Keyword, "patent_no": search.Keyword,
	"year":               search.Keyword,
	"registered_capital": search.Number, "asking_price": search.Number, "deal_amount": search.Number,
	"created": search.Date, FieldUpdated: search.Date, "founded": search.Date, "established": search.Date,
	"deal_date":   search.Date,
	"institution": search.Text, "research_field": search.Text, "legal_person": search.Text, "contacts": search.Text,
}

// common are the fields every kind carries.
func common(f map[string]any, created, updated time.Time) {
	f["created"], f["updated"], f["year"] = created, updated, created.In(core.Zone()).Format("2006")
}

// TalentToDoc builds the engine document of a talent.
func TalentToDoc(t *Talent) search.Doc {
	f := map[string]any{"level": t.Level, "gender": t.Gender, "industry": t.Industry, "zone": t.IntendedZone,
		"phone": t.Phone, "institution": t.Institution, "research_field": t.Field, "contacts": t.Email}
	common(f, t.CreatedAt, t.UpdatedAt)
	if len(t.Tags) > 0 {
		f["tags"] = t.Tags
	}
	return search.Doc{Kind: KindTalents, ID: t.ID, Version: t.Version, Units: []string{t.Unit}, Title: t.Name,
		Body: join(t.Title, t.Summary), Fields: f}
}

// EnterpriseToDoc builds the engine document of an enterprise.
func EnterpriseToDoc(e *Enterprise) search.Doc {
	f := map[string]any{"industry": e.Industry, "zone": e.Zone, "credit_code": e.CreditCode, "phone": e.Phone,
		"registered_capital": e.RegisteredCapital, "legal_person": e.LegalPerson, "contacts": e.Contact}
	common(f, e.CreatedAt, e.UpdatedAt)
	if !e.Founded.IsZero() {
		f["founded"] = e.Founded.Time() // a day: its start in the office zone
	}
	if len(e.Tags) > 0 {
		f["tags"] = e.Tags
	}
	return search.Doc{Kind: KindEnterprises, ID: e.ID, Version: e.Version, Units: []string{e.Unit}, Title: e.Name,
		Body: join(e.CreditCode, e.Address), Fields: f}
}

// InstituteToDoc builds the engine document of an institute or platform.
func InstituteToDoc(in *Institute) search.Doc {
	f := map[string]any{"institute_kind": in.Kind, "industry": in.Industry, "zone": in.Zone, "level": in.Level,
		"institution": in.Parent}
	common(f, in.CreatedAt, in.UpdatedAt)
	if !in.Established.IsZero() {
		f["established"] = in.Established.Time()
	}
	return search.Doc{Kind: KindInstitutes, ID: in.ID, Version: in.Version, Units: []string{in.Unit}, Title: in.Name,
		Body: in.Summary, Fields: f}
}

// ResultToDoc builds the engine document of a technology result.
func ResultToDoc(r *TechResult) search.Doc {
	f := map[string]any{"industry": r.Industry, "maturity": r.Maturity, "transfer_mode": r.TransferMode,
		"status": r.Status, "patent_no": r.PatentNo, "asking_price": r.AskingPrice, "institution": r.Owner}
	common(f, r.CreatedAt, r.UpdatedAt)
	if !r.DealDate.IsZero() {
		f["deal_date"], f["deal_amount"] = r.DealDate.Time(), r.DealAmount
	}
	return search.Doc{Kind: KindResults, ID: r.ID, Version: r.Version, Units: []string{r.Unit}, Title: r.Title,
		Body: join(r.PatentNo, r.Summary), Fields: f}
}

func join(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
