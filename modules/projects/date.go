package projects

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

// Date is a calendar day as users type it: 2024-03-05, 2024/3/5, 2024.3.5
// or 2024年3月5日. Stored as midnight China time, in UTC.
type Date struct{ time.Time }

var cst = time.FixedZone("CST", 8*3600)

var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDate parses a typed day; "" is the zero Date. Impossible days
// (2024-02-30) and partial dates are errors, never guessed.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Date{t.UTC()}, nil
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("无法识别的日期 %q（示例：2024-03-05、2024年3月5日）", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, cst)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 || y > 2100 {
		return Date{}, fmt.Errorf("日期 %q 不存在", s)
	}
	return Date{t.UTC()}, nil
}

// MustField parses a form value, naming the field on error.
func ParseDateField(field, s string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil {
		return d, core.Invalid(field, "%s", err.Error())
	}
	return d, nil
}

// String is the day in China time, "" when zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.In(cst).Format("2006-01-02")
}

// MarshalJSON writes "2006-01-02" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts null, "" and every form ParseDate accepts.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("日期须为字符串，如 \"2024-03-05\"")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
