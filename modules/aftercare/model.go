// Package aftercare is 后道服务: service requests of landed projects (policy
// applications, financing, talent housing and schooling, space, approvals,
// problems to solve), each with an owner, a due date, a status and the
// policy clause used. Open requests past their due date are 督办 (escalated).
package aftercare

import (
	"slices"
	"time"

	"zhaoshang/modules/core"
)

// Request types (labels: templates/labels.go "aftercare_type").
const (
	TypePolicy    = "policy"    // 政策申报
	TypeFinancing = "financing" // 融资对接
	TypeTalent    = "talent"    // 人才安居/子女入学
	TypeSpace     = "space"     // 空间载体
	TypeApproval  = "approval"  // 审批代办
	TypeProblem   = "problem"   // 问题协调
	TypeOther     = "other"     // 其他
)

// Types in display order.
var Types = []string{TypePolicy, TypeFinancing, TypeTalent, TypeSpace, TypeApproval, TypeProblem, TypeOther}

// Statuses (labels: "aftercare_status").
const (
	StatusPending    = "pending"     // 待受理
	StatusInProgress = "in_progress" // 处理中
	StatusResolved   = "resolved"    // 已解决
	StatusClosed     = "closed"      // 已关闭
)

// Statuses in display order.
var Statuses = []string{StatusPending, StatusInProgress, StatusResolved, StatusClosed}

// OpenStatuses are the statuses a request can be overdue in.
var OpenStatuses = []string{StatusPending, StatusInProgress}

// synonyms lets the API and imports use the Chinese labels users speak.
var synonyms = map[string]string{
	"政策申报": TypePolicy, "融资对接": TypeFinancing, "人才安居/子女入学": TypeTalent, "人才安居": TypeTalent,
	"子女入学": TypeTalent, "空间载体": TypeSpace, "审批代办": TypeApproval, "问题协调": TypeProblem, "其他": TypeOther,
	"待受理": StatusPending, "处理中": StatusInProgress, "已解决": StatusResolved, "已关闭": StatusClosed,
}

// normalise maps a Chinese label to its key; keys pass through.
func normalise(v string) string {
	if k, ok := synonyms[v]; ok {
		return k
	}
	return v
}

// ProjectStages are the project stages that may have service requests:
// a project counts as landed from 过程管理 on.
var ProjectStages = []string{"process", "aftercare"}

// Request is one aftercare service request.
type Request struct {
	core.Meta   `bson:",inline"`
	ProjectID   string `bson:"project_id" json:"project_id"`
	ProjectName string `bson:"project_name" json:"project_name"` // copied from the project on every write
	Unit        string `bson:"unit" json:"unit"`                 // the project's unit
	Type        string `bson:"type" json:"type"`
	Title       string `bson:"title" json:"title"`
	Detail      string `bson:"detail,omitempty" json:"detail,omitempty"`
	Owner       string `bson:"owner" json:"owner"` // responsible user name
	// Due is the due day.
	Due        core.Date `bson:"due,omitempty" json:"due,omitzero"`
	Status     string    `bson:"status" json:"status"`
	Resolution string    `bson:"resolution,omitempty" json:"resolution,omitempty"`
	ResolvedAt time.Time `bson:"resolved_at,omitempty" json:"resolved_at,omitzero"`
	// The policy clause used: the policy's id and the clause number as printed.
	PolicyID string `bson:"policy_id,omitempty" json:"policy_id,omitempty"`
	ClauseNo string `bson:"clause_no,omitempty" json:"clause_no,omitempty"`
}

// Open reports whether the request still waits for an answer.
func (r *Request) Open() bool { return slices.Contains(OpenStatuses, r.Status) }

// Overdue reports whether the request is 督办 at now: open, with a due day
// before today.
func (r *Request) Overdue(now time.Time) bool {
	return r.Open() && !r.Due.IsZero() && r.Due.Before(core.Today(now))
}

// DaysOverdue is how many whole days the due day lies behind today (0 when
// the request is not overdue).
func (r *Request) DaysOverdue(now time.Time) int {
	if !r.Overdue(now) {
		return 0
	}
	return core.Today(now).DaysSince(r.Due)
}
