package demo

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/policies"
)

// plan2023 is the policy page of 昆科字〔2023〕53号 as published.
//
//go:embed plan2023.txt
var plan2023 string

// planBody is the page text from the preamble on, one paragraph per line
// pair, without the library page's header and field list.
func planBody() string {
	var paras []string
	started := false
	for _, line := range strings.Split(plan2023, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "为贯彻落实") {
			started = true
		}
		if started && line != "" {
			paras = append(paras, line)
		}
	}
	return strings.Join(paras, "\n\n")
}

// seedPolicy is 昆科字〔2023〕53号 with the support items an officer quotes.
// The page gives no issue date; the plan's three years (2023–2025) are used.
func seedPolicy() *policies.Policy {
	from, to := core.NewDate(2023, 1, 1), core.NewDate(2025, 12, 31)
	p := &policies.Policy{
		Meta:  meta("po-0001", time.Date(2023, 1, 3, 10, 0, 0, 0, core.Zone()).UTC(), time.Date(2023, 1, 3, 10, 0, 0, 0, core.Zone()).UTC()),
		Title: "昆山市推进科技服务业高质量发展三年行动方案", DocNo: "昆科字〔2023〕53号", Level: "市级", Status: policies.StatusValid,
		Categories: []string{"产业扶持政策", "其他"}, SupportModes: []string{"奖励"}, Industries: []string{"其他"},
		Issuer: "昆山市科学技术局", IssuedOn: from, EffectiveFrom: from, EffectiveTo: to, Body: planBody(),
		Unit: policies.DefaultUnit,
		Clauses: []policies.Clause{
			{No: "1(1)", Title: "新建或参与重组全国重点实验室支持", Text: "在昆新建或参与重组全国重点实验室给予最高2亿元支持", Amount: 20000, Unit: "每家"},
			{No: "1(2)", Title: "国家、省技术创新中心及省重点实验室支持", Text: "对新建的国家、省技术创新中心，省重点实验室等给予最高5000万元支持", Amount: 5000, Unit: "每家"},
			{No: "2", Title: "新型研发机构建设资助", Text: "面向全球吸引大院大所、创新型龙头企业、著名科学家、创业团队在昆建设新型研发机构，最高给予1000万元资助", Amount: 1000, Unit: "每家"},
			{No: "4", Title: "技术经纪（经理）人促成校企合作后补助", Text: "对技术经纪（经理）人等促成校企合作的，按照每个项目企业实际支付交易额的3%给予后补助，获得苏州认定的按照要求给予联动支持，同一年度技术转移中介服务方资助额度最高50万元", Amount: 50, Rate: 3, Unit: "每个中介服务方每年"},
			{No: "5(1)", Title: "科技企业加速器认定奖励（国家级）", Text: "对首次获得省级及以上科技企业加速器认定的，按国家级、省级分别给予100万元、80万元认定奖励", Amount: 100, Unit: "每家（首次认定）"},
			{No: "5(2)", Title: "科技企业加速器认定奖励（省级）", Text: "对首次获得省级及以上科技企业加速器认定的，按国家级、省级分别给予100万元、80万元认定奖励", Amount: 80, Unit: "每家（首次认定）"},
			{No: "5(3)", Title: "科技企业孵化器认定奖励（国家级）", Text: "首次获得省级及以上科技企业孵化器认定的，按照国家级、省级分别给予80万元、50万元认定奖励", Amount: 80, Unit: "每家（首次认定）"},
			{No: "5(4)", Title: "科技企业孵化器认定奖励（省级）", Text: "首次获得省级及以上科技企业孵化器认定的，按照国家级、省级分别给予80万元、50万元认定奖励", Amount: 50, Unit: "每家（首次认定）"},
			{No: "5(5)", Title: "众创空间认定（备案）奖励（国家级）", Text: "对首次获得省级及以上众创空间认定（备案）的，按照国家级、省级分别给予30万元、15万元认定奖励", Amount: 30, Unit: "每家（首次认定）"},
			{No: "5(6)", Title: "众创空间认定（备案）奖励（省级）", Text: "对首次获得省级及以上众创空间认定（备案）的，按照国家级、省级分别给予30万元、15万元认定奖励", Amount: 15, Unit: "每家（首次认定）"},
			{No: "5(7)", Title: "科技创业孵化载体绩效奖励", Text: "对各类科技创业孵化载体绩效评价合格的，单个载体运营机构一年奖励最高100万元", Amount: 100, Unit: "每个运营机构每年"},
			{No: "8", Title: "科技保险保费补贴", Text: "对于购买相关科技保险的科技型企业给予最高保费支出额度50%的补贴", Rate: 50, Unit: "保费支出"},
		},
	}
	return p
}

