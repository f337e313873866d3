package push

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// SavedRow is a saved search on the push page.
type SavedRow struct {
	SavedSearch
	URL     string
	Summary string
	Subs    [][2]string // subscribed units (id, name)
}

// SubRow is a subscription of the selected unit.
type SubRow struct {
	Subscription
	URL, Summary string
}

// PageView is the Data of the "push" page.
type PageView struct {
	Unit, UnitName string
	Units          [][2]string // units in scope
	Saved          []SavedRow
	Subs           []SubRow
	Suggestions    []Suggestion
	RecommendError string
	CanWebhook     bool
	Webhook        webhookJSON
	Industries     []string
	Zones          []string
	Levels         []string
	Kinds          []string
}

// summary describes a query in words: 关键词「…」 · 人才、企业 · 产业：新能源.
func summary(q Query) string {
	var parts []string
	if q.Text != "" {
		parts = append(parts, "关键词「"+q.Text+"」")
	}
	if len(q.Kinds) > 0 {
		names := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			names[i] = templates.Label("rkind", k)
		}
		parts = append(parts, strings.Join(names, "、"))
	} else {
		parts = append(parts, "全部资源")
	}
	for _, f := range FilterFields {
		if vals := q.Filters[f]; len(vals) > 0 {
			parts = append(parts, filterLabels[f]+"："+strings.Join(vals, "、"))
		}
	}
	return strings.Join(parts, " · ")
}

var filterLabels = map[string]string{"industry": "产业", "zone": "区镇", "level": "级别", "year": "年度", "unit": "单位"}

// unitsIn lists the units a scope holds, in matrix order.
func (h *Handlers) unitsIn(scope core.Scope) [][2]string {
	var out [][2]string
	for _, u := range h.Svc.Units.Units() {
		if scope.Allows(u.ID) {
			out = append(out, [2]string{u.ID, u.Name})
		}
	}
	return out
}

// pageUnit is ?unit= when in scope, else the caller's first unit, else
// the first unit in scope.
func (h *Handlers) pageUnit(c *fiber.Ctx, units [][2]string) string {
	want := unitParam(c)
	for _, u := range units {
		if u[0] == want {
			return want
		}
	}
	if len(units) > 0 {
		return units[0][0]
	}
	return ""
}

func (h *Handlers) page(c *fiber.Ctx) error {
	ctx, me := c.UserContext(), web.Me(c)
	v := PageView{Units: h.unitsIn(me.Scope), Kinds: ResourceKinds}
	if u := strings.TrimSpace(c.Query("unit")); u != "" && !me.Scope.Allows(u) {
		return h.fail(c, core.ErrForbidden)
	}
	v.Unit = h.pageUnit(c, v.Units)
	v.UnitName = h.Svc.Units.Name(v.Unit)
	saved, err := h.Svc.SavedSearches(ctx, me.Username)
	if err != nil {
		return web.Fail(c, err)
	}
	for _, x := range saved {
		row := SavedRow{SavedSearch: x, URL: x.Query.URL(), Summary: summary(x.Query)}
		for _, u := range x.Units {
			row.Subs = append(row.Subs, [2]string{u, h.Svc.Units.Name(u)})
		}
		v.Saved = append(v.Saved, row)
	}
	if cat, err := h.Svc.Units.Catalog(ctx); err == nil {
		for _, i := range cat.Industries {
			v.Industries = append(v.Industries, i.Name)
		}
		v.Zones, v.Levels = cat.Zones, cat.TalentLevels
	}
	if v.Unit != "" {
		st, err := h.Svc.UnitState(ctx, me.Scope, v.Unit)
		if err != nil {
			return h.fail(c, err)
		}
		for _, s := range st.Subscriptions {
			v.Subs = append(v.Subs, SubRow{Subscription: s, URL: s.Query.URL(), Summary: summary(s.Query)})
		}
		v.CanWebhook = me.May(web.Manager)
		v.Webhook = webhookOf(st)
		v.Suggestions, err = h.Svc.Recommend(ctx, me.Scope, v.Unit, 20)
		if err != nil {
			v.RecommendError = "推荐暂不可用：" + err.Error()
		}
	}
	return web.Page(c, "push", "订阅与推荐", "push", v)
}

// NewView is the Data of the "push_new" page (save a search from /search).
type NewView struct {
	From    string
	Query   Query
	Summary string
	Name    string
	Error   *core.FieldError
	Units   [][2]string
	Unit    string
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	me := web.Me(c)
	v := NewView{From: c.Query("from"), Units: h.unitsIn(me.Scope)}
	if len(me.Units) > 0 {
		v.Unit = me.Units[0]
	}
	q, err := ParseSearchURL(v.From)
	v.Query, v.Summary = q, summary(q)
	if fe, ok := core.AsFieldError(err); ok {
		v.Error = fe
	}
	v.Name = q.Text
	return web.Page(c, "push_new", "保存搜索", "push", v)
}

