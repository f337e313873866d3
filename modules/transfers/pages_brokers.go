package transfers

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// BrokersView is the Data of the "brokers" page.
type BrokersView struct {
	Query         BrokerQuery
	Items         []*Broker
	Pager         pageState
	Sorts         sortLinks
	Error         string
	Units         [][2]string
	Organisations []string
	Years         []int
	UnitName      func(string) string
}

func (h *Handlers) brokersPage(c *fiber.Ctx) error {
	me := web.Me(c)
	q, err := brokerQueryFrom(c)
	v := BrokersView{Units: h.unitsInScope(me.Scope), Years: h.years(), UnitName: h.UnitName}
	var page BrokerPage
	if err == nil {
		page, err = h.Svc.ListBrokers(c.UserContext(), me.Scope, q)
		v.Items = page.Items
	}
	if v.Error, err = web.ListProblem(c, err); err != nil {
		return web.Fail(c, err)
	}
	for org := range page.Organisations {
		v.Organisations = append(v.Organisations, org)
	}
	if q.Organisation != "" && page.Organisations[q.Organisation] == 0 {
		v.Organisations = append(v.Organisations, q.Organisation)
	}
	sort.Strings(v.Organisations)
	v.Query = q
	vals := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "organisation": q.Organisation, "unit": q.Unit, "trained": q.TrainedIn} {
		if val != "" {
			vals.Set(k, val)
		}
	}
	v.Sorts = sortLinks{Base: "/brokers?" + vals.Encode(), Sort: q.Sort}
	v.Pager = newPageState(vals, "/brokers", q.Sort, q.Page, q.PerPage, page.Total)
	return web.Page(c, "brokers", "技术经纪人", "transfers", v)
}

// BrokerView is the Data of the "brokers_form" page (new and detail/edit).
type BrokerView struct {
	Broker  *Broker // nil when creating
	Form    BrokerInput
	Rows    []TrainingInput // training rows of the form, with blank ones to add
	Version int64
	formErrors
	Units    [][2]string
	UnitName string
	Deals    []*Deal
	Total    int
	Paid     float64
	Manager  bool
}

// blankTrainingRows is how many empty training rows the form offers.
const blankTrainingRows = 3

func (h *Handlers) brokerView(c *fiber.Ctx, b *Broker, in *BrokerInput) *BrokerView {
	me := web.Me(c)
	v := &BrokerView{Broker: b, Units: h.unitsInScope(me.Scope), formErrors: formErrors{Errors: map[string]string{}},
		Manager: me.May(web.Manager)}
	switch {
	case in != nil:
		v.Form = *in
	case b != nil:
		v.Form = BrokerInputOf(b)
	default:
		v.Form = BrokerInput{Unit: defaultUnit(c)}
	}
	if b != nil {
		v.Version, v.UnitName = b.Version, h.UnitName(b.Unit)
		if page, err := h.Svc.ListDeals(c.UserContext(), me.Scope, DealQuery{BrokerID: b.ID, PerPage: 50}); err == nil {
			v.Deals, v.Total, v.Paid = page.Items, page.Total, page.Paid
		}
	}
	v.Rows = append(append([]TrainingInput{}, v.Form.Training...), make([]TrainingInput, blankTrainingRows)...)
	return v
}

// brokerForm reads the form; training rows come as parallel repeated
// fields, and a row left entirely blank is skipped.
func brokerForm(c *fiber.Ctx) (BrokerInput, error) {
	in := BrokerInput{Name: c.FormValue("name"), Organisation: c.FormValue("organisation"),
		CertificateNo: c.FormValue("certificate_no"), Phone: c.FormValue("phone"), Unit: c.FormValue("unit")}
	args := c.Request().PostArgs()
	dates, courses, hours := args.PeekMulti("training_date"), args.PeekMulti("training_course"), args.PeekMulti("training_hours")
	n := max(len(dates), len(courses), len(hours))
	at := func(vs [][]byte, i int) string {
		if i < len(vs) {
			return strings.TrimSpace(string(vs[i]))
		}
		return ""
	}
	var firstErr error
	for i := 0; i < n; i++ {
		ds, cs, hs := at(dates, i), at(courses, i), at(hours, i)
		if ds == "" && cs == "" && hs == "" {
			continue
		}
		t := TrainingInput{Course: cs}
		d, err := core.ParseDate(ds)
		if err != nil && firstErr == nil {
			firstErr = core.Invalid("training", "第 %d 条培训记录：%s", len(in.Training)+1, err.Error())
		}
		t.Date = d
		if hs != "" {
			h, err := strconv.ParseFloat(hs, 64)
			if err != nil && firstErr == nil {
				firstErr = core.Invalid("training", "第 %d 条培训记录的学时须为数字", len(in.Training)+1)
			}
			t.Hours = h
		}
		in.Training = append(in.Training, t)
	}
	return in, firstErr
}

func (h *Handlers) newBrokerPage(c *fiber.Ctx) error {
	return web.Page(c, "brokers_form", "登记技术经纪人", "transfers", h.brokerView(c, nil, nil))
}

// brokerForms is the flow of the broker form.
func (h *Handlers) brokerForms() *recordForm[*Broker, BrokerInput, *BrokerView] {
	return &recordForm[*Broker, BrokerInput, *BrokerView]{kind: KindBrokers, audit: h.Audit, page: "brokers_form", path: "/brokers",
		newTitle: "登记技术经纪人", title: "技术经纪人", stale: "该经纪人信息已被他人修改", read: brokerForm, load: h.loadBroker, view: h.brokerView,
		created: func(b *Broker) string { return "已登记技术经纪人 " + b.Name },
		create:  h.Svc.CreateBroker, get: h.Svc.GetBroker, update: h.Svc.UpdateBroker}
}

func (h *Handlers) deleteBrokerForm(c *fiber.Ctx) error {
	id := c.Params("id")
	return web.DeleteForm(c, h.Audit, web.Deleted{Kind: KindBrokers, Done: "已删除该技术经纪人", Stale: "该经纪人信息刚被他人修改，请核对后再删除",
		List: "/brokers", Detail: "/brokers/" + id}, func(version int64) error {
		return h.Svc.DeleteBroker(c.UserContext(), web.Actor(c), web.Me(c).Scope, id, version)
	})
}
