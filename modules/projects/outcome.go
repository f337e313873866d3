package projects

import (
	"context"
	"math"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Other modules ask about projects through the functions below, so the
// fields of the projects' search documents stay this module's own.

// FromEvent counts, across every unit, the projects whose source event is
// event, and how many each unit holds (what keeps an event from deletion).
func FromEvent(ctx context.Context, e search.Engine, event string) (total int, byUnit map[string]int, err error) {
	return search.Linking(ctx, e, Kind, "source_event", event)
}

// EventOutcome is an event's outcome pipeline: the projects whose source
// event it is, counted per stage, and the signed ones with their 总投资.
type EventOutcome struct {
	Total      int
	Stages     map[string]int
	Signed     int
	Investment float64 // 总投资 of the signed projects, 万元
	Recent     []OutcomeProject
}

// OutcomeProject is one project of the outcome list (from the engine hit).
type OutcomeProject struct {
	ID, Name, Stage string
	Investment      float64
	Signed          core.Date
}

// OutcomeOf counts, through the engine and within scope, the projects that
// came from event, with the ten most recently updated.
func OutcomeOf(ctx context.Context, e search.Engine, scope search.Scope, event string) (EventOutcome, error) {
	from := search.Filter{Field: "source_event", Values: []string{event}}
	all, err := e.Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope, Filters: []search.Filter{from},
		Facets: []string{"stage"}, Sort: []search.Sort{{Field: "updated", Desc: true}}, Limit: 10})
	if err != nil {
		return EventOutcome{}, err
	}
	signedSince := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) // any signing date: the field is present
	signed, err := e.Search(ctx, search.Query{Kinds: []string{Kind}, Scope: scope, Limit: 1,
		Filters: []search.Filter{from, {Field: "signed", From: signedSince}}, Sums: []string{"investment"}})
	if err != nil {
		return EventOutcome{}, err
	}
	o := EventOutcome{Total: all.Total, Stages: all.Facets["stage"], Signed: signed.Total, Investment: signed.Sums["investment"][""]}
	if o.Stages == nil {
		o.Stages = map[string]int{}
	}
	for _, h := range all.Hits {
		p := OutcomeProject{ID: h.ID, Name: h.Title}
		p.Stage, _ = h.Fields["stage"].(string)
		p.Investment = number(h.Fields["investment"])
		signed, _ := h.Fields["signed"].(time.Time) // the day's start in the office zone
		p.Signed = core.DateOf(signed)
		o.Recent = append(o.Recent, p)
	}
	return o, nil
}

func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		if !math.IsNaN(x) {
			return x
		}
	case int:
		return float64(x)
	}
	return 0
}
