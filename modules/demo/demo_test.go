package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
	"zhaoshang/search"
	"zhaoshang/search/bleve"
)

// generated is the scale-1 data set shared by the read-only tests.
var generated = func() *Dataset {
	ds, err := Generate(1)
	if err != nil {
		panic(err)
	}
	return ds
}()

// hash digests every record as stored (BSON, which keeps the histories that
// JSON hides); targets and users as JSON, whose map order is fixed.
func hash(t *testing.T, ds *Dataset) string {
	t.Helper()
	h := sha256.New()
	add := func(v any, asJSON bool) {
		var b []byte
		var err error
		if asJSON {
			b, err = json.Marshal(v)
		} else {
			b, err = bson.Marshal(v)
		}
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	add(ds.Users, true)
	add(ds.Targets, true)
	addBSON(add, ds.Units)
	addBSON(add, ds.Events)
	addBSON(add, ds.Talents)
	addBSON(add, ds.Enterprises)
	addBSON(add, ds.Institutes)
	addBSON(add, ds.Results)
	addBSON(add, ds.Policies)
	addBSON(add, ds.Projects)
	return hex.EncodeToString(h.Sum(nil))
}

// addBSON adds each record of rs, in order, as stored.
func addBSON[T any](add func(v any, asJSON bool), rs []T) {
	for _, r := range rs {
		add(r, false)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	again, err := Generate(1)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := hash(t, generated), hash(t, again); a != b {
		t.Fatalf("two runs differ: %s vs %s", a, b)
	}
}

func TestGenerateScale(t *testing.T) {
	for _, s := range []int{0, -1, MaxScale + 1} {
		if _, err := Generate(s); err == nil {
			t.Errorf("Generate(%d) accepted", s)
		}
		if _, err := Seed(context.Background(), Deps{}, s, nil); err == nil {
			t.Errorf("Seed(%d) accepted", s)
		}
	}
	if testing.Short() {
		return
	}
	ds, err := Generate(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Projects) != 2*len(generated.Projects) || len(ds.Enterprises) != 2*len(generated.Enterprises) {
		t.Errorf("scale 2: %d projects, %d enterprises", len(ds.Projects), len(ds.Enterprises))
	}
	checkUnique(t, "scale 2 project", func(yield func(string) bool) {
		for _, p := range ds.Projects {
			if !yield(p.ID) {
				return
			}
		}
	})
}

func TestCounts(t *testing.T) {
	ds := generated
	held2325 := 0
	for _, e := range ds.Events {
		if y := e.Date.Year(); y >= 2023 && y <= 2025 {
			held2325++
		}
	}
	for _, c := range []struct {
		kind     string
		got, min int
	}{
		{"projects", len(ds.Projects), 3200}, {"events 2023–2025", held2325, 520}, {"talents", len(ds.Talents), 1800},
		{"enterprises", len(ds.Enterprises), 1200}, {"institutes", len(ds.Institutes), 60}, {"results", len(ds.Results), 650},
		{"policies", len(ds.Policies), 40}, {"targets", len(ds.Targets), 3 * (1 + len(matrix.DefaultUnits()))},
	} {
		if c.got < c.min {
			t.Errorf("%s: %d, want at least %d", c.kind, c.got, c.min)
		}
	}
}

func checkUnique(t *testing.T, what string, seq func(func(string) bool)) {
	t.Helper()
	seen := map[string]bool{}
	for s := range seq {
		if s == "" {
			t.Errorf("empty %s", what)
		}
		if seen[s] {
			t.Errorf("duplicate %s %q", what, s)
		}
		seen[s] = true
	}
}

func ids[P interface{ GetMeta() *core.Meta }](recs []P) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, r := range recs {
			if !yield(r.GetMeta().ID) {
				return
			}
		}
	}
}

