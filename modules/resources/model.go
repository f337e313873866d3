// Package resources is the resource pool the pipeline draws its leads from
// (资源库): talents 人才, enterprises 企业, institutes and platforms 大院大所 /
// 新型研发机构, and technology results 科技成果. Vocabulary values are stored in
// Chinese as users type and import them; talent levels come from the matrix
// catalog, the other lists below are fixed by national usage.
package resources

import "zhaoshang/modules/core"

// Genders.
var Genders = []string{"男", "女"}

// Institute kinds (平台类别).
const (
	InstituteMajor      = "大院大所"
	InstituteNewRD      = "新型研发机构"
	InstituteUniversity = "高校院所"
	InstituteCorporate  = "企业研发中心"
)

// InstituteKinds in display order.
var InstituteKinds = []string{InstituteMajor, InstituteNewRD, InstituteUniversity, InstituteCorporate}

// InstituteLevels are the recognition levels of a platform.
var InstituteLevels = []string{"国家级", "省级", "苏州市级", "昆山市级", "未认定"}

// TransferModes are the technology contract types (技术合同类型).
var TransferModes = []string{"技术开发", "技术转让", "技术许可", "技术咨询", "技术服务"}

// Maturities are the technology market's maturity levels of a result.
var Maturities = []string{"正在研发", "已有样品", "通过小试", "通过中试", "可以量产"}

// Result statuses: listed, in negotiation, transferred (a 转移转化 counted
// against the "transfers" KPI in the year of DealDate).
const (
	ResultListed      = "待转化"
	ResultNegotiating = "洽谈中"
	ResultTransferred = "已转化"
)

// ResultStatuses in display order.
var ResultStatuses = []string{ResultListed, ResultNegotiating, ResultTransferred}

// Talent is a 双创 talent or team lead in the pool.
type Talent struct {
	core.Meta    `bson:",inline"`
	Name         string   `bson:"name" json:"name"`
	Gender       string   `bson:"gender,omitempty" json:"gender,omitempty"`
	Level        string   `bson:"level" json:"level"`                     // catalog talent level: 国家级, 省双创, 姑苏领军, 昆山双创, 其他
	Field        string   `bson:"field,omitempty" json:"field,omitempty"` // research field 研究方向
	Industry     string   `bson:"industry" json:"industry"`
	Institution  string   `bson:"institution,omitempty" json:"institution,omitempty"` // current employer or school
	Title        string   `bson:"title,omitempty" json:"title,omitempty"`             // 职称/职务
	Phone        string   `bson:"phone,omitempty" json:"phone,omitempty"`
	Email        string   `bson:"email,omitempty" json:"email,omitempty"`
	IntendedZone string   `bson:"intended_zone,omitempty" json:"intended_zone,omitempty"` // 意向落户区镇
	Tags         []string `bson:"tags,omitempty" json:"tags,omitempty"`
	Summary      string   `bson:"summary,omitempty" json:"summary,omitempty"`
	Unit         string   `bson:"unit" json:"unit"` // owning matrix unit
}

// Enterprise is a company in the pool; CreditCode is its natural key.
type Enterprise struct {
	core.Meta         `bson:",inline"`
	Name              string    `bson:"name" json:"name"`
	CreditCode        string    `bson:"credit_code" json:"credit_code"` // 统一社会信用代码, unique
	Industry          string    `bson:"industry" json:"industry"`
	Zone              string    `bson:"zone,omitempty" json:"zone,omitempty"` // empty when outside Kunshan
	LegalPerson       string    `bson:"legal_person,omitempty" json:"legal_person,omitempty"`
	RegisteredCapital float64   `bson:"registered_capital" json:"registered_capital"` // 注册资本 万元
	Founded           core.Date `bson:"founded,omitempty" json:"founded,omitzero"`
	Address           string    `bson:"address,omitempty" json:"address,omitempty"`
	Contact           string    `bson:"contact,omitempty" json:"contact,omitempty"`
	Phone             string    `bson:"phone,omitempty" json:"phone,omitempty"`
	Tags              []string  `bson:"tags,omitempty" json:"tags,omitempty"` // 高新技术企业, 专精特新 ...
	Unit              string    `bson:"unit" json:"unit"`
}

// Institute is an innovation platform: a 大院大所 branch, a 新型研发机构, a
// university institute or a corporate R&D centre.
type Institute struct {
	core.Meta   `bson:",inline"`
	Name        string    `bson:"name" json:"name"`
	Kind        string    `bson:"kind" json:"kind"`                         // one of InstituteKinds
	Parent      string    `bson:"parent,omitempty" json:"parent,omitempty"` // parent institution 依托单位
	Industry    string    `bson:"industry" json:"industry"`
	Zone        string    `bson:"zone,omitempty" json:"zone,omitempty"`
	Level       string    `bson:"level,omitempty" json:"level,omitempty"` // one of InstituteLevels
	Established core.Date `bson:"established,omitempty" json:"established,omitzero"`
	Summary     string    `bson:"summary,omitempty" json:"summary,omitempty"`
	Unit        string    `bson:"unit" json:"unit"`
}

// TechResult is a 科技成果 offered for transfer.
type TechResult struct {
	core.Meta    `bson:",inline"`
	Title        string    `bson:"title" json:"title"`
	Owner        string    `bson:"owner" json:"owner"` // owning institution 成果持有方
	Industry     string    `bson:"industry" json:"industry"`
	Maturity     string    `bson:"maturity,omitempty" json:"maturity,omitempty"`   // one of Maturities
	PatentNo     string    `bson:"patent_no,omitempty" json:"patent_no,omitempty"` // e.g. ZL202110234567.8
	TransferMode string    `bson:"transfer_mode" json:"transfer_mode"`             // one of TransferModes
	AskingPrice  float64   `bson:"asking_price" json:"asking_price"`               // 意向价格 万元
	Status       string    `bson:"status" json:"status"`                           // one of ResultStatuses
	DealDate     core.Date `bson:"deal_date,omitempty" json:"deal_date,omitzero"`
	DealAmount   float64   `bson:"deal_amount,omitempty" json:"deal_amount,omitempty"` // 成交额 万元
	Summary      string    `bson:"summary,omitempty" json:"summary,omitempty"`
	Unit         string    `bson:"unit" json:"unit"`
}

// Resource is what the four record types share: the generic service,
// handlers and the importer work on it.
type Resource interface {
	core.Record
	OwnerUnit() string   // owning matrix unit
	DisplayName() string // name, or title of a result
	setUnit(string)
}

func (t *Talent) OwnerUnit() string       { return t.Unit }
func (t *Talent) DisplayName() string     { return t.Name }
func (t *Talent) setUnit(u string)        { t.Unit = u }
func (e *Enterprise) OwnerUnit() string   { return e.Unit }
func (e *Enterprise) DisplayName() string { return e.Name }
func (e *Enterprise) setUnit(u string)    { e.Unit = u }
func (in *Institute) OwnerUnit() string   { return in.Unit }
func (in *Institute) DisplayName() string { return in.Name }
func (in *Institute) setUnit(u string)    { in.Unit = u }
func (r *TechResult) OwnerUnit() string   { return r.Unit }
func (r *TechResult) DisplayName() string { return r.Title }
func (r *TechResult) setUnit(u string)    { r.Unit = u }
