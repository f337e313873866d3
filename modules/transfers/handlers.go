package transfers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves the transfer, broker and subsidy pages and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
	// UnitName names a unit id.
	UnitName func(id string) string
	// Units lists the units (id, name) in display order.
	Units func() [][2]string
	// Now is the clock (default year of the subsidy page); nil means time.Now.
	Now func() time.Time
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	dealForms, brokerForms := h.dealForms(), h.brokerForms()
	routes := []web.Route{
		web.GET("/transfers", web.Signed, h.dealsPage),
		web.GET("/transfers/new", web.Write, h.newDealPage),
		web.POST("/transfers/new", web.Write, dealForms.createHandler),
		web.GET("/transfers/subsidies", web.Signed, h.subsidiesPage),
		web.GET("/transfers/:id", web.Signed, dealForms.showHandler),
		web.POST("/transfers/:id", web.Write, dealForms.updateHandler),
		web.POST("/transfers/:id/delete", web.Manager, h.deleteDealForm),
		web.GET("/brokers", web.Signed, h.brokersPage),
		web.GET("/brokers/new", web.Write, h.newBrokerPage),
		web.POST("/brokers/new", web.Write, brokerForms.createHandler),
		web.GET("/brokers/:id", web.Signed, brokerForms.showHandler),
		web.POST("/brokers/:id", web.Write, brokerForms.updateHandler),
		web.POST("/brokers/:id/delete", web.Manager, h.deleteBrokerForm),

		web.GET("/api/v1/transfers/subsidies", web.Signed, h.apiSubsidies), // before /api/v1/transfers/:id
	}
	deals := h.deals().Routes("/api/v1/transfers", web.Signed, web.Write, web.Manager)
	deals[0].Handler = h.apiDeals
	routes = append(routes, deals...)
	return append(routes, h.brokers().Routes("/api/v1/brokers", web.Signed, web.Write, web.Manager)...)
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// ---------- deals API ----------

func dealQueryFrom(c *fiber.Ctx) (DealQuery, error) {
	q := DealQuery{Text: c.Query("q"), Type: c.Query("type"), Year: c.Query("year"), Unit: c.Query("unit"),
		BrokerID: c.Query("broker"), Organisation: c.Query("organisation"), ResultID: c.Query("result"), Sort: c.Query("sort")}
	var err error
	q.Page, q.PerPage, err = web.Paging(c)
	return q, err
}

// DealItem is a deal in API answers.
type DealItem struct {
	*Deal
	UnitName string `json:"unit_name" edit:"derived"`
}

func (h *Handlers) apiDeals(c *fiber.Ctx) error {
	q, err := dealQueryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	page, err := h.Svc.ListDeals(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	items := make([]DealItem, len(page.Items))
	for i, d := range page.Items {
		items[i] = DealItem{d, h.UnitName(d.Unit)}
	}
	return c.JSON(fiber.Map{"items": items, "total": page.Total, "amount": page.Amount, "paid": page.Paid})
}

func (h *Handlers) loadDeal(c *fiber.Ctx) (*Deal, error) { return h.deals().Load(c) }

// deals serves the deals' get, create, update and delete API (the list
// answers sums as well: apiDeals).
func (h *Handlers) deals() *web.Records[DealQuery, *Deal, DealInput] {
	return &web.Records[DealQuery, *Deal, DealInput]{Kind: KindDeals, Audit: h.Audit, Query: dealQueryFrom,
		Item: func(_ *fiber.Ctx, d *Deal, _ bool) any { return DealItem{d, h.UnitName(d.Unit)} },
		Get:  h.Svc.GetDeal, Create: h.Svc.CreateDeal, Update: h.Svc.UpdateDeal, Delete: h.Svc.DeleteDeal}
}

func (h *Handlers) subsidyYear(c *fiber.Ctx) (int, error) {
	if v := c.Query("year"); v != "" {
		return ParseYear(v)
	}
	return h.now().In(core.Zone()).Year(), nil
}

func (h *Handlers) apiSubsidies(c *fiber.Ctx) error {
	year, err := h.subsidyYear(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	items, err := h.Svc.Subsidies(c.UserContext(), web.Me(c).Scope, year)
	if err != nil {
		return web.QueryFail(c, err)
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

// ---------- brokers API ----------

func brokerQueryFrom(c *fiber.Ctx) (BrokerQuery, error) {
	q := BrokerQuery{Text: c.Query("q"), Organisation: c.Query("organisation"), Unit: c.Query("unit"),
		TrainedIn: c.Query("trained"), Sort: c.Query("sort")}
	var err error
	q.Page, q.PerPage, err = web.Paging(c)
	return q, err
}

// BrokerItem is a broker in API answers.
type BrokerItem struct {
	*Broker
	UnitName      string  `json:"unit_name" edit:"derived"`
	TrainingHours float64 `json:"training_hours" edit:"derived"`
}

func (h *Handlers) brokerItem(b *Broker) BrokerItem {
	if b.Training == nil {
		b.Training = []Training{}
	}
	return BrokerItem{b, h.UnitName(b.Unit), b.TrainingHours()}
}

func (h *Handlers) loadBroker(c *fiber.Ctx) (*Broker, error) { return h.brokers().Load(c) }

// brokers serves the brokers' list, get, create, update and delete API.
func (h *Handlers) brokers() *web.Records[BrokerQuery, *Broker, BrokerInput] {
	return &web.Records[BrokerQuery, *Broker, BrokerInput]{Kind: KindBrokers, Audit: h.Audit, Query: brokerQueryFrom,
		Item: func(_ *fiber.Ctx, b *Broker, _ bool) any { return h.brokerItem(b) },
		List: func(ctx context.Context, scope core.Scope, q BrokerQuery) (core.Page[*Broker], error) {
			p, err := h.Svc.ListBrokers(ctx, scope, q)
			return p.Page, err
		},
		Get: h.Svc.GetBroker, Create: h.Svc.CreateBroker, Update: h.Svc.UpdateBroker, Delete: h.Svc.DeleteBroker}
}
