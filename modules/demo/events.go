package demo

import (
	"fmt"
	"slices"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
)

// eventTypeWeights is how often each catalog event type occurs.
var eventTypeWeights = map[string]float64{"论坛": 12, "沙龙": 22, "路演": 24, "培训": 12, "专场对接会": 18, "推介会": 12}

// events generates n held or cancelled events over 2023–2025 (more each
// year) and planned ones for early 2026, ids in date order.
func (x *generator) events(n, planned int) {
	g := newGen(2)
	var days []int
	for yi, c := range split(n, []float64{28, 34, 38}) {
		first := max(0, dayOf(time.Date(2023+yi, 1, 1, 12, 0, 0, 0, core.Zone())))
		last := min(calendarDays-1, dayOf(time.Date(2023+yi, 12, 31, 12, 0, 0, 0, core.Zone())))
		for range c {
			d := g.between(first, last)
			if m := epoch.AddDate(0, 0, d).Month(); m == time.February && g.chance(0.5) {
				d = g.between(first, last) // the Spring Festival month is quiet
			}
			days = append(days, d)
		}
	}
	slices.Sort(days)
	for range planned {
		days = append(days, calendarDays+g.between(6, 90))
	}
	slices.Sort(days)
	types := x.catalog.EventTypes
	typeW := weightsFor(types, eventTypeWeights)
	series := map[string]int{} // numbered series: 第N期
	nth := func(key string) int { series[key]++; return series[key] }
	for i, d := range days {
		typ := types[g.weighted(typeW)]
		u := x.eventUnit(g, typ)
		ind := x.industryFor(g, u)
		inds := []string{ind}
		if g.chance(0.3) {
			if other := x.industryFor(g, u); other != ind {
				inds = append(inds, other)
			}
		}
		date := core.DateOf(g.day(d))
		year := date.Year()
		remote := false
		switch typ {
		case "路演", "推介会", "专场对接会":
			remote = g.chance(0.5)
		case "论坛":
			remote = g.chance(0.2)
		}
		city := g.pick(eventCities)
		place := g.pick(kunshanVenues)
		if remote {
			place = city + "·" + g.pick(cityVenues)
		} else if u.Zone != "" && g.chance(0.5) {
			place = u.Zone + "科创中心会议室"
		}
		var title string
		switch typ {
		case "路演":
			if remote {
				title = fmt.Sprintf("%d昆山%s产业科技招商路演（%s专场）", year, ind, city)
			} else {
				title = fmt.Sprintf("“鹿城创享”%s科技项目路演（第%d期）", ind, nth("路演"+ind))
			}
		case "论坛":
			title = fmt.Sprintf("%d昆山%s产业创新发展论坛", year, ind)
			if g.chance(0.4) {
				title = fmt.Sprintf("%d长三角%s科技合作论坛（昆山）", year, ind)
			}
			if n := nth(title); n > 1 {
				title = fmt.Sprintf("%s·第%d场", title, n)
			}
		case "沙龙":
			title = fmt.Sprintf("%s产学研沙龙（第%d期）", ind, nth("沙龙"+ind))
			if u.Zone != "" && g.chance(0.4) {
				title = fmt.Sprintf("%s科技企业家沙龙（第%d期）", u.Zone, nth("沙龙"+u.Zone))
			}
		case "培训":
			switch g.n(3) {
			case 0:
				title = fmt.Sprintf("昆山市技术经纪人能力提升培训班（第%d期）", nth("经纪人"))
			case 1:
				title = fmt.Sprintf("%d年科技招商专员业务培训（第%d期）", year, nth(fmt.Sprint("专员", year)))
			default:
				title = fmt.Sprintf("科技成果转化实务培训（第%d期）", nth("成果"))
			}
		case "专场对接会":
			if remote {
				title = fmt.Sprintf("%d昆山—%s科技成果专场对接会", year, city)
			} else {
				title = fmt.Sprintf("%s—昆山%s产学研专场对接会", g.pick(universities), ind)
			}
			if n := nth(title); n > 1 {
				title = fmt.Sprintf("%s（第%d场）", title, n)
			}
		case "推介会":
			title = fmt.Sprintf("%d昆山科技招商推介会（%s站）", year, city)
			if u.Zone != "" && g.chance(0.5) {
				title = fmt.Sprintf("%d%s%s产业投资环境推介会（%s）", year, u.Zone, ind, city)
			}
			if n := nth(title); n > 1 {
				title = fmt.Sprintf("%s·第%d场", title, n)
			}
		default:
			title = fmt.Sprintf("%d昆山%s%s（第%d期）", year, ind, typ, nth(typ+ind))
		}
		e := &events.Event{Title: title, Type: typ, Date: date, Place: place, Unit: u.ID, Industries: inds}
		switch {
		case typ == "培训" && g.chance(0.4):
			e.EndDate = date.AddDays(g.between(1, 2))
		case typ == "论坛" && g.chance(0.2):
			e.EndDate = date.AddDays(1)
		}
		for range g.between(0, 2) {
			co := g.pick(externalOrganisers)
			if g.chance(0.5) {
				co = x.units[g.n(len(x.units))].Name
			}
			if co != x.unitName(u.ID) && !slices.Contains(e.CoOrganisers, co) {
				e.CoOrganisers = append(e.CoOrganisers, co)
			}
		}
		lines := x.catalog.ActionLines
		if len(lines) >= 6 && g.chance(0.8) {
			e.ActionLines = append(e.ActionLines, lines[5]) // 一系列品牌招商活动
		}
		if len(lines) >= 5 && remote && g.chance(0.4) {
			e.ActionLines = append(e.ActionLines, lines[4]) // 一批招商联络站
		}
		if len(lines) >= 4 && typ == "培训" {
			e.ActionLines = append(e.ActionLines, lines[3]) // 一支专业招商队伍
		}
		created := min(d-g.between(14, 45), calendarDays-g.between(0, 10))
		updated := d + g.between(1, 5)
		switch {
		case d > calendarDays:
			e.Status = events.StatusPlanned
			e.Participants.EnterpriseCount = g.between(10, 60)
			e.Attendees = x.attendees(g, typ)
			e.Summary = fmt.Sprintf("筹备中：拟邀请企业%d家，预计参会%d人。", e.Participants.EnterpriseCount, e.Attendees)
			updated = min(calendarDays, created+g.between(0, 10))
		case g.chance(0.04):
			e.Status = events.StatusCancelled
			e.Summary = "因" + g.pick([]string{"场地调整", "嘉宾行程冲突", "报名企业不足", "天气原因"}) + "取消，择期另行举办。"
			updated = d - g.between(1, 7)
		default:
			e.Status = events.StatusHeld
			x.participants(g, e, ind)
			e.Attendees = max(x.attendees(g, typ), e.Participants.EnterpriseCount+e.Participants.TalentCount)
			e.Summary = x.eventSummary(g, e)
		}
		e.Meta = meta(fmt.Sprintf("ev-%04d", i+1), g.day(max(created, -30)), g.day(updated))
		if e.UpdatedAt.Before(e.CreatedAt) {
			e.UpdatedAt = e.CreatedAt
		}
		x.d.Events = append(x.d.Events, e)
	}
}

