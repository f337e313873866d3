package transfers

import (
	"math"
	"sort"
)

// The broker subsidy of the 2023 plan (昆科字〔2023〕53号): 3% of the amount
// the company actually paid on the technology contracts an intermediary
// organisation served, at most 50 万元 per organisation per year.
const (
	SubsidyRatePercent = 3
	SubsidyCapWan      = 50
)

// yuanPerWan converts 万元 to 元; the subsidy is computed in whole 元 so
// that sums of many contracts and the 3% never drift in floating point.
const yuanPerWan = 10000

// Subsidy is one organisation's subsidy for one year.
type Subsidy struct {
	Organisation string  `json:"organisation"`
	Year         int     `json:"year"`
	Paid         float64 `json:"paid"`    // amount actually paid in the year, 万元
	Subsidy      float64 `json:"subsidy"` // 万元, rounded to the 元
	Capped       bool    `json:"capped"`  // 3% of Paid exceeded the cap
}

// SubsidyOf returns the subsidy in 万元 for paid 万元 in one year, rounded
// half up to the 元, and whether the cap applied.
func SubsidyOf(paid float64) (subsidy float64, capped bool) {
	if paid <= 0 || math.IsNaN(paid) {
		return 0, false
	}
	yuan := int64(math.Round(paid * yuanPerWan))
	s := (yuan*SubsidyRatePercent + 50) / 100
	if capYuan := int64(SubsidyCapWan * yuanPerWan); s > capYuan {
		return SubsidyCapWan, true
	}
	return float64(s) / yuanPerWan, false
}

// roundYuan rounds 万元 to whole 元 (4 decimals).
func roundYuan(wan float64) float64 { return math.Round(wan*yuanPerWan) / yuanPerWan }

// Subsidies turns the paid amounts per organisation of one year into
// subsidies, largest first. Deals without an organisation ("") get none.
func Subsidies(year int, paidByOrg map[string]float64) []Subsidy {
	out := make([]Subsidy, 0, len(paidByOrg))
	for org, paid := range paidByOrg {
		if org == "" {
			continue
		}
		s, capped := SubsidyOf(paid)
		out = append(out, Subsidy{Organisation: org, Year: year, Paid: roundYuan(paid), Subsidy: s, Capped: capped})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Subsidy != out[j].Subsidy {
			return out[i].Subsidy > out[j].Subsidy
		}
		return out[i].Organisation < out[j].Organisation
	})
	return out
}

// PaidByOrganisation adds up what was paid per organisation in year over
// deals (the same grouping the engine's Sums answer for the service).
func PaidByOrganisation(deals []*Deal, year int) map[string]float64 {
	out := map[string]float64{}
	for _, d := range deals {
		if d.Organisation != "" && d.Year() == year {
			out[d.Organisation] += d.Paid
		}
	}
	return out
}
