package dashboard

import (
	"math"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

// Period kinds: a calendar year, the plan period 2023–2025 (昆科字〔2023〕53号)
// or any range of days.
const (
	PeriodYear  = "year"
	PeriodPlan  = "plan"
	PeriodRange = "range"
)

// The plan period of the three-year action plan.
const (
	PlanFirstYear = 2023
	PlanLastYear  = 2025
)

// maxPeriodYears bounds a chosen range (trends draw one point a month).
const maxPeriodYears = 10

// Period is the time window of the figures: the days From–To, both
// inclusive, in the office zone (core.Zone).
type Period struct {
	Kind string `json:"kind"`
	// Year is set for a year period.
	Year int    `json:"year,omitempty"`
	From string `json:"from"` // first day, 2006-01-02
	To   string `json:"to"`   // last day
	// Label names the period in Chinese ("2025 年", "2023–2025 规划期").
	Label string `json:"label"`
	// Elapsed is the share of the period passed, in percent (0–100).
	Elapsed int `json:"elapsed"`

	start, end time.Time // [start, end): the office's midnight of From and of the day after To
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, core.Zone())
	return newPeriod(PeriodYear, start, start.AddDate(1, 0, 0), strconv.Itoa(y)+" 年", y)
}

// PlanPeriod is 2023–2025.
func PlanPeriod() Period {
	start := time.Date(PlanFirstYear, 1, 1, 0, 0, 0, 0, core.Zone())
	end := time.Date(PlanLastYear+1, 1, 1, 0, 0, 0, 0, core.Zone())
	return newPeriod(PeriodPlan, start, end, strconv.Itoa(PlanFirstYear)+"–"+strconv.Itoa(PlanLastYear)+" 规划期", 0)
}

// RangePeriod is the days from–to (inclusive).
func RangePeriod(from, to core.Date) Period {
	p := newPeriod(PeriodRange, from.In(core.Zone()), to.AddDays(1).In(core.Zone()), "", 0)
	p.Label = p.From + " 至 " + p.To
	return p
}

func newPeriod(kind string, start, end time.Time, label string, year int) Period {
	return Period{Kind: kind, Year: year, From: start.Format("2006-01-02"), To: end.AddDate(0, 0, -1).Format("2006-01-02"),
		Label: label, start: start, end: end}
}

// ParsePeriod reads the period parameters: period=plan, from and to (days
// as users type them), or year (default: the current year in China).
func ParsePeriod(year, period, from, to string, now time.Time) (Period, error) {
	period = strings.TrimSpace(period)
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	var p Period
	switch {
	case period == PeriodPlan:
		p = PlanPeriod()
	case period == PeriodRange || (period == "" && (from != "" || to != "")):
		f, err := core.ParseDateField("from", from)
		if err != nil {
			return p, err
		}
		t, err := core.ParseDateField("to", to)
		if err != nil {
			return p, err
		}
		switch {
		case f.IsZero():
			return p, core.Invalid("from", "请填写开始日期")
		case t.IsZero():
			return p, core.Invalid("to", "请填写结束日期")
		case t.Before(f):
			return p, core.Invalid("to", "结束日期不能早于开始日期")
		case f.Year() < 2000:
			return p, core.Invalid("from", "开始日期不能早于 2000 年")
		case t.After(f.AddDate(maxPeriodYears, 0, 0)):
			return p, core.Invalid("to", "时间段最长 %d 年", maxPeriodYears)
		}
		p = RangePeriod(f, t)
	case period == "" || period == PeriodYear: // an explicit year ignores from/to left in a form
		y, err := ParseYear(year, now)
		if err != nil {
			return p, err
		}
		p = YearPeriod(y)
	default:
		return p, core.Invalid("period", "period 须为 year、plan 或 range")
	}
	p.Elapsed = int(math.Floor(p.elapsed(now) * 100))
	return p, nil
}

// Range is [start, end) for date filters.
func (p Period) Range() (time.Time, time.Time) { return p.start, p.end }

// elapsed is the share of the period passed at now (0–1).
func (p Period) elapsed(now time.Time) float64 {
	switch {
	case !now.After(p.start):
		return 0
	case !now.Before(p.end):
		return 1
	}
	return float64(now.Sub(p.start)) / float64(p.end.Sub(p.start))
}

// Params are the dashboard URL parameters naming the period.
func (p Period) Params() []string {
	switch p.Kind {
	case PeriodYear:
		return []string{"year", strconv.Itoa(p.Year)}
	case PeriodPlan:
		return []string{"period", PeriodPlan}
	}
	return []string{"from", p.From, "to", p.To}
}

// Months lists the calendar months the period touches ("2006-01").
func (p Period) Months() []string {
	var out []string
	for m := time.Date(p.start.Year(), p.start.Month(), 1, 0, 0, 0, 0, core.Zone()); m.Before(p.end); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// monthDays is the part of month m ("2006-01") inside the period, as days
// (first, last) for list links, and its [start, end) range.
func (p Period) monthDays(m string) (first, last string, start, end time.Time) {
	t, _ := time.ParseInLocation("2006-01", m, core.Zone())
	start, end = t, t.AddDate(0, 1, 0)
	if start.Before(p.start) {
		start = p.start
	}
	if end.After(p.end) {
		end = p.end
	}
	return start.Format("2006-01-02"), end.AddDate(0, 0, -1).Format("2006-01-02"), start, end
}

// yearShares is, per calendar year the period touches, the share of that
// year inside the period (targets are yearly).
func (p Period) yearShares() []yearShare {
	var out []yearShare
	for y := p.start.Year(); ; y++ {
		ys, ye := time.Date(y, 1, 1, 0, 0, 0, 0, core.Zone()), time.Date(y+1, 1, 1, 0, 0, 0, 0, core.Zone())
		if !ys.Before(p.end) {
			break
		}
		s, e := ys, ye
		if s.Before(p.start) {
			s = p.start
		}
		if e.After(p.end) {
			e = p.end
		}
		out = append(out, yearShare{Year: y, Share: float64(e.Sub(s)) / float64(ye.Sub(ys))})
	}
	return out
}

type yearShare struct {
	Year  int
	Share float64
}

// wholeYears lists the years when the period is made of whole calendar
// years (a year or the plan period), else nil.
func (p Period) wholeYears() []string {
	var out []string
	for _, ys := range p.yearShares() {
		if ys.Share < 1 {
			return nil
		}
		out = append(out, strconv.Itoa(ys.Year))
	}
	return out
}
