package projects

import (
	"context"
	"fmt"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Column is one stage of the kanban: count and 万元 total over every
// matching project, plus the first cards.
type Column struct {
	Stage      string  `json:"stage"`
	Count      int     `json:"count"`
	Investment float64 `json:"investment"`
	Cards      []Card  `json:"cards"`
}

// Card is what a kanban card shows, read from the engine's stored fields
// (no Mongo round trip per card).
type Card struct {
	ID         string    `json:"id"`
	Version    int64     `json:"version"`
	Name       string    `json:"name"`
	Type       string    `json:"type"`
	Industry   string    `json:"industry"`
	Officer    string    `json:"officer"`
	Investment float64   `json:"investment"`
	NextDue    core.Date `json:"next_due,omitzero"`
}

func cardOf(h search.Hit) Card {
	c := Card{ID: h.ID, Version: h.Version, Name: h.Title}
	c.Type, _ = h.Fields["type"].(string)
	c.Industry, _ = h.Fields["industry"].(string)
	c.Officer, _ = h.Fields["officer"].(string)
	c.Investment, _ = h.Fields["investment"].(float64)
	due, _ := h.Fields["next_due"].(time.Time)
	c.NextDue = core.DateOf(due)
	return c
}

// BoardCards is how many cards each column shows (the rest via the list).
const BoardCards = 30

// Board answers the kanban: one engine query for counts and sums by stage,
// one per column for its most recently touched cards. A stage filter keeps
// only that stage's column.
func (s *Service) Board(ctx context.Context, scope core.Scope, q ListQuery) ([]Column, error) {
	q.Page, q.PerPage, q.Sort = 1, 1, ""
	if err := q.Validate(); err != nil {
		return nil, err
	}
	only := q.Stage
	q.Stage = ""
	scope, _ = scope.To(q.Unit) // outside the scope: an empty board
	eng := s.Engine()
	base := search.Query{Kinds: []string{Kind}, Text: q.Text, Scope: scope.Search(), Filters: q.filters(nowFunc())}
	totals := base
	totals.Facets, totals.Sums, totals.GroupBy, totals.Limit = []string{"stage"}, []string{"investment"}, "stage", 1
	res, err := eng.Search(ctx, totals)
	if err != nil {
		return nil, fmt.Errorf("projects: board: %w", err)
	}
	cols := make([]Column, 0, len(Stages))
	for _, st := range Stages {
		if only != "" && st != only {
			continue
		}
		cols = append(cols, Column{Stage: st, Count: res.Facets["stage"][st], Investment: res.Sums["investment"][st], Cards: []Card{}})
		i := len(cols) - 1
		if cols[i].Count == 0 {
			continue
		}
		cq := base
		cq.Filters = append(append([]search.Filter{}, base.Filters...), search.Filter{Field: "stage", Values: []string{st}})
		cq.Sort, cq.Limit = []search.Sort{{Field: "updated", Desc: true}}, BoardCards
		cr, err := eng.Search(ctx, cq)
		if err != nil {
			return nil, fmt.Errorf("projects: board column %s: %w", st, err)
		}
		for _, h := range cr.Hits {
			cols[i].Cards = append(cols[i].Cards, cardOf(h))
		}
	}
	return cols, nil
}
