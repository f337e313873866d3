package projects

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind is the collection and search kind of projects.
const Kind = "projects"

// Fields of the project search document that other modules' figures
// read (the dashboard's KPIs and trends): each date field, the month
// keyword it is counted by, the capital sum and the unit|type keyword.
const (
	FieldCreated        = "created"
	FieldCreatedMonth   = "created_month"
	FieldSigned         = "signed"
	FieldSignedMonth    = "signed_month"
	FieldFunded         = "funded"
	FieldFundedMonth    = "funded_month"
	FieldCapitalArrived = "capital_arrived"
	FieldUnitType       = "unit_type"
)

// SearchSchema lists the structured fields projects put in the engine.
var SearchSchema = withHistoryFields(search.Schema{
	"type": search.Keyword, "industry": search.Keyword, "zone": search.Keyword, "stage": search.Keyword,
	"officer": search.Keyword, "tags": search.Keyword, "action_lines": search.Keyword, "source_event": search.Keyword,
	"year": search.Keyword, "talent_id": search.Keyword, "enterprise_id": search.Keyword, "institute_id": search.Keyword, "result_id": search.Keyword,
	"approval": search.Keyword, "unit": search.Keyword,
	FieldCreatedMonth: search.Keyword, FieldSignedMonth: search.Keyword, FieldFundedMonth: search.Keyword,
	"investment": search.Number, FieldCapitalArrived: search.Number, "registered_capital": search.Number, "score": search.Number,
	FieldCreated: search.Date, "updated": search.Date, "stage_since": search.Date, "last_follow_up": search.Date,
	"next_due": search.Date, FieldSigned: search.Date, FieldFunded: search.Date,
	"enterprise": search.Text, "contacts": search.Text,
})

// The stage-history fields of the search document. The dashboard's funnel
// and time-in-stage figures are engine counts over them; ToDoc derives them
// from the stored history on every write, so imports, undo, backward moves
// and deletions keep every figure exact without separate counters.
//
//   - EnteredField(S) (core.Date): when the project first entered stage S; absent if never.
//   - DaysField(S) (Number): whole days spent in S over all its visits, set
//     once the project has left S (a stay still running has no end yet).
//   - DaysKeyField(S) (Keyword): the same days zero-padded (DaysKey), so that
//     a term facet returns their exact distribution (medians).
//   - ThenField(X) (Keyword, many): the stages entered after X was first
//     entered ("entered X, then reached Y").
//
// The unit_type keyword (unit|type) lets one facet count the projects of
// every unit by type.

// EnteredField names the date the project first entered stage s.
func EnteredField(s string) string { return "entered_" + s }

// DaysField names the whole days spent in stage s (set once s was left).
func DaysField(s string) string { return "days_" + s }

// DaysKeyField names DaysField as a zero-padded keyword.
func DaysKeyField(s string) string { return "days_" + s + "_k" }

// ThenField names the stages entered after s was first entered.
func ThenField(s string) string { return "then_" + s }

// UnitType is the unit_type value of a project.
func UnitType(unit, typ string) string { return unit + "|" + typ }

// DaysKey formats whole days for DaysKeyField; keys sort like the numbers.
func DaysKey(days int) string { return fmt.Sprintf("%05d", days) }

func withHistoryFields(s search.Schema) search.Schema {
	s[FieldUnitType] = search.Keyword
	for _, st := range Stages {
		s[ThenField(st)] = search.Keyword
		s[EnteredField(st)] = search.Date
		s[DaysField(st)] = search.Number
		s[DaysKeyField(st)] = search.Keyword
	}
	return s
}

// Month is the calendar month of t in the office zone ("2006-01"), "" for
// zero t.
func Month(t time.Time) string { return core.DateOf(t).Format("2006-01") }

// StageHistory is the history the figures are derived from: the stored
// one, ending in the current stage. A record without history (written by
// an old import) entered its current stage at StageSince (or creation); a
// history not ending in the current stage gets that entry appended.
func StageHistory(p *Project) []StageChange {
	h := p.History
	since := p.StageSince
	if since.IsZero() {
		since = p.CreatedAt
	}
	if len(h) == 0 {
		return []StageChange{{To: p.Stage, At: since}}
	}
	if last := h[len(h)-1]; last.To != p.Stage && p.Stage != "" {
		if since.Before(last.At) {
			since = last.At
		}
		h = append(h[:len(h):len(h)], StageChange{From: last.To, To: p.Stage, At: since})
	}
	return h
}

// historyFields adds the stage-history fields of p to f.
func historyFields(p *Project, f map[string]any) {
	h := StageHistory(p)
	first := map[string]int{}
	spent := map[string]time.Duration{}
	for i, e := range h {
		if _, ok := first[e.To]; !ok {
			first[e.To] = i
		}
		if i+1 < len(h) {
			if d := h[i+1].At.Sub(e.At); d > 0 {
				spent[e.To] += d
			}
		}
	}
	current := h[len(h)-1].To
	for s, i := range first {
		if s == "" {
			continue
		}
		f[EnteredField(s)] = h[i].At
		if s != current {
			days := int(spent[s] / (24 * time.Hour))
			f[DaysField(s)] = float64(days)
			f[DaysKeyField(s)] = DaysKey(days)
		}
		var then []string
		for _, e := range h[i+1:] {
			if e.To != s && e.To != "" && !slices.Contains(then, e.To) {
				then = append(then, e.To)
			}
		}
		if len(then) > 0 {
			f[ThenField(s)] = then
		}
	}
}

// ToDoc builds the engine document of a project.
func ToDoc(p *Project) search.Doc {
	names := make([]string, 0, len(p.Contacts))
	for _, c := range p.Contacts {
		names = append(names, c.Name)
	}
	f := map[string]any{
		"type": p.Type, "industry": p.Industry, "zone": p.Zone, "stage": p.Stage, "officer": p.Officer, "unit": p.Unit,
		FieldUnitType: UnitType(p.Unit, p.Type),
		"investment":  p.Investment, FieldCapitalArrived: p.CapitalArrived, "registered_capital": p.RegisteredCapital,
		"score": p.Score, FieldCreated: p.CreatedAt, "updated": p.UpdatedAt, "stage_since": p.StageSince,
		"year": p.CreatedAt.In(core.Zone()).Format("2006"), FieldCreatedMonth: Month(p.CreatedAt),
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
	// Days are indexed as the start of the day in the office zone.
	if !p.NextDue.IsZero() {
		f["next_due"] = p.NextDue.Time()
	}
	if !p.Milestones.Signed.IsZero() {
		f[FieldSigned] = p.Milestones.Signed.Time()
		f[FieldSignedMonth] = p.Milestones.Signed.Format("2006-01")
	}
	if !p.Milestones.Funded.IsZero() {
		f[FieldFunded] = p.Milestones.Funded.Time()
		f[FieldFundedMonth] = p.Milestones.Funded.Format("2006-01")
	}
	historyFields(p, f)
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

// Stored declares the module's collection and search fields to the platform.
var Stored = core.Stored{Collections: []string{Kind}, Search: SearchSchema}
