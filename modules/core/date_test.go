package core

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// The expectations below are for the default office zone.
func checkDefaultZone(t *testing.T) {
	t.Helper()
	if Zone().String() != DefaultZone {
		t.Fatalf("these tests assume ZS_TIMEZONE unset (zone %s)", Zone())
	}
}

func TestParseDate(t *testing.T) {
	checkDefaultZone(t)
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2024-03-05", "2024-03-05", true}, {"2024/3/5", "2024-03-05", true}, {"2024.3.5", "2024-03-05", true},
		{"2024年3月5日", "2024-03-05", true}, {"２０２４年３月５日", "2024-03-05", true}, {" 2024-3-5 ", "2024-03-05", true},
		{"2024 年 3 月 5 日", "2024-03-05", true}, {"2024年3月5", "2024-03-05", true}, {"\u30002024-03-05\u3000", "2024-03-05", true},
		{"", "", true}, {"   ", "", true}, {"2024-02-29", "2024-02-29", true}, {"1900-01-01", "1900-01-01", true}, {"2100-12-31", "2100-12-31", true},
		// RFC 3339 moments are the day they fall on in the office zone.
		{"2024-05-15T16:00:00Z", "2024-05-16", true}, {"2024-05-15T15:59:59Z", "2024-05-15", true},
		{"2024-05-16T01:50:00Z", "2024-05-16", true}, {"2024-05-16T00:00:00+08:00", "2024-05-16", true},
		{"2024-02-30", "", false}, {"2023-02-29", "", false}, {"待定", "", false}, {"3月5日", "", false},
		{"2024-13-01", "", false}, {"2024-00-10", "", false}, {"2024-01-00", "", false}, {"24-3-5", "", false},
		{"1899-12-31", "", false}, {"2101-01-01", "", false}, {"20240305", "", false}, {"2024-03", "", false},
		{"2024-03-05 10:00", "", false}, {"0001-01-01T00:00:00Z", "", false}, {"45432", "", false},
		{"2024年3月", "", false}, {"2024-3-5-6", "", false}, {"yesterday", "", false},
	} {
		d, err := ParseDate(c.in)
		if (err == nil) != c.ok || (c.ok && d.String() != c.want) {
			t.Errorf("ParseDate(%q) = %q, %v", c.in, d, err)
		}
		if err != nil && !d.IsZero() {
			t.Errorf("ParseDate(%q) failed but gave %q", c.in, d)
		}
	}
}

func TestParseDateField(t *testing.T) {
	_, err := ParseDateField("signed", "待定")
	if fe, ok := AsFieldError(err); !ok || fe.Field != "signed" || !strings.Contains(fe.Message, "待定") {
		t.Fatalf("ParseDateField: %v", err)
	}
}

func TestDateParts(t *testing.T) {
	d := NewDate(2024, 2, 30) // normalised like time.Date
	if d.String() != "2024-03-01" || d.Year() != 2024 || d.Month() != time.March || d.Day() != 1 {
		t.Fatalf("NewDate(2024, 2, 30) = %s", d)
	}
	var zero Date
	if !zero.IsZero() || zero.String() != "" || zero.Format("2006-01") != "" || !zero.Time().IsZero() || !zero.AddDays(3).IsZero() {
		t.Fatalf("zero Date: %q %v %v", zero, zero.Time(), zero.AddDays(3))
	}
	a, b := NewDate(2024, 12, 31), NewDate(2025, 1, 1)
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Fatal("Compare")
	}
	if !zero.Before(a) || a.AddDays(1) != b || b.AddDays(-1) != a || b.DaysSince(a) != 1 || a.DaysSince(b) != -1 {
		t.Fatal("AddDays / DaysSince")
	}
	if got := NewDate(2024, 1, 31).AddDate(0, 1, 0); got != NewDate(2024, 3, 2) {
		t.Fatalf("AddDate: %s", got)
	}
	if got := NewDate(2024, 5, 16).Format("2006年1月2日"); got != "2024年5月16日" {
		t.Fatalf("Format: %s", got)
	}
}

