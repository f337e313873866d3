package transfers

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kinds: collection and search kind names.
const (
	KindDeals   = "transfers"
	KindBrokers = "brokers"
)

// DealsOfYears selects the deals of the given contract years (as the deal
// list's year filter does).
func DealsOfYears(years ...string) search.Filter { return search.Filter{Field: "year", Values: years} }

// DealsBetween selects the deals whose contract date is in [from, to).
func DealsBetween(from, to time.Time) search.Filter {
	return search.Filter{Field: "date", From: from, To: to}
}

// SearchSchema lists the structured fields deals and brokers put in the
// engine. Shared names (type, year, date, created, updated) keep the type
// they have in the other modules.
var SearchSchema = search.Schema{
	"type": search.Keyword, "year": search.Keyword, "contract_no": search.Keyword, "broker_id": search.Keyword,
	"organisation": search.Keyword, "result_id": search.Keyword, "certificate_no": search.Keyword,
	"training_years": search.Keyword,
	"amount":         search.Number, "paid": search.Number, "training_hours": search.Number,
	"date": search.Date, "last_trained": search.Date, "created": search.Date, "updated": search.Date,
	"parties": search.Text,
}

// DealToDoc builds the engine document of a deal.
func DealToDoc(d *Deal) search.Doc {
	f := map[string]any{
		"type": d.Type, "year": strconv.Itoa(d.Year()), "contract_no": d.ContractNo, "amount": d.Amount, "paid": d.Paid,
		"date": d.Date.Time(), "created": d.CreatedAt, "updated": d.UpdatedAt,
		"parties": strings.Join([]string{d.Seller, d.Buyer, d.BrokerName, d.Organisation}, " "),
	}
	if d.BrokerID != "" {
		f["broker_id"] = d.BrokerID
	}
	if d.Organisation != "" {
		f["organisation"] = d.Organisation
	}
	if d.ResultID != "" {
		f["result_id"] = d.ResultID
	}
	title := d.Title
	if title == "" {
		title = d.ContractNo
	}
	return search.Doc{Kind: KindDeals, ID: d.ID, Version: d.Version, Units: []string{d.Unit}, Title: title,
		Body: strings.TrimSpace(d.ContractNo + "\n" + d.Note), Fields: f}
}

// BrokerToDoc builds the engine document of a broker.
func BrokerToDoc(b *Broker) search.Doc {
	f := map[string]any{
		"organisation": b.Organisation, "training_hours": b.TrainingHours(), "created": b.CreatedAt, "updated": b.UpdatedAt,
		"year": b.CreatedAt.In(core.Zone()).Format("2006"),
	}
	if b.CertificateNo != "" {
		f["certificate_no"] = b.CertificateNo
	}
	var years []string
	var last core.Date
	for _, t := range b.Training {
		y := t.Date.Format("2006")
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
		if t.Date.After(last) {
			last = t.Date
		}
	}
	if len(years) > 0 {
		f["training_years"] = years
		f["last_trained"] = last.Time() // a day: its start in the office zone
	}
	return search.Doc{Kind: KindBrokers, ID: b.ID, Version: b.Version, Units: []string{b.Unit}, Title: b.Name,
		Body: strings.TrimSpace(b.Organisation + "\n" + b.CertificateNo), Fields: f}
}

// Stored declares the module's collections and search fields to the platform.
var Stored = core.Stored{Collections: []string{KindDeals, KindBrokers}, Search: SearchSchema}