// formQuery reads a query from a form: from= (a /search URL) or the fields.
func formQuery(c *fiber.Ctx) (Query, error) {
	if from := c.FormValue("from"); from != "" {
		return ParseSearchURL(from)
	}
	q := Query{Text: c.FormValue("q"), Filters: map[string][]string{}}
	args := c.Request().PostArgs()
	for _, k := range args.PeekMulti("kind") {
		q.Kinds = append(q.Kinds, string(k))
	}
	for _, f := range FilterFields {
		for _, v := range args.PeekMulti(f) {
			q.Filters[f] = append(q.Filters[f], string(v))
		}
	}
	return q, q.Normalize()
}

func (h *Handlers) saveForm(c *fiber.Ctx) error {
	me := web.Me(c)
	q, err := formQuery(c)
	var units []string
	if u := strings.TrimSpace(c.FormValue("unit")); u != "" {
		units = []string{u}
	}
	if err == nil {
		_, err = h.Svc.Save(c.UserContext(), web.Actor(c), me.Scope, c.FormValue("name"), q, units)
	}
	if err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			if c.FormValue("from") != "" {
				v := NewView{From: c.FormValue("from"), Query: q, Summary: summary(q), Name: c.FormValue("name"), Error: fe,
					Units: h.unitsIn(me.Scope), Unit: c.FormValue("unit")}
				return web.Page(c.Status(422), "push_new", "保存搜索", "push", v)
			}
			web.Flash(c, "error", fe.Message)
			return c.Redirect("/push", fiber.StatusSeeOther)
		}
		return h.fail(c, err)
	}
	msg := "已保存搜索“" + strings.TrimSpace(c.FormValue("name")) + "”"
	back := "/push"
	if len(units) > 0 {
		msg += "，" + h.Svc.Units.Name(units[0]) + "已订阅：新增或更新的匹配资源将推送到该单位的消息"
		back += "?unit=" + url.QueryEscape(units[0])
	}
	web.Flash(c, "ok", msg)
	return c.Redirect(back, fiber.StatusSeeOther)
}

func (h *Handlers) deleteForm(c *fiber.Ctx) error {
	if err := h.Svc.Delete(c.UserContext(), web.Actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	web.Flash(c, "ok", "已删除保存的搜索及其订阅")
	return c.Redirect("/push", fiber.StatusSeeOther)
}

func (h *Handlers) subscribeForm(c *fiber.Ctx) error {
	unit := strings.TrimSpace(c.FormValue("unit"))
	err := h.Svc.Subscribe(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), unit)
	if fe, ok := core.AsFieldError(err); ok {
		web.Flash(c, "error", fe.Message)
		return c.Redirect("/push", fiber.StatusSeeOther)
	} else if err != nil {
		return h.fail(c, err)
	}
	web.Flash(c, "ok", h.Svc.Units.Name(unit)+"已订阅该搜索")
	return c.Redirect("/push?unit="+url.QueryEscape(unit), fiber.StatusSeeOther)
}

func (h *Handlers) unsubscribeForm(c *fiber.Ctx) error {
	unit := strings.TrimSpace(c.FormValue("unit"))
	err := h.Svc.Unsubscribe(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.FormValue("owner"), c.FormValue("id"), unit)
	if err != nil {
		return h.fail(c, err)
	}
	web.Flash(c, "ok", "已取消订阅")
	return c.Redirect("/push?unit="+url.QueryEscape(unit), fiber.StatusSeeOther)
}

func (h *Handlers) webhookForm(c *fiber.Ctx) error {
	me, unit := web.Me(c), strings.TrimSpace(c.FormValue("unit"))
	_, err := h.Svc.SetWebhook(c.UserContext(), web.Actor(c), me.Role, me.Scope, unit, c.FormValue("url"), c.FormValue("secret"))
	if fe, ok := core.AsFieldError(err); ok {
		web.Flash(c, "error", fe.Message)
	} else if err != nil {
		return h.fail(c, err)
	} else {
		web.Flash(c, "ok", "已保存推送 Webhook")
	}
	return c.Redirect("/push?unit="+url.QueryEscape(unit), fiber.StatusSeeOther)
}

func (h *Handlers) webhookDeleteForm(c *fiber.Ctx) error {
	me, unit := web.Me(c), strings.TrimSpace(c.FormValue("unit"))
	if err := h.Svc.DeleteWebhook(c.UserContext(), web.Actor(c), me.Role, me.Scope, unit); err != nil {
		return h.fail(c, err)
	}
	web.Flash(c, "ok", "已删除推送 Webhook")
	return c.Redirect("/push?unit="+url.QueryEscape(unit), fiber.StatusSeeOther)
}

// SendView is the Data of the "push_send" page.
type SendView struct {
	Kind, KindName, ID, Name string
	Back                     string
	Units                    [][2]string
	Unit, Note               string
	Error                    *core.FieldError
}

func (h *Handlers) sendView(c *fiber.Ctx, kind, id string) (SendView, error) {
	r, err := h.Svc.Resources.Get(c.UserContext(), web.Me(c).Scope, kind, id)
	if err != nil {
		return SendView{}, err
	}
	return SendView{Kind: kind, KindName: templates.Label("rkind", kind), ID: id, Name: r.DisplayName(),
		Back: RecordPath(kind, id), Units: h.Svc.Sendable()}, nil
}

