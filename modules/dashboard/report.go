package dashboard

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

// reportTop is how many projects of each stuck list the report prints.
const reportTop = 10

// ReportKPI is one indicator of the monthly report: the year's target, the
// year to date (1 January to the month's last day: the yearly target by the
// share of days, on track against it) and the month alone.
type ReportKPI struct {
	Key        string  `json:"key"`
	Label      string  `json:"label"`
	Unit       string  `json:"unit"`
	YearTarget float64 `json:"year_target"`
	YearToDate KPI     `json:"year_to_date"`
	Month      KPI     `json:"month"`
}

// ReportUnit is one unit's row of the city report.
type ReportUnit struct {
	Unit string      `json:"unit"`
	Name string      `json:"name"`
	KPIs []ReportKPI `json:"kpis"`
}

// ReportStuck is one stuck-work list: its total now and its first projects.
type ReportStuck struct {
	Kind  string     `json:"kind"`
	Total int        `json:"total"`
	Link  string     `json:"link"`
	Items []StuckRow `json:"items"`
}

// Report is the printable monthly report (月度报告) of the caller's scope
// or one unit. Every figure is the figure of the cockpit, funnel, trends
// and stuck APIs for the same period and scope: YearToDate and Month are
// those APIs' from/to periods.
type Report struct {
	Month      string `json:"month"` // 2006-01
	Label      string `json:"label"` // 2025 年 3 月
	Unit       string `json:"unit"`
	UnitName   string `json:"unit_name"`
	YearToDate Period `json:"year_to_date"`
	MonthRange Period `json:"month_range"`
	// KPIs: targets against actual figures, year to date and the month.
	KPIs []ReportKPI `json:"kpis"`
	// Trend: the month's new projects, signings, capital arrived and events held.
	Trend TrendPoint `json:"trend"`
	// Funnel of the month: projects that entered 资源搜索 in the month and
	// then reached each stage, the side exits and every stage's flow.
	Funnel []FunnelStep `json:"funnel"`
	Exits  []FunnelStep `json:"exits"`
	Stages []StageFlow  `json:"stages"`
	// Stuck work now (stale, overdue, waiting approval) with the top projects.
	Stuck []ReportStuck `json:"stuck"`
	// Units: every unit in scope (the city report only).
	Units       []ReportUnit `json:"units"`
	GeneratedAt time.Time    `json:"generated_at"`
}

var monthPattern = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

// ParseMonth reads month=YYYY-MM ("" = the current month in China); a
// month before 2000 or after the current one is refused on "month".
func ParseMonth(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	cur := now.In(core.Zone())
	cur = time.Date(cur.Year(), cur.Month(), 1, 0, 0, 0, 0, core.Zone())
	if s == "" {
		return cur, nil
	}
	m := monthPattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, core.Invalid("month", "month 须为 YYYY-MM 格式的月份，如 2025-03")
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 {
		return time.Time{}, core.Invalid("month", "month 的月份须在 01–12 之间")
	}
	t := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, core.Zone())
	switch {
	case y < 2000:
		return time.Time{}, core.Invalid("month", "month 不能早于 2000 年")
	case t.After(cur):
		return time.Time{}, core.Invalid("month", "month 不能晚于本月")
	}
	return t, nil
}

// ReportPeriods are the year-to-date and month periods of month m, as the
// cockpit API reads from= and to= (so their figures are that API's).
func ReportPeriods(m, now time.Time) (ytd, month Period, err error) {
	last := m.AddDate(0, 1, -1).Format("2006-01-02")
	if ytd, err = ParsePeriod("", PeriodRange, m.Format("2006")+"-01-01", last, now); err != nil {
		return
	}
	month, err = ParsePeriod("", PeriodRange, m.Format("2006-01-02"), last, now)
	return
}

// Report computes the monthly report of month (YYYY-MM) for scope,
// narrowed to unit when set (403 outside the scope, a field error on
// "unit" when unknown).
func (s *Service) Report(ctx context.Context, scope core.Scope, month, unit string) (*Report, error) {
	now := s.now()
	m, err := ParseMonth(month, now)
	if err != nil {
		return nil, err
	}
	if _, err := s.scoped(scope, unit); err != nil {
		return nil, err
	}
	ytdP, monthP, err := ReportPeriods(m, now)
	if err != nil {
		return nil, err
	}
	r := &Report{Month: m.Format("2006-01"), Label: m.Format("2006 年 1 月"), Unit: unit, YearToDate: ytdP, MonthRange: monthP,
		GeneratedAt: now, Stuck: make([]ReportStuck, len(StuckKinds))}
	var (
		ytd, mon   *Cockpit
		tr         *Trends
		fr         *FunnelReport
		yearTarget map[string]float64
	)
	jobs := []func() error{
		func() (err error) { ytd, err = s.Cockpit(ctx, scope, ytdP, unit); return },
		func() (err error) { mon, err = s.Cockpit(ctx, scope, monthP, unit); return },
		func() (err error) { tr, err = s.Trends(ctx, scope, monthP, unit); return },
		func() (err error) {
			fr, err = s.Funnel(ctx, scope, FunnelQuery{Period: monthP, Unit: unit})
			return
		},
		func() (err error) { yearTarget, err = s.periodTargets(ctx, YearPeriod(m.Year()), unit); return },
	}
	for i, kind := range StuckKinds {
		jobs = append(jobs, func() error {
			p, err := s.Stuck(ctx, scope, StuckQuery{Kind: kind, Unit: unit, PerPage: reportTop})
			if err != nil {
				return err
			}
			r.Stuck[i] = ReportStuck{Kind: kind, Total: p.Total, Link: p.Link, Items: p.Items}
			return nil
		})
	}
	if err := parallel(jobs...); err != nil {
		return nil, err
	}
	r.KPIs = reportKPIs(ytd.KPIs, mon.KPIs, yearTarget)
	r.Trend = tr.Total
	r.Trend.Month = r.Month
	r.Funnel, r.Exits, r.Stages = fr.Steps, fr.Exits, fr.Stages
	r.Units = []ReportUnit{}
	if unit == "" {
		for i, u := range ytd.Units {
			if i >= len(mon.Units) || mon.Units[i].Unit != u.Unit {
				continue // both cockpits list the same units in the same order
			}
			yt, err := s.periodTargets(ctx, YearPeriod(m.Year()), u.Unit)
			if err != nil {
				return nil, err
			}
			r.Units = append(r.Units, ReportUnit{Unit: u.Unit, Name: u.Name, KPIs: reportKPIs(u.KPIs, mon.Units[i].KPIs, yt)})
		}
	}
	return r, nil
}

// reportKPIs pairs the year-to-date and month indicators by key.
func reportKPIs(ytd, month []KPI, yearTarget map[string]float64) []ReportKPI {
	byKey := map[string]KPI{}
	for _, k := range month {
		byKey[k.Key] = k
	}
	out := []ReportKPI{}
	for _, k := range ytd {
		out = append(out, ReportKPI{Key: k.Key, Label: k.Label, Unit: k.Unit, YearTarget: yearTarget[k.Key], YearToDate: k, Month: byKey[k.Key]})
	}
	return out
}
