package policies

import (
	"context"
	"errors"
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

type vocab struct{}

func (vocab) Catalog(context.Context) (*matrix.Catalog, error) { return matrix.DefaultCatalog(), nil }
func (vocab) HasUnit(id string) bool                           { return id == "kjj" || id == "zs-zs" }
func (vocab) Name(id string) string                            { return id }
func (vocab) Units() []*matrix.Unit                            { return matrix.DefaultUnits() }
func (vocab) UnitID(name string) string                        { return matrix.UnitIDIn(matrix.DefaultUnits(), name) }

func TestValidate(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, core.Zone())
	day := func(y, m, d int) core.Date { return core.NewDate(y, time.Month(m), d) }
	ok := Input{Title: "某政策", Level: "市级", Issuer: "昆山市科学技术局", Unit: "kjj", IssuedOn: "2023年1月1日",
		EffectiveFrom: "2023.1.1", EffectiveTo: "2025/12/31", Industries: []string{"新材料", "其他"},
		Clauses: []Clause{{No: " 4 ", Title: "技术经纪人后补助", Amount: 50, Rate: 3}, {No: "5(1)", Title: "加速器奖励", Amount: 100}}}
	with := func(f func(in *Input)) Input {
		in := ok
		in.Clauses = append([]Clause(nil), ok.Clauses...)
		f(&in)
		return in
	}
	tests := []struct {
		name   string
		in     Input
		field  string
		status string
	}{
		{"valid", ok, "", StatusValid},
		{"expired by date", with(func(in *Input) { in.EffectiveTo = "2024-12-31" }), "", StatusExpired},
		{"valid through its last day", with(func(in *Input) { in.EffectiveTo = "2025-06-01" }), "", StatusValid},
		{"expired the day after", with(func(in *Input) { in.EffectiveTo = "2025-05-31" }), "", StatusExpired},
		{"explicit status kept", with(func(in *Input) { in.Status = StatusExpired }), "", StatusExpired},
		{"open-ended", with(func(in *Input) { in.EffectiveTo = "" }), "", StatusValid},
		{"no dates at all", with(func(in *Input) { in.IssuedOn, in.EffectiveFrom, in.EffectiveTo = "", "", "" }), "", StatusValid},
		{"no clauses", with(func(in *Input) { in.Clauses = nil }), "", StatusValid},
		{"no title", with(func(in *Input) { in.Title = "" }), "title", ""},
		{"unknown level", with(func(in *Input) { in.Level = "乡级" }), "level", ""},
		{"unknown status", with(func(in *Input) { in.Status = "作废" }), "status", ""},
		{"no issuer", with(func(in *Input) { in.Issuer = "" }), "issuer", ""},
		{"unknown unit", with(func(in *Input) { in.Unit = "mars" }), "unit", ""},
		{"bad issued date", with(func(in *Input) { in.IssuedOn = "2023-02-29" }), "issued_on", ""},
		{"bad from date", with(func(in *Input) { in.EffectiveFrom = "2023年13月1日" }), "effective_from", ""},
		{"expiry before start", with(func(in *Input) { in.EffectiveTo = "2022-12-31" }), "effective_to", ""},
		{"unknown category", with(func(in *Input) { in.Categories = []string{"娱乐"} }), "categories", ""},
		{"unknown support mode", with(func(in *Input) { in.SupportModes = []string{"发红包"} }), "support_modes", ""},
		{"unknown industry", with(func(in *Input) { in.Industries = []string{"煤炭"} }), "industries", ""},
		{"negative amount", with(func(in *Input) { in.Clauses[0].Amount = -1 }), "clauses", ""},
		{"huge amount", with(func(in *Input) { in.Clauses[0].Amount = 2e7 }), "clauses", ""},
		{"negative rate", with(func(in *Input) { in.Clauses[0].Rate = -3 }), "clauses", ""},
		{"rate over 100", with(func(in *Input) { in.Clauses[0].Rate = 101 }), "clauses", ""},
		{"duplicate number", with(func(in *Input) { in.Clauses[1].No = "4" }), "clauses", ""},
		{"missing number", with(func(in *Input) { in.Clauses[1].No = " " }), "clauses", ""},
		{"missing clause title", with(func(in *Input) { in.Clauses[1].Title = "" }), "clauses", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate(matrix.DefaultCatalog(), vocab{}, now)
			if tt.field != "" {
				if fe, ok := core.AsFieldError(err); !ok || fe.Field != tt.field {
					t.Fatalf("err = %v, want a field error on %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var p Policy
			in.apply(&p)
			if p.Status != tt.status {
				t.Errorf("status = %s, want %s", p.Status, tt.status)
			}
			if in.IssuedOn != "" && (p.IssuedOn != day(2023, 1, 1) || p.EffectiveFrom != day(2023, 1, 1)) {
				t.Errorf("dates = %v %v", p.IssuedOn, p.EffectiveFrom)
			}
			if len(p.Clauses) > 0 && p.Clauses[0].No != "4" {
				t.Errorf("clause number not trimmed: %q", p.Clauses[0].No)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	tests := []struct {
		w    Writer
		unit string
		ok   bool
	}{
		{Writer{Role: "admin", Scope: core.AllUnits}, "kjj", true},
		{Writer{Role: "manager", Scope: core.Scope{Units: []string{"zzfd", "zs-zs"}}}, "zs-zs", true},
		{Writer{Role: "manager", Scope: core.Scope{Units: []string{"zzfd", "zs-zs"}}}, "kjj", false},
		{Writer{Role: "officer", Scope: core.Scope{Units: []string{"kjj"}}}, "kjj", false},
		{Writer{Role: "field", Scope: core.Scope{Units: []string{"kjj"}}}, "", false},
	}
	for _, tt := range tests {
		err := tt.w.check(tt.unit)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, core.ErrForbidden)) {
			t.Errorf("%s on %s: %v", tt.w.Role, tt.unit, err)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		bad  bool
	}{
		{"", 0, false}, {"50", 50, false}, {" 1,000 ", 1000, false}, {"20万元", 20, false}, {"3%", 3, false},
		{"0.5万", 0.5, false}, {"五十", 0, true}, {"1e", 0, true},
	}
	for _, tt := range tests {
		got, err := number(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && got != tt.want) {
			t.Errorf("number(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := paragraphs("一、总体要求\r\n\r\n  （一）指导思想 \n\n\n二、目标")
	if len(got) != 3 || got[1] != "（一）指导思想" {
		t.Errorf("paragraphs = %q", got)
	}
}
