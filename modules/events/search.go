package events

import (
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind is the collection and search kind of events.
const Kind = "events"

// HeldBetween selects the events held in [from, to): an event counts for a
// period by its day, once it has taken place (the dashboard's figure).
func HeldBetween(from, to time.Time) []search.Filter {
	return []search.Filter{{Field: "status", Values: []string{StatusHeld}}, {Field: "date", From: from, To: to}}
}

// SearchSchema lists the structured fields events put in the engine.
var SearchSchema = search.Schema{
	"type": search.Keyword, "status": search.Keyword, "industry": search.Keyword, "action_lines": search.Keyword,
	"year":      search.Keyword,
	"attendees": search.Number, "enterprise_count": search.Number, "talent_count": search.Number,
	"date": search.Date, "end_date": search.Date, "created": search.Date, "updated": search.Date,
	"place": search.Text, "co_organisers": search.Text, "participants": search.Text,
}

// ToDoc builds the engine document of an event.
func ToDoc(e *Event) search.Doc {
	names := make([]string, 0, len(e.Participants.Enterprises)+len(e.Participants.Talents))
	for _, r := range e.Participants.Enterprises {
		names = append(names, r.Name)
	}
	for _, r := range e.Participants.Talents {
		names = append(names, r.Name)
	}
	f := map[string]any{
		"type": e.Type, "status": e.Status, "year": e.Date.Format("2006"), "date": e.Date.Time(),
		"attendees": e.Attendees, "enterprise_count": e.Participants.EnterpriseCount, "talent_count": e.Participants.TalentCount,
		"created": e.CreatedAt, "updated": e.UpdatedAt, "place": e.Place,
		"co_organisers": strings.Join(e.CoOrganisers, " "), "participants": strings.Join(names, " "),
	}
	if len(e.Industries) > 0 {
		f["industry"] = e.Industries
	}
	if len(e.ActionLines) > 0 {
		f["action_lines"] = e.ActionLines
	}
	if !e.EndDate.IsZero() {
		f["end_date"] = e.EndDate.Time()
	}
	return search.Doc{Kind: Kind, ID: e.ID, Version: e.Version, Units: []string{e.Unit}, Title: e.Title,
		Body: e.Summary, Fields: f}
}

// Stored declares the module's collection and search fields to the platform.
var Stored = core.Stored{Collections: []string{Kind}, Search: SearchSchema}
