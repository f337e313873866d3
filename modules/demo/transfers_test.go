package demo

import (
	"reflect"
	"testing"

	"zhaoshang/modules/transfers"
)

func TestTransferRegistryIsDeterministicAndValid(t *testing.T) {
	units := []string{"kfq", "gxq", "jszy"}
	years := []int{2023, 2024, 2025}
	b1, d1 := transferRegistry(1, units, years, []string{"r-0001", "r-0002"})
	b2, d2 := transferRegistry(1, units, years, []string{"r-0001", "r-0002"})
	if !reflect.DeepEqual(b1, b2) || !reflect.DeepEqual(d1, d2) {
		t.Fatal("Demo is not deterministic")
	}
	if len(b1) != 40 || len(d1) != 450 {
		t.Fatalf("%d brokers, %d deals", len(b1), len(d1))
	}
	seen := map[string]bool{}
	ids := map[string]bool{}
	for _, b := range b1 {
		in := transfers.BrokerInputOf(b)
		if err := in.Validate(); err != nil {
			t.Fatalf("broker %s: %v", b.ID, err)
		}
		ids[b.ID] = true
	}
	for _, d := range d1 {
		in := transfers.DealInputOf(d)
		if err := in.Validate(); err != nil {
			t.Fatalf("deal %s: %v", d.ID, err)
		}
		key := d.ContractNo + "/" + d.Date.String()[:4]
		if seen[key] {
			t.Fatalf("contract number %s repeats", key)
		}
		seen[key] = true
		if d.BrokerID != "" && !ids[d.BrokerID] {
			t.Fatalf("deal %s names unknown broker %s", d.ID, d.BrokerID)
		}
	}
	// The demo shows the cap: some organisation exceeds it in some year.
	capped := false
	for _, y := range years {
		for _, s := range transfers.Subsidies(y, transfers.PaidByOrganisation(d1, y)) {
			capped = capped || s.Capped
		}
	}
	if !capped {
		t.Error("no organisation reaches the 50 万元 cap in the demo data")
	}
}
