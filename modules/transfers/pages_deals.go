package transfers

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// DealsView is the Data of the "transfers" page.
type DealsView struct {
	Query    DealQuery
	Items    []*Deal
	Sums     DealPage
	Pager    pageState
	Sorts    sortLinks
	Error    string
	Types    []string
	Units    [][2]string
	Years    []int
	UnitName func(string) string
}

func (h *Handlers) years() []int {
	y := h.now().In(core.Zone()).Year()
	out := make([]int, 0, 8)
	for i := y + 1; i >= y-6; i-- {
		out = append(out, i)
	}
	return out
}

func (h *Handlers) dealsPage(c *fiber.Ctx) error {
	me := web.Me(c)
	q, err := dealQueryFrom(c)
	v := DealsView{Types: Types, Units: h.unitsInScope(me.Scope), Years: h.years(), UnitName: h.UnitName}
	if err == nil {
		v.Sums, err = h.Svc.ListDeals(c.UserContext(), me.Scope, q)
		v.Items = v.Sums.Items
	}
	if v.Error, err = web.ListProblem(c, err); err != nil {
		return web.Fail(c, err)
	}
	v.Query = q
	vals := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "type": q.Type, "year": q.Year, "unit": q.Unit,
		"broker": q.BrokerID, "organisation": q.Organisation, "result": q.ResultID} {
		if val != "" {
			vals.Set(k, val)
		}
	}
	v.Sorts = sortLinks{Base: "/transfers?" + vals.Encode(), Sort: q.Sort}
	v.Pager = newPageState(vals, "/transfers", q.Sort, q.Page, q.PerPage, v.Sums.Total)
	return web.Page(c, "transfers", "科技成果转移转化", "transfers", v)
}

// DealView is the Data of the "transfers_form" page (new and detail/edit).
type DealView struct {
	Deal    *Deal // nil when creating
	Form    DealInput
	Version int64
	formErrors
	Types       []string
	Units       [][2]string
	Brokers     []*Broker // brokers in scope, for the picker
	UnitName    string
	ResultTitle string
	Subsidy     *Subsidy // the deal's organisation in the deal's year
	Manager     bool
}

// dealView is the form's data for d (nil: a new deal) showing in (nil:
// d's fields, or a new deal's defaults).
func (h *Handlers) dealView(c *fiber.Ctx, d *Deal, in *DealInput) *DealView {
	me := web.Me(c)
	v := &DealView{Deal: d, Types: Types, Units: h.unitsInScope(me.Scope), formErrors: formErrors{Errors: map[string]string{}},
		Manager: me.May(web.Manager)}
	if page, err := h.Svc.ListBrokers(c.UserContext(), me.Scope, BrokerQuery{PerPage: 200}); err == nil {
		v.Brokers = page.Items
	}
	switch {
	case in != nil:
		v.Form = *in
	case d != nil:
		v.Form = DealInputOf(d)
	default:
		v.Form = DealInput{Unit: defaultUnit(c), Type: TypeTransfer, Date: core.Today(h.now())}
	}
	if d == nil {
		return v
	}
	v.Version, v.UnitName = d.Version, h.UnitName(d.Unit)
	v.ResultTitle = h.resultTitle(c.UserContext(), d.ResultID)
	if d.Organisation != "" {
		if subs, err := h.Svc.Subsidies(c.UserContext(), me.Scope, d.Year()); err == nil {
			for i := range subs {
				if subs[i].Organisation == d.Organisation {
					v.Subsidy = &subs[i]
				}
			}
		}
	}
	return v
}

func dealForm(c *fiber.Ctx) (DealInput, error) {
	in := DealInput{Type: c.FormValue("type"), Title: c.FormValue("title"), Seller: c.FormValue("seller"),
		Buyer: c.FormValue("buyer"), ContractNo: c.FormValue("contract_no"), BrokerID: c.FormValue("broker_id"),
		ResultID: c.FormValue("result_id"), Unit: c.FormValue("unit"), Note: c.FormValue("note")}
	var err error
	if in.Amount, err = formAmount(c, "amount"); err != nil {
		return in, err
	}
	if in.Paid, err = formAmount(c, "paid"); err != nil {
		return in, err
	}
	in.Date, err = core.ParseDateField("date", c.FormValue("date"))
	return in, err
}

func (h *Handlers) newDealPage(c *fiber.Ctx) error {
	v := h.dealView(c, nil, nil)
	if r := c.Query("result"); r != "" {
		v.Form.ResultID = r
	}
	if b := c.Query("broker"); b != "" {
		v.Form.BrokerID = b
	}
	return web.Page(c, "transfers_form", "登记技术合同", "transfers", v)
}

// dealForms is the flow of the deal form.
func (h *Handlers) dealForms() *recordForm[*Deal, DealInput, *DealView] {
	return &recordForm[*Deal, DealInput, *DealView]{kind: KindDeals, audit: h.Audit, page: "transfers_form", path: "/transfers",
		newTitle: "登记技术合同", title: "技术合同", stale: "该合同已被他人修改", read: dealForm, load: h.loadDeal, view: h.dealView,
		created: func(d *Deal) string { return "已登记技术合同 " + d.ContractNo },
		create:  h.Svc.CreateDeal, get: h.Svc.GetDeal, update: h.Svc.UpdateDeal}
}

func (h *Handlers) deleteDealForm(c *fiber.Ctx) error {
	id := c.Params("id")
	return web.DeleteForm(c, h.Audit, web.Deleted{Kind: KindDeals, Done: "已删除该技术合同", Stale: "该合同刚被他人修改，请核对后再删除",
		List: "/transfers", Detail: "/transfers/" + id}, func(version int64) error {
		return h.Svc.DeleteDeal(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version)
	})
}

// SubsidiesView is the Data of the "transfers_subsidies" page.
type SubsidiesView struct {
	Year    int
	Years   []int
	Items   []Subsidy
	Paid    float64
	Subsidy float64
	Capped  int
	Error   string
	All     bool // the caller sees every unit (the figures are city-wide)
}

func (h *Handlers) subsidiesPage(c *fiber.Ctx) error {
	me := web.Me(c)
	v := SubsidiesView{Years: h.years(), All: me.Scope.All}
	year, err := h.subsidyYear(c)
	v.Year = year
	if err == nil {
		v.Items, err = h.Svc.Subsidies(c.UserContext(), me.Scope, year)
	}
	if err != nil {
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		v.Error, v.Year = fe.Message, h.now().In(core.Zone()).Year()
		c.Status(400)
	}
	for _, s := range v.Items {
		v.Paid += s.Paid
		v.Subsidy += s.Subsidy
		if s.Capped {
			v.Capped++
		}
	}
	v.Paid, v.Subsidy = roundYuan(v.Paid), roundYuan(v.Subsidy)
	return web.Page(c, "transfers_subsidies", "技术经纪人补贴", "transfers", v)
}
