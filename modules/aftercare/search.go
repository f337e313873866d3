package aftercare

import (
	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind is the collection and search kind of service requests.
const Kind = "aftercare"

// SearchSchema lists the structured fields service requests put in the
// engine. Shared names (type, status, year, created, updated) keep the type
// they have in the other modules.
var SearchSchema = search.Schema{
	"type": search.Keyword, "status": search.Keyword, "owner": search.Keyword, "project_id": search.Keyword,
	"policy_id": search.Keyword, "year": search.Keyword,
	"due": search.Date, "resolved_at": search.Date, "created": search.Date, "updated": search.Date,
	"project": search.Text,
}

// ToDoc builds the engine document of a service request.
func ToDoc(r *Request) search.Doc {
	f := map[string]any{
		"type": r.Type, "status": r.Status, "owner": r.Owner, "project_id": r.ProjectID,
		"created": r.CreatedAt, "updated": r.UpdatedAt, "year": r.CreatedAt.In(core.Zone()).Format("2006"),
		"project": r.ProjectName,
	}
	if r.PolicyID != "" {
		f["policy_id"] = r.PolicyID
	}
	if !r.Due.IsZero() {
		f["due"] = r.Due.Time() // the day's start in the office zone
	}
	if !r.ResolvedAt.IsZero() {
		f["resolved_at"] = r.ResolvedAt
	}
	body := r.Detail
	if r.Resolution != "" {
		body += "\n" + r.Resolution
	}
	return search.Doc{Kind: Kind, ID: r.ID, Version: r.Version, Units: []string{r.Unit}, Title: r.Title,
		Body: body, Fields: f}
}

// Stored declares the module's collection and search fields to the platform.
var Stored = core.Stored{Collections: []string{Kind}, Search: SearchSchema}
