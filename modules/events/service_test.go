package events

import (
	"context"
	"reflect"
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

// vocab is the default catalog and units, as a fresh data dir has them.
type vocab struct{}

func (vocab) HasUnit(id string) bool {
	for _, u := range matrix.DefaultUnits() {
		if u.ID == id {
			return true
		}
	}
	return false
}

func TestValidate(t *testing.T) {
	cat := matrix.DefaultCatalog()
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, core.Zone())
	kfq := core.Scope{Units: []string{"kfq"}}
	day := func(y, m, d int) core.Date { return core.NewDate(y, time.Month(m), d) }
	ok := Input{Title: " 新材料沙龙 ", Type: "沙龙", Date: "2024-03-05", Unit: "kfq", Status: "held"}
	with := func(f func(in *Input)) Input {
		in := ok
		f(&in)
		return in
	}
	tests := []struct {
		name   string
		in     Input
		scope  core.Scope
		field  string // "" = valid
		date   core.Date
		end    core.Date
		status string
	}{
		{"iso date", ok, kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"slash date", with(func(in *Input) { in.Date = "2024/3/5" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"dotted date", with(func(in *Input) { in.Date = "2024.3.5" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"chinese date", with(func(in *Input) { in.Date = "2024年3月5日" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"rfc3339 from the api", with(func(in *Input) { in.Date = "2024-03-04T16:00:00Z" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"two days", with(func(in *Input) { in.EndDate = "2024年3月6日" }), kfq, "", day(2024, 3, 5), day(2024, 3, 6), StatusHeld},
		{"end on the same day is one day", with(func(in *Input) { in.EndDate = "2024-03-05" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"chinese status", with(func(in *Input) { in.Status = "已取消" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusCancelled},
		{"status defaults to held in the past", with(func(in *Input) { in.Status = "" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"status defaults to planned ahead", with(func(in *Input) { in.Status = ""; in.Date = "2025-07-01" }), kfq, "", day(2025, 7, 1), core.Date{}, StatusPlanned},
		{"manager subtree", with(func(in *Input) { in.Unit = "zs-zs" }), core.Scope{Units: []string{"zzfd", "zs-zs"}}, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"impossible date", with(func(in *Input) { in.Date = "2024-02-30" }), kfq, "date", core.Date{}, core.Date{}, ""},
		{"partial date", with(func(in *Input) { in.Date = "2024-03" }), kfq, "date", core.Date{}, core.Date{}, ""},
		{"words", with(func(in *Input) { in.Date = "明天" }), kfq, "date", core.Date{}, core.Date{}, ""},
		{"no date", with(func(in *Input) { in.Date = "" }), kfq, "date", core.Date{}, core.Date{}, ""},
		{"bad end date", with(func(in *Input) { in.EndDate = "3月6日" }), kfq, "end_date", core.Date{}, core.Date{}, ""},
		{"end before start", with(func(in *Input) { in.EndDate = "2024.3.4" }), kfq, "end_date", core.Date{}, core.Date{}, ""},
		{"too long", with(func(in *Input) { in.EndDate = "2024-08-05" }), kfq, "end_date", core.Date{}, core.Date{}, ""},
		{"no title", with(func(in *Input) { in.Title = "  " }), kfq, "title", core.Date{}, core.Date{}, ""},
		{"unknown type", with(func(in *Input) { in.Type = "年会" }), kfq, "type", core.Date{}, core.Date{}, ""},
		{"configured type", with(func(in *Input) { in.Type = "推介会" }), kfq, "", day(2024, 3, 5), core.Date{}, StatusHeld},
		{"unknown unit", with(func(in *Input) { in.Unit = "mars" }), core.AllUnits, "unit", core.Date{}, core.Date{}, ""},
		{"other unit", with(func(in *Input) { in.Unit = "gxq" }), kfq, "unit", core.Date{}, core.Date{}, ""},
		{"negative attendees", with(func(in *Input) { in.Attendees = -1 }), kfq, "attendees", core.Date{}, core.Date{}, ""},
		{"negative count", with(func(in *Input) { in.Participants.EnterpriseCount = -2 }), kfq, "participants", core.Date{}, core.Date{}, ""},
		{"unknown action line", with(func(in *Input) { in.ActionLines = []string{"一场晚会"} }), kfq, "action_lines", core.Date{}, core.Date{}, ""},
		{"unknown industry", with(func(in *Input) { in.Industries = []string{"纺织"} }), kfq, "industries", core.Date{}, core.Date{}, ""},
		{"unknown status", with(func(in *Input) { in.Status = "done" }), kfq, "status", core.Date{}, core.Date{}, ""},
		{"held in the future", with(func(in *Input) { in.Date = "2025-07-01" }), kfq, "status", core.Date{}, core.Date{}, ""},
		{"bad pool id", with(func(in *Input) { in.Participants.Talents = []Ref{{ID: "t 1"}} }), kfq, "participants", core.Date{}, core.Date{}, ""},
		{"nameless participant", with(func(in *Input) { in.Participants.Talents = []Ref{{}} }), kfq, "participants", core.Date{}, core.Date{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(cat, vocab{}, tt.scope, now)
			if tt.field != "" {
				fe, ok := core.AsFieldError(err)
				if !ok || fe.Field != tt.field {
					t.Fatalf("err = %v, want a field error on %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			var e Event
			in.apply(&e)
			if e.Date != tt.date || e.EndDate != tt.end || e.Status != tt.status || e.Title != "新材料沙龙" {
				t.Errorf("event = %q %v–%v %s, want %v–%v %s", e.Title, e.Date, e.EndDate, e.Status, tt.date, tt.end, tt.status)
			}
		})
	}
}

func (vocab) Name(id string) string { return id }

func (vocab) Units() []*matrix.Unit     { return matrix.DefaultUnits() }
func (vocab) UnitID(name string) string { return matrix.UnitIDIn(matrix.DefaultUnits(), name) }

func (vocab) Catalog(context.Context) (*matrix.Catalog, error) { return matrix.DefaultCatalog(), nil }

func TestParseRefs(t *testing.T) {
	tests := []struct {
		text string
		want []Ref
	}{
		{"", nil},
		{"昆山瀚宇新材料科技有限公司", []Ref{{Name: "昆山瀚宇新材料科技有限公司"}}},
		{" 张伟 #t-00001 \n\n李娜\r\n", []Ref{{Name: "张伟", ID: "t-00001"}, {Name: "李娜"}}},
		{"#e-00002", []Ref{{ID: "e-00002"}}},
		{"C#语言培训中心", []Ref{{Name: "C#语言培训中心"}}}, // not an id: the name keeps its #
		{"A#B #0123456789abcdef01234567", []Ref{{Name: "A#B", ID: "0123456789abcdef01234567"}}},
	}
	for _, tt := range tests {
		if got := parseRefs(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseRefs(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
		if len(tt.want) > 0 && tt.want[0].Name != "" {
			if back := parseRefs(refLines(tt.want)); !reflect.DeepEqual(back, tt.want) {
				t.Errorf("round trip of %+v = %+v", tt.want, back)
			}
		}
	}
}

func TestListQueryValidate(t *testing.T) {
	tests := []struct {
		q     ListQuery
		field string
	}{
		{ListQuery{}, ""},
		{ListQuery{Year: "2024", Sort: "-date", Status: "已举办"}, ""},
		{ListQuery{Year: "24"}, "year"},
		{ListQuery{Status: "finished"}, "status"},
		{ListQuery{Sort: "title"}, "sort"},
		{ListQuery{PerPage: 500}, "per_page"},
		{ListQuery{Page: 100000, PerPage: 20}, "page"},
		{ListQuery{From: core.NewDate(2024, 5, 1), To: core.NewDate(2024, 4, 1)}, "to"},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		fe, _ := core.AsFieldError(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%+v: %v", tt.q, err)
		case tt.field != "" && (fe == nil || fe.Field != tt.field):
			t.Errorf("%+v: err %v, want field %s", tt.q, err, tt.field)
		}
	}
}

func FuzzParseRefs(f *testing.F) {
	f.Add("张伟 #t-00001\n李娜")
	f.Add("#")
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range parseRefs(s) {
			if r.ID != "" && !idRE.MatchString(r.ID) {
				t.Fatalf("id %q", r.ID)
			}
		}
	})
}
