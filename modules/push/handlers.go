package push

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves the push pages and API.
type Handlers struct {
	Svc   *Service
	Audit core.Auditor
}

// Routes is the module's route table, each route with the action it needs.
// Unit rules (own units, a manager's subtree) are applied in the service.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/push", web.Signed, h.page),
		web.GET("/push/new", web.Write, h.newPage),
		web.POST("/push/saved", web.Write, h.saveForm),
		web.POST("/push/saved/:id/delete", web.Write, h.deleteForm),
		web.POST("/push/saved/:id/subscribe", web.Write, h.subscribeForm),
		web.POST("/push/unsubscribe", web.Write, h.unsubscribeForm),
		web.POST("/push/webhook", web.Manager, h.webhookForm),
		web.POST("/push/webhook/delete", web.Manager, h.webhookDeleteForm),
		web.GET("/push/send", web.Signed, h.sendPage),
		web.POST("/push/send", web.Write, h.sendForm),
		web.GET("/inbox", web.Signed, h.inboxPage),
		web.POST("/inbox/read", web.Signed, h.readForm),
		web.GET("/inbox/badge", web.Signed, h.badge),

		web.GET("/api/v1/saved-searches", web.Signed, h.apiSaved),
		web.POST("/api/v1/saved-searches", web.Write, h.apiSave),
		web.DELETE("/api/v1/saved-searches/:id", web.Write, h.apiDelete),
		web.POST("/api/v1/saved-searches/:id/subscriptions", web.Write, h.apiSubscribe),
		web.DELETE("/api/v1/saved-searches/:id/subscriptions/:unit", web.Write, h.apiUnsubscribe),
		web.GET("/api/v1/subscriptions", web.Signed, h.apiSubscriptions),
		web.GET("/api/v1/inbox", web.Signed, h.apiInbox),
		web.POST("/api/v1/inbox/read", web.Signed, h.apiRead),
		web.GET("/api/v1/recommend", web.Signed, h.apiRecommend),
		web.POST("/api/v1/push", web.Write, h.apiSend),
		web.GET("/api/v1/push/webhooks/:unit", web.Manager, h.apiWebhook),
		web.PUT("/api/v1/push/webhooks/:unit", web.Manager, h.apiSetWebhook),
		web.DELETE("/api/v1/push/webhooks/:unit", web.Manager, h.apiDeleteWebhook),
		web.POST("/api/v1/push/run", web.Admin, h.apiRun),
	}
}

// fail answers an error, auditing refused access to a unit.
func (h *Handlers) fail(c *fiber.Ctx, err error) error {
	if h.Audit != nil && errors.Is(err, core.ErrForbidden) {
		h.Audit.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "denied", Kind: UnitsCollection,
			RecordID: firstNonEmpty(c.Params("unit"), c.Query("unit"), c.FormValue("unit")), Note: c.Method() + " " + c.Path()})
	}
	return web.Fail(c, err)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// displayName is the principal's name for notes.
func displayName(me *web.Principal) string {
	if me.Name != "" {
		return me.Name
	}
	return me.Username
}

type savedJSON struct {
	SavedSearch
	URL       string   `json:"url"`
	UnitNames []string `json:"unit_names"`
}

func (h *Handlers) savedJSON(x SavedSearch) savedJSON {
	out := savedJSON{SavedSearch: x, URL: x.Query.URL(), UnitNames: []string{}}
	if out.Units == nil {
		out.Units = []string{}
	}
	if out.Kinds == nil {
		out.Kinds = []string{}
	}
	if out.Filters == nil {
		out.Filters = map[string][]string{}
	}
	for _, u := range x.Units {
		out.UnitNames = append(out.UnitNames, h.Svc.Units.Name(u))
	}
	return out
}

