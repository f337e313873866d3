package demo

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
)

// The funnel at the end of 2025: most projects in the early stages.
var (
	stageWeights = []float64{25, 15, 22, 10, 14, 7, 4, 3} // in projects.Stages order
	typeWeights  = []float64{40, 45, 15}                  // talent, industry, platform
	mainline     = projects.Stages[:6]                    // search … aftercare
)

// move is one stage change of a generated history; gap is the days since
// the previous change.
type move struct {
	from, to, note string
	gap            int
	byManager      bool
	veto           string // 一票否决 kind of a drop at 评估决策
}

var forwardNotes = map[string][]string{
	projects.StagePush:      {"研判通过，推送至%s", "匹配%s产业定位，完成推送", "资源研判完成，推送%s对接"},
	projects.StageAttract:   {"首次接洽", "首次接洽，企业有落户意向", "电话沟通后上门拜访", "完成首次走访"},
	projects.StageDecision:  {"实地考察完成，提交评审", "完成载体实地考察，进入评估", "商务条款基本谈妥，提交联审"},
	projects.StageProcess:   {"评审会通过", "联审通过，同意签约", "评审会通过，报局领导审批同意"},
	projects.StageAftercare: {"项目投产，转入后道服务", "完成注册及到资，转入后道服务"},
}

var pauseReasons = []string{"企业融资未到位，暂缓推进", "等待载体空间释放", "企业内部决策周期延长", "用地指标待落实",
	"核心技术仍在验证，待中试完成后再议", "受行业周期影响，企业投资计划延后"}
var resumeNotes = []string{"恢复推进：融资已到位", "恢复推进：载体已落实", "恢复推进：企业重启落户计划"}
var dropReasons = []string{"企业最终选择落户外地", "投资方战略调整，项目取消", "产业匹配度低，不符合区镇定位", "核心团队变动，项目终止",
	"融资失败，项目终止", "多次联系无回应，线索失效"}
var vetoes = []struct{ Kind, Text string }{{"环保", "排放指标不符合园区环评要求"}, {"安全", "工艺涉及重大危险源，安全评估未通过"},
	{"能耗", "单位产值能耗高于准入标准"}}

var nextActions = map[string][]string{
	projects.StageSearch:    {"完成资源研判", "补充企业基本信息", "电话初步沟通"},
	projects.StagePush:      {"确认承接区镇意向", "安排首次对接", "提交推送研判意见"},
	projects.StageAttract:   {"安排实地考察", "提交投资意向书", "二次洽谈商务条款", "邀请来昆考察载体"},
	projects.StageDecision:  {"组织评审会", "补充环评、能评材料", "提交联审材料", "上报局领导审批"},
	projects.StageProcess:   {"跟进工商注册", "协调开工手续", "督促注册资本到位", "协助办理规划许可"},
	projects.StageAftercare: {"协助申报高新技术企业", "对接科技贷款", "落实人才公寓", "协调解决用电增容"},
	projects.StagePaused:    {"季度回访，了解恢复条件", "跟踪企业融资进展"},
}

var suffixes = []string{"项目", "生产基地项目", "研发及产业化项目", "扩产项目", "华东总部项目", "研发中心项目"}

// projects generates n projects with an exact funnel and type mix, linked
// to the generated events, talents, enterprises and institutes.
func (x *generator) projects(n int) {
	g := newGen(8)
	stages := g.quota(n, projects.Stages, stageWeights)
	types := g.quota(n, projects.Types, typeWeights)
	var held []*events.Event // in date order
	for _, e := range x.d.Events {
		if e.Status == events.StatusHeld {
			held = append(held, e)
		}
	}
	names := map[string]bool{}
	for i := range n {
		x.d.Projects = append(x.d.Projects, x.project(g, i, types[i], stages[i], held, names))
	}
}

