// Package dashboard is the manager cockpit (驾驶舱): targets against actual
// figures for a year, the plan period or any range (city and per unit, with
// progress against time elapsed), projects per stage, the funnel and time
// in stage from the stage history, monthly trends and stuck work. Every
// figure is an engine count, facet or sum within the caller's scope over
// fields the project search document derives from the stored record
// (projects.ToDoc), so it stays exact after imports, undo, backward moves
// and deletions; every figure links to the list that produced it.
package dashboard

import (
	"math"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

// KPI is one plan indicator: the period's target and what was achieved.
type KPI struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Unit   string  `json:"unit"`
	Target float64 `json:"target"`
	Actual int     `json:"actual"`
	// Progress is Percent(): the progress against the target in percent.
	Progress int `json:"progress"`
	// Expected is the target times the share of the period passed: what
	// should be done by now; Status compares Actual with it.
	Expected float64 `json:"expected"`
	Status   string  `json:"status"`
	// Link is the filtered list that produced Actual ("" when no list can
	// express the period, e.g. transfers over a range of days).
	Link string `json:"link"`
}

// KPI statuses against time elapsed.
const (
	OnTrack  = "on_track"
	Behind   = "behind"
	NoTarget = "no_target"
)

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

// judge sets Progress, Expected and Status for a period elapsed (0–1): on
// track when the actual figure has reached the target's share of the time
// passed.
func (k *KPI) judge(elapsed float64) {
	k.Progress = k.Percent()
	if k.Target <= 0 {
		k.Expected, k.Status = 0, NoTarget
		return
	}
	exp := k.Target * elapsed
	k.Expected = math.Round(exp*10) / 10
	if float64(k.Actual)+1e-9 >= exp {
		k.Status = OnTrack
	} else {
		k.Status = Behind
	}
}

// StageCount is how many projects are now in one stage.
type StageCount struct {
	Stage string `json:"stage"`
	Count int    `json:"count"`
	Link  string `json:"link"`
}

// FunnelStep is one bar of a funnel: the projects that entered the
// funnel's first stage in the period (the cohort) and then reached Stage.
// Rate is Reached as a percentage of the previous bar (the first: 100).
// Link lists exactly those projects.
type FunnelStep struct {
	Stage   string  `json:"stage"`
	Reached int     `json:"reached"`
	Rate    float64 `json:"rate"`
	Link    string  `json:"link"`
}

// UnitRow is one unit's targets against actual figures for the period.
type UnitRow struct {
	Unit string `json:"unit"`
	Name string `json:"name"`
	KPIs []KPI  `json:"kpis"`
}

// Cockpit is everything the /dashboard page and API show.
type Cockpit struct {
	Year   int    `json:"year"` // the period's year (0 for other periods)
	Unit   string `json:"unit"`
	Period Period `json:"period"`
	KPIs   []KPI  `json:"kpis"`
	// Units compares the units in scope (targets and actual per unit).
	Units  []UnitRow    `json:"units"`
	Stages []StageCount `json:"stages"`
	// Funnel: projects that entered 资源搜索 in the period and then reached
	// each later stage (from the stage history; see FunnelReport).
	Funnel      []FunnelStep `json:"funnel"`
	Stale       int          `json:"stale"`
	Overdue     int          `json:"overdue"`
	StaleLink   string       `json:"stale_link"`
	OverdueLink string       `json:"overdue_link"`
	// Approval counts decisions waiting for a manager's approval.
	Approval     int    `json:"approval"`
	ApprovalLink string `json:"approval_link"`
}

// rate is part/whole in percent with one decimal (0 when whole is 0).
func rate(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// ParseYear reads the year parameter; "" is the current year in China.
func ParseYear(s string, now time.Time) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now.In(core.Zone()).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, core.Invalid("year", "年份须为 2000–2100 之间的四位数字")
	}
	return y, nil
}
