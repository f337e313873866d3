package transfers

import (
	"math"
	"strings"
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
	"zhaoshang/search/schematest"
)

func date(t *testing.T, s string) core.Date {
	t.Helper()
	d, err := core.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	fe, ok := core.AsFieldError(err)
	switch {
	case field == "" && err != nil:
		t.Fatalf("want valid, got %v", err)
	case field != "" && (!ok || fe.Field != field):
		t.Fatalf("want error on %q, got %v", field, err)
	}
}

// editCase is an edit of a valid input and the field the error of its
// Validate names ("" for none).
type editCase[T any] struct {
	name  string
	edit  func(*T)
	field string
}

// checkEdits validates each case's edit of a fresh ok() as a subtest.
func checkEdits[T any, P interface {
	*T
	Validate() error
}](t *testing.T, ok func() T, cases []editCase[T]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok()
			c.edit(&in)
			wantField(t, P(&in).Validate(), c.field)
		})
	}
}

func TestDealInputValidate(t *testing.T) {
	ok := func() DealInput {
		return DealInput{Type: TypeTransfer, Seller: "云麓大学", Buyer: "昆山某精密机械有限公司", Amount: 300, Paid: 120,
			ContractNo: "2024320583000123", Date: date(t, "2024-05-06"), Unit: "jszy"}
	}
	checkEdits(t, ok, []editCase[DealInput]{
		{"valid", func(*DealInput) {}, ""},
		{"chinese type", func(in *DealInput) { in.Type = "技术许可" }, ""},
		{"paid equals amount", func(in *DealInput) { in.Paid = 300 }, ""},
		{"nothing paid yet", func(in *DealInput) { in.Paid = 0 }, ""},
		{"contract number with spaces", func(in *DealInput) { in.ContractNo = " 2024 3205 83000123 " }, ""},
		{"missing type", func(in *DealInput) { in.Type = "" }, "type"},
		{"bad type", func(in *DealInput) { in.Type = "技术入股" }, "type"},
		{"no seller", func(in *DealInput) { in.Seller = " " }, "seller"},
		{"no buyer", func(in *DealInput) { in.Buyer = "" }, "buyer"},
		{"paid over amount", func(in *DealInput) { in.Paid = 300.01 }, "paid"},
		{"negative amount", func(in *DealInput) { in.Amount = -1 }, "amount"},
		{"negative paid", func(in *DealInput) { in.Paid = -0.5 }, "paid"},
		{"zero amount", func(in *DealInput) { in.Amount, in.Paid = 0, 0 }, "amount"},
		{"NaN amount", func(in *DealInput) { in.Amount = math.NaN() }, "amount"},
		{"huge amount", func(in *DealInput) { in.Amount = 2e7 }, "amount"},
		{"no contract number", func(in *DealInput) { in.ContractNo = "" }, "contract_no"},
		{"contract number with symbols", func(in *DealInput) { in.ContractNo = "2024/001;" }, "contract_no"},
		{"no date", func(in *DealInput) { in.Date = core.Date{} }, "date"},
		{"date far in the future", func(in *DealInput) { in.Date = core.Today(time.Now()).AddDate(2, 0, 0) }, "date"},
		{"bad broker id", func(in *DealInput) { in.BrokerID = "a b" }, "broker_id"},
		{"bad result id", func(in *DealInput) { in.ResultID = "r/1" }, "result_id"},
		{"long note", func(in *DealInput) { in.Note = strings.Repeat("注", 2001) }, "note"},
	})
	in := ok()
	in.Type, in.ContractNo = "转让", " 2024-kj 0001 "
	if err := in.Validate(); err != nil || in.Type != TypeTransfer || in.ContractNo != "2024-KJ0001" {
		t.Fatalf("normalised to %q %q (%v)", in.Type, in.ContractNo, err)
	}
}

func TestBrokerInputValidate(t *testing.T) {
	ok := func() BrokerInput {
		return BrokerInput{Name: "王磊", Organisation: "昆山天工技术转移有限公司", CertificateNo: "js-2024-0007", Unit: "jszy",
			Training: []TrainingInput{{Date: date(t, "2024-03-01"), Course: "技术经纪人初级培训", Hours: 32}}}
	}
	checkEdits(t, ok, []editCase[BrokerInput]{
		{"valid", func(*BrokerInput) {}, ""},
		{"no training", func(in *BrokerInput) { in.Training = nil }, ""},
		{"no name", func(in *BrokerInput) { in.Name = "" }, "name"},
		{"no organisation", func(in *BrokerInput) { in.Organisation = " " }, "organisation"},
		{"training without date", func(in *BrokerInput) { in.Training[0].Date = core.Date{} }, "training"},
		{"training without course", func(in *BrokerInput) { in.Training[0].Course = "" }, "training"},
		{"training zero hours", func(in *BrokerInput) { in.Training[0].Hours = 0 }, "training"},
		{"training negative hours", func(in *BrokerInput) { in.Training[0].Hours = -2 }, "training"},
		{"long certificate", func(in *BrokerInput) { in.CertificateNo = strings.Repeat("9", 41) }, "certificate_no"},
	})
	in := ok()
	_ = in.Validate()
	if in.CertificateNo != "JS-2024-0007" {
		t.Fatalf("certificate = %q", in.CertificateNo)
	}
}

func TestDocsAgreeWithSchema(t *testing.T) {
	at := time.Date(2024, 12, 31, 20, 0, 0, 0, time.UTC) // 2025-01-01 04:00 China time
	d := &Deal{Meta: core.Meta{ID: "d1", CreatedAt: at}, Type: TypeLicense, Seller: "甲", Buyer: "乙", Amount: 10, Paid: 5,
		ContractNo: "2025001", Date: core.DateOf(at), BrokerID: "b1", BrokerName: "王磊", Organisation: "某机构", ResultID: "r-1", Unit: "kfq"}
	b := &Broker{Meta: core.Meta{ID: "b1", CreatedAt: at}, Name: "王磊", Organisation: "某机构", CertificateNo: "C1", Unit: "kfq",
		Training: []Training{{Date: core.NewDate(2023, 5, 1), Course: "a", Hours: 8},
			{Date: core.DateOf(at), Course: "b", Hours: 16}}}
	dd, bd := DealToDoc(d), BrokerToDoc(b)
	if dd.Fields["year"] != "2025" || d.Year() != 2025 {
		t.Errorf("deal year = %v", dd.Fields["year"])
	}
	if hours := bd.Fields["training_hours"]; hours != 24.0 {
		t.Errorf("training hours = %v", hours)
	}
	if ys, _ := bd.Fields["training_years"].([]string); len(ys) != 2 || ys[0] != "2023" || ys[1] != "2025" {
		t.Errorf("training years = %v", bd.Fields["training_years"])
	}
	for _, doc := range []search.Doc{dd, bd, DealToDoc(&Deal{Meta: core.Meta{ID: "d2"}}), BrokerToDoc(&Broker{Meta: core.Meta{ID: "b2"}})} {
		schematest.CheckDoc(t, SearchSchema, doc)
	}
	schematest.Agrees(t, SearchSchema, projects.SearchSchema)
}
