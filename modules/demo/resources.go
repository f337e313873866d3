package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
)

// weightsFor returns weights for labels from a table, 10 for unknown labels
// (catalog entries added by an admin).
func weightsFor(labels []string, table map[string]float64) []float64 {
	w := make([]float64, len(labels))
	for i, l := range labels {
		w[i] = 10
		if v, ok := table[l]; ok {
			w[i] = v
		}
	}
	return w
}

// unique calls next until it returns an unused string; after many clashes
// it numbers the last one, so large scales still terminate.
func unique(seen map[string]bool, next func() string) string {
	s := next()
	for i := 0; seen[s] && i < 50; i++ {
		s = next()
	}
	for n := 2; seen[s]; n++ {
		if !seen[fmt.Sprintf("%s（%d）", s, n)] {
			s = fmt.Sprintf("%s（%d）", s, n)
		}
	}
	seen[s] = true
	return s
}

// institution returns a talent's or result owner's generic institution.
func (g gen) institution() string {
	switch x := g.r.Float64(); {
	case x < 0.55:
		return g.pick(universities)
	case x < 0.78:
		return "中国科学院" + g.pick(casPlaces) + g.pick(casFields) + "研究所"
	default:
		return g.pick(overseasInstitutions)
	}
}

func (g gen) email(pinyin string) string {
	domains := []string{"163.com", "126.com", "qq.com", "outlook.com", "foxmail.com", "gmail.com"}
	return fmt.Sprintf("%s%d@%s", pinyin, g.between(10, 9999), g.pick(domains))
}

// clampDay keeps a calendar day within [lo, calendarDays].
func clampDay(d, lo int) int { return max(lo, min(d, calendarDays)) }

// meta is the metadata of a record created on calendar day created and last
// changed on day updated (kept within [created, Today], never before created).
func (g gen) meta(id string, created, updated int) core.Meta {
	c := g.day(created)
	u := g.day(clampDay(updated, created))
	if u.Before(c) {
		u = c
	}
	return meta(id, c, u)
}

func (x *generator) talents(n int) {
	g := newGen(3)
	levels := x.catalog.TalentLevels
	lv := g.quota(n, levels, weightsFor(levels, map[string]float64{"国家级": 6, "省双创": 14, "姑苏领军": 20, "昆山双创": 38, "其他": 22}))
	x.talByInd = map[string][]int{}
	for i := range n {
		u := x.unit(g)
		ind := x.industryFor(g, u)
		p := g.person()
		inst, title := g.institution(), g.pick(talentTitles)
		field := g.pick(vocab(ind).Fields)
		zone := x.zoneFor(g, u)
		tags := g.some(talentTags, g.between(0, 3))
		created := g.between(0, calendarDays)
		t := &resources.Talent{
			Meta: g.meta(fmt.Sprintf("t-%05d", i+1), created, created+g.between(0, 240)),
			Name: p.Name, Gender: p.Gender, Level: lv[i], Field: field, Industry: ind, Institution: inst, Title: title,
			Phone: g.phone(), Email: g.email(p.Pinyin), IntendedZone: zone, Tags: tags, Unit: u.ID,
			Summary: fmt.Sprintf("%s，%s%s，长期从事%s方向研究，拟携%s相关成果在%s创新创业。", p.Name, inst, title, field,
				g.pick(vocab(ind).Products), zone),
		}
		x.d.Talents = append(x.d.Talents, t)
		x.talByInd[ind] = append(x.talByInd[ind], i)
	}
}

// companyWordsPlain need no 科技 after them (…电子有限公司, …制药有限公司).
var companyWordsPlain = map[string]bool{"电子": true, "半导体": true, "智能装备": true, "精密机械": true, "机电设备": true,
	"自动化设备": true, "医疗器械": true, "制药": true, "新材料": true, "光电": true, "汽车电子": true, "精密制造": true}

// companyName builds e.g. 苏州恒创智能装备有限公司 / 昆山瀚宇新材料科技有限公司
// and returns the short form (恒创智能装备) beside it.
func (g gen) companyName(prefix, industry string) (name, short string) {
	first := g.pick(brandFirst)
	second := g.pick(brandSecond)
	word := g.pick(vocab(industry).Company)
	short = first + second + word
	name = prefix + short
	if !companyWordsPlain[word] || g.chance(0.4) {
		name += "科技"
	}
	if g.chance(0.15) {
		return name + "股份有限公司", short
	}
	return name + "有限公司", short
}

