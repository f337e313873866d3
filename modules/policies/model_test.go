package policies

import (
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search/schematest"
)

func TestSearchSchemaAgreesWithProjects(t *testing.T) {
	schematest.Agrees(t, SearchSchema, projects.SearchSchema)
}

func TestToDoc(t *testing.T) {
	day := func(y, m, d int) core.Date { return core.NewDate(y, time.Month(m), d) }
	tests := []struct {
		name     string
		p        Policy
		year     string
		max      float64
		want     []string
		wantMiss []string
	}{
		{"plan 53", Policy{Meta: core.Meta{ID: "po-0001", Version: 1}, Title: "昆山市推进科技服务业高质量发展三年行动方案",
			DocNo: "昆科字〔2023〕53号", Level: "市级", Status: StatusValid, Categories: []string{"产业扶持政策", "其他"},
			SupportModes: []string{"奖励"}, Industries: []string{"其他"}, Issuer: "昆山市科学技术局",
			IssuedOn: day(2023, 1, 1), EffectiveFrom: day(2023, 1, 1), EffectiveTo: day(2025, 12, 31), Body: "为贯彻落实……",
			Clauses: []Clause{{No: "4", Title: "技术经纪人后补助", Amount: 50, Rate: 3, Unit: "每年每个服务方"},
				{No: "5", Title: "国家级加速器认定奖励", Amount: 100, Unit: "每家"}}, Unit: DefaultUnit},
			"2023", 100, []string{"level", "status", "category", "support_mode", "industry", "issuer", "doc_no", "issued", "effective_from", "effective_to", "clauses"}, nil},
		{"no dates, no clauses", Policy{Meta: core.Meta{ID: "po-0002"}, Title: "某政策", Level: "区级", Status: StatusExpired,
			Issuer: "周市镇人民政府", Unit: "zs-zs"}, "", 0, []string{"level", "status", "max_amount"},
			[]string{"issued", "year", "effective_to", "category"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ToDoc(&tt.p)
			schematest.CheckDoc(t, SearchSchema, d)
			if d.Kind != Kind || d.ID != tt.p.ID || d.Title != tt.p.Title || len(d.Units) != 1 || d.Units[0] != tt.p.Unit {
				t.Errorf("envelope = %s/%s %q %v", d.Kind, d.ID, d.Title, d.Units)
			}
			if y, _ := d.Fields["year"].(string); y != tt.year {
				t.Errorf("year = %q, want %q", y, tt.year)
			}
			if d.Fields["max_amount"] != tt.max {
				t.Errorf("max_amount = %v, want %v", d.Fields["max_amount"], tt.max)
			}
			for _, f := range tt.want {
				if _, ok := d.Fields[f]; !ok {
					t.Errorf("field %q missing", f)
				}
			}
			for _, f := range tt.wantMiss {
				if _, ok := d.Fields[f]; ok {
					t.Errorf("field %q present for an empty value", f)
				}
			}
		})
	}
}
