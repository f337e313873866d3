package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/transfers"
)

// brokerOrganisations are the intermediaries of the demo broker registry.
var brokerOrganisations = []string{
	"昆山天工技术转移有限公司", "苏州科创知识产权服务中心", "昆山市技术转移中心有限公司", "江苏长三角技术产权交易所昆山分所",
	"昆山智汇科技咨询有限公司", "上海交大昆山技术转移分中心", "昆山高新区科技服务有限公司", "苏州工业技术经纪事务所",
}

var brokerSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"}
var brokerGiven = []string{"磊", "静", "敏", "伟", "芳", "强", "洁", "军", "婷", "杰", "涛", "霞", "鹏", "琳", "浩", "颖"}
var brokerCourses = []string{"技术经纪人初级培训", "技术经纪人中级培训", "技术合同认定登记实务", "知识产权运营与评估", "科技成果作价入股实务"}
var dealSellers = []string{"云麓大学", "东吴理工大学", "中科院苏州纳米所", "昆山杜克大学", "江南材料研究院", "上海微系统研究所"}
var dealBuyers = []string{"昆山精密机械有限公司", "昆山新显光电科技有限公司", "花桥数智科技有限公司", "昆山生物医药创新有限公司",
	"周市新材料股份有限公司", "张浦新能源装备有限公司", "陆家智能汽车电子有限公司", "千灯半导体材料有限公司"}
var dealTitles = []string{"成果转让", "联合开发", "专利许可", "技术咨询", "技术服务"}

// transferDemo generates the brokers and deals of the data set (deterministic).
func transferDemo(ds *Dataset) ([]*transfers.Broker, []*transfers.Deal) {
	units := make([]string, len(ds.Units))
	for i, u := range ds.Units {
		units[i] = u.ID
	}
	results := make([]string, len(ds.Results))
	for i, r := range ds.Results {
		results[i] = r.ID
	}
	return transferRegistry(ds.Scale, units, []int{2023, 2024, 2025}, results)
}

// transferRegistry returns a deterministic broker registry and deals for
// the years given: per scale 40 brokers of eight organisations and 150
// deals a year (two in five through a broker), with ids br-0001 and
// td-00001. Deals spread over units; contract numbers are unique per
// year; paid never exceeds the amount. resultIDs (may be empty) are linked
// to some deals. The same arguments always give the same data.
func transferRegistry(scale int, units []string, years []int, resultIDs []string) ([]*transfers.Broker, []*transfers.Deal) {
	if scale < 1 || len(units) == 0 {
		return nil, nil
	}
	// Its own seed, older than the other kinds' streams: the registry stays
	// as it was first generated.
	g := gen{rand.New(rand.NewPCG(2023, 53))}
	day := func(y int) core.Date { return core.NewDate(y, time.January, 1).AddDays(g.n(365)) }
	stamp := func(t time.Time) core.Meta {
		return core.Meta{Version: 1, CreatedAt: t, UpdatedAt: t, CreatedBy: "system", UpdatedBy: "system"}
	}
	brokers := make([]*transfers.Broker, 40*scale)
	for i := range brokers {
		// One big intermediary with a third of the brokers reaches the cap.
		org := brokerOrganisations[0]
		if g.float(0, 1) > 0.35 {
			org = brokerOrganisations[1+g.n(len(brokerOrganisations)-1)]
		}
		b := &transfers.Broker{Name: g.pick(brokerSurnames) + g.pick(brokerGiven),
			Organisation: org, Unit: g.pick(units), CertificateNo: fmt.Sprintf("JSJJR-%04d", i+1)}
		b.Meta = stamp(day(years[0]).Time())
		b.ID = fmt.Sprintf("br-%04d", i+1)
		for k := g.n(4); k > 0; k-- {
			y := years[g.n(len(years))]
			b.Training = append(b.Training, transfers.Training{Date: day(y), Course: g.pick(brokerCourses),
				Hours: float64(8 * g.between(1, 4))})
		}
		sort.Slice(b.Training, func(i, j int) bool { return b.Training[i].Date.Before(b.Training[j].Date) })
		brokers[i] = b
	}
	var deals []*transfers.Deal
	n := 0
	for _, y := range years {
		for k := 0; k < 150*scale; k++ {
			n++
			// Mostly small contracts (1–300 万元, log-uniform), a few large ones.
			amount := math.Round(g.logUniform(1, 300)*100) / 100
			if g.chance(0.05) {
				amount = float64(g.between(500, 2999))
			}
			paid := amount
			if g.chance(0.4) {
				paid = math.Round(amount*g.float(0, 1)*100) / 100
			}
			d := &transfers.Deal{Type: g.pick(transfers.Types), Seller: g.pick(dealSellers), Buyer: g.pick(dealBuyers),
				Amount: amount, Paid: paid, Date: day(y), ContractNo: fmt.Sprintf("%d320583%06d", y, k+1), Unit: g.pick(units)}
			d.Title = fmt.Sprintf("%s%s项目", d.Seller, g.pick(dealTitles))
			if g.chance(0.4) {
				b := brokers[g.n(len(brokers))]
				d.BrokerID, d.BrokerName, d.Organisation = b.ID, b.Name, b.Organisation
			}
			if len(resultIDs) > 0 && g.chance(0.3) {
				d.ResultID = g.pick(resultIDs)
			}
			d.Meta = stamp(d.Date.Time())
			d.ID = fmt.Sprintf("td-%05d", n)
			deals = append(deals, d)
		}
	}
	return brokers, deals
}
