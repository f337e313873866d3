// Package projects is the pipeline: 人才/产业/平台 projects moving through
// 资源搜索 → 资源推送 → 资源招引 → 评估决策 → 过程管理 → 后道服务 (plus 暂缓, 终止).
package projects

import (
	"time"

	"zhaoshang/modules/core"
)

// Stage keys (contract: ARCHITECTURE.md).
const (
	StageSearch    = "search"
	StagePush      = "push"
	StageAttract   = "attract"
	StageDecision  = "decision"
	StageProcess   = "process"
	StageAftercare = "aftercare"
	StagePaused    = "paused"
	StageDropped   = "dropped"
)

// Stages in pipeline order; the last two are side exits.
var Stages = []string{StageSearch, StagePush, StageAttract, StageDecision, StageProcess, StageAftercare, StagePaused, StageDropped}

// ValidStage reports whether s is a stage key.
func ValidStage(s string) bool {
	for _, k := range Stages {
		if k == s {
			return true
		}
	}
	return false
}

// Project types.
const (
	TypeTalent   = "talent"   // 人才项目
	TypeIndustry = "industry" // 产业项目
	TypePlatform = "platform" // 平台项目
)

// Types in display order.
var Types = []string{TypeTalent, TypeIndustry, TypePlatform}

// Project is one lead/project in the pipeline.
type Project struct {
	core.Meta `bson:",inline"`
	Type      string `bson:"type" json:"type"`
	Name      string `bson:"name" json:"name"`
	Industry  string `bson:"industry" json:"industry"`
	Zone      string `bson:"zone" json:"zone"`
	Unit      string `bson:"unit" json:"unit"`       // owning matrix unit
	Officer   string `bson:"officer" json:"officer"` // responsible user name
	Summary   string `bson:"summary,omitempty" json:"summary,omitempty"`

	Enterprise   string    `bson:"enterprise,omitempty" json:"enterprise,omitempty"` // investor / enterprise name
	CreditCode   string    `bson:"credit_code,omitempty" json:"credit_code,omitempty"`
	EnterpriseID string    `bson:"enterprise_id,omitempty" json:"enterprise_id,omitempty"`
	TalentID     string    `bson:"talent_id,omitempty" json:"talent_id,omitempty"`
	InstituteID  string    `bson:"institute_id,omitempty" json:"institute_id,omitempty"`
	ResultID     string    `bson:"result_id,omitempty" json:"result_id,omitempty"` // 科技成果 being transferred
	Contacts     []Contact `bson:"contacts,omitempty" json:"contacts,omitempty"`

	Investment        float64 `bson:"investment" json:"investment"`                 // 总投资 万元
	RegisteredCapital float64 `bson:"registered_capital" json:"registered_capital"` // 注册资本 万元
	CapitalArrived    float64 `bson:"capital_arrived" json:"capital_arrived"`       // 到资 万元

	SourceEvent string   `bson:"source_event,omitempty" json:"source_event,omitempty"`
	Tags        []string `bson:"tags,omitempty" json:"tags,omitempty"`
	ActionLines []string `bson:"action_lines,omitempty" json:"action_lines,omitempty"` // 七个一

	Stage      string        `bson:"stage" json:"stage"`
	StageSince time.Time     `bson:"stage_since" json:"stage_since"`
	History    []StageChange `bson:"history,omitempty" json:"-"`
	Milestones Milestones    `bson:"milestones" json:"milestones"`
	Score      float64       `bson:"score,omitempty" json:"score,omitempty"` // assessment score sheet total
	Approval   *Approval     `bson:"approval,omitempty" json:"approval,omitempty"`
	Decisions  []Decision    `bson:"decisions,omitempty" json:"decisions,omitempty"` // score sheets, approvals, vetoes, withdrawals
	Reason     string        `bson:"reason,omitempty" json:"reason,omitempty"`       // 暂缓/终止 reason

	NextAction   string    `bson:"next_action,omitempty" json:"next_action,omitempty"`
	NextDue      core.Date `bson:"next_due,omitempty" json:"next_due,omitzero"`
	LastFollowUp time.Time `bson:"last_follow_up,omitempty" json:"last_follow_up,omitzero"`

	FollowUps    []FollowUp    `bson:"follow_ups,omitempty" json:"follow_ups,omitempty"`
	Instructions []Instruction `bson:"instructions,omitempty" json:"instructions,omitempty"` // 批示
	Assessment   []ScoreItem   `bson:"assessment,omitempty" json:"assessment,omitempty"`     // 评估打分表
	Attachments  []Attachment  `bson:"attachments,omitempty" json:"attachments,omitempty"`
}

