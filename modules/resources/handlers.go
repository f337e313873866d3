package resources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/web"
)

// Units lists and names the matrix units for pickers and pages.
type Units interface {
	Units() []*matrix.Unit
	Name(id string) string
}

// Handlers serves the resource pool's pages and JSON API.
type Handlers struct {
	Svc   *Service
	Units Units
	Audit core.Auditor
}

// Routes is the module's route table, each route with the action it
// needs: reads for signed-in users, changes (and their forms) for those who
// may write, with the unit scope applied in the service. The four kinds
// share one set of routes.
func (h *Handlers) Routes() []web.Route {
	rs := []web.Route{web.GET("/resources", web.Signed, func(c *fiber.Ctx) error { return h.hubPage(c, TalentKind) })}
	for _, k := range Kinds {
		page, api := "/resources/"+k.Key, "/api/v1/"+k.Key
		rs = append(rs,
			web.GET(page, web.Signed, func(c *fiber.Ctx) error { return h.hubPage(c, k) }),
			web.GET(page+"/new", web.Write, func(c *fiber.Ctx) error { return h.newPage(c, k) }),
			web.GET(page+"/export.xlsx", web.Signed, func(c *fiber.Ctx) error { return h.exportList(c, k) }),
			web.POST(page, web.Write, func(c *fiber.Ctx) error { return h.createForm(c, k) }),
			web.GET(page+"/:id", web.Signed, func(c *fiber.Ctx) error { return h.detailPage(c, k) }),
			web.GET(page+"/:id/edit", web.Write, func(c *fiber.Ctx) error { return h.editPage(c, k) }),
			web.POST(page+"/:id", web.Write, func(c *fiber.Ctx) error { return h.updateForm(c, k) }),
			web.POST(page+"/:id/delete", web.Write, func(c *fiber.Ctx) error { return h.deleteForm(c, k) }),

			web.GET(api, web.Signed, func(c *fiber.Ctx) error { return h.apiList(c, k) }),
			web.POST(api, web.Write, func(c *fiber.Ctx) error { return h.apiCreate(c, k) }),
			web.GET(api+"/:id", web.Signed, func(c *fiber.Ctx) error { return h.apiGet(c, k) }),
			web.PUT(api+"/:id", web.Write, func(c *fiber.Ctx) error { return h.apiUpdate(c, k, false) }),
			web.PATCH(api+"/:id", web.Write, func(c *fiber.Ctx) error { return h.apiUpdate(c, k, true) }),
			web.DELETE(api+"/:id", web.Write, func(c *fiber.Ctx) error { return h.apiDelete(c, k) }),
		)
	}
	return rs
}

// auditDenied records a refused access to another unit's record.
func (h *Handlers) auditDenied(c *fiber.Ctx, k *Kind, err error) {
	web.AuditDenied(c, h.Audit, k.Key, err)
}

// load gets a record in the caller's scope; refusals are audited.
func (h *Handlers) load(c *fiber.Ctx, k *Kind) (Resource, error) {
	r, err := h.Svc.Get(c.UserContext(), web.Me(c).Scope, k.Key, c.Params("id"))
	h.auditDenied(c, k, err)
	return r, err
}

// queryFrom reads a list query from the URL.
func queryFrom(c *fiber.Ctx, k *Kind) (ListQuery, error) {
	q := ListQuery{Kind: k.Key, Text: c.Query("q"), Unit: strings.TrimSpace(c.Query("unit")), Sort: c.Query("sort"),
		Filters: map[string]string{}}
	for _, f := range k.Filters {
		if v := strings.TrimSpace(c.Query(f.Param)); v != "" {
			q.Filters[f.Param] = v
		}
	}
	var err error
	if q.Page, q.PerPage, err = web.Paging(c); err != nil {
		return q, err
	}
	return q, nil
}

// apiDoc is a record's JSON with the owning unit's name added.
func (h *Handlers) apiDoc(r Resource) json.RawMessage {
	b, err := json.Marshal(r)
	if err != nil || len(b) < 2 {
		return json.RawMessage("null")
	}
	name, _ := json.Marshal(h.Units.Name(r.OwnerUnit()))
	out := append(b[:len(b)-1:len(b)-1], `,"unit_name":`...)
	out = append(out, name...)
	return append(out, '}')
}

// apiFail answers service errors: field errors all listed (422), likely
// duplicates with their candidates and conflicts with the stored record (409).
func (h *Handlers) apiFail(c *fiber.Ctx, k *Kind, err error) error {
	h.auditDenied(c, k, err)
	var dw *DuplicateWarning
	var cf *Conflict
	switch {
	case errors.As(err, &dw):
		cands := make([]fiber.Map, len(dw.Candidates))
		for i, x := range dw.Candidates {
			cands[i] = fiber.Map{"id": x.ID, "name": x.Name, "unit": x.Unit, "unit_name": h.Units.Name(x.Unit), "detail": x.Detail}
		}
		return c.Status(409).JSON(fiber.Map{"error": web.APIError{Code: "possible_duplicate",
			Message: dw.Error() + "；确认不是重复后请带上 \"confirm_duplicate\": true 重新提交"}, "candidates": cands})
	case errors.As(err, &cf):
		body := web.StaleBody(cf, fmt.Sprintf("该%s已被他人修改（当前版本 %d），请核对后重试", k.Name(), cf.StoredVersion()))
		body["current"] = h.apiDoc(cf.Current)
		return c.Status(409).JSON(body)
	}
	if fes := FieldErrors(err); len(fes) > 0 {
		list := make([]web.APIError, len(fes))
		for i, fe := range fes {
			list[i] = web.APIError{Code: "invalid", Message: fe.Message, Field: fe.Field}
		}
		return c.Status(422).JSON(fiber.Map{"error": list[0], "errors": list})
	}
	return web.Fail(c, err)
}

