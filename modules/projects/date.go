package projects

import (
	"encoding/json"
	"fmt"
	"time"

	"zhaoshang/importers/cells"
	"zhaoshang/modules/core"
)

// Date is a calendar day as users type it: 2024-03-05, 2024/3/5, 2024.3.5
// or 2024年3月5日. Stored as midnight China time, in UTC.
type Date struct{ time.Time }

// ParseDate parses a typed day (cells.ParseDate: the one date parser of
// pages, API and importer); "" is the zero Date.
func ParseDate(s string) (Date, error) {
	t, err := cells.ParseDate(s)
	return Date{t}, err
}

// ParseDateField parses a form value, naming the field on error.
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
	return cells.FormatDate(d.Time)
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
