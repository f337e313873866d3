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

// Access declares the access class of every route Routes registers. Unit
// rules (own units, a manager's subtree) are applied in the service.
func (h *Handlers) Access() web.Rules {
	return web.Rules{
		"GET /push": web.Signed, "GET /push/new": web.Write, "POST /push/saved": web.Write,
		"POST /push/saved/:id/delete": web.Write, "POST /push/saved/:id/subscribe": web.Write,
		"POST /push/unsubscribe": web.Write, "POST /push/webhook": web.Manager, "POST /push/webhook/delete": web.Manager,
		"GET /push/send": web.Signed, "POST /push/send": web.Write,
		"GET /inbox": web.Signed, "POST /inbox/read": web.Signed, "GET /inbox/badge": web.Signed,

		"GET /api/v1/saved-searches": web.Signed, "POST /api/v1/saved-searches": web.Write,
		"DELETE /api/v1/saved-searches/:id": web.Write, "POST /api/v1/saved-searches/:id/subscriptions": web.Write,
		"DELETE /api/v1/saved-searches/:id/subscriptions/:unit": web.Write,
		"GET /api/v1/subscriptions":                             web.Signed, "GET /api/v1/inbox": web.Signed, "POST /api/v1/inbox/read": web.Signed,
		"GET /api/v1/recommend": web.Signed, "POST /api/v1/push": web.Write,
		"GET /api/v1/push/webhooks/:unit": web.Manager, "PUT /api/v1/push/webhooks/:unit": web.Manager,
		"DELETE /api/v1/push/webhooks/:unit": web.Manager, "POST /api/v1/push/run": web.Admin,
	}
}

// Routes registers the push routes.
func (h *Handlers) Routes(r fiber.Router) {
	r.Get("/push", h.page)
	r.Get("/push/new", h.newPage)
	r.Post("/push/saved", h.saveForm)
	r.Post("/push/saved/:id/delete", h.deleteForm)
	r.Post("/push/saved/:id/subscribe", h.subscribeForm)
	r.Post("/push/unsubscribe", h.unsubscribeForm)
	r.Post("/push/webhook", web.RequireManager, h.webhookForm)
	r.Post("/push/webhook/delete", web.RequireManager, h.webhookDeleteForm)
	r.Get("/push/send", h.sendPage)
	r.Post("/push/send", h.sendForm)
	r.Get("/inbox", h.inboxPage)
	r.Post("/inbox/read", h.readForm)
	r.Get("/inbox/badge", h.badge)

	r.Get("/api/v1/saved-searches", h.apiSaved)
	r.Post("/api/v1/saved-searches", h.apiSave)
	r.Delete("/api/v1/saved-searches/:id", h.apiDelete)
	r.Post("/api/v1/saved-searches/:id/subscriptions", h.apiSubscribe)
	r.Delete("/api/v1/saved-searches/:id/subscriptions/:unit", h.apiUnsubscribe)
	r.Get("/api/v1/subscriptions", h.apiSubscriptions)
	r.Get("/api/v1/inbox", h.apiInbox)
	r.Post("/api/v1/inbox/read", h.apiRead)
	r.Get("/api/v1/recommend", h.apiRecommend)
	r.Post("/api/v1/push", h.apiSend)
	r.Get("/api/v1/push/webhooks/:unit", web.RequireManager, h.apiWebhook)
	r.Put("/api/v1/push/webhooks/:unit", web.RequireManager, h.apiSetWebhook)
	r.Delete("/api/v1/push/webhooks/:unit", web.RequireManager, h.apiDeleteWebhook)
	r.Post("/api/v1/push/run", onlyAdmin, h.apiRun)
}

func onlyAdmin(c *fiber.Ctx) error {
	if me := web.Me(c); me == nil || me.Role != "admin" {
		return web.Fail(c, core.ErrForbidden)
	}
	return c.Next()
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