func TestIDs(t *testing.T) {
	ds := generated
	checkUnique(t, "project id", ids(ds.Projects))
	checkUnique(t, "event id", ids(ds.Events))
	checkUnique(t, "talent id", ids(ds.Talents))
	checkUnique(t, "enterprise id", ids(ds.Enterprises))
	checkUnique(t, "institute id", ids(ds.Institutes))
	checkUnique(t, "result id", ids(ds.Results))
	checkUnique(t, "policy id", ids(ds.Policies))
	for _, want := range []struct{ got, id string }{
		{ds.Projects[0].ID, "p-000001"}, {ds.Events[0].ID, "ev-0001"}, {ds.Talents[0].ID, "t-00001"},
		{ds.Enterprises[0].ID, "e-00001"}, {ds.Institutes[0].ID, "in-0001"}, {ds.Results[0].ID, "r-0001"},
		{ds.Policies[0].ID, "po-0001"},
	} {
		if want.got != want.id {
			t.Errorf("first id %q, want %q", want.got, want.id)
		}
	}
	checkUnique(t, "enterprise name", func(yield func(string) bool) {
		for _, e := range ds.Enterprises {
			if !yield(e.Name) {
				return
			}
		}
	})
	checkUnique(t, "project name", func(yield func(string) bool) {
		for _, p := range ds.Projects {
			if !yield(p.Name) {
				return
			}
		}
	})
	checkUnique(t, "policy title", func(yield func(string) bool) {
		for _, p := range ds.Policies {
			if !yield(p.Title) {
				return
			}
		}
	})
}

func TestCoverage(t *testing.T) {
	ds := generated
	cat := matrix.DefaultCatalog()
	count := func(field func(*projects.Project) string) map[string]int {
		m := map[string]int{}
		for _, p := range ds.Projects {
			m[field(p)]++
		}
		return m
	}
	need := func(what string, have map[string]int, want []string) {
		t.Helper()
		for _, w := range want {
			if have[w] == 0 {
				t.Errorf("no %s %q", what, w)
			}
		}
	}
	need("project stage", count(func(p *projects.Project) string { return p.Stage }), projects.Stages)
	need("project type", count(func(p *projects.Project) string { return p.Type }), projects.Types)
	var inds, unitIDs []string
	for _, in := range cat.Industries {
		inds = append(inds, in.Name)
	}
	for _, u := range matrix.DefaultUnits() {
		unitIDs = append(unitIDs, u.ID)
	}
	need("project industry", count(func(p *projects.Project) string { return p.Industry }), inds)
	need("project zone", count(func(p *projects.Project) string { return p.Zone }), cat.Zones)
	need("project unit", count(func(p *projects.Project) string { return p.Unit }), unitIDs)

	other := func(what string, n int, field func(int) string, want []string) {
		t.Helper()
		m := map[string]int{}
		for i := range n {
			m[field(i)]++
		}
		need(what, m, want)
	}
	other("talent level", len(ds.Talents), func(i int) string { return ds.Talents[i].Level }, cat.TalentLevels)
	other("event type", len(ds.Events), func(i int) string { return ds.Events[i].Type }, cat.EventTypes)
	other("event status", len(ds.Events), func(i int) string { return ds.Events[i].Status }, events.Statuses)
	other("institute kind", len(ds.Institutes), func(i int) string { return ds.Institutes[i].Kind }, resources.InstituteKinds)
	other("transfer mode", len(ds.Results), func(i int) string { return ds.Results[i].TransferMode }, resources.TransferModes)
	other("result status", len(ds.Results), func(i int) string { return ds.Results[i].Status }, resources.ResultStatuses)
	other("policy level", len(ds.Policies), func(i int) string { return ds.Policies[i].Level }, policies.Levels)
	other("policy status", len(ds.Policies), func(i int) string { return ds.Policies[i].Status }, policies.Statuses)
	other("user role", len(ds.Users), func(i int) string { return ds.Users[i].Role },
		[]string{users.RoleManager, users.RoleOfficer, users.RoleField})
}

// The funnel is exact: each stage's and type's share is its weight.
func TestFunnel(t *testing.T) {
	n := float64(len(generated.Projects))
	stages, types := map[string]float64{}, map[string]float64{}
	for _, p := range generated.Projects {
		stages[p.Stage]++
		types[p.Type]++
	}
	for i, s := range projects.Stages {
		if got := 100 * stages[s] / n; math.Abs(got-stageWeights[i]) > 0.1 {
			t.Errorf("stage %s: %.1f%%, want %.0f%%", s, got, stageWeights[i])
		}
	}
	for i, s := range projects.Types {
		if got := 100 * types[s] / n; math.Abs(got-typeWeights[i]) > 0.1 {
			t.Errorf("type %s: %.1f%%, want %.0f%%", s, got, typeWeights[i])
		}
	}
}

