package transfers

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
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
	return []web.Route{
		web.GET("/transfers", web.Signed, h.dealsPage),
		web.GET("/transfers/new", web.Write, h.newDealPage),
		web.POST("/transfers/new", web.Write, h.createDealForm),
		web.GET("/transfers/subsidies", web.Signed, h.subsidiesPage),
		web.GET("/transfers/:id", web.Signed, h.dealPage),
		web.POST("/transfers/:id", web.Write, h.editDealForm),
		web.POST("/transfers/:id/delete", web.Manager, h.deleteDealForm),
		web.GET("/brokers", web.Signed, h.brokersPage),
		web.GET("/brokers/new", web.Write, h.newBrokerPage),
		web.POST("/brokers/new", web.Write, h.createBrokerForm),
		web.GET("/brokers/:id", web.Signed, h.brokerPage),
		web.POST("/brokers/:id", web.Write, h.editBrokerForm),
		web.POST("/brokers/:id/delete", web.Manager, h.deleteBrokerForm),

		web.GET("/api/v1/transfers", web.Signed, h.apiDeals),
		web.POST("/api/v1/transfers", web.Write, h.apiCreateDeal),
		web.GET("/api/v1/transfers/subsidies", web.Signed, h.apiSubsidies),
		web.GET("/api/v1/transfers/:id", web.Signed, h.apiDeal),
		web.PUT("/api/v1/transfers/:id", web.Write, h.apiUpdateDeal),
		web.DELETE("/api/v1/transfers/:id", web.Manager, h.apiDeleteDeal),
		web.GET("/api/v1/brokers", web.Signed, h.apiBrokers),
		web.POST("/api/v1/brokers", web.Write, h.apiCreateBroker),
		web.GET("/api/v1/brokers/:id", web.Signed, h.apiBroker),
		web.PUT("/api/v1/brokers/:id", web.Write, h.apiUpdateBroker),
		web.DELETE("/api/v1/brokers/:id", web.Manager, h.apiDeleteBroker),
	}
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// auditDenied records an attempt on another unit's record.
func (h *Handlers) auditDenied(c *fiber.Ctx, kind string, err error) {
	web.AuditDenied(c, h.Audit, kind, err)
}

