// Package transfers is 科技成果转移转化: technology contract deals (技术开发/
// 转让/许可/咨询/服务) and the registry of technology brokers (技术经纪人)
// with their training, plus the broker subsidy the 2023 plan defines.
package transfers

import "zhaoshang/modules/core"

// Deal types (labels: templates/labels.go "transfer_type").
const (
	TypeDevelopment = "development" // 技术开发
	TypeTransfer    = "transfer"    // 技术转让
	TypeLicense     = "license"     // 技术许可
	TypeConsulting  = "consulting"  // 技术咨询
	TypeService     = "service"     // 技术服务
)

// Types in display order.
var Types = []string{TypeDevelopment, TypeTransfer, TypeLicense, TypeConsulting, TypeService}

// typeSynonyms lets the API and imports use the contract type as printed.
var typeSynonyms = map[string]string{
	"技术开发": TypeDevelopment, "技术转让": TypeTransfer, "技术许可": TypeLicense, "技术咨询": TypeConsulting,
	"技术服务": TypeService, "开发": TypeDevelopment, "转让": TypeTransfer, "许可": TypeLicense, "咨询": TypeConsulting,
	"服务": TypeService,
}

func normaliseType(v string) string {
	if k, ok := typeSynonyms[v]; ok {
		return k
	}
	return v
}

// Deal is one technology contract (技术合同) served by the promotion team.
type Deal struct {
	core.Meta `bson:",inline"`
	Type      string `bson:"type" json:"type"`
	Title     string `bson:"title" json:"title"`   // contract name
	Seller    string `bson:"seller" json:"seller"` // 卖方 / 技术供给方
	Buyer     string `bson:"buyer" json:"buyer"`   // 买方 / 技术需求方 (the company that pays)
	// Amount is the contract amount and Paid what the buyer actually paid, 万元.
	Amount     float64 `bson:"amount" json:"amount"`
	Paid       float64 `bson:"paid" json:"paid"`
	ContractNo string  `bson:"contract_no" json:"contract_no"` // 技术合同登记号, unique per year
	// Date is the contract day; its year is the year of the registration
	// number and of the subsidy.
	Date     core.Date `bson:"date" json:"date"`
	BrokerID string    `bson:"broker_id,omitempty" json:"broker_id,omitempty"`
	// BrokerName and Organisation are copied from the broker when the deal is
	// saved: the intermediary that served this contract gets its subsidy,
	// even if the broker later moves to another organisation.
	BrokerName   string `bson:"broker_name,omitempty" json:"broker_name,omitempty"`
	Organisation string `bson:"organisation,omitempty" json:"organisation,omitempty"`
	ResultID     string `bson:"result_id,omitempty" json:"result_id,omitempty"` // resources "results" kind
	Unit         string `bson:"unit" json:"unit"`
	Note         string `bson:"note,omitempty" json:"note,omitempty"`
}

// Year is the year of the deal's day.
func (d *Deal) Year() int { return d.Date.Year() }

// Broker is a registered technology broker (技术经纪人).
type Broker struct {
	core.Meta     `bson:",inline"`
	Name          string     `bson:"name" json:"name"`
	Organisation  string     `bson:"organisation" json:"organisation"` // 中介机构
	CertificateNo string     `bson:"certificate_no,omitempty" json:"certificate_no,omitempty"`
	Phone         string     `bson:"phone,omitempty" json:"phone,omitempty"`
	Training      []Training `bson:"training,omitempty" json:"training"`
	Unit          string     `bson:"unit" json:"unit"`
}

// Training is one course a broker attended.
type Training struct {
	Date   core.Date `bson:"date" json:"date"`
	Course string    `bson:"course" json:"course"`
	Hours  float64   `bson:"hours" json:"hours"`
}

// TrainingHours is the total of the broker's training hours.
func (b *Broker) TrainingHours() float64 {
	t := 0.0
	for _, x := range b.Training {
		t += x.Hours
	}
	return t
}