func (h *Handlers) apiList(c *fiber.Ctx, k *Kind) error {
	q, err := queryFrom(c, k)
	if err == nil {
		var page Page
		if page, err = h.Svc.List(c.UserContext(), web.Me(c).Scope, q); err == nil {
			items := make([]json.RawMessage, len(page.Items))
			for i, r := range page.Items {
				items[i] = h.apiDoc(r)
			}
			return c.JSON(fiber.Map{"items": items, "total": page.Total})
		}
	}
	if fe, ok := core.AsFieldError(err); ok {
		return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return web.Fail(c, err)
}

func (h *Handlers) apiGet(c *fiber.Ctx, k *Kind) error {
	r, err := h.load(c, k)
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(h.apiDoc(r))
}

// readOnly are the keys of a returned document that a client may send back
// unchanged (GET, edit, PUT); they are ignored.
var readOnly = map[string]bool{"id": true, "created_at": true, "created_by": true, "updated_at": true,
	"updated_by": true, "batch": true, "unit_name": true}

// decodeInput reads a JSON object into in: field values as text, unit,
// version and confirm_duplicate. Unknown keys and wrong types are 400.
func decodeInput(c *fiber.Ctx, k *Kind, in *Input) error {
	var raw map[string]json.RawMessage
	if err := web.Decode(c, &raw); err != nil {
		return err
	}
	if raw == nil {
		return &web.BadInput{Message: "请求体须为 JSON 对象"}
	}
	wrong := func(key, want string) error {
		return &web.BadInput{Field: key, Message: fmt.Sprintf("字段 %s 的类型不正确，应为%s", key, want)}
	}
	for key, v := range raw {
		v = bytes.TrimSpace(v)
		null := string(v) == "null"
		switch {
		case readOnly[key]:
		case key == "version":
			if err := json.Unmarshal(v, &in.Version); err != nil {
				return wrong(key, "整数")
			}
		case key == "confirm_duplicate":
			if err := json.Unmarshal(v, &in.ConfirmDuplicate); err != nil {
				return wrong(key, "布尔值")
			}
		case key == "unit":
			if !null && json.Unmarshal(v, &in.Unit) != nil {
				return wrong(key, "字符串")
			}
		case k.Field(key) != nil:
			f := k.Field(key)
			var s string
			switch {
			case null:
			case f.Type == TypeTags && len(v) > 0 && v[0] == '[':
				var tags []string
				if err := json.Unmarshal(v, &tags); err != nil {
					return wrong(key, "字符串数组")
				}
				s = strings.Join(tags, ",")
			case f.Type == TypeAmount && len(v) > 0 && v[0] != '"':
				var n json.Number
				if err := json.Unmarshal(v, &n); err != nil {
					return wrong(key, "数字（万元）")
				}
				s = n.String()
			default:
				if err := json.Unmarshal(v, &s); err != nil {
					return wrong(key, "字符串")
				}
			}
			in.Values[key] = s
		default:
			return &web.BadInput{Field: key, Message: "未知字段 " + key}
		}
	}
	return nil
}

func (h *Handlers) apiCreate(c *fiber.Ctx, k *Kind) error {
	in := Input{Values: map[string]string{}}
	if err := decodeInput(c, k, &in); err != nil {
		return web.Fail(c, err)
	}
	if strings.TrimSpace(in.Unit) == "" {
		in.Unit = defaultUnit(web.Me(c))
	}
	r, err := h.Svc.Create(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, in)
	if err != nil {
		return h.apiFail(c, k, err)
	}
	return c.Status(201).JSON(h.apiDoc(r))
}

// apiUpdate is PUT (every field replaced; a missing field is emptied) or
// PATCH (only the fields sent change). Both need the version read.
func (h *Handlers) apiUpdate(c *fiber.Ctx, k *Kind, patch bool) error {
	in := Input{Values: map[string]string{}}
	if patch {
		cur, err := h.load(c, k)
		if err != nil {
			return web.Fail(c, err)
		}
		in = InputOf(k, cur)
		in.Version = 0
	} else {
		for _, f := range k.Fields {
			in.Values[f.Key] = ""
		}
	}
	if err := decodeInput(c, k, &in); err != nil {
		return web.Fail(c, err)
	}
	if err := web.CheckReadOnly(c, func(key string) bool { return readOnly[key] && key != "unit_name" }, func() (any, error) {
		cur, err := h.load(c, k)
		if err != nil {
			return nil, err
		}
		return h.apiDoc(cur), nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if in.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	r, err := h.Svc.Update(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, c.Params("id"), in)
	if err != nil {
		return h.apiFail(c, k, err)
	}
	web.Result(c, in.Version, r.GetMeta().Version)
	return c.JSON(h.apiDoc(r))
}

func (h *Handlers) apiDelete(c *fiber.Ctx, k *Kind) error {
	version, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供 ?version="})
	}
	if err := h.Svc.Delete(c.UserContext(), web.Actor(c), web.Me(c).Scope, k.Key, c.Params("id"), version); err != nil {
		return h.apiFail(c, k, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

// defaultUnit is where a caller's new records go unless they choose: their
// first unit (admins without units must choose).
func defaultUnit(me *web.Principal) string {
	if me != nil && len(me.Units) > 0 {
		return me.Units[0]
	}
	return ""
}