// FollowUp is one 跟进记录: what happened, by whom, when.
type FollowUp struct {
	At   time.Time `bson:"at" json:"at"`
	By   string    `bson:"by" json:"by"`
	Kind string    `bson:"kind,omitempty" json:"kind,omitempty"` // 电话, 走访, 考察, 会谈, 其他
	Text string    `bson:"text" json:"text"`
}

// Instruction is a manager's 批示 on a project, shown to its officer.
type Instruction struct {
	At   time.Time `bson:"at" json:"at"`
	By   string    `bson:"by" json:"by"`
	Text string    `bson:"text" json:"text"`
}

// ScoreItem is one line of the assessment score sheet.
type ScoreItem struct {
	Criterion string  `bson:"criterion" json:"criterion"`
	Score     float64 `bson:"score" json:"score"`
	Max       float64 `bson:"max" json:"max"`
}

// Attachment is a file stored under ZS_DATA/attachments.
type Attachment struct {
	ID          string    `bson:"id" json:"id"`
	Name        string    `bson:"name" json:"name"`
	ContentType string    `bson:"content_type" json:"content_type"`
	Size        int64     `bson:"size" json:"size"`
	By          string    `bson:"by" json:"by"`
	At          time.Time `bson:"at" json:"at"`
}

// Contact is a person on the other side.
type Contact struct {
	Name  string `bson:"name" json:"name"`
	Title string `bson:"title,omitempty" json:"title,omitempty"`
	Phone string `bson:"phone,omitempty" json:"phone,omitempty"`
	Email string `bson:"email,omitempty" json:"email,omitempty"`
}

// StageChange is one entry of a project's stage history.
type StageChange struct {
	From string    `bson:"from" json:"from"`
	To   string    `bson:"to" json:"to"`
	By   string    `bson:"by" json:"by"`
	At   time.Time `bson:"at" json:"at"`
	Note string    `bson:"note,omitempty" json:"note"`
}

// Milestones inside 过程管理: the days of 签约, 注册, 开工, 投产, 到资.
type Milestones struct {
	Signed     core.Date `bson:"signed,omitempty" json:"signed,omitzero"`
	Registered core.Date `bson:"registered,omitempty" json:"registered,omitzero"`
	Started    core.Date `bson:"started,omitempty" json:"started,omitzero"`
	Producing  core.Date `bson:"producing,omitempty" json:"producing,omitzero"`
	Funded     core.Date `bson:"funded,omitempty" json:"funded,omitzero"`
}

// Approval is a manager's current decision on a project in 评估决策 (the
// latest entry of Decisions that decides; nil when none stands).
type Approval struct {
	By       string    `bson:"by" json:"by"`
	At       time.Time `bson:"at" json:"at"`
	Approved bool      `bson:"approved" json:"approved"`
	Veto     string    `bson:"veto,omitempty" json:"veto,omitempty"` // 一票否决 reason: 环保/安全/能耗
	Note     string    `bson:"note,omitempty" json:"note,omitempty"`
	// Batch is set when a manager's import recorded a decision taken
	// outside the system (a legacy ledger's project past 评估决策).
	Batch string `bson:"batch,omitempty" json:"batch,omitempty"`
}

// External reports whether the decision was taken outside the system and
// recorded by a manager's import; it stands in for the score sheet too.
func (a *Approval) External() bool { return a != nil && a.Batch != "" }

// Decision kinds (Decision.Kind).
const (
	DecisionScore    = "score"    // a score sheet was filled in or changed
	DecisionApprove  = "approve"  // 审批通过
	DecisionReject   = "reject"   // 不予通过 (no veto)
	DecisionVeto     = "veto"     // 一票否决
	DecisionWithdraw = "withdraw" // the standing decision was withdrawn
	DecisionExternal = "external" // 审批于系统外, recorded by a manager's import
)

// Decision is one entry of a project's decision record, oldest first:
// score sheets, approvals, vetoes and their withdrawal. The record is never
// rewritten; the current decision is Approval.
type Decision struct {
	Kind  string    `bson:"kind" json:"kind"`
	By    string    `bson:"by" json:"by"`
	At    time.Time `bson:"at" json:"at"`
	Score float64   `bson:"score,omitempty" json:"score,omitempty"`
	Veto  string    `bson:"veto,omitempty" json:"veto,omitempty"`
	Note  string    `bson:"note,omitempty" json:"note,omitempty"`
}

// DisplayName is the project's name (import conflict lists, audit views).
func (p *Project) DisplayName() string { return p.Name }
