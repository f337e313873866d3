package dashboard

import (
	"context"
	"fmt"
	"math"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// maxTrendMonths bounds the points of one trend (ten years).
const maxTrendMonths = 12 * maxPeriodYears

// TrendPoint is one month of the trends: new projects (created), signings
// (签约 milestone), capital arrived (到资 milestone: the 万元 of the
// projects funded that month, Funded of them) and events held. Each link
// lists exactly the records counted (CapitalLink: the Funded projects).
type TrendPoint struct {
	Month        string  `json:"month"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Projects     int     `json:"projects"`
	ProjectsLink string  `json:"projects_link"`
	Signed       int     `json:"signed"`
	SignedLink   string  `json:"signed_link"`
	Capital      float64 `json:"capital"`
	Funded       int     `json:"funded"`
	CapitalLink  string  `json:"capital_link"`
	Events       int     `json:"events"`
	EventsLink   string  `json:"events_link"`
}

// Trends are the monthly figures of a period.
type Trends struct {
	Period Period       `json:"period"`
	Unit   string       `json:"unit"`
	Months []TrendPoint `json:"months"`
	// Total adds the months up (its links cover the whole period).
	Total TrendPoint `json:"total"`
}

// Trends computes the monthly figures of period p within scope (narrowed
// to unit): one facet query per project figure (the *_month keyword of the
// search document) and one count per month for events.
func (s *Service) Trends(ctx context.Context, scope core.Scope, p Period, unit string) (*Trends, error) {
	scope, err := s.scoped(scope, unit)
	if err != nil {
		return nil, err
	}
	months := p.Months()
	if len(months) > maxTrendMonths {
		return nil, core.Invalid("to", "趋势最多 %d 个月", maxTrendMonths)
	}
	out := &Trends{Period: p, Unit: unit, Months: make([]TrendPoint, len(months))}
	from, to := p.Range()
	projectFacet := func(dateField, monthField string, sums ...string) (search.Result, error) {
		q := search.Query{Kinds: []string{projects.Kind}, Scope: scope.Search(), Limit: 1,
			Filters: []search.Filter{{Field: dateField, From: from, To: to}}, Facets: []string{monthField}, Sums: sums}
		if len(sums) > 0 {
			q.GroupBy = monthField
		}
		r, err := s.Engine.Search(ctx, q)
		if err != nil {
			return r, fmt.Errorf("dashboard: trends %s: %w", dateField, err)
		}
		return r, nil
	}
	var created, signed, funded search.Result
	jobs := []func() error{
		func() (err error) {
			created, err = projectFacet(projects.FieldCreated, projects.FieldCreatedMonth)
			return
		},
		func() (err error) {
			signed, err = projectFacet(projects.FieldSigned, projects.FieldSignedMonth)
			return
		},
		func() (err error) {
			funded, err = projectFacet(projects.FieldFunded, projects.FieldFundedMonth, projects.FieldCapitalArrived)
			return
		},
	}
	for i, m := range months {
		jobs = append(jobs, func() error {
			_, _, start, end := p.monthDays(m)
			r, err := s.Engine.Search(ctx, search.Query{Kinds: []string{events.Kind}, Scope: scope.Search(), Limit: 1,
				Filters: events.HeldBetween(start, end)})
			if err != nil {
				return fmt.Errorf("dashboard: trends events %s: %w", m, err)
			}
			out.Months[i].Events = r.Total
			return nil
		})
	}
	if err := parallel(jobs...); err != nil {
		return nil, err
	}
	points := func(pt *TrendPoint, first, last string) {
		pt.From, pt.To = first, last
		pt.ProjectsLink = link("/projects", "from", first, "to", last, "unit", unit)
		pt.SignedLink = link("/projects", "date", "signed", "from", first, "to", last, "unit", unit)
		pt.CapitalLink = link("/projects", "date", "funded", "from", first, "to", last, "unit", unit)
		pt.EventsLink = link("/events", "status", events.StatusHeld, "from", first, "to", last, "unit", unit)
	}
	tot := &out.Total
	for i, m := range months {
		pt := &out.Months[i]
		first, last, _, _ := p.monthDays(m)
		pt.Month = m
		points(pt, first, last)
		pt.Projects = created.Facets[projects.FieldCreatedMonth][m]
		pt.Signed = signed.Facets[projects.FieldSignedMonth][m]
		pt.Funded = funded.Facets[projects.FieldFundedMonth][m]
		pt.Capital = round2(funded.Sums[projects.FieldCapitalArrived][m])
		tot.Projects += pt.Projects
		tot.Signed += pt.Signed
		tot.Funded += pt.Funded
		tot.Events += pt.Events
	}
	tot.Month = p.Label
	points(tot, p.From, p.To)
	tot.Capital = round2(sumGroups(funded.Sums[projects.FieldCapitalArrived]))
	return out, nil
}

// sumGroups adds the groups of a grouped sum up.
func sumGroups(g map[string]float64) float64 {
	t := 0.0
	for _, v := range g {
		t += v
	}
	return t
}

// round2 keeps two decimals of a 万元 amount (as pages show them).
func round2(v float64) float64 { return math.Round(v*100) / 100 }
