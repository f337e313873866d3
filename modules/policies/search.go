package policies

import (
	"strings"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind is the collection and search kind of policies.
const Kind = "policies"

// SearchSchema lists the structured fields policies put in the engine.
var SearchSchema = search.Schema{
	"level": search.Keyword, "status": search.Keyword, "category": search.Keyword, "support_mode": search.Keyword,
	"industry": search.Keyword, "issuer": search.Keyword, "doc_no": search.Keyword, "year": search.Keyword,
	"max_amount": search.Number,
	"issued":     search.Date, "effective_from": search.Date, "effective_to": search.Date,
	"created": search.Date, "updated": search.Date,
	"doc_ref": search.Text, "clauses": search.Text,
}

// ToDoc builds the engine document of a policy.
func ToDoc(p *Policy) search.Doc {
	titles := make([]string, 0, len(p.Clauses))
	for _, c := range p.Clauses {
		titles = append(titles, c.Title)
	}
	f := map[string]any{
		"level": p.Level, "status": p.Status, "issuer": p.Issuer, "doc_no": p.DocNo, "max_amount": p.MaxAmount(),
		"created": p.CreatedAt, "updated": p.UpdatedAt,
		// the 文号 as text too, so typing "53号" finds it
		"doc_ref": p.DocNo + " " + p.Issuer, "clauses": strings.Join(titles, " "),
	}
	if len(p.Categories) > 0 {
		f["category"] = p.Categories
	}
	if len(p.SupportModes) > 0 {
		f["support_mode"] = p.SupportModes
	}
	if len(p.Industries) > 0 {
		f["industry"] = p.Industries
	}
	if !p.IssuedOn.IsZero() {
		// Days are indexed as the start of the day in the office zone.
		f["issued"], f["year"] = p.IssuedOn.Time(), p.IssuedOn.Format("2006")
	}
	if !p.EffectiveFrom.IsZero() {
		f["effective_from"] = p.EffectiveFrom.Time()
	}
	if !p.EffectiveTo.IsZero() {
		f["effective_to"] = p.EffectiveTo.Time()
	}
	return search.Doc{Kind: Kind, ID: p.ID, Version: p.Version, Units: []string{p.Unit}, Title: p.Title,
		Body: p.Body, Fields: f}
}

// Stored declares the module's collection and search fields to the platform.
var Stored = core.Stored{Collections: []string{Kind}, Search: SearchSchema}