func TestCreditCodes(t *testing.T) {
	pool := map[string]string{}
	for _, e := range generated.Enterprises {
		if !resources.ValidCreditCode(e.CreditCode) {
			t.Errorf("%s: invalid credit code %q", e.ID, e.CreditCode)
		}
		if other, dup := pool[e.CreditCode]; dup {
			t.Errorf("%s and %s share credit code %s", e.ID, other, e.CreditCode)
		}
		pool[e.CreditCode] = e.ID
	}
	registered := map[string]string{}
	for _, p := range generated.Projects {
		if p.CreditCode == "" {
			continue
		}
		if !resources.ValidCreditCode(p.CreditCode) {
			t.Errorf("%s: invalid credit code %q", p.ID, p.CreditCode)
		}
		if p.EnterpriseID != "" {
			if pool[p.CreditCode] != p.EnterpriseID {
				t.Errorf("%s: credit code %s is not enterprise %s's", p.ID, p.CreditCode, p.EnterpriseID)
			}
			continue
		}
		// a company registered by the project: a code of its own
		if id, ok := pool[p.CreditCode]; ok {
			t.Errorf("%s: new company reuses %s's credit code", p.ID, id)
		}
		if id, ok := registered[p.CreditCode]; ok {
			t.Errorf("%s and %s registered the same credit code", p.ID, id)
		}
		registered[p.CreditCode] = p.ID
	}
}

var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func TestHistories(t *testing.T) {
	end := Today.Add(24 * time.Hour)
	start := epoch.Add(-time.Hour)
	var passedDecision, backwards, resumed int
	for _, p := range generated.Projects {
		h := p.History
		if len(h) == 0 {
			t.Fatalf("%s: no history", p.ID)
		}
		if h[0].From != "" || h[0].To != projects.StageSearch {
			t.Errorf("%s: history starts %q→%q", p.ID, h[0].From, h[0].To)
		}
		for k, c := range h {
			if c.At.Before(start) || !c.At.Before(end) {
				t.Errorf("%s: change %d at %s outside 2023–2025", p.ID, k, c.At)
			}
			if c.By == "" || c.Note == "" {
				t.Errorf("%s: change %d without by or note", p.ID, k)
			}
			if k == 0 {
				continue
			}
			if c.From != h[k-1].To {
				t.Errorf("%s: change %d from %q, previous to %q", p.ID, k, c.From, h[k-1].To)
			}
			if !c.At.After(h[k-1].At) {
				t.Errorf("%s: change %d at %s not after %s", p.ID, k, c.At, h[k-1].At)
			}
			if i, j := slices.Index(mainline, c.From), slices.Index(mainline, c.To); i >= 0 && j >= 0 && j < i {
				backwards++
			}
			if c.From == projects.StagePaused {
				resumed++
			}
		}
		last := h[len(h)-1]
		if last.To != p.Stage || !p.StageSince.Equal(last.At) {
			t.Errorf("%s: stage %s since %s, last change to %s at %s", p.ID, p.Stage, p.StageSince, last.To, last.At)
		}
		if !p.CreatedAt.Equal(h[0].At) || p.UpdatedAt.Before(p.StageSince) {
			t.Errorf("%s: created %s updated %s vs history", p.ID, p.CreatedAt, p.UpdatedAt)
		}
		exit := p.Stage == projects.StagePaused || p.Stage == projects.StageDropped
		if exit != (p.Reason != "") {
			t.Errorf("%s: stage %s with reason %q", p.ID, p.Stage, p.Reason)
		}

		inProcess := slices.ContainsFunc(h, func(c projects.StageChange) bool { return c.To == projects.StageProcess })
		m := p.Milestones
		if !inProcess && m != (projects.Milestones{}) {
			t.Errorf("%s: milestones without 过程管理", p.ID)
		}
		if p.Stage == projects.StageAftercare && (m.Signed.IsZero() || m.Registered.IsZero()) {
			t.Errorf("%s: in aftercare without 签约/注册", p.ID)
		}
		seq := []core.Date{m.Signed, m.Registered, m.Started, m.Producing}
		for k := 1; k < len(seq); k++ {
			if !seq[k].IsZero() && (seq[k-1].IsZero() || seq[k].Before(seq[k-1])) {
				t.Errorf("%s: milestones out of order: %v", p.ID, seq)
			}
		}
		if !m.Funded.IsZero() && (m.Registered.IsZero() || m.Funded.Before(m.Registered)) {
			t.Errorf("%s: funded %s before registered %s", p.ID, m.Funded, m.Registered)
		}
		for _, ms := range append(seq, m.Funded) {
			if !ms.IsZero() && ms.After(core.DateOf(Today)) {
				t.Errorf("%s: milestone %s after 2025", p.ID, ms)
			}
		}

		approvedAt := slices.IndexFunc(h, func(c projects.StageChange) bool {
			return c.From == projects.StageDecision && c.To == projects.StageProcess
		})
		if approvedAt >= 0 {
			passedDecision++
			if p.Approval == nil || !p.Approval.Approved || p.Score < 60 {
				t.Errorf("%s: past 评估决策 without approval or score", p.ID)
			}
		} else if p.Approval != nil && p.Approval.Approved {
			t.Errorf("%s: approved without passing 评估决策", p.ID)
		}
		if p.Approval != nil && !p.Approval.Approved && (p.Stage != projects.StageDropped || p.Approval.Veto == "") {
			t.Errorf("%s: veto %+v on a %s project", p.ID, p.Approval, p.Stage)
		}
	}
	if backwards == 0 || resumed == 0 || passedDecision == 0 {
		t.Errorf("variety: %d backward moves, %d resumed, %d past decision", backwards, resumed, passedDecision)
	}
}

