package resources

import (
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
	"zhaoshang/search/schematest"
)

// checkDoc asserts that every field of d is declared in schema with a value
// of the declared type, and that the envelope is filled.
// checkDoc asserts d's envelope and that every field of d is declared in
// schema with a value of the declared type.
func checkDoc(t *testing.T, schema search.Schema, d search.Doc, kind, id, unit string) {
	t.Helper()
	if d.Kind != kind || d.ID != id || d.Title == "" || len(d.Units) != 1 || d.Units[0] != unit {
		t.Errorf("envelope = %s/%s %q units %v", d.Kind, d.ID, d.Title, d.Units)
	}
	schematest.CheckDoc(t, schema, d)
}

func TestSearchSchemaAgreesWithProjects(t *testing.T) {
	schematest.Agrees(t, SearchSchema, projects.SearchSchema)
}

func TestToDoc(t *testing.T) {
	at := time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC)
	meta := func(id string) core.Meta {
		return core.Meta{ID: id, Version: 3, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
	}
	tests := []struct {
		name, kind, id string
		doc            search.Doc
		want           []string // fields that must be present
	}{
		{"talent", KindTalents, "t-00001", TalentToDoc(&Talent{Meta: meta("t-00001"), Name: "张伟", Gender: "男", Level: "姑苏领军",
			Field: "固态电池电解质", Industry: "新能源", Institution: "沧海科技大学", Title: "教授", Phone: "13812345678",
			Email: "zw@example.com", IntendedZone: "张浦镇", Tags: []string{"海归"}, Summary: "拟创办企业", Unit: "zs-zp"}),
			[]string{"level", "gender", "industry", "zone", "phone", "tags", "created", "updated", "year", "institution", "research_field"}},
		{"talent minimal", KindTalents, "t-2", TalentToDoc(&Talent{Meta: meta("t-2"), Name: "李娜", Level: "其他", Industry: "新材料", Unit: "kjj"}),
			[]string{"level", "industry", "created"}},
		{"enterprise", KindEnterprises, "e-00001", EnterpriseToDoc(&Enterprise{Meta: meta("e-00001"), Name: "昆山瀚宇新材料科技有限公司",
			CreditCode: "91350100M000100Y43", Industry: "新材料", Zone: "千灯镇", LegalPerson: "王强", RegisteredCapital: 1000,
			Founded: core.DateOf(at), Address: "千灯镇石浦路1号", Contact: "赵敏", Phone: "13912345678", Tags: []string{"专精特新"}, Unit: "zs-qd"}),
			[]string{"credit_code", "registered_capital", "founded", "tags", "legal_person", "zone"}},
		{"institute", KindInstitutes, "in-0001", InstituteToDoc(&Institute{Meta: meta("in-0001"), Name: "沧海科技大学昆山智能制造研究院",
			Kind: InstituteMajor, Parent: "沧海科技大学", Industry: "新智造", Zone: "昆山高新区", Level: "省级", Established: core.DateOf(at), Unit: "gyy"}),
			[]string{"institute_kind", "level", "established", "institution"}},
		{"result transferred", KindResults, "r-0001", ResultToDoc(&TechResult{Meta: meta("r-0001"), Title: "一种高导热氮化铝陶瓷基板的制备方法",
			Owner: "云麓大学", Industry: "新材料", Maturity: "通过中试", PatentNo: "ZL202110234567.8", TransferMode: "技术转让",
			AskingPrice: 300, Status: ResultTransferred, DealDate: core.DateOf(at), DealAmount: 260, Unit: "jszy"}),
			[]string{"maturity", "transfer_mode", "status", "patent_no", "asking_price", "deal_date", "deal_amount"}},
		{"result listed", KindResults, "r-0002", ResultToDoc(&TechResult{Meta: meta("r-0002"), Title: "柔性传感器", Owner: "云麓大学",
			Industry: "电子信息", TransferMode: "技术许可", Status: ResultListed, Unit: "jszy"}),
			[]string{"status", "asking_price"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDoc(t, SearchSchema, tt.doc, tt.kind, tt.id, tt.doc.Units[0])
			if tt.doc.Version != 3 {
				t.Errorf("version = %d", tt.doc.Version)
			}
			for _, f := range tt.want {
				if _, ok := tt.doc.Fields[f]; !ok {
					t.Errorf("field %q missing", f)
				}
			}
			if y := tt.doc.Fields["year"]; y != "2024" {
				t.Errorf("year = %v", y)
			}
		})
	}
}