func (x *generator) project(g gen, i int, typ, stage string, held []*events.Event, names map[string]bool) *projects.Project {
	u := x.unit(g)
	ind := x.industryFor(g, u)
	zone := x.zoneFor(g, u)
	officer, manager := x.officer(g, u.ID), x.staff[u.ID].manager
	p := &projects.Project{Type: typ, Industry: ind, Zone: zone, Unit: u.ID, Officer: officer, Stage: stage}

	moves, base := x.path(g, stage, typ, u, zone)
	ms := milestonePlan(g, typ)
	placeDays(g, moves, ms.aftercareGap)

	// Times: strictly increasing office-hour times.
	times := make([]time.Time, len(moves))
	day := 0
	for k, m := range moves {
		day += m.gap
		times[k] = g.day(day)
		if k > 0 && !times[k].After(times[k-1]) {
			times[k] = times[k-1].Add(time.Hour)
		}
	}
	var procDay, procAt = -1, time.Time{}
	for k, m := range moves {
		by := officer
		if m.byManager {
			by = manager
		}
		p.History = append(p.History, projects.StageChange{From: m.from, To: m.to, By: by, At: times[k], Note: m.note})
		if m.to == projects.StageProcess {
			procDay, procAt = dayOf(times[k]), times[k]
		}
		if m.from == projects.StageDecision && m.to == projects.StageProcess {
			p.Score = round(g.float(70, 98), 0.5)
			p.Approval = &projects.Approval{By: manager, At: times[k], Approved: true, Note: m.note}
		}
	}
	last := p.History[len(p.History)-1]
	p.StageSince = last.At
	switch stage {
	case projects.StagePaused:
		p.Reason = last.Note
	case projects.StageDropped:
		p.Reason = last.Note
		if base == projects.StageDecision {
			p.Score = round(g.float(40, 65), 0.5)
			if veto := moves[len(moves)-1].veto; veto != "" {
				p.Approval = &projects.Approval{By: manager, At: last.At, Approved: false, Veto: veto, Note: last.Note}
			}
		}
	case projects.StageDecision:
		// Every project in 评估决策 has its score sheet (the stage's
		// condition); half have it drawn, the rest take a fixed one so the
		// random stream, and with it the rest of the demo, stays as it was.
		if g.chance(0.5) {
			p.Score = round(g.float(55, 95), 0.5)
		} else {
			p.Score = float64(60 + i%30)
		}
	}
	p.Assessment = scoreSheet(p.Score)
	p.Decisions = decisionRecord(p)

	// Milestones after entering 过程管理, cut at leaving it (aftercare keeps
	// counting: capital keeps arriving).
	if procDay >= 0 {
		cutoff := Today.Add(24 * time.Hour)
		if stage == projects.StagePaused || stage == projects.StageDropped {
			cutoff = last.At
		}
		set := func(off int) core.Date {
			t := g.day(procDay + off)
			if procDay+off > calendarDays || !t.Before(cutoff) || !t.After(procAt) {
				return core.Date{}
			}
			return core.DateOf(t) // a day: the time of day was only for ordering
		}
		p.Milestones = projects.Milestones{Signed: set(ms.signed), Registered: set(ms.registered)}
		if !p.Milestones.Registered.IsZero() {
			p.Milestones.Started = set(ms.started)
			p.Milestones.Funded = set(ms.funded)
		}
		if !p.Milestones.Started.IsZero() {
			p.Milestones.Producing = set(ms.producing)
		}
		if p.Milestones.Signed.IsZero() && (stage == projects.StageProcess || stage == projects.StageAftercare) {
			p.Milestones.Signed = core.DateOf(procAt) // signed the day it entered 过程管理 (its condition)
		}
	}

	x.amounts(g, p)
	x.identity(g, p, i, names)
	created := p.History[0].At
	p.Meta = meta(fmt.Sprintf("p-%06d", i+1), created, p.StageSince)
	p.CreatedBy, p.UpdatedBy = officer, last.By

	if g.chance(0.35) { // lead found at an event held in the 120 days before
		day := core.DateOf(created)
		lo := sort.Search(len(held), func(k int) bool { return !held[k].Date.Before(day.AddDays(-120)) })
		hi := sort.Search(len(held), func(k int) bool { return held[k].Date.After(day) })
		if hi > lo {
			p.SourceEvent = held[lo+g.n(hi-lo)].ID
		}
	}
	p.Tags = g.some(projectTags, g.weighted([]float64{30, 40, 20, 10}))
	if g.chance(0.5) {
		p.ActionLines = g.some(x.catalog.ActionLines, g.between(1, 2))
	}
	x.followUp(g, p)
	return p
}

