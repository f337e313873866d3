package transfers

import (
	"math"
	"testing"
	"time"

	"zhaoshang/modules/core"
)

func TestSubsidyOf(t *testing.T) {
	cases := []struct {
		paid    float64 // 万元 paid in the year
		subsidy float64 // 万元
		capped  bool
	}{
		{0, 0, false},
		{-5, 0, false},
		{math.NaN(), 0, false},
		{100, 3, false},
		{123.45, 3.7035, false},
		{0.0001, 0, false},      // 1 元 → 0.03 元 rounds to 0
		{0.0017, 0.0001, false}, // 17 元 → 0.51 元 rounds half up to 1 元
		{0.0050, 0.0002, false}, // 50 元 → 1.5 元 → 2 元
		{1000, 30, false},       // 3% of 1000 万元
		{1666.6666, 50, false},  // 16,666,666 元 → 499,999.98 元 rounds to 500,000 元: at the cap, not over it
		{1666.6667, 50, false},  // 500,000.01 元 rounds to 500,000 元: at the cap, not over it
		{1666.7, 50, true},      // 500,010 元 > cap
		{2000, 50, true},
		{1e6, 50, true},
	}
	for _, c := range cases {
		got, capped := SubsidyOf(c.paid)
		if math.Abs(got-c.subsidy) > 1e-9 || capped != c.capped {
			t.Errorf("SubsidyOf(%v) = %v, %v; want %v, %v", c.paid, got, capped, c.subsidy, c.capped)
		}
	}
}

func deal(org string, y int, m time.Month, paid float64) *Deal {
	return &Deal{Organisation: org, Paid: paid, Amount: paid, Date: core.NewDate(y, m, 15)}
}

func TestSubsidiesPerOrganisationPerYear(t *testing.T) {
	const a, b, c = "昆山天工技术转移有限公司", "苏州科创知识产权服务中心", "昆山小微技术经纪事务所"
	deals := []*Deal{
		// Organisation a: three brokers' contracts in 2024 add up to 1,800 万元
		// paid → 54 万元 before the cap → 50.
		deal(a, 2024, 1, 1000), deal(a, 2024, 6, 500.5), deal(a, 2024, 12, 299.5),
		// ... and a 2023 contract that counts for 2023 only.
		deal(a, 2023, 11, 100),
		// Organisation b: two contracts, 123.45 + 76.55 = 200 万元 → 6 万元.
		deal(b, 2024, 3, 123.45), deal(b, 2024, 4, 76.55),
		// Organisation c: 0.35 万元 paid → 105 元.
		deal(c, 2024, 2, 0.35),
		// No broker: no organisation, no subsidy.
		deal("", 2024, 5, 900),
		// The day 2025-01-01 is a 2025 deal (its start is 2024 in UTC).
		{Organisation: b, Paid: 10, Amount: 10, Date: core.NewDate(2025, 1, 1)},
	}
	cases := []struct {
		year int
		want []Subsidy
	}{
		{2024, []Subsidy{
			{Organisation: a, Year: 2024, Paid: 1800, Subsidy: 50, Capped: true},
			{Organisation: b, Year: 2024, Paid: 200, Subsidy: 6},
			{Organisation: c, Year: 2024, Paid: 0.35, Subsidy: 0.0105},
		}},
		{2023, []Subsidy{{Organisation: a, Year: 2023, Paid: 100, Subsidy: 3}}},
		{2025, []Subsidy{{Organisation: b, Year: 2025, Paid: 10, Subsidy: 0.3}}},
		{2022, []Subsidy{}},
	}
	for _, tc := range cases {
		got := Subsidies(tc.year, PaidByOrganisation(deals, tc.year))
		if len(got) != len(tc.want) {
			t.Fatalf("%d: got %+v, want %+v", tc.year, got, tc.want)
		}
		for i := range got {
			g, w := got[i], tc.want[i]
			if g.Organisation != w.Organisation || g.Year != w.Year || math.Abs(g.Paid-w.Paid) > 1e-9 ||
				math.Abs(g.Subsidy-w.Subsidy) > 1e-9 || g.Capped != w.Capped {
				t.Errorf("%d row %d: got %+v, want %+v", tc.year, i, g, w)
			}
		}
	}
}

func TestSubsidiesOrderAndFloatSums(t *testing.T) {
	// 0.1 + 0.2 in floating point is 0.30000000000000004: the 元 rounding
	// keeps the figure exact.
	got := Subsidies(2024, map[string]float64{"乙": 0.1 + 0.2, "甲": 0.1 + 0.2, "丙": 2000})
	if got[0].Organisation != "丙" || got[1].Organisation != "乙" || got[2].Organisation != "甲" {
		t.Fatalf("order: %+v", got)
	}
	if got[1].Paid != 0.3 || got[1].Subsidy != 0.009 {
		t.Fatalf("rounding: %+v", got[1])
	}
}
