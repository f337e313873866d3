package dashboard

import (
	"fmt"
	"testing"
	"time"

	"zhaoshang/modules/core"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 7, 2, 4, 0, 0, 0, time.UTC) // 2026-07-02 noon in China
	for _, tc := range []struct {
		year, period, from, to string
		want                   string // kind from to elapsed, or the field in error
	}{
		{"", "", "", "", "year 2026-01-01 2026-12-31 50"},
		{"2025", "", "", "", "year 2025-01-01 2025-12-31 100"},
		{"2027", "year", "2025-01-01", "2025-02-01", "year 2027-01-01 2027-12-31 0"},
		{"", "plan", "", "", "plan 2023-01-01 2025-12-31 100"},
		{"", "", "2026.7.1", "2026年7月3日", "range 2026-07-01 2026-07-03 50"},
		{"", "range", "2026-06-01", "2026-06-30", "range 2026-06-01 2026-06-30 100"},
		{"", "range", "", "", "error from"},
		{"", "", "2026-01-01", "", "error to"},
		{"", "", "", "2026-01-01", "error from"},
		{"", "", "2026-03-01", "2026-02-01", "error to"},
		{"", "", "1999-12-01", "2000-02-01", "error from"},
		{"", "", "2001-01-01", "2011-01-02", "error to"},
		{"", "", "x", "2026-01-01", "error from"},
		{"", "decade", "", "", "error period"},
		{"26", "", "", "", "error year"},
	} {
		p, err := ParsePeriod(tc.year, tc.period, tc.from, tc.to, now)
		got := fmt.Sprintf("%s %s %s %d", p.Kind, p.From, p.To, p.Elapsed)
		if err != nil {
			got = "error " + errField(err)
		}
		if got != tc.want {
			t.Errorf("ParsePeriod(%q,%q,%q,%q) = %s, want %s", tc.year, tc.period, tc.from, tc.to, got, tc.want)
		}
	}
}

func errField(err error) string {
	if fe, ok := core.AsFieldError(err); ok {
		return fe.Field
	}
	return err.Error()
}

func TestPeriodShares(t *testing.T) {
	p := RangePeriod(core.NewDate(2024, 7, 1), core.NewDate(2025, 3, 31))
	shares := p.yearShares()
	if len(shares) != 2 || shares[0].Year != 2024 || fmt.Sprintf("%.4f", shares[0].Share) != fmt.Sprintf("%.4f", 184.0/366) ||
		shares[1].Year != 2025 || fmt.Sprintf("%.4f", shares[1].Share) != fmt.Sprintf("%.4f", 90.0/365) {
		t.Errorf("shares %+v", shares)
	}
	if m := p.Months(); len(m) != 9 || m[0] != "2024-07" || m[8] != "2025-03" {
		t.Errorf("months %v", m)
	}
	q := RangePeriod(core.NewDate(2025, 2, 15), core.NewDate(2025, 4, 10))
	if first, last, _, _ := q.monthDays("2025-02"); first != "2025-02-15" || last != "2025-02-28" {
		t.Errorf("February %s %s", first, last)
	}
	if first, last, _, _ := q.monthDays("2025-04"); first != "2025-04-01" || last != "2025-04-10" {
		t.Errorf("April %s %s", first, last)
	}
	if PlanPeriod().wholeYears() == nil || q.wholeYears() != nil || len(YearPeriod(2025).wholeYears()) != 1 {
		t.Error("wholeYears")
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		dist map[string]int
		n    int
		want string
	}{
		{nil, 0, "nil"},
		{map[string]int{"00005": 1}, 1, "5"},
		{map[string]int{"00005": 1, "00010": 1}, 2, "7.5"},
		{map[string]int{"00010": 2, "00003": 1}, 3, "10"},
		{map[string]int{"00001": 3, "00100": 3}, 6, "50.5"},
		{map[string]int{"00002": 1, "00004": 1, "00100": 2}, 4, "52"},
		{map[string]int{"bad": 4, "00007": 1}, 1, "7"},
	} {
		n, m := median(tc.dist)
		got := "nil"
		if m != nil {
			got = fmt.Sprint(*m)
		}
		if n != tc.n || got != tc.want {
			t.Errorf("median(%v) = %d %s, want %d %s", tc.dist, n, got, tc.n, tc.want)
		}
	}
}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		target  float64
		actual  int
		elapsed float64
		want    string
	}{
		{0, 5, 0.5, NoTarget + " 0"}, {100, 50, 0.5, OnTrack + " 50"}, {100, 49, 0.5, Behind + " 50"},
		{3000, 0, 0, OnTrack + " 0"}, {30, 10, 1.0 / 3, OnTrack + " 10"}, {10, 12, 1, OnTrack + " 10"},
	} {
		k := KPI{Target: tc.target, Actual: tc.actual}
		k.judge(tc.elapsed)
		if got := fmt.Sprintf("%s %v", k.Status, k.Expected); got != tc.want {
			t.Errorf("judge(%v, %d, %v) = %s, want %s", tc.target, tc.actual, tc.elapsed, got, tc.want)
		}
	}
}
