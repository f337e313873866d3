package core

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"golang.org/x/text/width"
)

// Date is a calendar day — 签约, 活动日期, 办结期限, 出生年月 — with no time
// of day and no zone: the day a user typed is the day stored, exported and
// shown, wherever the server runs. The zero Date is "no date". Dates
// compare with ==.
//
// Stored in BSON as the string "2006-01-02" (null when zero). Documents
// written before Date existed hold a datetime; it is read as the day it
// falls on in the office zone (2024-05-16T01:50Z and 2024-05-15T16:00Z are
// both 2024-05-16 in Asia/Shanghai).
type Date struct {
	year  int
	month time.Month
	day   int
}

// NewDate is the day y-m-d, normalised as time.Date does (2024-02-30 is
// 2024-03-01).
func NewDate(y int, m time.Month, d int) Date {
	return dateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf is the day t falls on in the office zone (Zone); the zero time
// gives the zero Date.
func DateOf(t time.Time) Date { return DateIn(t, Zone()) }

// DateIn is the day t falls on in loc; the zero time gives the zero Date.
func DateIn(t time.Time, loc *time.Location) Date {
	if t.IsZero() {
		return Date{}
	}
	return dateOf(t.In(loc))
}

func dateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today is the office's current day.
func Today(now time.Time) Date { return DateOf(now) }

// dateRE is a full day as typed: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日.
var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDate is the one date parser of forms, API, importer and stored
// strings. It reads a day typed as 2024-03-05, 2024/3/5, 2024.3.5 or
// 2024年3月5日 (full-width digits and spaces too), or an RFC 3339 moment
// (its day in the office zone). "" is the zero Date and no error.
// Impossible days (2024-02-30), partial dates (3月5日), years outside
// 1900–2100 and words (待定) are errors: a day is never guessed.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(width.Narrow.String(s))
	if s == "" {
		return Date{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if d := DateOf(t); d.year >= 1900 && d.year <= 2100 {
			return d, nil
		}
		return Date{}, fmt.Errorf("日期 %q 不存在", s)
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("无法识别的日期 %q（示例：2024-03-05、2024年3月5日）", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	v := NewDate(y, time.Month(mo), d)
	if v.year != y || int(v.month) != mo || v.day != d || y < 1900 || y > 2100 {
		return Date{}, fmt.Errorf("日期 %q 不存在", s)
	}
	return v, nil
}

// ParseDateField is ParseDate for a form or query value, naming the field
// on error.
func ParseDateField(field, s string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil {
		return d, Invalid(field, "%s", err.Error())
	}
	return d, nil
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Year, Month and Day are d's parts (0 for the zero Date).
func (d Date) Year() int         { return d.year }
func (d Date) Month() time.Month { return d.month }
func (d Date) Day() int          { return d.day }

// Compare is -1, 0 or +1 as d is before, equal to or after e; the zero
// Date is before every day.
func (d Date) Compare(e Date) int {
	return cmp.Or(cmp.Compare(d.year, e.year), cmp.Compare(d.month, e.month), cmp.Compare(d.day, e.day))
}

// Before and After compare days.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }
func (d Date) After(e Date) bool  { return d.Compare(e) > 0 }

// AddDays is the day n days after d (before, for n < 0); the zero Date
// stays zero.
func (d Date) AddDays(n int) Date { return d.AddDate(0, 0, n) }

// AddDate adds years, months and days as time.AddDate does (normalising
// 2024-01-31 + 1 month to 2024-03-02); the zero Date stays zero.
func (d Date) AddDate(years, months, days int) Date {
	if d.IsZero() {
		return d
	}
	return dateOf(d.In(time.UTC).AddDate(years, months, days))
}

// DaysSince is the number of days from e to d (negative when d is before e).
func (d Date) DaysSince(e Date) int {
	return int(d.In(time.UTC).Sub(e.In(time.UTC)).Hours() / 24)
}

// In is the start of the day in loc; the zero Date gives the zero time.
func (d Date) In(loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, loc)
}

// Time is the start of the day in the office zone, in UTC: what range
// filters of the search engine compare (a day's range is [d.Time(),
// d.AddDays(1).Time())). The zero Date gives the zero time.
func (d Date) Time() time.Time { return d.In(Zone()).UTC() }

// Format formats the day with a time layout ("2006-01", "2006年1月2日");
// the zero Date gives "".
func (d Date) Format(layout string) string {
	if d.IsZero() {
		return ""
	}
	return d.In(time.UTC).Format(layout)
}

// String is "2006-01-02", "" for the zero Date.
func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalJSON writes "2006-01-02", or null for the zero Date.
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
		return errors.New("日期须为字符串，如 \"2024-03-05\"")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalBSONValue stores "2006-01-02", or null for the zero Date (a field
// tagged omitempty is left out instead).
func (d Date) MarshalBSONValue() (bsontype.Type, []byte, error) {
	if d.IsZero() {
		return bson.TypeNull, nil, nil
	}
	return bson.MarshalValue(d.String())
}

// UnmarshalBSONValue reads a stored string, null, or a datetime written
// before Date existed (its day in the office zone).
func (d *Date) UnmarshalBSONValue(t bsontype.Type, b []byte) error {
	raw := bson.RawValue{Type: t, Value: b}
	switch t {
	case bson.TypeNull, bson.TypeUndefined:
		*d = Date{}
		return nil
	case bson.TypeDateTime:
		*d = DateOf(raw.Time())
		return nil
	case bson.TypeString:
		v, err := ParseDate(raw.StringValue())
		if err != nil {
			return fmt.Errorf("core.Date: %w", err)
		}
		*d = v
		return nil
	}
	return fmt.Errorf("core.Date: cannot read a BSON %s", t)
}
