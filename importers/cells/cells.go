// Package cells parses the values field staff type into spreadsheets and
// forms: dates, amounts in 万元 and phone numbers. Every parser refuses what
// it cannot read unambiguously instead of guessing; pages, the API and the
// importer share them.
package cells

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// CST is China Standard Time (no daylight saving since 1991).
var CST = time.FixedZone("CST", 8*3600)

var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ErrEmpty is returned for blank input where a value is required.
var ErrEmpty = errors.New("空值")

// Fold turns full-width characters (２０２４，１２００) into half-width and trims spaces.
func Fold(s string) string {
	return strings.TrimSpace(width.Narrow.String(s))
}

// ParseDate reads a calendar day typed as 2024-03-05, 2024/3/5, 2024.3.5,
// 2024年3月5日 (full-width digits too) or RFC 3339, and returns midnight
// China time. "" gives the zero time and no error. Impossible days
// (2024-02-30), partial dates (3月5日) and words (待定) are errors.
func ParseDate(s string) (time.Time, error) {
	s = Fold(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("无法识别的日期 %q（示例：2024-03-05、2024年3月5日）", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, CST)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 || y > 2100 {
		return time.Time{}, fmt.Errorf("日期 %q 不存在", s)
	}
	return t.UTC(), nil
}

// FormatDate is the day of t in China time, "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(CST).Format("2006-01-02")
}

var amountRE = regexp.MustCompile(`^([+-]?\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?$`)

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
	switch m[2] {
	case "亿", "亿元":
		v *= 10000
	case "元":
		v /= 10000
	}
	if v < 0 {
		return 0, false, fmt.Errorf("金额不能为负数：%q", s)
	}
	return math.Round(v*1e6) / 1e6, true, nil
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