// eventUnit picks the organiser: trainings come from the lead bodies and
// the transfer centre, the rest from any unit.
func (x *generator) eventUnit(g gen, typ string) *matrix.Unit {
	if typ == "培训" && g.chance(0.7) {
		for _, id := range []string{"kcfw", "jszy", "kjj"}[g.n(3):] {
			for _, u := range x.units {
				if u.ID == id {
					return u
				}
			}
		}
	}
	return x.unit(g)
}

func (x *generator) unitName(id string) string {
	for _, u := range x.units {
		if u.ID == id {
			return u.Name
		}
	}
	return id
}

func (x *generator) attendees(g gen, typ string) int {
	switch typ {
	case "论坛":
		return g.between(100, 500)
	case "沙龙":
		return g.between(20, 80)
	case "推介会":
		return g.between(60, 300)
	default:
		return g.between(30, 200)
	}
}

// participants links enterprises and talents of the event's industry.
func (x *generator) participants(g gen, e *events.Event, ind string) {
	if idx := x.entByInd[ind]; len(idx) > 0 {
		for _, j := range g.r.Perm(len(idx))[:min(len(idx), g.between(2, 12))] {
			ent := x.d.Enterprises[idx[j]]
			e.Participants.Enterprises = append(e.Participants.Enterprises, events.Ref{ID: ent.ID, Name: ent.Name})
		}
	}
	if idx := x.talByInd[ind]; len(idx) > 0 {
		for _, j := range g.r.Perm(len(idx))[:min(len(idx), g.between(0, 6))] {
			t := x.d.Talents[idx[j]]
			e.Participants.Talents = append(e.Participants.Talents, events.Ref{ID: t.ID, Name: t.Name})
		}
	}
	e.Participants.EnterpriseCount = len(e.Participants.Enterprises) + g.between(0, 40)
	e.Participants.TalentCount = len(e.Participants.Talents) + g.between(0, 15)
}

func (x *generator) eventSummary(g gen, e *events.Event) string {
	p := e.Participants
	s := fmt.Sprintf("本次%s共有%d家企业、%d名人才参加，参会%d人。", e.Type, p.EnterpriseCount, p.TalentCount, e.Attendees)
	switch e.Type {
	case "路演":
		s += fmt.Sprintf("路演项目%d个，达成初步合作意向%d项。", g.between(5, 12), g.between(1, 5))
	case "专场对接会":
		s += fmt.Sprintf("发布技术需求%d项，现场对接成果%d项。", g.between(8, 40), g.between(2, 12))
	case "推介会":
		s += fmt.Sprintf("收集有效项目线索%d条。", g.between(3, 20))
	case "培训":
		s += "学员完成考核并取得结业证书。"
	default:
		s += fmt.Sprintf("形成招商线索%d条。", g.between(1, 8))
	}
	return s
}