// clauseKind is a support item the generic policies are built from; %s in
// Text is the amount.
type clauseKind struct {
	Title, Text string
	Lo, Hi      float64 // amount range 万元
	Rate        float64
	Unit        string
}

var clauseKinds = map[string][]clauseKind{
	"产业扶持政策": {
		{"研发投入增量奖励", "对年度研发投入增长超过20%%的企业，按增量部分的10%%给予奖励，最高%s万元。", 100, 500, 10, "每家每年"},
		{"首台（套）装备奖励", "对认定为省级以上首台（套）重大装备的产品，给予最高%s万元奖励。", 100, 300, 0, "每个产品"},
		{"生产设备投入补贴", "对生产性设备投入超过1000万元的项目，按设备投入的8%%给予补贴，最高%s万元。", 300, 1000, 8, "每个项目"},
		{"落户奖励", "对新落户且实际到资超过5000万元的科技产业项目，按实际到资的1%%给予奖励，最高%s万元。", 200, 1000, 1, "每个项目"},
	},
	"科技创新政策": {
		{"高新技术企业认定奖励", "对首次认定的高新技术企业，给予%s万元奖励。", 20, 50, 0, "每家"},
		{"研发机构建设奖励", "对新认定的省级以上工程技术研究中心、企业技术中心，给予最高%s万元奖励。", 50, 200, 0, "每家"},
		{"成果转化补助", "对在本地转化的科技成果，按技术交易额的10%%给予受让企业补助，最高%s万元。", 50, 200, 10, "每家每年"},
		{"技术合同登记奖励", "对年度技术合同登记额超过500万元的技术输出方，按登记额的2%%给予奖励，最高%s万元。", 20, 100, 2, "每家每年"},
	},
	"人才政策": {
		{"创业领军人才项目资助", "对入选的创业类领军人才项目，给予最高%s万元项目资助。", 100, 500, 0, "每个项目"},
		{"创新领军人才资助", "对入选的创新类领军人才，给予最高%s万元资助。", 50, 200, 0, "每人"},
		{"人才安居补贴", "对引进的高层次人才，给予最高%s万元购房补贴或提供人才公寓。", 30, 200, 0, "每人"},
	},
	"金融支持政策": {
		{"科技信贷贴息", "对科技型中小企业获得的科技信贷，按贷款利息的50%%给予贴息，最高%s万元。", 20, 100, 50, "每家每年"},
		{"科技信贷风险补偿", "合作银行发放的科技信贷产生损失的，由风险补偿资金承担80%%，单笔最高%s万元。", 200, 1000, 80, "每笔贷款"},
		{"天使投资跟投", "对投资本地初创科技企业的天使投资机构，按投资额的20%%给予跟投，最高%s万元。", 200, 1000, 20, "每家企业"},
	},
	"载体建设政策": {
		{"孵化载体绩效奖励", "对绩效评价优秀的孵化载体运营机构，给予最高%s万元奖励。", 50, 100, 0, "每个运营机构每年"},
		{"科技载体租金补贴", "对入驻科技载体的初创企业，三年内给予租金补贴，最高%s万元。", 20, 100, 0, "每家"},
		{"众创空间备案奖励", "对新备案的市级以上众创空间，给予最高%s万元奖励。", 10, 30, 0, "每家"},
	},
}

// policyKind is a family of generic policies.
type policyKind struct {
	Weight     float64
	Level      string
	Category   string
	Modes      []string
	title      func(g gen, x *generator, year int) (title, issuer, docPrefix, unit string, industries []string)
	periodYear int // effective years; 0 = open-ended
}

