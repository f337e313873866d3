package resources

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

type fakeVocab struct{}

func (fakeVocab) Catalog(context.Context) (*matrix.Catalog, error) {
	return matrix.DefaultCatalog(), nil
}
func (fakeVocab) HasUnit(id string) bool { return id == "kfq" || id == "gxq" }
func (fakeVocab) Name(id string) string  { return id }

// checkService validates without stores or engine (Check needs neither).
func checkService() *Service {
	return &Service{stores: map[string]store{
		KindTalents: repoStore[Talent, *Talent]{}, KindEnterprises: repoStore[Enterprise, *Enterprise]{},
		KindInstitutes: repoStore[Institute, *Institute]{}, KindResults: repoStore[TechResult, *TechResult]{},
	}, Vocab: fakeVocab{}, Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}
}

func TestCheck(t *testing.T) {
	s := checkService()
	talent := func(kv ...string) Input {
		in := Input{Unit: "kfq", Values: map[string]string{"name": "张伟", "level": "国家级", "industry": "新能源"}}
		for i := 0; i+1 < len(kv); i += 2 {
			in.Values[kv[i]] = kv[i+1]
		}
		return in
	}
	ent := func(kv ...string) Input {
		in := Input{Unit: "kfq", Values: map[string]string{"name": "昆山甲科技有限公司", "credit_code": "91350100M000100Y43", "industry": "新材料"}}
		for i := 0; i+1 < len(kv); i += 2 {
			in.Values[kv[i]] = kv[i+1]
		}
		return in
	}
	result := func(kv ...string) Input {
		in := Input{Unit: "kfq", Values: map[string]string{"title": "柔性传感器", "owner": "云麓大学", "industry": "电子信息",
			"transfer_mode": "技术许可", "status": ResultListed}}
		for i := 0; i+1 < len(kv); i += 2 {
			in.Values[kv[i]] = kv[i+1]
		}
		return in
	}
	tests := []struct {
		name   string
		kind   string
		in     Input
		fields []string // fields with errors; none = valid
	}{
		{"talent minimal", KindTalents, talent(), nil},
		{"talent full", KindTalents, talent("gender", "男", "phone", "+86 138-1234-5678", "email", "a@b.cn", "intended_zone", "张浦镇",
			"tags", "海归，博士", "summary", "拟创办企业"), nil},
		{"talent no name", KindTalents, talent("name", "  "), []string{"name"}},
		{"talent unknown level", KindTalents, talent("level", "院士级"), []string{"level"}},
		{"talent unknown industry and zone", KindTalents, talent("industry", "造船", "intended_zone", "火星"), []string{"industry", "intended_zone"}},
		{"talent bad phone", KindTalents, talent("phone", "12345"), []string{"phone"}},
		{"talent bad email", KindTalents, talent("email", "nobody"), []string{"email"}},
		{"talent name too long", KindTalents, talent("name", strings.Repeat("张", 41)), []string{"name"}},
		{"talent unknown field", KindTalents, talent("credit_code", "x"), []string{"credit_code"}},
		{"talent no unit", KindTalents, Input{Values: talent().Values}, []string{"unit"}},
		{"talent unknown unit", KindTalents, Input{Unit: "mars", Values: talent().Values}, []string{"unit"}},
		{"enterprise valid", KindEnterprises, ent("registered_capital", "1,000万", "founded", "2019年5月6日", "phone", "0512-57001234"), nil},
		{"enterprise invalid code", KindEnterprises, ent("credit_code", "91350100M000100Y44"), []string{"credit_code"}},
		{"enterprise no code", KindEnterprises, ent("credit_code", ""), []string{"credit_code"}},
		{"enterprise negative capital", KindEnterprises, ent("registered_capital", "-100"), []string{"registered_capital"}},
		{"enterprise bad date", KindEnterprises, ent("founded", "2019-02-30"), []string{"founded"}},
		{"enterprise future founding", KindEnterprises, ent("founded", "2030-01-01"), []string{"founded"}},
		{"institute valid", KindInstitutes, Input{Unit: "gxq", Values: map[string]string{"name": "甲研究院", "kind": InstituteNewRD,
			"industry": "新智造", "level": "省级", "established": "2021.7.1"}}, nil},
		{"institute unknown kind", KindInstitutes, Input{Unit: "gxq", Values: map[string]string{"name": "甲研究院", "kind": "实验室",
			"industry": "新智造"}}, []string{"kind"}},
		{"result valid", KindResults, result("asking_price", "300", "patent_no", "zl202110234567.8"), nil},
		{"result negative price", KindResults, result("asking_price", "-1"), []string{"asking_price"}},
		{"result unknown mode", KindResults, result("transfer_mode", "技术入股"), []string{"transfer_mode"}},
		{"result transferred without date", KindResults, result("status", ResultTransferred, "deal_amount", "200"), []string{"deal_date"}},
		{"result transferred", KindResults, result("status", ResultTransferred, "deal_date", "2024-05-01", "deal_amount", "200"), nil},
		{"result deal but listed", KindResults, result("deal_date", "2024-05-01"), []string{"status"}},
		{"result bad patent", KindResults, result("patent_no", "专利一号"), []string{"patent_no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Check(context.Background(), tt.kind, tt.in, nil)
			var got []string
			for _, fe := range FieldErrors(err) {
				got = append(got, fe.Field)
				if fe.Message == "" {
					t.Errorf("field %s: empty message", fe.Field)
				}
			}
			if err != nil && len(got) == 0 {
				t.Fatalf("non-field error %v", err)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") && !sameSet(got, tt.fields) {
				t.Fatalf("errors on %v, want %v (%v)", got, tt.fields, err)
			}
			if len(tt.fields) == 0 && (r == nil || r.OwnerUnit() != tt.in.Unit) {
				t.Fatalf("record %+v", r)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// Check normalises what it stores, and a choice value that left the catalog
// stays valid on records that already hold it.
func TestCheckNormalisesAndKeepsOldValues(t *testing.T) {
	s := checkService()
	ctx := context.Background()
	r, err := s.Check(ctx, KindTalents, Input{Unit: "kfq", Values: map[string]string{"name": " 张  伟 ", "level": "国家级",
		"industry": "新能源", "phone": "+86 138 1234 5678", "tags": "海归、博士，海归"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tal := r.(*Talent)
	if tal.Name != "张 伟" || tal.Phone != "13812345678" || JoinTags(tal.Tags) != "海归、博士" {
		t.Fatalf("stored %+v", tal)
	}
	old := &Talent{Meta: core.Meta{ID: "t1", Version: 2}, Name: "李娜", Level: "市级老口径", Industry: "新能源", Unit: "kfq"}
	in := InputOf(TalentKind, old)
	in.Values["title"] = "教授"
	r, err = s.Check(ctx, KindTalents, in, old)
	if err != nil {
		t.Fatalf("unchanged legacy level refused: %v", err)
	}
	if r.(*Talent).Level != "市级老口径" || r.(*Talent).Title != "教授" || r.GetMeta().ID != "t1" || old.Title != "" {
		t.Fatalf("update built %+v from %+v", r, old)
	}
	in.Values["level"] = "另一个旧口径"
	if _, err := s.Check(ctx, KindTalents, in, old); len(FieldErrors(err)) != 1 {
		t.Fatalf("changed to unknown level: %v", err)
	}
	// Every field round-trips through its form text.
	e := &Enterprise{Name: "甲", CreditCode: "91350100M000100Y43", Industry: "新材料", RegisteredCapital: 1234.5,
		Founded: core.NewDate(2019, 5, 6), Tags: []string{"专精特新"}, Unit: "kfq"}
	back, err := s.Check(ctx, KindEnterprises, InputOf(EnterpriseKind, e), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := back.(*Enterprise); b.RegisteredCapital != 1234.5 || b.Founded != e.Founded || b.Tags[0] != "专精特新" {
		t.Fatalf("round trip %+v", b)
	}
}

func TestDiff(t *testing.T) {
	s := checkService()
	cur := &Talent{Meta: core.Meta{ID: "t1", Version: 3}, Name: "李娜", Level: "国家级", Industry: "新能源", Title: "研究员", Unit: "kfq"}
	in := InputOf(TalentKind, cur)
	in.Values["title"] = "教授"
	in.Values["phone"] = "138 1234 5678"
	ch := s.Diff(context.Background(), KindTalents, in, cur)
	if len(ch) != 2 || ch[0].Field != "title" || ch[0].Mine != "教授" || ch[0].Stored != "研究员" || ch[1].Mine != "13812345678" {
		t.Fatalf("diff %+v", ch)
	}
}