func (x *generator) enterprises(n int) {
	g := newGen(4)
	cityW := make([]float64, len(homeCities))
	for i, c := range homeCities {
		cityW[i] = c.Weight
	}
	x.entByInd = map[string][]int{}
	for i := range n {
		city := homeCities[g.weighted(cityW)]
		u := x.unit(g)
		ind := x.industryFor(g, u)
		zone, address := "", city.Address
		if city.Division == "320583" {
			zone = x.zoneFor(g, u)
			address += zone
		}
		address += fmt.Sprintf("%s%d号", g.pick(roads), g.between(1, 999))
		var short string
		name := unique(x.companies, func() string {
			var nm string
			nm, short = g.companyName(city.Prefix, ind)
			return nm
		})
		capital := g.logUniform(50, 50000)
		if capital < 1000 {
			capital = round(capital, 10)
		} else {
			capital = round(capital, 100)
		}
		founded := core.NewDate(g.between(1998, 2025), time.Month(g.between(1, 12)), g.between(1, 28))
		if today := core.DateOf(Today); founded.After(today) {
			founded = today.AddDate(0, -g.between(1, 11), 0)
		}
		legal, contact := g.person(), g.person()
		created := g.between(0, calendarDays)
		e := &resources.Enterprise{
			Meta: g.meta(fmt.Sprintf("e-%05d", i+1), created, created+g.between(0, 300)),
			Name: name, CreditCode: g.creditCode(city.Division, x.codes), Industry: ind, Zone: zone,
			LegalPerson: legal.Name, RegisteredCapital: capital, Founded: founded, Address: address,
			Contact: contact.Name, Phone: g.phone(), Tags: g.some(enterpriseTags[:5], g.between(0, 2)), Unit: u.ID,
		}
		if capital > 20000 && g.chance(0.3) && !slices.Contains(e.Tags, "上市公司") {
			e.Tags = append(e.Tags, "上市公司") // once: a tag list holds each tag once, as the importer reads it
		}
		x.d.Enterprises = append(x.d.Enterprises, e)
		x.entShort = append(x.entShort, short)
		x.entByInd[ind] = append(x.entByInd[ind], i)
	}
}

func (x *generator) institutes(n int) {
	g := newGen(5)
	kinds := g.quota(n, resources.InstituteKinds, []float64{15, 20, 15, 10})
	levelW := []float64{8, 27, 30, 30, 5}
	seen := map[string]bool{}
	x.instByInd = map[string][]int{}
	for i := range n {
		u := x.unit(g)
		ind := x.industryFor(g, u)
		field := g.pick(vocab(ind).Fields)
		var parent string
		name := unique(seen, func() string {
			switch kinds[i] {
			case resources.InstituteMajor:
				parent = g.pick(universities)
				if g.chance(0.4) {
					parent = "中国科学院" + g.pick(casPlaces) + g.pick(casFields) + "研究所"
				}
				if g.chance(0.5) {
					return parent + "昆山" + ind + "研究院"
				}
				return parent + "昆山" + field + "研究院"
			case resources.InstituteNewRD:
				parent = g.pick(universities)
				return "昆山" + g.pick(brandFirst) + g.pick(brandSecond) + field + "技术研究院有限公司"
			case resources.InstituteUniversity:
				parent = g.pick(universities)
				return parent + "（昆山）" + field + "联合研究中心"
			default:
				if idx := x.entByInd[ind]; len(idx) > 0 {
					e := idx[g.n(len(idx))]
					parent = x.d.Enterprises[e].Name
					return x.entShort[e] + field + "工程技术研究中心"
				}
				parent = "昆山" + g.pick(brandFirst) + g.pick(brandSecond) + "科技有限公司"
				return strings.TrimSuffix(parent, "有限公司") + field + "工程技术研究中心"
			}
		})
		est := g.between(2010, 2025)
		established := core.NewDate(est, time.Month(g.between(1, 12)), g.between(1, 28))
		if today := core.DateOf(Today); established.After(today) {
			established = today.AddDate(0, -g.between(1, 11), 0)
		}
		created := g.between(0, calendarDays)
		in := &resources.Institute{
			Meta: g.meta(fmt.Sprintf("in-%04d", i+1), created, created+g.between(0, 300)),
			Name: name, Kind: kinds[i], Parent: parent, Industry: ind, Zone: x.zoneFor(g, u),
			Level: resources.InstituteLevels[g.weighted(levelW)], Established: established, Unit: u.ID,
			Summary: fmt.Sprintf("依托%s建设，聚焦%s方向，建有研发场地%d平方米，现有研发人员%d人，重点开展%s关键技术攻关与成果转化。",
				parent, field, g.between(8, 300)*100, g.between(15, 400), g.pick(vocab(ind).Products)),
		}
		x.d.Institutes = append(x.d.Institutes, in)
		x.instByInd[ind] = append(x.instByInd[ind], i)
	}
}