var zoneIssuers = map[string][2]string{ // zone -> issuer, doc prefix
	"昆山开发区": {"昆山经济技术开发区管理委员会", "昆开管"}, "昆山高新区": {"昆山高新技术产业开发区管理委员会", "昆高新管"},
	"花桥经济开发区": {"花桥经济开发区管理委员会", "花管"}, "旅游度假区": {"昆山旅游度假区管理委员会", "昆度管"},
}

var policyKinds = []policyKind{
	{Weight: 8, Level: "市级", Category: "产业扶持政策", Modes: []string{"奖励", "补贴"}, periodYear: 3,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			ind := g.pick(x.industries())
			return "昆山市关于加快" + ind + "产业创新集群发展的若干政策", "昆山市人民政府", "昆政发", "kjj", []string{ind}
		}},
	{Weight: 5, Level: "市级", Category: "人才政策", Modes: []string{"资助", "人才安居"}, periodYear: 1,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			return fmt.Sprintf("昆山市%d年度科技创新创业领军人才（团队）计划申报指南", y), "昆山市科学技术局", "昆科字", "kjj", nil
		}},
	{Weight: 8, Level: "区级", Category: "科技创新政策", Modes: []string{"奖励", "补贴"}, periodYear: 3,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			u := x.units[g.n(len(x.units))]
			for u.Zone == "" || u.Type != "zone" {
				u = x.units[g.n(len(x.units))]
			}
			issuer, prefix := u.Zone+"人民政府", strings.TrimSuffix(u.Zone, "镇")+"政发"
			if zi, ok := zoneIssuers[u.Zone]; ok {
				issuer, prefix = zi[0], zi[1]
			}
			return u.Zone + "促进科技创新高质量发展的若干措施", issuer, prefix, u.ID, nil
		}},
	{Weight: 5, Level: "省级", Category: "科技创新政策", Modes: []string{"资助", "奖励"}, periodYear: 5,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			ind := g.pick(x.industries())
			return "江苏省关于加快推进" + ind + "领域关键核心技术攻关的实施意见", "江苏省科学技术厅", "苏科技规", "kjj", []string{ind}
		}},
	{Weight: 3, Level: "国家级", Category: "科技创新政策", Modes: []string{"资助", "荣誉认定"}, periodYear: 5,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			t := g.pick([]string{"关于进一步支持科技型中小企业创新发展的若干措施", "关于推动科技成果转化与产业化的指导意见",
				"关于加强新型研发机构建设的若干意见", "关于深化产学研协同创新的实施意见", "关于完善科技企业孵化育成体系的通知"})
			return t, "科学技术部", "国科发", "kjj", nil
		}},
	{Weight: 3, Level: "市级", Category: "金融支持政策", Modes: []string{"贴息", "风险补偿", "股权投资"}, periodYear: 3,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			t := g.pick([]string{"昆山市“昆科贷”科技信贷风险补偿资金管理办法", "昆山市科技金融服务试点机构认定管理办法",
				"昆山市天使投资引导资金管理办法", "昆山市科技保险补贴实施细则"})
			return t, "昆山市科学技术局", "昆科规", "kjjr", nil
		}},
	{Weight: 3, Level: "市级", Category: "载体建设政策", Modes: []string{"奖励", "补贴"}, periodYear: 3,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			t := g.pick([]string{"昆山市科技创业孵化载体绩效评价办法", "昆山市众创空间备案管理办法", "昆山市科技企业加速器建设扶持办法"})
			return t, "昆山市科学技术局", "昆科字", "kjj", nil
		}},
	{Weight: 3, Level: "市级", Category: "科技创新政策", Modes: []string{"奖励"}, periodYear: 3,
		title: func(g gen, x *generator, y int) (string, string, string, string, []string) {
			t := g.pick([]string{"昆山市技术转移体系建设奖励办法", "昆山市高新技术企业培育资金管理办法",
				"昆山市企业研发费用后补助实施细则", "昆山市技术经纪人队伍建设实施方案"})
			return t, "昆山市科学技术局", "昆科字", "jszy", nil
		}},
}

