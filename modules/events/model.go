// Package events holds 科技招商活动: forums, salons, roadshows, trainings and
// matchmaking sessions a matrix unit organises (the "events" KPI).
package events

import "zhaoshang/modules/core"

// Statuses of an event.
const (
	StatusPlanned   = "planned"   // 筹备中
	StatusHeld      = "held"      // 已举办
	StatusCancelled = "cancelled" // 已取消
)

// Statuses in display order.
var Statuses = []string{StatusPlanned, StatusHeld, StatusCancelled}

// Event is one promotion event. Type is one of the catalog's event types;
// Unit is the organising matrix unit.
type Event struct {
	core.Meta    `bson:",inline"`
	Title        string       `bson:"title" json:"title"`
	Type         string       `bson:"type" json:"type"`
	Date         core.Date    `bson:"date" json:"date"`
	EndDate      core.Date    `bson:"end_date,omitempty" json:"end_date,omitzero"` // zero for one-day events
	Place        string       `bson:"place,omitempty" json:"place,omitempty"`
	Unit         string       `bson:"unit" json:"unit"`                                       // organiser 主办单位
	CoOrganisers []string     `bson:"co_organisers,omitempty" json:"co_organisers,omitempty"` // 协办单位, free names
	ActionLines  []string     `bson:"action_lines,omitempty" json:"action_lines,omitempty"`   // 七个一
	Industries   []string     `bson:"industries,omitempty" json:"industries,omitempty"`
	Participants Participants `bson:"participants" json:"participants"`
	Attendees    int          `bson:"attendees" json:"attendees"` // 参会人数
	Summary      string       `bson:"summary,omitempty" json:"summary,omitempty"`
	Status       string       `bson:"status" json:"status"`
}

// Participants are the enterprises and talents that took part. The lists
// link records of the resource pool; the counts may be larger, since not
// every participant is in the pool.
type Participants struct {
	Enterprises     []Ref `bson:"enterprises,omitempty" json:"enterprises,omitempty"`
	Talents         []Ref `bson:"talents,omitempty" json:"talents,omitempty"`
	EnterpriseCount int   `bson:"enterprise_count" json:"enterprise_count"`
	TalentCount     int   `bson:"talent_count" json:"talent_count"`
}

// Ref names a record of another kind by id, with its name at the time.
type Ref struct {
	ID   string `bson:"id,omitempty" json:"id,omitempty"`
	Name string `bson:"name" json:"name"`
}