// patentNo returns a Chinese patent number ZL + 12-digit application number
// + "." + its check digit (weights 2–9, 2–5; mod 11; 10 is X).
func (g gen) patentNo() string {
	typ := byte('1')
	if g.chance(0.25) {
		typ = '2' // utility model
	}
	digits := fmt.Sprintf("%d%c%07d", g.between(2015, 2024), typ, g.between(1, 9999999))
	weights := []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
	sum := 0
	for i := range 12 {
		sum += int(digits[i]-'0') * weights[i]
	}
	check := "X"
	if c := sum % 11; c < 10 {
		check = string(rune('0' + c))
	}
	return "ZL" + digits + "." + check
}

func (x *generator) results(n int) {
	g := newGen(6)
	status := g.quota(n, resources.ResultStatuses, []float64{45, 15, 40})
	maturityW := []float64{10, 25, 25, 25, 15}
	modeW := []float64{25, 30, 25, 8, 12}
	seen := map[string]bool{}
	var transferUnits []int // the technology transfer centre and the institute carry most results
	for i, u := range x.units {
		if u.ID == "jszy" || u.ID == "gyy" {
			transferUnits = append(transferUnits, i)
		}
	}
	for i := range n {
		u := x.unit(g)
		if len(transferUnits) > 0 && g.chance(0.45) {
			u = x.units[transferUnits[g.n(len(transferUnits))]]
		}
		ind := x.industryFor(g, u)
		w := vocab(ind)
		var obj, field string
		title := unique(seen, func() string {
			obj, field = g.pick(w.Products), g.pick(w.Fields)
			switch g.n(6) {
			case 0:
				return "一种" + obj + "的制备方法"
			case 1:
				return obj + "关键技术及产业化"
			case 2:
				return "基于" + field + "的" + obj + "系统"
			case 3:
				return "高可靠" + obj + "设计与制造技术"
			case 4:
				return field + "在" + obj + "中的应用技术"
			default:
				return "低成本" + obj + "量产工艺"
			}
		})
		owner := g.institution()
		if idx := x.instByInd[ind]; len(idx) > 0 && g.chance(0.25) {
			owner = x.d.Institutes[idx[g.n(len(idx))]].Name
		}
		maturity := resources.Maturities[g.weighted(maturityW)]
		mode := resources.TransferModes[g.weighted(modeW)]
		asking := round(g.logUniform(10, 3000), 5)
		created := g.between(0, calendarDays-30)
		r := &resources.TechResult{
			Title: title, Owner: owner, Industry: ind, Maturity: maturity, TransferMode: mode, AskingPrice: asking,
			Status: status[i], Unit: u.ID,
			Summary: fmt.Sprintf("%s研发的%s技术，目前%s，可采用%s方式合作，意向价格%.0f万元。", owner, obj, maturity, mode, asking),
		}
		if g.chance(0.85) {
			r.PatentNo = g.patentNo()
		}
		updated := clampDay(created+g.between(0, 200), created)
		var dealAt time.Time
		if r.Status == resources.ResultTransferred {
			deal := clampDay(created+g.between(30, 500), created+1)
			dealAt = g.day(deal)
			r.DealDate = core.DateOf(dealAt)
			r.DealAmount = max(1, round(asking*g.float(0.6, 1.2), 1))
			updated = deal + 1 // the deal is recorded the next working day
		}
		r.Meta = g.meta(fmt.Sprintf("r-%04d", i+1), created, updated)
		if r.UpdatedAt.Before(dealAt) {
			r.UpdatedAt = dealAt
		}
		x.d.Results = append(x.d.Results, r)
	}
}