func TestAmounts(t *testing.T) {
	ranges := map[string][2]float64{projects.TypeTalent: {200, 5000}, projects.TypeIndustry: {5000, 500000}, projects.TypePlatform: {1000, 50000}}
	for _, p := range generated.Projects {
		r := ranges[p.Type]
		if p.Investment < r[0] || p.Investment > r[1] {
			t.Errorf("%s (%s): investment %.0f outside %v", p.ID, p.Type, p.Investment, r)
		}
		if p.CapitalArrived < 0 || p.RegisteredCapital < 0 || p.CapitalArrived > p.Investment || p.RegisteredCapital > p.Investment {
			t.Errorf("%s: investment %.0f, registered %.0f, arrived %.0f", p.ID, p.Investment, p.RegisteredCapital, p.CapitalArrived)
		}
		if (p.CapitalArrived > 0) != !p.Milestones.Funded.IsZero() {
			t.Errorf("%s: arrived %.0f, funded %s", p.ID, p.CapitalArrived, p.Milestones.Funded)
		}
	}
	for _, e := range generated.Enterprises {
		if e.RegisteredCapital <= 0 {
			t.Errorf("%s: registered capital %.0f", e.ID, e.RegisteredCapital)
		}
	}
	for _, r := range generated.Results {
		if r.AskingPrice <= 0 || r.DealAmount < 0 || (r.Status == resources.ResultTransferred) != !r.DealDate.IsZero() {
			t.Errorf("%s: asking %.0f, deal %.0f on %s, status %s", r.ID, r.AskingPrice, r.DealAmount, r.DealDate, r.Status)
		}
	}
}

func TestFollowUps(t *testing.T) {
	stale, overdue, active := 0, 0, 0
	for _, p := range generated.Projects {
		if p.Stage == projects.StageDropped {
			if p.NextAction != "" {
				t.Errorf("%s: dropped with next action", p.ID)
			}
			continue
		}
		active++
		if p.NextAction == "" || p.NextDue.IsZero() || p.LastFollowUp.IsZero() {
			t.Errorf("%s: no next action or follow-up", p.ID)
			continue
		}
		if p.LastFollowUp.Before(p.StageSince) || !p.NextDue.After(core.DateOf(p.LastFollowUp)) {
			t.Errorf("%s: since %s, follow-up %s, due %s", p.ID, p.StageSince, p.LastFollowUp, p.NextDue)
		}
		if Today.Sub(p.LastFollowUp) > 30*24*time.Hour {
			stale++
		}
		if p.NextDue.Before(core.DateOf(Today)) {
			overdue++
		}
	}
	for what, n := range map[string]int{"stale": stale, "overdue": overdue} {
		if share := float64(n) / float64(active); share < 0.08 || share > 0.45 {
			t.Errorf("%s: %d of %d active projects", what, n, active)
		}
	}
}