func TestDateZone(t *testing.T) {
	checkDefaultZone(t)
	d := NewDate(2024, 5, 16)
	if got := d.Time(); !got.Equal(time.Date(2024, 5, 15, 16, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Fatalf("Time() = %v", got)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.In(ny); got.Format(time.RFC3339) != "2024-05-16T00:00:00-04:00" {
		t.Fatalf("In(New York) = %v", got)
	}
	for _, c := range []struct {
		at   string
		loc  *time.Location
		want string
	}{
		{"2024-05-15T15:59:59.999Z", Zone(), "2024-05-15"}, {"2024-05-15T16:00:00Z", Zone(), "2024-05-16"},
		{"2024-05-16T01:50:00Z", Zone(), "2024-05-16"}, {"2024-12-31T16:00:00Z", Zone(), "2025-01-01"},
		{"2024-05-16T01:50:00Z", ny, "2024-05-15"}, {"2024-05-16T04:00:00Z", ny, "2024-05-16"},
		// 1988 summer: China kept daylight saving time (+09:00).
		{"1988-06-30T15:00:00Z", Zone(), "1988-07-01"}, {"1988-06-30T14:59:59Z", Zone(), "1988-06-30"},
	} {
		at, _ := time.Parse(time.RFC3339Nano, c.at)
		if got := DateIn(at, c.loc); got.String() != c.want {
			t.Errorf("DateIn(%s, %s) = %s, want %s", c.at, c.loc, got, c.want)
		}
	}
	if !DateOf(time.Time{}).IsZero() {
		t.Fatal("DateOf(zero time)")
	}
	// Each day's start maps back to the day, across the DST years too.
	for day := NewDate(1985, 1, 1); day.Year() < 1993; day = day.AddDays(1) {
		if got := DateOf(day.Time()); got != day {
			t.Fatalf("DateOf(%s.Time()) = %s", day, got)
		}
	}
}

func TestLoadZone(t *testing.T) {
	for _, c := range []struct {
		name, want string
		ok         bool
	}{
		{"", "Asia/Shanghai", true}, {" Asia/Shanghai ", "Asia/Shanghai", true}, {"Europe/Berlin", "Europe/Berlin", true},
		{"UTC", "UTC", true}, {"Mars/Olympus", "Asia/Shanghai", false}, {"../../etc/passwd", "Asia/Shanghai", false},
	} {
		loc, err := LoadZone(c.name)
		if (err == nil) != c.ok || loc == nil || loc.String() != c.want {
			t.Errorf("LoadZone(%q) = %v, %v", c.name, loc, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D Date  `json:"d"`
		P *Date `json:"p,omitempty"`
		Z Date  `json:"z,omitzero"`
	}
	b, err := json.Marshal(doc{D: NewDate(2024, 5, 16)})
	if err != nil || string(b) != `{"d":"2024-05-16"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	if b, _ := json.Marshal(doc{}); string(b) != `{"d":null}` {
		t.Fatalf("marshal zero: %s", b)
	}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{`{"d":"2024-05-16"}`, "2024-05-16", true}, {`{"d":"2024年5月16日"}`, "2024-05-16", true},
		{`{"d":"2024-05-15T16:00:00Z"}`, "2024-05-16", true}, {`{"d":null}`, "", true}, {`{"d":""}`, "", true}, {`{}`, "", true},
		{`{"d":"2024-02-30"}`, "", false}, {`{"d":20240516}`, "", false}, {`{"d":"soon"}`, "", false}, {`{"d":{}}`, "", false},
	} {
		var v doc
		err := json.Unmarshal([]byte(c.in), &v)
		if (err == nil) != c.ok || (c.ok && v.D.String() != c.want) {
			t.Errorf("unmarshal %s = %q, %v", c.in, v.D, err)
		}
	}
}

func TestDateBSON(t *testing.T) {
	checkDefaultZone(t)
	type doc struct {
		D Date  `bson:"d"`
		O Date  `bson:"o,omitempty"`
		P *Date `bson:"p,omitempty"`
	}
	day := NewDate(2024, 5, 16)
	b, err := bson.Marshal(doc{D: day, O: day, P: &day})
	if err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := bson.Unmarshal(b, &raw); err != nil || raw["d"] != "2024-05-16" || raw["o"] != "2024-05-16" || raw["p"] != "2024-05-16" {
		t.Fatalf("stored form: %v %v", raw, err)
	}
	var back doc
	if err := bson.Unmarshal(b, &back); err != nil || back.D != day || back.O != day || back.P == nil || *back.P != day {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	b, _ = bson.Marshal(doc{})
	raw = nil
	if err := bson.Unmarshal(b, &raw); err != nil || len(raw) != 1 || raw["d"] != nil {
		t.Fatalf("zero: omitempty leaves the field out, else null: %v %v", raw, err)
	}
	back = doc{}
	if err := bson.Unmarshal(b, &back); err != nil || !back.D.IsZero() || !back.O.IsZero() || back.P != nil {
		t.Fatalf("zero round trip: %+v %v", back, err)
	}

	// Documents written before Date: datetimes, read as their office day.
	for _, c := range []struct {
		stored any
		want   string
		ok     bool
	}{
		{time.Date(2024, 5, 16, 1, 50, 0, 0, time.UTC), "2024-05-16", true}, // demo data: a time of day
		{time.Date(2024, 5, 15, 16, 0, 0, 0, time.UTC), "2024-05-16", true}, // imported: office midnight
		{time.Date(2024, 5, 15, 15, 59, 59, 0, time.UTC), "2024-05-15", true},
		{time.Date(2024, 12, 31, 16, 0, 0, 0, time.UTC), "2025-01-01", true}, // a year's edge
		{time.Date(2024, 5, 16, 0, 0, 0, 0, time.UTC), "2024-05-16", true},   // UTC midnight
		{time.Time{}, "", true}, // a zero time.Time stored without omitempty
		{nil, "", true}, {"2024-05-16", "2024-05-16", true}, {"", "", true}, {"2024年5月16日", "2024-05-16", true},
		{"2024-02-30", "", false}, {"待定", "", false}, {int32(20240516), "", false}, {true, "", false},
	} {
		b, err := bson.Marshal(bson.M{"d": c.stored})
		if err != nil {
			t.Fatal(err)
		}
		var v doc
		err = bson.Unmarshal(b, &v)
		if (err == nil) != c.ok || (c.ok && v.D.String() != c.want) {
			t.Errorf("decode %#v = %q, %v", c.stored, v.D, err)
		}
	}
}

// FuzzParseDate: what parses is a real day that formats and parses back to
// itself, and a failure gives no day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-05", "2024年3月5日", "待定", "２０２４.１.１", "2024-05-15T16:00:00Z", "2024-02-30", " 1900/1/1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		switch {
		case err != nil && !d.IsZero():
			t.Fatalf("ParseDate(%q) failed with a day %v", s, d)
		case err != nil || d.IsZero():
			return
		case d.Year() < 1900 || d.Year() > 2100:
			t.Fatalf("ParseDate(%q) = %s, out of range", s, d)
		}
		again, err := ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
		var back Date
		if b, err := json.Marshal(d); err != nil || json.Unmarshal(b, &back) != nil || back != d {
			t.Fatalf("JSON round trip of %s: %s %v", d, b, err)
		}
		if DateOf(d.Time()) != d {
			t.Fatalf("DateOf(%s.Time()) = %s", d, DateOf(d.Time()))
		}
	})
}
