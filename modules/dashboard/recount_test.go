package dashboard_test

// A full recount of the dashboard's figures in Go, from the stored records,
// written apart from the engine path: the tests compare every widget with it.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/dashboard"
	"zhaoshang/modules/events"
	"zhaoshang/modules/projects"
)

var cstz = core.Zone()

var pipelineStages = projects.Stages[:6]

// world is every stored project and event.
type world struct {
	projects []*projects.Project
	events   []*events.Event
}

func loadWorld(t *testing.T, a *testapp.App) world {
	t.Helper()
	var w world
	ctx := context.Background()
	if err := a.P.Projects.Each(ctx, func(p *projects.Project) error { w.projects = append(w.projects, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Records.Events.Each(ctx, func(e *events.Event) error { w.events = append(w.events, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return w
}

// view is what one caller sees: units nil = everything.
type view struct {
	units []string
}

func (v view) sees(unit string) bool { return v.units == nil || slices.Contains(v.units, unit) }

// span is [from, to) in China days.
type span struct{ from, to time.Time }

func spanOf(from, to string) span {
	f, _ := time.ParseInLocation("2006-01-02", from, cstz)
	l, _ := time.ParseInLocation("2006-01-02", to, cstz)
	return span{f, l.AddDate(0, 0, 1)}
}

func (s span) has(t time.Time) bool { return !t.IsZero() && !t.Before(s.from) && t.Before(s.to) }

// story is a project's stage history as the recount reads it.
type story struct {
	first   map[string]int // index of the first entry into a stage
	entries []projects.StageChange
	spent   map[string]time.Duration
	current string
}

func storyOf(p *projects.Project) story {
	h := p.History
	if len(h) == 0 {
		h = []projects.StageChange{{To: p.Stage, At: p.StageSince}}
	}
	s := story{first: map[string]int{}, entries: h, spent: map[string]time.Duration{}, current: p.Stage}
	for i, e := range h {
		if _, ok := s.first[e.To]; !ok {
			s.first[e.To] = i
		}
		if i+1 < len(h) && h[i+1].At.After(e.At) {
			s.spent[e.To] += h[i+1].At.Sub(e.At)
		}
	}
	return s
}

func (s story) enteredIn(stage string, sp span) bool {
	i, ok := s.first[stage]
	return ok && sp.has(s.entries[i].At)
}

// then: after first entering a, the project entered b.
func (s story) then(a, b string) bool {
	i, ok := s.first[a]
	if !ok {
		return false
	}
	for _, e := range s.entries[i+1:] {
		if e.To == b {
			return true
		}
	}
	return false
}

// days spent in a stage left; ok false while the project is still there.
func (s story) days(stage string) (int, bool) {
	if _, ok := s.first[stage]; !ok || s.current == stage {
		return 0, false
	}
	return int(s.spent[stage].Hours()) / 24, true
}

type flowWant struct {
	Entered, Reached, Paused, Dropped, Left int
	Median                                  *float64
}

type funnelWant struct {
	steps  []int // start and each later pipeline stage
	exits  []int // paused, dropped
	stages map[string]flowWant
	groups map[string][]int // group key → steps then exits
}

func byValue(p *projects.Project, by string) string {
	switch by {
	case "type":
		return p.Type
	case "industry":
		return p.Industry
	case "zone":
		return p.Zone
	case "unit":
		return p.Unit
	case "officer":
		return p.Officer
	case "source_event":
		return p.SourceEvent
	}
	return ""
}

func (w world) funnel(v view, sp span, start, by string) funnelWant {
	later := pipelineStages[slices.Index(pipelineStages, start)+1:]
	out := funnelWant{steps: make([]int, 1+len(later)), exits: make([]int, 2), stages: map[string]flowWant{}, groups: map[string][]int{}}
	dist := map[string][]int{}
	for _, p := range w.projects {
		if !v.sees(p.Unit) {
			continue
		}
		s := storyOf(p)
		if s.enteredIn(start, sp) {
			row := make([]int, 1+len(later)+2)
			row[0] = 1
			for i, y := range later {
				if s.then(start, y) {
					row[1+i] = 1
				}
			}
			for i, y := range []string{"paused", "dropped"} {
				if s.then(start, y) {
					row[1+len(later)+i] = 1
				}
			}
			for i := range out.steps {
				out.steps[i] += row[i]
			}
			out.exits[0] += row[len(row)-2]
			out.exits[1] += row[len(row)-1]
			if by != "" {
				if k := byValue(p, by); k != "" {
					g := out.groups[k]
					if g == nil {
						g = make([]int, len(row))
					}
					for i := range row {
						g[i] += row[i]
					}
					out.groups[k] = g
				}
			}
		}
		for _, st := range projects.Stages {
			if !s.enteredIn(st, sp) {
				continue
			}
			f := out.stages[st]
			f.Entered++
			if i := slices.Index(pipelineStages, st); i >= 0 && i+1 < len(pipelineStages) && s.then(st, pipelineStages[i+1]) {
				f.Reached++
			}
			if st != "paused" && s.then(st, "paused") {
				f.Paused++
			}
			if st != "dropped" && s.then(st, "dropped") {
				f.Dropped++
			}
			if d, ok := s.days(st); ok {
				f.Left++
				dist[st] = append(dist[st], d)
			}
			out.stages[st] = f
		}
	}
	for st, ds := range dist {
		sort.Ints(ds)
		m := float64(ds[(len(ds)-1)/2]+ds[len(ds)/2]) / 2
		f := out.stages[st]
		f.Median = &m
		out.stages[st] = f
	}
	return out
}

// checkFunnel compares the API's funnel with the recount.
func checkFunnel(t *testing.T, got dashboard.FunnelReport, want funnelWant) {
	t.Helper()
	if len(got.Steps) != len(want.steps) || len(got.Exits) != 2 {
		t.Fatalf("funnel shape: %d steps %d exits, want %d", len(got.Steps), len(got.Exits), len(want.steps))
	}
	for i, s := range got.Steps {
		if s.Reached != want.steps[i] {
			t.Errorf("funnel step %s = %d, want %d", s.Stage, s.Reached, want.steps[i])
		}
		if i > 0 {
			if r := rateOf(want.steps[i], want.steps[i-1]); s.Rate != r {
				t.Errorf("funnel step %s rate = %v, want %v", s.Stage, s.Rate, r)
			}
		}
	}
	for i, s := range got.Exits {
		if s.Reached != want.exits[i] {
			t.Errorf("funnel exit %s = %d, want %d", s.Stage, s.Reached, want.exits[i])
		}
	}
	if len(got.Stages) != len(projects.Stages) {
		t.Fatalf("stages: %d", len(got.Stages))
	}
	for _, s := range got.Stages {
		w := want.stages[s.Stage]
		g := flowWant{Entered: s.Entered, Reached: s.Reached, Paused: s.Paused, Dropped: s.Dropped, Left: s.Left, Median: s.MedianDays}
		if fmt.Sprint(g.Entered, g.Reached, g.Paused, g.Dropped, g.Left, ptr(g.Median)) != fmt.Sprint(w.Entered, w.Reached, w.Paused, w.Dropped, w.Left, ptr(w.Median)) {
			t.Errorf("stage %s: entered/reached/paused/dropped/left/median = %v %v %v %v %v %s, want %v %v %v %v %v %s", s.Stage,
				g.Entered, g.Reached, g.Paused, g.Dropped, g.Left, ptr(g.Median), w.Entered, w.Reached, w.Paused, w.Dropped, w.Left, ptr(w.Median))
		}
		if s.Next != "" && s.Rate != rateOf(s.Reached, s.Entered) {
			t.Errorf("stage %s rate %v", s.Stage, s.Rate)
		}
	}
	if got.By != "" {
		if len(got.Groups) != len(want.groups) {
			t.Errorf("groups: %d, want %d (%v)", len(got.Groups), len(want.groups), want.groups)
		}
		for _, g := range got.Groups {
			var row []int
			for _, s := range append(slices.Clone(g.Steps), g.Exits...) {
				row = append(row, s.Reached)
			}
			if fmt.Sprint(row) != fmt.Sprint(want.groups[g.Key]) {
				t.Errorf("group %s: %v, want %v", g.Key, row, want.groups[g.Key])
			}
		}
	}
}

func ptr(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmt.Sprint(*f)
}

func rateOf(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

type monthWant struct {
	Projects, Signed, Funded, Events int
	Capital                          float64
}

func (w world) trends(v view, sp span) (map[string]monthWant, monthWant) {
	out := map[string]monthWant{}
	var tot monthWant
	month := func(t time.Time) string { return t.In(cstz).Format("2006-01") }
	for _, p := range w.projects {
		if !v.sees(p.Unit) {
			continue
		}
		if sp.has(p.CreatedAt) {
			m := out[month(p.CreatedAt)]
			m.Projects++
			out[month(p.CreatedAt)] = m
			tot.Projects++
		}
		if sp.has(p.Milestones.Signed.Time()) {
			m := out[month(p.Milestones.Signed.Time())]
			m.Signed++
			out[month(p.Milestones.Signed.Time())] = m
			tot.Signed++
		}
		if sp.has(p.Milestones.Funded.Time()) {
			m := out[month(p.Milestones.Funded.Time())]
			m.Funded++
			m.Capital += p.CapitalArrived
			out[month(p.Milestones.Funded.Time())] = m
			tot.Funded++
			tot.Capital += p.CapitalArrived
		}
	}
	for _, e := range w.events {
		if v.sees(e.Unit) && e.Status == events.StatusHeld && sp.has(e.Date.Time()) {
			m := out[month(e.Date.Time())]
			m.Events++
			out[month(e.Date.Time())] = m
			tot.Events++
		}
	}
	return out, tot
}

func checkTrends(t *testing.T, got dashboard.Trends, want map[string]monthWant, tot monthWant) {
	t.Helper()
	seen := 0
	for _, m := range append(slices.Clone(got.Months), got.Total) {
		w, ok := want[m.Month], true
		if m.Month == got.Total.Month {
			w = tot
		} else if _, ok = want[m.Month]; ok {
			seen++
		}
		g := monthWant{m.Projects, m.Signed, m.Funded, m.Events, m.Capital}
		if g.Projects != w.Projects || g.Signed != w.Signed || g.Funded != w.Funded || g.Events != w.Events || math.Abs(g.Capital-w.Capital) > 0.005 {
			t.Errorf("trend %s: %+v, want %+v", m.Month, g, w)
		}
	}
	if seen != len(want) {
		t.Errorf("trends cover %d of the %d months with figures", seen, len(want))
	}
}

// kpisWant counts the project indicators of a period.
func (w world) kpis(v view, sp span, unit string) map[string]int {
	out := map[string]int{"projects": 0, "talents": 0, "institutes": 0}
	for _, p := range w.projects {
		if !v.sees(p.Unit) || (unit != "" && p.Unit != unit) || !sp.has(p.CreatedAt) {
			continue
		}
		out["projects"]++
		switch p.Type {
		case projects.TypeTalent:
			out["talents"]++
		case projects.TypePlatform:
			out["institutes"]++
		}
	}
	return out
}

// listTotal is the total of the list behind a page link (/projects?…,
// /events?…) through its API.
func listTotal(t *testing.T, c *testapp.Client, link string) int {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, "/") {
		t.Fatalf("bad link %q", link)
	}
	st, out := c.Do("GET", "/api/v1"+u.Path+"?"+u.RawQuery+"&per_page=1", nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", link, st, out)
	}
	var r struct{ Total int }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r.Total
}

// checkLinks asserts that every figure's list holds exactly that many records.
func checkLinks(t *testing.T, c *testapp.Client, fr *dashboard.FunnelReport, tr *dashboard.Trends, cp *dashboard.Cockpit) {
	t.Helper()
	check := func(what string, n int, link string) {
		t.Helper()
		if link == "" {
			return
		}
		if lt := listTotal(t, c, link); lt != n {
			t.Errorf("%s = %d but its list %s has %d", what, n, link, lt)
		}
	}
	if fr != nil {
		for _, s := range append(slices.Clone(fr.Steps), fr.Exits...) {
			check("funnel "+s.Stage, s.Reached, s.Link)
		}
		for _, s := range fr.Stages {
			check("entered "+s.Stage, s.Entered, s.EnteredLink)
			check("reached after "+s.Stage, s.Reached, s.ReachedLink)
			check("paused after "+s.Stage, s.Paused, s.PausedLink)
			check("dropped after "+s.Stage, s.Dropped, s.DroppedLink)
			check("left "+s.Stage, s.Left, s.LeftLink)
		}
		for _, g := range fr.Groups {
			for _, s := range append(slices.Clone(g.Steps), g.Exits...) {
				check("group "+g.Key+" "+s.Stage, s.Reached, s.Link)
			}
		}
	}
	if tr != nil {
		for _, m := range append(slices.Clone(tr.Months), tr.Total) {
			check("projects "+m.Month, m.Projects, m.ProjectsLink)
			check("signed "+m.Month, m.Signed, m.SignedLink)
			check("funded "+m.Month, m.Funded, m.CapitalLink)
			check("events "+m.Month, m.Events, m.EventsLink)
		}
	}
	if cp != nil {
		for _, s := range cp.Funnel {
			check("cockpit funnel "+s.Stage, s.Reached, s.Link)
		}
		for _, s := range cp.Stages {
			check("stage "+s.Stage, s.Count, s.Link)
		}
		kpis := slices.Clone(cp.KPIs)
		for _, u := range cp.Units {
			kpis = append(kpis, u.KPIs...)
		}
		for _, k := range kpis {
			if strings.HasPrefix(k.Link, "/projects") || strings.HasPrefix(k.Link, "/events") {
				check("kpi "+k.Key, k.Actual, k.Link)
			}
		}
	}
}
