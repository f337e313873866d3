// Package policies is the 政策库: national, provincial, city and district
// policies an officer cites when attracting and serving projects. A policy
// is owned by a matrix unit (科技局 "kjj" by default) for editing; every
// user may read every policy.
package policies

import "zhaoshang/modules/core"

// DefaultUnit owns policies unless a district unit issues its own.
const DefaultUnit = "kjj"

// Levels (级别). A Kunshan city policy is 市级; a 区镇 policy is 区级.
var Levels = []string{"国家级", "省级", "市级", "区级"}

// Statuses (状态).
const (
	StatusValid   = "有效"
	StatusExpired = "失效"
)

// Statuses in display order.
var Statuses = []string{StatusValid, StatusExpired}

// Categories (分类) used by the policy library.
var Categories = []string{"产业扶持政策", "人才政策", "科技创新政策", "金融支持政策", "载体建设政策", "其他"}

// SupportModes (支持方式).
var SupportModes = []string{"奖励", "补贴", "资助", "贴息", "股权投资", "风险补偿", "人才安居", "荣誉认定"}

// Policy is one policy document.
type Policy struct {
	core.Meta     `bson:",inline"`
	Title         string    `bson:"title" json:"title"`
	DocNo         string    `bson:"doc_no,omitempty" json:"doc_no,omitempty"` // 文号, e.g. 昆科字〔2023〕53号
	Level         string    `bson:"level" json:"level"`
	Status        string    `bson:"status" json:"status"`
	Categories    []string  `bson:"categories,omitempty" json:"categories,omitempty"`
	SupportModes  []string  `bson:"support_modes,omitempty" json:"support_modes,omitempty"`
	Industries    []string  `bson:"industries,omitempty" json:"industries,omitempty"` // 支持产业
	Issuer        string    `bson:"issuer" json:"issuer"`                             // 发文单位
	IssuedOn      core.Date `bson:"issued_on,omitempty" json:"issued_on,omitzero"`
	EffectiveFrom core.Date `bson:"effective_from,omitempty" json:"effective_from,omitzero"`
	EffectiveTo   core.Date `bson:"effective_to,omitempty" json:"effective_to,omitzero"` // zero = open-ended
	Body          string    `bson:"body,omitempty" json:"body,omitempty"`
	Clauses       []Clause  `bson:"clauses,omitempty" json:"clauses,omitempty"`
	Unit          string    `bson:"unit" json:"unit"`
}

// Clause is one support item of a policy an officer can quote: e.g. the
// broker subsidy of 3% capped at 50 万元 per intermediary per year.
type Clause struct {
	No     string  `bson:"no" json:"no"` // item number as printed: "4", "5(1)"
	Title  string  `bson:"title" json:"title"`
	Text   string  `bson:"text,omitempty" json:"text,omitempty"`
	Amount float64 `bson:"amount,omitempty" json:"amount,omitempty"` // maximum support 万元; 0 = not stated
	Rate   float64 `bson:"rate,omitempty" json:"rate,omitempty"`     // percentage, e.g. 3 for 3%; 0 = not a rate
	Unit   string  `bson:"unit,omitempty" json:"unit,omitempty"`     // what Amount applies to: 每家, 每年每个服务方
}

// MaxAmount is the largest clause amount (万元), 0 when none is stated.
func (p *Policy) MaxAmount() float64 {
	m := 0.0
	for _, c := range p.Clauses {
		m = max(m, c.Amount)
	}
	return m
}
