package dashboard

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// FunnelBy are the fields a funnel can be broken down by.
var FunnelBy = []string{"type", "industry", "zone", "unit", "officer", "source_event"}

// FunnelQuery asks for the stage funnel of a period. Every figure comes
// from the stage-history fields of the project search documents (see
// projects.EnteredField, ThenField, DaysKeyField): engine counts and term
// facets, never a load of records into Go.
type FunnelQuery struct {
	Period Period
	// Start is the cohort's first stage (default 资源搜索).
	Start string
	// By breaks the cohort funnel down by one of FunnelBy.
	By string
	// Unit narrows the scope to one unit (403 outside the caller's scope).
	Unit string
	// Filters narrow every figure and every link like the project list's.
	Type, Industry, Zone, Officer, SourceEvent string
}

// filterParams are the keyword filters as list parameters, in a fixed order.
func (q *FunnelQuery) filterParams() []string {
	return []string{"type", q.Type, "industry", q.Industry, "zone", q.Zone, "officer", q.Officer, "source_event", q.SourceEvent}
}

// Validate normalises q and names the field of a bad value.
func (q *FunnelQuery) Validate() error {
	q.Start, q.By = strings.TrimSpace(q.Start), strings.TrimSpace(q.By)
	for _, p := range []*string{&q.Type, &q.Industry, &q.Zone, &q.Officer, &q.SourceEvent, &q.Unit} {
		*p = strings.TrimSpace(*p)
	}
	if q.Start == "" {
		q.Start = projects.StageSearch
	}
	if !slices.Contains(pipeline[:len(pipeline)-1], q.Start) {
		return core.Invalid("stage", "漏斗起点须为资源搜索至过程管理之一")
	}
	if q.By != "" && !slices.Contains(FunnelBy, q.By) {
		return core.Invalid("by", "分组须为 %s 之一", strings.Join(FunnelBy, "、"))
	}
	if q.Type != "" && !slices.Contains(projects.Types, q.Type) {
		return core.Invalid("type", "未知项目类型 %q", q.Type)
	}
	fp := q.filterParams()
	for i := 0; i+1 < len(fp); i += 2 {
		if utf8.RuneCountInString(fp[i+1]) > 100 {
			return core.Invalid(fp[i], "%s 过长", fp[i])
		}
	}
	return nil
}

// StageFlow is one stage of the period: the projects that first entered it
// in the period, how many then entered the next pipeline stage (Rate is the
// conversion), were paused or dropped afterwards, and the median whole days
// spent in the stage by those that have left it (all visits added up).
type StageFlow struct {
	Stage       string   `json:"stage"`
	Entered     int      `json:"entered"`
	EnteredLink string   `json:"entered_link"`
	Next        string   `json:"next,omitempty"`
	Reached     int      `json:"reached"`
	ReachedLink string   `json:"reached_link,omitempty"`
	Rate        float64  `json:"rate"`
	Paused      int      `json:"paused"`
	PausedLink  string   `json:"paused_link"`
	Dropped     int      `json:"dropped"`
	DroppedLink string   `json:"dropped_link"`
	Left        int      `json:"left"`
	LeftLink    string   `json:"left_link"`
	MedianDays  *float64 `json:"median_days"`
}

// FunnelGroup is the cohort funnel of one value of the breakdown field.
type FunnelGroup struct {
	Key   string       `json:"key"`
	Label string       `json:"label"`
	Steps []FunnelStep `json:"steps"`
	Exits []FunnelStep `json:"exits"`
}

// FunnelReport is the history-based funnel of a period.
type FunnelReport struct {
	Period  Period            `json:"period"`
	Unit    string            `json:"unit"`
	Start   string            `json:"start"`
	By      string            `json:"by"`
	Filters map[string]string `json:"filters"`
	// Steps: the cohort (entered Start in the period) and how many of it
	// then reached each later pipeline stage.
	Steps []FunnelStep `json:"steps"`
	// Exits: how many of the cohort were then paused or dropped (Rate: of
	// the cohort).
	Exits []FunnelStep `json:"exits"`
	// Stages: every stage's entries in the period, conversions and time in stage.
	Stages []StageFlow   `json:"stages"`
	Groups []FunnelGroup `json:"groups"`
}

