package events

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
	cst := core.Zone()
	newYear := time.Date(2025, 1, 1, 7, 0, 0, 0, cst).UTC() // still 2024 in UTC
	tests := []struct {
		name     string
		e        Event
		year     string
		want     []string
		wantMiss []string
	}{
		{"full", Event{Meta: core.Meta{ID: "ev-0001", Version: 1, CreatedAt: newYear, UpdatedAt: newYear},
			Title: "2024昆山新能源产业科技招商路演(上海专场)", Type: "路演", Date: core.NewDate(2024, 5, 8),
			EndDate: core.NewDate(2024, 5, 9), Place: "上海", Unit: "kcfw", CoOrganisers: []string{"昆山工业技术研究院"},
			ActionLines: []string{"一系列品牌招商活动"}, Industries: []string{"新能源", "新材料"},
			Participants: Participants{Enterprises: []Ref{{ID: "e-00001", Name: "昆山瀚宇新材料科技有限公司"}},
				Talents: []Ref{{ID: "t-00001", Name: "张伟"}}, EnterpriseCount: 12, TalentCount: 3},
			Attendees: 120, Summary: "路演 8 个项目", Status: StatusHeld}, "2024",
			[]string{"type", "status", "industry", "action_lines", "date", "end_date", "attendees", "enterprise_count", "talent_count", "participants"}, nil},
		{"new year in CST", Event{Meta: core.Meta{ID: "ev-0002"}, Title: "新年沙龙", Type: "沙龙", Date: core.DateOf(newYear), Unit: "kjj",
			Status: StatusPlanned}, "2025", []string{"date", "status"}, []string{"end_date", "industry", "action_lines"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ToDoc(&tt.e)
			schematest.CheckDoc(t, SearchSchema, d)
			if d.Kind != Kind || d.ID != tt.e.ID || d.Title != tt.e.Title || len(d.Units) != 1 || d.Units[0] != tt.e.Unit {
				t.Errorf("envelope = %s/%s %q %v", d.Kind, d.ID, d.Title, d.Units)
			}
			if d.Fields["year"] != tt.year {
				t.Errorf("year = %v, want %s", d.Fields["year"], tt.year)
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
