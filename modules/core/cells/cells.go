// Package cells parses the values field staff type into spreadsheets and
// forms: amounts in 万元 and phone numbers (dates: core.ParseDate). Every
// parser refuses what it cannot read unambiguously instead of guessing;
// pages, the API and the importer share them.
package cells

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"
)

// ErrEmpty is returned for blank input where a value is required.
var ErrEmpty = errors.New("空值")

// Fold turns full-width characters (２０２４，１２００) into half-width and trims spaces.
func Fold(s string) string {
	return strings.TrimSpace(width.Narrow.String(s))
}

// Norm folds a cell for comparisons: full-width to half-width, no spaces,
// lower case.
func Norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(Fold(s)), ""))
}

var amountRE = regexp.MustCompile(`^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(亿元|亿|万元|万|元)?$`)

// ParseAmount reads an amount and returns it in 万元: 1200, "1,200",
// "500万元", "500万", "1.2亿" (= 12000), "3000000元" (= 300). "" is 0 with
// ok=false. Negative amounts and other text are errors.
func ParseAmount(s string) (wan float64, ok bool, err error) {
	s = strings.ReplaceAll(Fold(s), ",", "")
	s = strings.ReplaceAll(s, "，", "")
	if s == "" {
		return 0, false, nil
	}
	m := amountRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false, fmt.Errorf("无法识别的金额 %q（示例：1200、500万元、1.2亿）", s)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false, fmt.Errorf("无法识别的金额 %q", s)
	}
	if v < 0 {
		return 0, false, fmt.Errorf("金额不能为负数：%q", s)
	}
	switch m[2] {
	case "亿", "亿元":
		v *= 10000
	case "元":
		v /= 10000
	default:
		return v, true, nil // in 万元 as written: exact, so a value saved unchanged stays as stored
	}
	// A converted amount drops the float noise of the conversion (1.2亿 is
	// 12000, not 11999.999999999998).
	return math.Round(v*1e6) / 1e6, true, nil
}

// WithUnit appends a header's money unit (亿元, 元) to a bare number, so
// that "1.2" under "总投资（亿元）" reads as 12000 万元; a cell with its own
// unit keeps it.
func WithUnit(v, unit string) string {
	if unit == "" || unit == "万元" {
		return v
	}
	bare := strings.NewReplacer(",", "", "，", "").Replace(Fold(v))
	if _, err := strconv.ParseFloat(bare, 64); err != nil {
		return v
	}
	return bare + unit
}

var mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)
var landlineRE = regexp.MustCompile(`^0\d{2,3}\d{7,8}$`)

// localRE is a number written without its area code (57001234), as Kunshan
// forms and ledgers often do.
var localRE = regexp.MustCompile(`^[2-9]\d{6,7}$`)

// NormalizePhone strips spaces, dashes, brackets and a +86/0086 prefix.
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '\u3000':
			return -1
		}
		return r
	}, Fold(s))
	return strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "0086")
}

// ValidPhone reports whether a normalised number is a mainland mobile or
// landline number (with area code).
func ValidPhone(s string) bool {
	return mobileRE.MatchString(s) || landlineRE.MatchString(s)
}

// LocalPhone reports whether a normalised number is a local 7–8 digit
// number without its area code.
func LocalPhone(s string) bool { return localRE.MatchString(s) }