// funnelCtx carries what every funnel query shares.
type funnelCtx struct {
	s       *Service
	scope   core.Scope
	q       FunnelQuery
	filters []search.Filter
}

func (f *funnelCtx) entered(stage string) search.Filter {
	from, to := f.q.Period.Range()
	return search.Filter{Field: projects.EnteredField(stage), From: from, To: to}
}

// link is the project list of the funnel's filters plus kv.
func (f *funnelCtx) link(kv ...string) string {
	all := []string{"from", f.q.Period.From, "to", f.q.Period.To}
	all = append(all, f.q.filterParams()...)
	all = append(all, "unit", f.q.Unit)
	return link("/projects", append(all, kv...)...)
}

func (f *funnelCtx) search(ctx context.Context, filters []search.Filter, facets ...string) (search.Result, error) {
	r, err := f.s.Engine.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: f.scope.Search(),
		Filters: append(slices.Clone(f.filters), filters...), Facets: facets, Limit: 1})
	if err != nil {
		return r, fmt.Errorf("dashboard: funnel: %w", err)
	}
	return r, nil
}

func keywordFilters(kv []string) []search.Filter {
	var fs []search.Filter
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			fs = append(fs, search.Filter{Field: kv[i], Values: []string{kv[i+1]}})
		}
	}
	return fs
}

// later are the pipeline stages after start.
func later(start string) []string { return pipeline[slices.Index(pipeline, start)+1:] }

// exitStages are the side exits counted after a stage.
var exitStages = []string{projects.StagePaused, projects.StageDropped}

// cohortSteps turns the cohort size and its then-facet (later stage →
// count) into funnel bars.
func (f *funnelCtx) cohortSteps(total int, then map[string]int, kv ...string) ([]FunnelStep, []FunnelStep) {
	start := f.q.Start
	steps := []FunnelStep{{Stage: start, Reached: total, Rate: rate(total, total), Link: f.link(append([]string{"entered", start}, kv...)...)}}
	prev := total
	for _, y := range later(start) {
		n := then[y]
		steps = append(steps, FunnelStep{Stage: y, Reached: n, Rate: rate(n, prev),
			Link: f.link(append([]string{"entered", start, "reached", y}, kv...)...)})
		prev = n
	}
	var exits []FunnelStep
	for _, y := range exitStages {
		n := then[y]
		exits = append(exits, FunnelStep{Stage: y, Reached: n, Rate: rate(n, total),
			Link: f.link(append([]string{"entered", start, "reached", y}, kv...)...)})
	}
	return steps, exits
}

// cohort is the cockpit's funnel: one query (the cohort's then-facet).
func (s *Service) cohort(ctx context.Context, scope core.Scope, p Period, unit string) ([]FunnelStep, error) {
	f := &funnelCtx{s: s, scope: scope, q: FunnelQuery{Period: p, Start: projects.StageSearch, Unit: unit}}
	then := projects.ThenField(f.q.Start)
	r, err := f.search(ctx, []search.Filter{f.entered(f.q.Start)}, then)
	if err != nil {
		return nil, err
	}
	steps, _ := f.cohortSteps(r.Total, r.Facets[then])
	return steps, nil
}