// scoreSheet is a score sheet over the default criteria whose total is
// score: each criterion its share of its maximum, in half points, the
// rounding made up on the criteria that have room. No score, no sheet.
func scoreSheet(score float64) []projects.ScoreItem {
	if score <= 0 {
		return nil
	}
	sheet := slices.Clone(projects.DefaultCriteria)
	total := 0.0
	for i := range sheet {
		sheet[i].Score = math.Round(sheet[i].Max*score/100*2) / 2
		total += sheet[i].Score
	}
	for i := 0; total != score && i < 1000; i++ {
		c := &sheet[i%len(sheet)]
		switch {
		case total < score && c.Score+0.5 <= c.Max:
			c.Score += 0.5
			total += 0.5
		case total > score && c.Score >= 0.5:
			c.Score -= 0.5
			total -= 0.5
		}
	}
	return sheet
}

// decisionRecord is the decision record the generated score and approval
// imply: the score sheet when the project last entered 评估决策, then the
// manager's decision.
func decisionRecord(p *projects.Project) []projects.Decision {
	var out []projects.Decision
	if p.Score > 0 {
		at := p.StageSince
		for _, h := range slices.Backward(p.History) {
			if h.To == projects.StageDecision {
				at = h.At
				break
			}
		}
		if a := p.Approval; a != nil && a.At.Before(at) {
			at = a.At
		}
		out = append(out, projects.Decision{Kind: projects.DecisionScore, By: p.Officer, At: at, Score: p.Score})
	}
	if a := p.Approval; a != nil {
		d := projects.Decision{Kind: projects.DecisionApprove, By: a.By, At: a.At, Note: a.Note}
		if a.Veto != "" {
			d.Kind, d.Veto = projects.DecisionVeto, a.Veto
		}
		out = append(out, d)
	}
	return out
}

// path returns the stage changes from creation to stage, with some
// projects sent back a stage or paused and resumed on the way, and the
// stage a paused or dropped project left from.
func (x *generator) path(g gen, stage, typ string, u *matrix.Unit, zone string) ([]move, string) {
	base, exit := stage, ""
	switch stage {
	case projects.StagePaused:
		exit = stage
		base = []string{projects.StagePush, projects.StageAttract, projects.StageDecision, projects.StageProcess}[g.weighted([]float64{15, 45, 25, 15})]
	case projects.StageDropped:
		exit = stage
		base = []string{projects.StageSearch, projects.StagePush, projects.StageAttract, projects.StageDecision}[g.weighted([]float64{10, 15, 45, 30})]
	}
	bi := slices.Index(mainline, base)
	moves := []move{{to: projects.StageSearch, note: g.pick([]string{"录入资源库", "新建线索", "活动现场收集线索", "中介机构推荐"})}}
	for s := 1; s <= bi; s++ {
		to := mainline[s]
		note := g.pick(forwardNotes[to])
		if to == projects.StagePush {
			note = fmt.Sprintf(note, map[bool]string{true: zone, false: u.Short}[g.chance(0.5)])
		}
		if to == projects.StageAftercare && typ == projects.TypeTalent {
			note = "企业注册完成，转入后道服务"
		}
		moves = append(moves, move{from: mainline[s-1], to: to, note: note, gap: stageGap(g, to),
			byManager: to == projects.StageProcess})
	}
	insertAfter := func(to string, ms ...move) {
		for k := len(moves) - 1; k >= 0; k-- {
			if moves[k].to == to {
				moves = slices.Insert(moves, k+1, ms...)
				return
			}
		}
	}
	switch {
	case bi >= 3 && g.chance(0.08):
		insertAfter(projects.StageDecision,
			move{from: projects.StageDecision, to: projects.StageAttract, note: "评审意见：需补充市场调研及财务材料，退回招引", gap: g.between(15, 45), byManager: true},
			move{from: projects.StageAttract, to: projects.StageDecision, note: "补充材料后重新提交评审", gap: g.between(15, 60)})
	case bi >= 2 && g.chance(0.05):
		insertAfter(projects.StageAttract,
			move{from: projects.StageAttract, to: projects.StagePush, note: "原承接区镇载体不匹配，重新推送", gap: g.between(10, 40)},
			move{from: projects.StagePush, to: projects.StageAttract, note: "新承接单位完成首次对接", gap: g.between(7, 30)})
	}
	if exit == "" && bi >= 2 && g.chance(0.06) {
		at := projects.StageAttract
		if bi >= 3 && g.chance(0.4) {
			at = projects.StageDecision
		}
		insertAfter(at,
			move{from: at, to: projects.StagePaused, note: g.pick(pauseReasons), gap: g.between(20, 90)},
			move{from: projects.StagePaused, to: at, note: g.pick(resumeNotes), gap: g.between(30, 240)})
	}
	switch exit {
	case projects.StagePaused:
		moves = append(moves, move{from: base, to: exit, note: g.pick(pauseReasons), gap: g.between(20, 150)})
	case projects.StageDropped:
		m := move{from: base, to: exit, note: g.pick(dropReasons), gap: g.between(10, 150)}
		if base == projects.StageDecision && g.chance(0.5) {
			v := vetoes[g.n(len(vetoes))]
			m.note, m.byManager, m.veto = "一票否决（"+v.Kind+"）："+v.Text, true, v.Kind
		}
		moves = append(moves, m)
	}
	return moves, base
}

