package demo

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
)

// The demo calendar: histories run from epoch to Today.
var (
	epoch = time.Date(2023, 1, 3, 0, 0, 0, 0, core.Zone())
	// Today is the demo's "now": stale and overdue are relative to it.
	Today = time.Date(2025, 12, 31, 0, 0, 0, 0, core.Zone())
)

// calendarDays is the number of days from epoch to Today.
var calendarDays = int(Today.Sub(epoch).Hours() / 24)

// gen is a deterministic random source with the helpers the generator needs.
type gen struct{ r *rand.Rand }

// newGen returns the stream of one record kind; streams are independent so
// that adding a field to one kind does not reshuffle the others.
func newGen(stream uint64) gen {
	return gen{rand.New(rand.NewPCG(0x5a48414f5348414e, stream))} // "ZHAOSHAN"
}

func (g gen) n(k int) int                  { return g.r.IntN(k) }
func (g gen) chance(p float64) bool        { return g.r.Float64() < p }
func (g gen) between(lo, hi int) int       { return lo + g.r.IntN(hi-lo+1) }
func (g gen) pick(xs []string) string      { return xs[g.r.IntN(len(xs))] }
func (g gen) float(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

// logUniform draws from [lo, hi] with a log-uniform density: many small
// amounts and a few large ones, as real investment amounts are.
func (g gen) logUniform(lo, hi float64) float64 {
	return math.Exp(g.float(math.Log(lo), math.Log(hi)))
}

// weighted returns an index drawn with the given weights.
func (g gen) weighted(ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := g.r.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// some picks k distinct elements of xs in their original order.
func (g gen) some(xs []string, k int) []string {
	if k <= 0 {
		return nil
	}
	if k >= len(xs) {
		return append([]string(nil), xs...)
	}
	idx := g.r.Perm(len(xs))[:k]
	out := make([]string, 0, k)
	for i := range xs {
		for _, j := range idx {
			if i == j {
				out = append(out, xs[i])
				break
			}
		}
	}
	return out
}

// quota splits n by weights exactly (largest remainder) and returns the
// labels shuffled: an exact funnel with a random order.
func (g gen) quota(n int, labels []string, weights []float64) []string {
	counts := split(n, weights)
	out := make([]string, 0, n)
	for i, c := range counts {
		for range c {
			out = append(out, labels[i])
		}
	}
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// split divides n in proportion to weights with whole parts summing to n.
func split(n int, weights []float64) []int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	counts := make([]int, len(weights))
	rem := make([]float64, len(weights))
	left := n
	for i, w := range weights {
		exact := float64(n) * w / total
		counts[i] = int(exact)
		rem[i] = exact - float64(counts[i])
		left -= counts[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// day returns the office-hour time of calendar day d (0 = epoch), moved
// forward off weekends, in UTC.
func (g gen) day(d int) time.Time {
	t := epoch.AddDate(0, 0, d)
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, 2)
	case time.Sunday:
		t = t.AddDate(0, 0, 1)
	}
	return t.Add(time.Duration(9*60+g.n(8*60/5)*5) * time.Minute).UTC()
}

// dayOf is the calendar day of t.
func dayOf(t time.Time) int { return int(t.In(core.Zone()).Sub(epoch).Hours() / 24) }

// person is a generated Chinese name.
type person struct {
	Name, Pinyin, Gender string
}

func (g gen) person() person {
	s := surnames[g.weighted(surnameWeights)]
	gender, pool := "男", givenMale
	if g.chance(0.3) {
		gender, pool = "女", givenFemale
	}
	name := s.Han + g.pick(pool)
	if g.chance(0.65) {
		name += g.pick(pool)
	}
	return person{Name: name, Pinyin: s.Pinyin, Gender: gender}
}

// surnameWeights make the common surnames common.
var surnameWeights = func() []float64 {
	w := make([]float64, len(surnames))
	for i := range w {
		w[i] = 1 + 12/float64(i+2)
	}
	return w
}()

// phone returns a mobile number 1[3-9]xxxxxxxxx.
func (g gen) phone() string {
	prefixes := []string{"13", "15", "18", "17", "19", "16", "14"}
	var b strings.Builder
	b.WriteString(prefixes[g.weighted([]float64{30, 25, 25, 8, 8, 2, 2})])
	for range 9 {
		b.WriteByte(byte('0' + g.n(10)))
	}
	return b.String()
}

// orgCodeChars are the characters allowed in a new 主体标识码 body.
const orgCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode returns a new valid 统一社会信用代码 for a company registered in
// the division (GB 32100: 9 工商, 1 企业; a GB 11714 organisation code with
// its own check character; the GB 32100 check character). seen keeps the
// codes unique.
func (g gen) creditCode(division string, seen map[string]bool) string {
	for {
		var body [8]byte
		start := 0
		if g.chance(0.6) { // codes issued since 2015 start with MA
			body[0], body[1], start = 'M', 'A', 2
		}
		for i := start; i < 8; i++ {
			if start == 0 {
				body[i] = byte('0' + g.n(10))
			} else {
				body[i] = orgCodeChars[g.n(len(orgCodeChars))]
			}
		}
		org := string(body[:]) + orgCheck(body)
		first17 := "91" + division + org
		c, ok := resources.CreditCodeCheckChar(first17)
		if !ok {
			continue
		}
		code := first17 + string(c)
		if !seen[code] {
			seen[code] = true
			return code
		}
	}
}

// orgCheck is the GB 11714 check character of an organisation code body.
func orgCheck(body [8]byte) string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return "X"
	case 11:
		return "0"
	default:
		return string(rune('0' + c))
	}
}

// round rounds x to a multiple of step; decimal steps divide so that 4.7
// stays 4.7 and not 4.7000000000000002.
func round(x, step float64) float64 {
	if step < 1 {
		inv := math.Round(1 / step)
		return math.Round(x*inv) / inv
	}
	return math.Round(x/step) * step
}