func versionParam(c *fiber.Ctx) (int64, error) {
	v, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || v <= 0 {
		return 0, &web.BadInput{Field: "version", Message: "须提供 ?version="}
	}
	return v, nil
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

func (h *Handlers) loadDeal(c *fiber.Ctx) (*Deal, error) {
	d, err := h.Svc.GetDeal(c.UserContext(), web.Me(c).Scope, c.Params("id"))
	h.auditDenied(c, KindDeals, err)
	return d, err
}

func (h *Handlers) apiDeal(c *fiber.Ctx) error {
	d, err := h.loadDeal(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(DealItem{d, h.UnitName(d.Unit)})
}

func (h *Handlers) apiCreateDeal(c *fiber.Ctx) error {
	var in DealInput
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	d, err := h.Svc.CreateDeal(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.Status(201).JSON(DealItem{d, h.UnitName(d.Unit)})
}

type dealUpdate struct {
	DealInput
	Version int64 `json:"version"`
}

func (h *Handlers) apiUpdateDeal(c *fiber.Ctx) error {
	var req dealUpdate
	if err := web.DecodeEdit(c, &req, func() (any, error) {
		d, err := h.loadDeal(c)
		if err != nil {
			return nil, err
		}
		return DealItem{d, h.UnitName(d.Unit)}, nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	d, err := h.Svc.UpdateDeal(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), req.Version, req.DealInput)
	if err != nil {
		h.auditDenied(c, KindDeals, err)
		return web.Fail(c, err)
	}
	web.Result(c, req.Version, d.Version)
	return c.JSON(DealItem{d, h.UnitName(d.Unit)})
}

func (h *Handlers) apiDeleteDeal(c *fiber.Ctx) error {
	version, err := versionParam(c)
	if err != nil {
		return web.Fail(c, err)
	}
	if err := h.Svc.DeleteDeal(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version); err != nil {
		h.auditDenied(c, KindDeals, err)
		return web.Fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
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

func (h *Handlers) apiBrokers(c *fiber.Ctx) error {
	q, err := brokerQueryFrom(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	page, err := h.Svc.ListBrokers(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	items := make([]BrokerItem, len(page.Items))
	for i, b := range page.Items {
		items[i] = h.brokerItem(b)
	}
	return c.JSON(fiber.Map{"items": items, "total": page.Total})
}

func (h *Handlers) loadBroker(c *fiber.Ctx) (*Broker, error) {
	b, err := h.Svc.GetBroker(c.UserContext(), web.Me(c).Scope, c.Params("id"))
	h.auditDenied(c, KindBrokers, err)
	return b, err
}

func (h *Handlers) apiBroker(c *fiber.Ctx) error {
	b, err := h.loadBroker(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.brokerItem(b))
}

func (h *Handlers) apiCreateBroker(c *fiber.Ctx) error {
	var in BrokerInput
	if err := web.Decode(c, &in); err != nil {
		return web.Fail(c, err)
	}
	b, err := h.Svc.CreateBroker(c.UserContext(), web.Actor(c), web.Me(c).Scope, in)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.Status(201).JSON(h.brokerItem(b))
}

type brokerUpdate struct {
	BrokerInput
	Version int64 `json:"version"`
}

func (h *Handlers) apiUpdateBroker(c *fiber.Ctx) error {
	var req brokerUpdate
	if err := web.DecodeEdit(c, &req, func() (any, error) {
		b, err := h.loadBroker(c)
		if err != nil {
			return nil, err
		}
		return h.brokerItem(b), nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	b, err := h.Svc.UpdateBroker(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), req.Version, req.BrokerInput)
	if err != nil {
		h.auditDenied(c, KindBrokers, err)
		return web.Fail(c, err)
	}
	web.Result(c, req.Version, b.Version)
	return c.JSON(h.brokerItem(b))
}

func (h *Handlers) apiDeleteBroker(c *fiber.Ctx) error {
	version, err := versionParam(c)
	if err != nil {
		return web.Fail(c, err)
	}
	if err := h.Svc.DeleteBroker(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version); err != nil {
		h.auditDenied(c, KindBrokers, err)
		return web.Fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

// ---------- shared page helpers ----------

// unitsInScope lists the units the caller may pick.
func (h *Handlers) unitsInScope(scope core.Scope) [][2]string {
	var out [][2]string
	if h.Units == nil {
		return out
	}
	for _, u := range h.Units() {
		if scope.Allows(u[0]) {
			out = append(out, u)
		}
	}
	return out
}

// defaultUnit is the caller's first unit, for a new record.
func defaultUnit(c *fiber.Ctx) string {
	if me := web.Me(c); me != nil && len(me.Units) > 0 {
		return me.Units[0]
	}
	return ""
}

// formAmount parses a 万元 form value with the shared amount parser
// ("1,200", "500万元", "1.2亿"); "" is 0.
func formAmount(c *fiber.Ctx, field string) (float64, error) {
	v, _, err := cells.ParseAmount(c.FormValue(field))
	if err != nil {
		return 0, core.Invalid(field, "%s（单位：万元）", err.Error())
	}
	return v, nil
}

// sortLinks builds column sort links for a list page.
type sortLinks struct {
	Base string // filters without sort and page
	Sort string
}

// URL returns the list sorted by field, toggling the direction.
func (s sortLinks) URL(field string) string {
	v := field
	if s.Sort == field {
		v = "-" + field
	}
	return s.Base + "&sort=" + url.QueryEscape(v)
}

// Mark is the arrow of a sorted column.
func (s sortLinks) Mark(field string) string {
	switch s.Sort {
	case field:
		return "↑"
	case "-" + field:
		return "↓"
	}
	return ""
}

// pageState holds the pager fields of a list view.
type pageState struct {
	Page, Pages, Total int
	PageBase           string
}

func newPageState(base url.Values, path, sort string, page, perPage, total int) pageState {
	if sort != "" {
		base.Set("sort", sort)
	}
	per := perPage
	if per <= 0 {
		per = 20
	}
	return pageState{Page: max(page, 1), Pages: (total + per - 1) / per, Total: total, PageBase: path + "?" + base.Encode()}
}

func (h *Handlers) resultTitle(ctx context.Context, id string) string {
	if id == "" || h.Svc.Result == nil {
		return ""
	}
	t, _, err := h.Svc.Result(ctx, id)
	if err != nil {
		return ""
	}
	return t
}

func fieldErrors(err error) (map[string]string, string, bool) {
	if fe, ok := core.AsFieldError(err); ok {
		return map[string]string{fe.Field: fe.Message}, fe.Message, true
	}
	return map[string]string{}, "", false
}