// stageGap is how many days reaching stage to usually takes.
func stageGap(g gen, to string) int {
	switch to {
	case projects.StagePush:
		return g.between(3, 40)
	case projects.StageAttract:
		return g.between(5, 60)
	case projects.StageDecision:
		return g.between(20, 150)
	case projects.StageProcess:
		return g.between(10, 60)
	default:
		return 0 // aftercare: set from the milestones
	}
}

// milestones are day offsets after entering 过程管理: 签约 → 注册 → 开工 →
// 投产, 到资 after 注册; aftercareGap is when the project leaves for 后道服务.
type milestones struct {
	signed, registered, started, producing, funded, aftercareGap int
}

func milestonePlan(g gen, typ string) milestones {
	var m milestones
	m.signed = g.between(1, 20)
	m.registered = m.signed + g.between(15, 75)
	m.started = m.registered + g.between(20, 120)
	m.producing = m.started + g.between(60, 240)
	m.funded = m.registered + g.between(10, 120)
	need := m.producing // an industry project is handed over once producing
	if typ != projects.TypeIndustry {
		need = max(m.started, m.funded) // a team or platform once started and funded
	}
	m.aftercareGap = need + g.between(10, 60)
	return m
}

// placeDays sets the move into aftercare to its milestone gap, shrinks the
// other gaps when the history would not fit in the calendar, and sets the
// first move's gap to the creation day: late stages were created early,
// early stages any time.
func placeDays(g gen, moves []move, aftercareGap int) {
	fixed, flex := 0, 0
	for k := 1; k < len(moves); k++ {
		if moves[k].to == projects.StageAftercare {
			moves[k].gap = aftercareGap
			fixed += aftercareGap
		} else {
			flex += moves[k].gap
		}
	}
	avail := calendarDays - 3
	if fixed+flex > avail && flex > 0 {
		f := float64(avail-fixed) / float64(flex)
		flex = 0
		for k := 1; k < len(moves); k++ {
			if moves[k].to != projects.StageAftercare {
				moves[k].gap = max(1, int(float64(moves[k].gap)*f))
				flex += moves[k].gap
			}
		}
	}
	latest := max(0, avail-fixed-flex)
	moves[0].gap = int(math.Pow(g.r.Float64(), 0.8) * float64(latest))
}

// amounts fit the type: talent startups 200–5,000 万, industry projects
// 5,000–500,000 万, platforms 1,000–50,000 万; capital arrives after 到资.
func (x *generator) amounts(g gen, p *projects.Project) {
	switch p.Type {
	case projects.TypeTalent:
		p.Investment = round(g.logUniform(200, 5000), 10)
		p.RegisteredCapital = min(p.Investment, round(g.float(100, 1000), 10))
	case projects.TypeIndustry:
		p.Investment = round(g.logUniform(5000, 500000), 100)
		p.RegisteredCapital = round(p.Investment*g.float(0.1, 0.4), 100)
	default:
		p.Investment = round(g.logUniform(1000, 50000), 100)
		p.RegisteredCapital = round(p.Investment*g.float(0.1, 0.5), 100)
	}
	if !p.Milestones.Funded.IsZero() {
		share := g.float(0.05, 0.6)
		if p.Stage == projects.StageAftercare {
			share = g.float(0.5, 1)
		}
		p.CapitalArrived = min(p.Investment, max(10, round(p.Investment*share, 10)))
	}
}