func TestLinks(t *testing.T) {
	ds := generated
	byID := func(seq func(func(string) bool)) map[string]bool {
		m := map[string]bool{}
		for s := range seq {
			m[s] = true
		}
		return m
	}
	evs, tal, ent, inst := byID(ids(ds.Events)), byID(ids(ds.Talents)), byID(ids(ds.Enterprises)), byID(ids(ds.Institutes))
	eventAt := map[string]*events.Event{}
	for _, e := range ds.Events {
		eventAt[e.ID] = e
	}
	userUnits := map[string][]string{}
	usernameRE := regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)
	for _, u := range ds.Users {
		if !usernameRE.MatchString(u.Username) || u.Name == "" || len(u.Units) != 1 {
			t.Errorf("bad user %+v", u)
		}
		userUnits[u.Username] = u.Units
	}
	checkUnique(t, "username", func(yield func(string) bool) {
		for _, u := range ds.Users {
			if !yield(u.Username) {
				return
			}
		}
	})
	sourced := 0
	for _, p := range ds.Projects {
		if p.SourceEvent != "" {
			sourced++
			e := eventAt[p.SourceEvent]
			if e == nil || e.Status != events.StatusHeld || e.Date.After(core.DateOf(p.CreatedAt)) {
				t.Errorf("%s: source event %s not held before %s", p.ID, p.SourceEvent, p.CreatedAt)
			}
		}
		if (p.TalentID != "" && !tal[p.TalentID]) || (p.EnterpriseID != "" && !ent[p.EnterpriseID]) || (p.InstituteID != "" && !inst[p.InstituteID]) {
			t.Errorf("%s: dangling link %q %q %q", p.ID, p.TalentID, p.EnterpriseID, p.InstituteID)
		}
		if !slices.Contains(userUnits[p.Officer], p.Unit) {
			t.Errorf("%s: officer %s is not in unit %s", p.ID, p.Officer, p.Unit)
		}
		for _, c := range p.Contacts {
			if c.Name == "" || !phoneRE.MatchString(c.Phone) {
				t.Errorf("%s: contact %+v", p.ID, c)
			}
		}
		if p.Type == projects.TypeIndustry && p.EnterpriseID == "" {
			t.Errorf("%s: industry project without enterprise", p.ID)
		}
	}
	if sourced == 0 {
		t.Error("no project links a source event")
	}
	for _, e := range ds.Events {
		for _, r := range e.Participants.Enterprises {
			if !ent[r.ID] {
				t.Errorf("%s: unknown enterprise %s", e.ID, r.ID)
			}
		}
		for _, r := range e.Participants.Talents {
			if !tal[r.ID] {
				t.Errorf("%s: unknown talent %s", e.ID, r.ID)
			}
		}
		if e.Participants.EnterpriseCount < len(e.Participants.Enterprises) || e.Participants.TalentCount < len(e.Participants.Talents) {
			t.Errorf("%s: counts below the linked participants", e.ID)
		}
		if planned := e.Date.After(core.DateOf(Today)); planned != (e.Status == events.StatusPlanned) {
			t.Errorf("%s: %s on %s", e.ID, e.Status, e.Date)
		}
		if core.DateOf(e.CreatedAt).After(e.Date) || e.UpdatedAt.Before(e.CreatedAt) || e.CreatedAt.After(Today.Add(24*time.Hour)) {
			t.Errorf("%s: created %s updated %s date %s", e.ID, e.CreatedAt, e.UpdatedAt, e.Date)
		}
	}
	for _, tl := range ds.Talents {
		if !phoneRE.MatchString(tl.Phone) {
			t.Errorf("%s: phone %q", tl.ID, tl.Phone)
		}
	}
	_ = evs
}

func TestTargets(t *testing.T) {
	city := map[int]*matrix.Target{}
	sums := map[int]map[string]float64{}
	for _, tg := range generated.Targets {
		if tg.Unit == "" {
			city[tg.Year] = tg
			continue
		}
		if sums[tg.Year] == nil {
			sums[tg.Year] = map[string]float64{}
		}
		for k, v := range tg.Values {
			sums[tg.Year][k] += v
		}
	}
	total := map[string]float64{}
	for _, y := range []int{2023, 2024, 2025} {
		c := city[y]
		if c == nil || c.ID != matrix.TargetID(y, "") {
			t.Fatalf("no city target for %d", y)
		}
		for _, k := range matrix.KPIs {
			total[k.Key] += c.Values[k.Key]
			if math.Abs(sums[y][k.Key]-c.Values[k.Key]) > 0.05 {
				t.Errorf("%d %s: units add up to %.1f, city %.1f", y, k.Key, sums[y][k.Key], c.Values[k.Key])
			}
		}
	}
	for k, v := range matrix.PlanTargets {
		if math.Abs(total[k]-v) > 0.15 {
			t.Errorf("%s: 2023–2025 total %.1f, plan %.0f", k, total[k], v)
		}
	}
}

