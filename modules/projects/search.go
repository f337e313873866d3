package projects

import (
	"strings"

	"zhaoshang/search"
)

// Kind is the collection and search kind of projects.
const Kind = "projects"

// SearchSchema lists the structured fields projects put in the engine.
var SearchSchema = search.Schema{
	"type": search.Keyword, "industry": search.Keyword, "zone": search.Keyword, "stage": search.Keyword,
	"officer": search.Keyword, "tags": search.Keyword, "action_lines": search.Keyword, "source_event": search.Keyword,
	"year": search.Keyword, "talent_id": search.Keyword, "enterprise_id": search.Keyword, "institute_id": search.Keyword, "result_id": search.Keyword,
	"approval":   search.Keyword,
	"investment": search.Number, "capital_arrived": search.Number, "registered_capital": search.Number, "score": search.Number,
	"created": search.Date, "updated": search.Date, "stage_since": search.Date, "last_follow_up": search.Date,
	"next_due": search.Date, "signed": search.Date,
	"enterprise": search.Text, "contacts": search.Text,
}

// ToDoc builds the engine document of a project.
func ToDoc(p *Project) search.Doc {
	names := make([]string, 0, len(p.Contacts))
	for _, c := range p.Contacts {
		names = append(names, c.Name)
	}
	f := map[string]any{
		"type": p.Type, "industry": p.Industry, "zone": p.Zone, "stage": p.Stage, "officer": p.Officer,
		"investment": p.Investment, "capital_arrived": p.CapitalArrived, "registered_capital": p.RegisteredCapital,
		"score": p.Score, "created": p.CreatedAt, "updated": p.UpdatedAt, "stage_since": p.StageSince,
		"year":       p.CreatedAt.Format("2006"),
		"enterprise": p.Enterprise + " " + p.CreditCode, "contacts": strings.Join(names, " "),
	}
	if len(p.Tags) > 0 {
		f["tags"] = p.Tags
	}
	if len(p.ActionLines) > 0 {
		f["action_lines"] = p.ActionLines
	}
	if p.SourceEvent != "" {
		f["source_event"] = p.SourceEvent
	}
	f["approval"] = ApprovalState(p)
	for k, v := range map[string]string{"talent_id": p.TalentID, "enterprise_id": p.EnterpriseID, "institute_id": p.InstituteID, "result_id": p.ResultID} {
		if v != "" {
			f[k] = v
		}
	}
	if !p.LastFollowUp.IsZero() {
		f["last_follow_up"] = p.LastFollowUp
	}
	if !p.NextDue.IsZero() {
		f["next_due"] = p.NextDue
	}
	if !p.Milestones.Signed.IsZero() {
		f["signed"] = p.Milestones.Signed
	}
	return search.Doc{Kind: Kind, ID: p.ID, Version: p.Version, Units: []string{p.Unit}, Title: p.Name,
		Body: p.Summary, Fields: f}
}

// ApprovalState is "pending" (no decision yet), "approved" or "rejected",
// indexed so that decisions waiting for approval can be listed.
func ApprovalState(p *Project) string {
	switch {
	case p.Approval == nil:
		return "pending"
	case p.Approval.Approved:
		return "approved"
	}
	return "rejected"
}