// Funnel computes the history-based funnel of q within scope: one engine
// query per stage (count, then-facet, time-in-stage facet) and, with By,
// one per cohort bar (a facet on the By field).
func (s *Service) Funnel(ctx context.Context, scope core.Scope, q FunnelQuery) (*FunnelReport, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	scope, err := s.scoped(scope, q.Unit)
	if err != nil {
		return nil, err
	}
	f := &funnelCtx{s: s, scope: scope, q: q, filters: keywordFilters(q.filterParams())}
	out := &FunnelReport{Period: q.Period, Unit: q.Unit, Start: q.Start, By: q.By, Filters: map[string]string{},
		Stages: make([]StageFlow, len(projects.Stages)), Groups: []FunnelGroup{}}
	fp := q.filterParams()
	for i := 0; i+1 < len(fp); i += 2 {
		if fp[i+1] != "" {
			out.Filters[fp[i]] = fp[i+1]
		}
	}
	var (
		mu       sync.Mutex
		startRes search.Result
		byThen   = map[string]map[string]int{} // later stage → group → count
	)
	var jobs []func() error
	for i, st := range projects.Stages {
		jobs = append(jobs, func() error {
			facets := []string{projects.ThenField(st), projects.DaysKeyField(st)}
			if st == q.Start && q.By != "" {
				facets = append(facets, q.By)
			}
			r, err := f.search(ctx, []search.Filter{f.entered(st)}, facets...)
			if err != nil {
				return err
			}
			out.Stages[i] = f.stageFlow(st, r)
			if st == q.Start {
				mu.Lock()
				startRes = r
				mu.Unlock()
			}
			return nil
		})
	}
	if q.By != "" {
		for _, y := range append(later(q.Start), exitStages...) {
			jobs = append(jobs, func() error {
				r, err := f.search(ctx, []search.Filter{f.entered(q.Start),
					{Field: projects.ThenField(q.Start), Values: []string{y}}}, q.By)
				if err != nil {
					return err
				}
				mu.Lock()
				byThen[y] = r.Facets[q.By]
				mu.Unlock()
				return nil
			})
		}
	}
	if err := parallel(jobs...); err != nil {
		return nil, err
	}
	out.Steps, out.Exits = f.cohortSteps(startRes.Total, startRes.Facets[projects.ThenField(q.Start)])
	if q.By != "" {
		keys := make([]string, 0, len(startRes.Facets[q.By]))
		for k := range startRes.Facets[q.By] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			then := map[string]int{}
			for y, groups := range byThen {
				then[y] = groups[k]
			}
			g := FunnelGroup{Key: k, Label: k}
			g.Steps, g.Exits = f.cohortSteps(startRes.Facets[q.By][k], then, q.By, k)
			out.Groups = append(out.Groups, g)
		}
		// Largest cohort first; ties by key.
		sort.SliceStable(out.Groups, func(a, b int) bool { return out.Groups[a].Steps[0].Reached > out.Groups[b].Steps[0].Reached })
	}
	return out, nil
}

// stageFlow reads one stage's query: entered in the period, later stages and the
// time-in-stage distribution.
func (f *funnelCtx) stageFlow(st string, r search.Result) StageFlow {
	then := r.Facets[projects.ThenField(st)]
	sf := StageFlow{Stage: st, Entered: r.Total, EnteredLink: f.link("entered", st)}
	if i := slices.Index(pipeline, st); i >= 0 && i+1 < len(pipeline) {
		sf.Next = pipeline[i+1]
		sf.Reached = then[sf.Next]
		sf.ReachedLink = f.link("entered", st, "reached", sf.Next)
		sf.Rate = rate(sf.Reached, sf.Entered)
	}
	if st != projects.StagePaused {
		sf.Paused = then[projects.StagePaused]
		sf.PausedLink = f.link("entered", st, "reached", projects.StagePaused)
	}
	if st != projects.StageDropped {
		sf.Dropped = then[projects.StageDropped]
		sf.DroppedLink = f.link("entered", st, "reached", projects.StageDropped)
	}
	sf.Left, sf.MedianDays = median(r.Facets[projects.DaysKeyField(st)])
	sf.LeftLink = f.link("entered", st, "left", "1")
	return sf
}

// median reads a distribution of zero-padded day counts (a term facet) and
// returns how many values it holds and their exact median (nil when none).
func median(dist map[string]int) (int, *float64) {
	type bucket struct{ days, n int }
	var bs []bucket
	n := 0
	for k, c := range dist {
		d, err := strconv.Atoi(k)
		if err != nil || c <= 0 {
			continue
		}
		bs = append(bs, bucket{d, c})
		n += c
	}
	if n == 0 {
		return 0, nil
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].days < bs[j].days })
	at := func(i int) int { // the i-th smallest value (0-based)
		for _, b := range bs {
			if i < b.n {
				return b.days
			}
			i -= b.n
		}
		return bs[len(bs)-1].days
	}
	m := float64(at((n-1)/2)+at(n/2)) / 2
	return n, &m
}

// parallel runs fns at most four at a time and returns the first error.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