func (h *Handlers) sendPage(c *fiber.Ctx) error {
	kind, id := c.Query("kind"), c.Query("id")
	if !slices.Contains(ResourceKinds, kind) || id == "" {
		return web.Fail(c, &web.BadInput{Field: "kind", Message: "请从资源详情页点击“推送给单位”"})
	}
	v, err := h.sendView(c, kind, id)
	if err != nil {
		return h.fail(c, err)
	}
	v.Unit = c.Query("unit")
	return web.Page(c, "push_send", "推送给单位", "resources", v)
}

func (h *Handlers) sendForm(c *fiber.Ctx) error {
	me := web.Me(c)
	req := SendRequest{Kind: c.FormValue("kind"), ID: c.FormValue("id"), Unit: c.FormValue("unit"), Note: c.FormValue("note")}
	p, err := h.Svc.Send(c.UserContext(), web.Actor(c), me.Scope, displayName(me), req)
	if err == nil {
		web.Flash(c, "ok", "已推送给"+h.Svc.Units.Name(p.Unit)+"，并在该单位新建“资源推送”阶段的项目“"+p.Name+"”")
		if me.Scope.Allows(p.Unit) {
			return c.Redirect("/projects/"+p.ID, fiber.StatusSeeOther)
		}
		return c.Redirect(RecordPath(req.Kind, req.ID), fiber.StatusSeeOther)
	}
	fe, ok := core.AsFieldError(err)
	if !ok || !slices.Contains(ResourceKinds, req.Kind) {
		return h.fail(c, err)
	}
	v, verr := h.sendView(c, req.Kind, req.ID)
	if verr != nil {
		return h.fail(c, verr)
	}
	v.Unit, v.Note, v.Error = req.Unit, req.Note, fe
	return web.Page(c.Status(422), "push_send", "推送给单位", "resources", v)
}

// InboxRow is one item on the inbox page.
type InboxRow struct {
	Item
	KindName, URL, ProjectURL string
	Unread                    bool
}

// InboxView is the Data of the "inbox" page.
type InboxView struct {
	Unit, UnitName string
	Units          [][2]string
	Rows           []InboxRow
	Unread         int
	Seq            int64
}

func (h *Handlers) inboxPage(c *fiber.Ctx) error {
	ctx, me := c.UserContext(), web.Me(c)
	v := InboxView{Units: h.unitsIn(me.Scope)}
	if u := strings.TrimSpace(c.Query("unit")); u != "" && !me.Scope.Allows(u) {
		return h.fail(c, core.ErrForbidden)
	}
	v.Unit = h.pageUnit(c, v.Units)
	if v.Unit == "" {
		return web.Page(c, "inbox", "消息", "push", v)
	}
	v.UnitName = h.Svc.Units.Name(v.Unit)
	in, err := h.Svc.Inbox(ctx, me.Scope, v.Unit)
	if err != nil {
		return h.fail(c, err)
	}
	marks, err := h.Svc.Marks(ctx, me.Username)
	if err != nil {
		return web.Fail(c, err)
	}
	v.Seq, v.Unread = in.Seq, unread(in, marks[v.Unit])
	for _, it := range newestFirst(in.Items) {
		row := InboxRow{Item: it, KindName: templates.Label("rkind", it.Kind), URL: RecordPath(it.Kind, it.RecordID),
			Unread: it.Seq > marks[v.Unit]}
		if it.ProjectID != "" {
			row.ProjectURL = "/projects/" + it.ProjectID
		}
		v.Rows = append(v.Rows, row)
	}
	return web.Page(c, "inbox", "消息", "push", v)
}

func (h *Handlers) readForm(c *fiber.Ctx) error {
	me, unit := web.Me(c), strings.TrimSpace(c.FormValue("unit"))
	seq, _ := strconv.ParseInt(c.FormValue("seq"), 10, 64)
	if err := h.Svc.MarkRead(c.UserContext(), me.Username, me.Scope, unit, seq); err != nil {
		var fe *core.FieldError
		if errors.As(err, &fe) {
			web.Flash(c, "error", fe.Message)
			return c.Redirect("/inbox", fiber.StatusSeeOther)
		}
		return h.fail(c, err)
	}
	return c.Redirect("/inbox?unit="+url.QueryEscape(unit), fiber.StatusSeeOther)
}

// badge answers the top bar's unread count as a small HTML fragment
// (htmx): one _id read per own unit plus the read marks.
func (h *Handlers) badge(c *fiber.Ctx) error {
	me := web.Me(c)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	n, err := h.Svc.Unread(c.UserContext(), me.Username, me.Units)
	if err != nil || n == 0 {
		return c.SendString(`<span id="inbox-count" class="sr-only">无未读消息</span>`)
	}
	label := strconv.Itoa(n)
	if n > 99 {
		label = "99+"
	}
	return c.SendString(`<span id="inbox-count" class="badge badge-danger" title="未读消息">` + label + `</span>`)
}
