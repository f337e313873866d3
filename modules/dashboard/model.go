// Package dashboard is the manager cockpit (驾驶舱): targets against actual
// figures, projects per stage, the stage funnel and stuck work, all counted
// by the search engine within the caller's scope.
package dashboard

import (
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

// KPI is one plan indicator: the year's target and what was achieved.
type KPI struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Unit   string  `json:"unit"`
	Target float64 `json:"target"`
	Actual int     `json:"actual"`
	// Progress is Percent(): the progress against the target in percent.
	Progress int `json:"progress"`
	// Link is the filtered list that produced Actual.
	Link string `json:"link"`
}

// Percent is the progress against the target, capped at 100 (0 when no target).
func (k KPI) Percent() int {
	if k.Target <= 0 {
		return 0
	}
	p := int(float64(k.Actual) * 100 / k.Target)
	return min(p, 100)
}

// HasTarget reports whether a target is set for the indicator.
func (k KPI) HasTarget() bool { return k.Target > 0 }

// StageCount is how many projects are now in one stage.
type StageCount struct {
	Stage string `json:"stage"`
	Count int    `json:"count"`
	Link  string `json:"link"`
}

// FunnelStep is one pipeline stage of the funnel: Reached counts the
// projects created in the year that are now in this stage or a later
// pipeline stage; Now counts those currently in exactly this stage (Link
// lists those, so its total equals Now).
type FunnelStep struct {
	Stage   string `json:"stage"`
	Reached int    `json:"reached"`
	Now     int    `json:"now"`
	Link    string `json:"link"`
}

// Cockpit is everything the /dashboard page and API show.
type Cockpit struct {
	Year        int          `json:"year"`
	Unit        string       `json:"unit"`
	KPIs        []KPI        `json:"kpis"`
	Stages      []StageCount `json:"stages"`
	Funnel      []FunnelStep `json:"funnel"`
	Stale       int          `json:"stale"`
	Overdue     int          `json:"overdue"`
	StaleLink   string       `json:"stale_link"`
	OverdueLink string       `json:"overdue_link"`
	// Approval counts decisions waiting for a manager's approval.
	Approval     int    `json:"approval"`
	ApprovalLink string `json:"approval_link"`
}

// cst is China Standard Time: a year is a calendar year in China.
var cst = time.FixedZone("CST", 8*3600)

// ParseYear reads the year parameter; "" is the current year in China.
func ParseYear(s string, now time.Time) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now.In(cst).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, core.Invalid("year", "年份须为 2000–2100 之间的四位数字")
	}
	return y, nil
}

// yearRange is [1 Jan, 1 Jan next year) in China time.
func yearRange(y int) (time.Time, time.Time) {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, cst)
	return from, from.AddDate(1, 0, 0)
}