// policies generates the seed policy and n-1 generic ones, issued 2019–2025.
func (x *generator) policies(n int) {
	g := newGen(7)
	x.d.Policies = append(x.d.Policies, seedPolicy())
	seen := map[string]bool{x.d.Policies[0].Title: true}
	docs := map[string]bool{x.d.Policies[0].DocNo: true}
	w := make([]float64, len(policyKinds))
	for i, k := range policyKinds {
		w[i] = k.Weight
	}
	for i := 1; i < n; i++ {
		var k policyKind
		var year int
		var issuer, prefix, unit string
		var inds []string
		title := unique(seen, func() string { // a family whose titles are used up yields to another
			var t string
			k, year = policyKinds[g.weighted(w)], g.between(2019, 2025)
			t, issuer, prefix, unit, inds = k.title(g, x, year)
			return t
		})
		doc := unique(docs, func() string { return fmt.Sprintf("%s〔%d〕%d号", prefix, year, g.between(1, 150)) })
		issued := time.Date(year, time.Month(g.between(1, 12)), g.between(1, 28), 0, 0, 0, 0, core.Zone())
		if issued.After(Today) {
			issued = Today.AddDate(0, -1, 0)
		}
		from := issued.AddDate(0, 0, g.between(0, 30))
		p := &policies.Policy{Title: title, DocNo: doc, Level: k.Level, Status: policies.StatusValid,
			Categories: []string{k.Category}, SupportModes: g.some(k.Modes, g.between(1, len(k.Modes))), Industries: inds,
			Issuer: issuer, IssuedOn: core.DateOf(issued), EffectiveFrom: core.DateOf(from), Unit: unit}
		if k.periodYear > 0 {
			to := core.NewDate(from.Year()+k.periodYear-1, 12, 31)
			p.EffectiveTo = to
			if to.Before(core.DateOf(Today)) {
				p.Status = policies.StatusExpired
			}
		}
		kinds := clauseKinds[k.Category]
		for j, ck := range g.r.Perm(len(kinds))[:g.between(2, len(kinds))] {
			c := kinds[ck]
			amount := round(g.float(c.Lo, c.Hi), 10)
			p.Clauses = append(p.Clauses, policies.Clause{No: fmt.Sprint(j + 1), Title: c.Title,
				Text: fmt.Sprintf(c.Text, fmt.Sprint(amount)), Amount: amount, Rate: c.Rate, Unit: c.Unit})
		}
		p.Body = policyBody(p, title)
		created := max(0, dayOf(issued)+g.between(1, 20))
		if issued.Before(epoch) {
			created = g.between(0, 60) // older policies were entered when the library started
		}
		p.Meta = g.meta(fmt.Sprintf("po-%04d", i+1), created, created+g.between(0, 30))
		x.d.Policies = append(x.d.Policies, p)
	}
}

func policyBody(p *policies.Policy, title string) string {
	var b strings.Builder
	scope := "我市"
	if p.Level == "省级" {
		scope = "我省"
	} else if p.Level == "国家级" {
		scope = "各地"
	}
	fmt.Fprintf(&b, "为深入实施创新驱动发展战略，加快培育发展新质生产力，结合%s实际，制定《%s》。\n\n", scope, title)
	b.WriteString("一、适用范围\n\n本政策适用于在本行政区域内依法注册、具有独立法人资格、从事科技创新活动的企业和机构。\n\n二、支持措施\n\n")
	for _, c := range p.Clauses {
		fmt.Fprintf(&b, "（%s）%s。%s\n\n", c.No, c.Title, c.Text)
	}
	b.WriteString("三、附则\n\n")
	from := p.EffectiveFrom.Format("2006年1月2日")
	if p.EffectiveTo.IsZero() {
		fmt.Fprintf(&b, "本政策自%s起施行，由%s负责解释。", from, p.Issuer)
	} else {
		fmt.Fprintf(&b, "本政策自%s起施行，有效期至%s，由%s负责解释。", from, p.EffectiveTo.Format("2006年1月2日"), p.Issuer)
	}
	return b.String()
}