// identity names the project and links the talent, enterprise or institute
// behind it, with contacts and a summary.
func (x *generator) identity(g gen, p *projects.Project, i int, names map[string]bool) {
	w := vocab(p.Industry)
	product := g.pick(w.Products)
	inv := fmt.Sprintf("%.0f", p.Investment)
	registered := !p.Milestones.Registered.IsZero()
	newCompany := func(prefix string) {
		p.Enterprise = unique(x.companies, func() string { n, _ := g.companyName(prefix, p.Industry); return n })
		p.CreditCode = g.creditCode("320583", x.codes)
	}
	switch p.Type {
	case projects.TypeTalent:
		var leader, title, phone, email string
		if idx := x.talByInd[p.Industry]; len(idx) > 0 {
			t := x.d.Talents[idx[g.n(len(idx))]]
			p.TalentID, leader, title, phone, email = t.ID, t.Name, t.Title, t.Phone, t.Email
		} else {
			pp := g.person()
			leader, title, phone, email = pp.Name, g.pick(talentTitles), g.phone(), g.email(pp.Pinyin)
		}
		p.Name = unique(names, func() string { product = g.pick(w.Products); return leader + "团队" + product + "项目" })
		p.Contacts = []projects.Contact{{Name: leader, Title: title, Phone: phone, Email: email}}
		if registered {
			newCompany("昆山")
		}
		p.Summary = fmt.Sprintf("%s团队拟在%s创办企业，开展%s研发及产业化，计划总投资%s万元。", leader, p.Zone, product, inv)
	case projects.TypeIndustry:
		e := x.d.Enterprises[g.n(len(x.d.Enterprises))]
		short := ""
		if idx := x.entByInd[p.Industry]; len(idx) > 0 {
			k := idx[g.n(len(idx))]
			e, short = x.d.Enterprises[k], x.entShort[k]
		}
		if short == "" {
			short = e.Name
		}
		p.EnterpriseID, p.Enterprise, p.CreditCode = e.ID, e.Name, e.CreditCode
		p.Name = unique(names, func() string { product = g.pick(w.Products); return short + product + g.pick(suffixes) })
		for range g.between(1, 2) {
			c := g.person()
			p.Contacts = append(p.Contacts, projects.Contact{Name: c.Name, Title: g.pick(contactTitles), Phone: g.phone()})
		}
		p.Summary = fmt.Sprintf("%s拟在%s投资%s万元建设%s项目，达产后预计年产值%.1f亿元。", e.Name, p.Zone, inv, product,
			p.Investment/10000*g.float(0.8, 2.5))
	default:
		parent := g.pick(universities)
		p.Name = unique(names, func() string {
			field := g.pick(w.Fields)
			if idx := x.instByInd[p.Industry]; len(idx) > 0 && g.chance(0.5) {
				in := x.d.Institutes[idx[g.n(len(idx))]]
				p.InstituteID, parent = in.ID, in.Parent
				return in.Name + g.pick([]string{"二期建设项目", "扩建项目", "中试基地项目"})
			}
			p.InstituteID = ""
			if g.chance(0.5) {
				return parent + "昆山" + field + "研究院项目"
			}
			return parent + field + "公共技术服务平台项目"
		})
		c := g.person()
		p.Contacts = []projects.Contact{{Name: c.Name, Title: g.pick([]string{"院长", "常务副院长", "项目负责人"}), Phone: g.phone()}}
		if registered {
			newCompany("昆山")
		}
		p.Summary = fmt.Sprintf("依托%s建设%s创新平台，计划总投资%s万元，重点开展%s关键技术攻关与成果转化。", parent, p.Industry, inv, product)
	}
}

// followUp sets the last follow-up (a quarter of the active projects stale,
// over 30 days before Today) and the next action (about a fifth overdue).
func (x *generator) followUp(g gen, p *projects.Project) {
	since := dayOf(p.StageSince)
	if p.Stage == projects.StageDropped {
		p.LastFollowUp = p.StageSince
		p.UpdatedAt = p.StageSince
		return
	}
	lf := calendarDays - g.between(0, 29)
	if g.chance(0.25) {
		lf = calendarDays - g.between(31, 200)
	}
	lf = max(lf, since)
	p.LastFollowUp = g.day(lf)
	if p.LastFollowUp.Before(p.StageSince) {
		p.LastFollowUp = p.StageSince.Add(time.Hour)
	}
	p.NextAction = g.pick(nextActions[p.Stage])
	lf = dayOf(p.LastFollowUp) // after moving off a weekend
	due := calendarDays + g.between(1, 60)
	if g.chance(0.22) && lf+1 < calendarDays {
		due = g.between(lf+1, calendarDays-1)
	}
	p.NextDue = core.DateOf(g.day(due))
	p.UpdatedAt = p.LastFollowUp
}