func (h *Handlers) apiSaved(c *fiber.Ctx) error {
	list, err := h.Svc.SavedSearches(c.UserContext(), web.Me(c).Username)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]savedJSON, len(list))
	for i, x := range list {
		items[i] = h.savedJSON(x)
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

type saveRequest struct {
	Name    string              `json:"name"`
	Text    string              `json:"q"`
	Kinds   []string            `json:"kinds"`
	Filters map[string][]string `json:"filters"`
	Units   []string            `json:"units"`
}

func (h *Handlers) apiSave(c *fiber.Ctx) error {
	var req saveRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	saved, err := h.Svc.Save(c.UserContext(), web.Actor(c), web.Me(c).Scope, req.Name,
		Query{Text: req.Text, Kinds: req.Kinds, Filters: req.Filters}, req.Units)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(h.savedJSON(*saved))
}

func (h *Handlers) apiDelete(c *fiber.Ctx) error {
	if err := h.Svc.Delete(c.UserContext(), web.Actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

func (h *Handlers) apiSubscribe(c *fiber.Ctx) error {
	var req struct {
		Unit string `json:"unit"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	if err := h.Svc.Subscribe(c.UserContext(), web.Actor(c), me.Scope, c.Params("id"), strings.TrimSpace(req.Unit)); err != nil {
		return h.fail(c, err)
	}
	saved, err := h.Svc.Saved(c.UserContext(), me.Username, c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(201).JSON(h.savedJSON(*saved))
}

func (h *Handlers) apiUnsubscribe(c *fiber.Ctx) error {
	me := web.Me(c)
	if _, err := h.Svc.Saved(c.UserContext(), me.Username, c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	if err := h.Svc.Unsubscribe(c.UserContext(), web.Actor(c), me.Scope, me.Username, c.Params("id"), c.Params("unit")); err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

// unitParam is ?unit=, else the caller's first unit.
func unitParam(c *fiber.Ctx) string {
	if u := strings.TrimSpace(c.Query("unit")); u != "" {
		return u
	}
	if me := web.Me(c); len(me.Units) > 0 {
		return me.Units[0]
	}
	return ""
}

func (h *Handlers) apiSubscriptions(c *fiber.Ctx) error {
	st, err := h.Svc.UnitState(c.UserContext(), web.Me(c).Scope, unitParam(c))
	if err != nil {
		return h.fail(c, err)
	}
	subs := st.Subscriptions
	if subs == nil {
		subs = []Subscription{}
	}
	return c.JSON(fiber.Map{"unit": st.ID, "items": subs, "total": len(subs)})
}

func (h *Handlers) apiInbox(c *fiber.Ctx) error {
	me := web.Me(c)
	in, err := h.Svc.Inbox(c.UserContext(), me.Scope, unitParam(c))
	if err != nil {
		return h.fail(c, err)
	}
	marks, err := h.Svc.Marks(c.UserContext(), me.Username)
	if err != nil {
		return h.fail(c, err)
	}
	items := newestFirst(in.Items)
	return c.JSON(fiber.Map{"unit": in.ID, "seq": in.Seq, "read": marks[in.ID], "unread": unread(in, marks[in.ID]),
		"items": items, "total": len(items)})
}

func newestFirst(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out
}

func (h *Handlers) apiRead(c *fiber.Ctx) error {
	var req struct {
		Unit string `json:"unit"`
		Seq  int64  `json:"seq"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	if err := h.Svc.MarkRead(c.UserContext(), me.Username, me.Scope, strings.TrimSpace(req.Unit), req.Seq); err != nil {
		return h.fail(c, err)
	}
	n, err := h.Svc.Unread(c.UserContext(), me.Username, me.Units)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "ok", "unread": n})
}

func (h *Handlers) apiRecommend(c *fiber.Ctx) error {
	n, _ := strconv.Atoi(c.Query("limit"))
	if n <= 0 || n > 100 {
		n = 20
	}
	list, err := h.Svc.Recommend(c.UserContext(), web.Me(c).Scope, unitParam(c), n)
	if err != nil {
		return h.fail(c, err)
	}
	if list == nil {
		list = []Suggestion{}
	}
	return c.JSON(fiber.Map{"unit": unitParam(c), "items": list, "total": len(list)})
}

func (h *Handlers) apiSend(c *fiber.Ctx) error {
	var req SendRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	p, err := h.Svc.Send(c.UserContext(), web.Actor(c), me.Scope, displayName(me), req)
	if err != nil {
		if errors.Is(err, core.ErrForbidden) && h.Audit != nil {
			h.Audit.Audit(c.UserContext(), web.Actor(c), core.AuditEntry{Action: "denied", Kind: req.Kind, RecordID: req.ID,
				Note: c.Method() + " " + c.Path()})
		}
		return web.Fail(c, err)
	}
	return c.Status(201).JSON(fiber.Map{"project": p, "unit": p.Unit, "unit_name": h.Svc.Units.Name(p.Unit)})
}

type webhookJSON struct {
	Unit         string    `json:"unit"`
	URL          string    `json:"url"`
	Set          bool      `json:"set"`
	By           string    `json:"by,omitempty"`
	LastDelivery *Delivery `json:"last_delivery"`
}

func webhookOf(st *UnitState) webhookJSON {
	out := webhookJSON{Unit: st.ID, LastDelivery: st.LastDelivery}
	if st.Webhook != nil {
		out.URL, out.Set, out.By = st.Webhook.URL, true, st.Webhook.By
	}
	return out
}

func (h *Handlers) apiWebhook(c *fiber.Ctx) error {
	st, err := h.Svc.UnitState(c.UserContext(), web.Me(c).Scope, c.Params("unit"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(webhookOf(st))
}

func (h *Handlers) apiSetWebhook(c *fiber.Ctx) error {
	var req struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	st, err := h.Svc.SetWebhook(c.UserContext(), web.Actor(c), me.Role, me.Scope, c.Params("unit"), req.URL, req.Secret)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(webhookOf(st))
}

func (h *Handlers) apiDeleteWebhook(c *fiber.Ctx) error {
	me := web.Me(c)
	if err := h.Svc.DeleteWebhook(c.UserContext(), web.Actor(c), me.Role, me.Scope, c.Params("unit")); err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

// apiRun runs one matcher round now (tests, operators); it takes no body.
func (h *Handlers) apiRun(c *fiber.Ctx) error {
	if len(strings.TrimSpace(string(c.Body()))) > 0 {
		var none struct{}
		if err := web.Decode(c, &none); err != nil {
			return web.Fail(c, err)
		}
	}
	rep, err := h.Svc.RunOnce(c.UserContext())
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(rep)
}