func TestSeedPolicy(t *testing.T) {
	p := generated.Policies[0]
	if p.DocNo != "昆科字〔2023〕53号" || p.Title != "昆山市推进科技服务业高质量发展三年行动方案" || p.Issuer != "昆山市科学技术局" ||
		p.Status != policies.StatusValid || p.Unit != policies.DefaultUnit {
		t.Fatalf("seed policy = %+v", p)
	}
	if !strings.HasPrefix(p.Body, "为贯彻落实") || !strings.Contains(p.Body, "优化科技招商工作体系") || !strings.Contains(p.Body, "加入或建立行业协会") {
		t.Errorf("body is not the plan's text: %.60s…", p.Body)
	}
	broker := slices.IndexFunc(p.Clauses, func(c policies.Clause) bool { return c.Rate == 3 && c.Amount == 50 })
	if broker < 0 || !strings.Contains(p.Clauses[broker].Text, "3%") {
		t.Errorf("no broker subsidy clause (3%%, 50 万): %+v", p.Clauses)
	}
	for _, want := range []float64{100, 80, 50, 30, 15} {
		if !slices.ContainsFunc(p.Clauses, func(c policies.Clause) bool { return c.Amount == want }) {
			t.Errorf("no incubator award clause of %.0f 万", want)
		}
	}
}

// Every generated record's engine document is accepted by the embedded
// engine under the union of the modules' schemas.
func TestDocsAcceptedByEngine(t *testing.T) {
	schema := search.Schema{}
	for _, s := range []search.Schema{projects.SearchSchema, events.SearchSchema, resources.SearchSchema, policies.SearchSchema, users.SearchSchema} {
		for k, v := range s {
			if have, ok := schema[k]; ok && have != v {
				t.Fatalf("field %q declared with types %d and %d", k, have, v)
			}
			schema[k] = v
		}
	}
	idx, err := bleve.Open(t.TempDir(), schema)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ds := generated
	var docs []search.Doc
	step := 1
	if testing.Short() {
		step = 25
	}
	for i := 0; i < len(ds.Projects); i += step {
		docs = append(docs, projects.ToDoc(ds.Projects[i]))
	}
	for i := 0; i < len(ds.Events); i += step {
		docs = append(docs, events.ToDoc(ds.Events[i]))
	}
	for i := 0; i < len(ds.Talents); i += step {
		docs = append(docs, resources.TalentToDoc(ds.Talents[i]))
	}
	for i := 0; i < len(ds.Enterprises); i += step {
		docs = append(docs, resources.EnterpriseToDoc(ds.Enterprises[i]))
	}
	for i := 0; i < len(ds.Institutes); i++ {
		docs = append(docs, resources.InstituteToDoc(ds.Institutes[i]))
	}
	for i := 0; i < len(ds.Results); i += step {
		docs = append(docs, resources.ResultToDoc(ds.Results[i]))
	}
	for _, p := range ds.Policies {
		docs = append(docs, policies.ToDoc(p))
	}
	ctx := context.Background()
	for start := 0; start < len(docs); start += 1000 {
		if err := idx.Index(ctx, docs[start:min(start+1000, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	if step > 1 {
		return
	}
	res, err := idx.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: search.Scope{All: true}, Facets: []string{"stage"}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != len(ds.Projects) {
		t.Errorf("engine has %d projects, want %d", res.Total, len(ds.Projects))
	}
	for _, p := range ds.Projects[:1] {
		want := 0
		for _, q := range ds.Projects {
			if q.Stage == p.Stage {
				want++
			}
		}
		if got := res.Facets["stage"][p.Stage]; got != want {
			t.Errorf("stage %s facet %d, want %d", p.Stage, got, want)
		}
	}
}
