// Package web holds what every HTTP handler shares: the signed-in
// principal, error mapping (JSON and pages), strict JSON decoding and
// page rendering. Handlers parse input, call a service, and answer.
package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/templates"
)

// Principal is the signed-in user of a request.
type Principal struct {
	Username  string
	Name      string
	Role      string
	Units     []string
	UnitNames []string
	Scope     core.Scope
	CSRF      string
	Token     string // session token (cookie value)
}

const principalKey = "zs.principal"

// SetPrincipal stores the principal for the request.
func SetPrincipal(c *fiber.Ctx, p *Principal) { c.Locals(principalKey, p) }

// Me returns the signed-in principal or nil.
func Me(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(principalKey).(*Principal)
	return p
}

// RequestID returns the request id set by the middleware.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestid").(string)
	return id
}

// Actor is the audit identity of the request.
func Actor(c *fiber.Ctx) core.Actor {
	a := core.Actor{IP: c.IP(), RequestID: RequestID(c)}
	if p := Me(c); p != nil {
		a.User, a.Role = p.Username, p.Role
	}
	return a
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// APIError is the JSON error body {"error":{...}}.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// JSONError writes {"error":{code,message,field}} with status.
func JSONError(c *fiber.Ctx, status int, code, message, field string) error {
	return c.Status(status).JSON(fiber.Map{"error": APIError{Code: code, Message: message, Field: field}})
}

// Status maps a service error to an HTTP status and error code.
func Status(err error) (int, string) {
	var fe *fiber.Error
	var bi *BadInput
	switch {
	case errors.As(err, &bi):
		return 400, "bad_request"
	case errors.As(err, &fe):
		return fe.Code, codeFor(fe.Code)
	case errors.Is(err, core.ErrNotFound):
		return 404, "not_found"
	case errors.Is(err, core.ErrForbidden):
		return 403, "forbidden"
	case errors.Is(err, core.ErrConflict):
		return 409, "conflict"
	case errors.Is(err, core.ErrDuplicate):
		return 409, "duplicate"
	}
	if _, ok := core.AsFieldError(err); ok {
		return 422, "invalid"
	}
	switch storageFault(err) {
	case "full":
		return 507, "storage_full"
	case "readonly":
		return 503, "storage_readonly"
	}
	return 500, "internal"
}

// storageFault recognises a store that cannot write: the disk is full
// ("full") or the data dir is read-only ("readonly"). The embedded store
// reports SQLite's errors as text; MongoDB reports its own.
func storageFault(err error) string {
	s := strings.ToLower(err.Error())
	switch {
	case strings.Contains(s, "disk is full") || strings.Contains(s, "no space left") || strings.Contains(s, "outofdiskspace"):
		return "full"
	case strings.Contains(s, "readonly database") || strings.Contains(s, "read-only file system") || strings.Contains(s, "read only"):
		return "readonly"
	}
	return ""
}

func codeFor(status int) string {
	switch status {
	case 400:
		return "bad_request"
	case 401:
		return "unauthenticated"
	case 403:
		return "forbidden"
	case 404:
		return "not_found"
	case 405:
		return "method_not_allowed"
	case 409:
		return "conflict"
	case 413:
		return "too_large"
	case 422:
		return "invalid"
	case 429:
		return "rate_limited"
	}
	if status >= 500 {
		return "internal"
	}
	return "error"
}

// Messages for statuses whose cause users need not see in detail.
var statusText = map[int]string{
	400: "请求格式不正确", 401: "请先登录", 403: "没有权限执行此操作", 404: "记录不存在",
	405: "不支持的请求方法", 409: "记录已被他人修改，请刷新后重试", 413: "上传内容过大", 429: "请求过于频繁，请稍后再试",
	500: "服务器内部错误，请稍后重试（已记录）",
	503: "数据目录只读，本次修改未保存；请联系管理员检查存储",
	507: "服务器磁盘空间不足，本次修改未保存；请联系管理员清理空间后重试",
}

// Fail answers err as JSON (API) or an error page, logging server faults.
func Fail(c *fiber.Ctx, err error) error {
	status, code := Status(err)
	msg := statusText[status]
	field := ""
	var bi *BadInput
	if fe, ok := core.AsFieldError(err); ok {
		msg, field = fe.Message, fe.Field
	} else if errors.As(err, &bi) {
		msg, field = bi.Message, bi.Field
	} else if f := (*fiber.Error)(nil); errors.As(err, &f) && status < 500 && f.Message != "" && f.Message != fiberDefault(status) {
		msg = f.Message
	}
	if status >= 500 {
		slog.Error("request failed", "method", c.Method(), "path", c.Path(), "request_id", RequestID(c), "err", err)
	}
	if msg == "" {
		msg = fmt.Sprintf("错误 %d", status)
	}
	if IsAPI(c) {
		if fes := core.FieldErrors(err); len(fes) > 1 {
			// Every problem at once: "error" is the first, "errors" all.
			list := make([]APIError, len(fes))
			for i, fe := range fes {
				list[i] = APIError{Code: code, Message: fe.Message, Field: fe.Field}
			}
			return c.Status(status).JSON(fiber.Map{"error": list[0], "errors": list})
		}
		return JSONError(c, status, code, msg, field)
	}
	if ok, err := outsideCard(c, err); ok {
		return err
	}
	return Page(c.Status(status), "error", "出错了", "", templates.ErrorData{Status: status, Message: msg})
}

func fiberDefault(status int) string { return fiber.NewError(status).Message }

// BadInput is a malformed request (400), optionally naming the field.
type BadInput struct{ Field, Message string }

func (e *BadInput) Error() string { return e.Message }

// Decode reads a JSON body strictly into v: unknown fields, wrong types and
// trailing data are *BadInput errors with the reason. Typed targets mean
// query operators such as {"$ne":...} can never reach Mongo.
func Decode(c *fiber.Ctx, v any) error {
	return decodeJSON(c.Body(), v)
}

func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &BadInput{Message: "请求体为空，需要 JSON"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &ute):
			f := jsonPath(reflect.TypeOf(v), ute.Field)
			return &BadInput{Field: f, Message: fmt.Sprintf("字段 %s 的类型不正确，应为 %s", f, ute.Type)}
		case errors.As(err, &se):
			return &BadInput{Message: fmt.Sprintf("JSON 格式错误（第 %d 字节）：%v", se.Offset, se)}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &BadInput{Field: f, Message: "未知字段 " + f}
		default:
			return &BadInput{Message: "JSON 格式错误：" + err.Error()}
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &BadInput{Message: "JSON 之后还有多余内容"}
	}
	return nil
}

// jsonPath is a decoding error's field path as the client wrote it: the
// names of embedded structs ("Input.investment") are not part of the JSON.
func jsonPath(t reflect.Type, path string) string {
	parts := strings.Split(path, ".")
	fields := jsonFields(t)
	for len(parts) > 1 && !fields[strings.ToLower(parts[0])] {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

var pages *templates.Set

// SetTemplates installs the parsed template set (at server start).
func SetTemplates(s *templates.Set) { pages = s }

// Page renders a full page inside the shell.
func Page(c *fiber.Ctx, page, title, nav string, data any) error {
	sh := templates.Shell{Title: title, Nav: nav, RequestID: RequestID(c)}
	if p := Me(c); p != nil {
		sh.User = &templates.ShellUser{Username: p.Username, Name: p.Name, RoleLabel: templates.Label("role", p.Role),
			UnitNames: p.UnitNames, IsAdmin: p.May(Admin), IsManager: p.May(Manager),
			CanWrite: p.May(Write)}
		sh.CSRF = p.CSRF
		if d := Dir(c); d != nil {
			sh.People = d.PersonName
		}
	} else if t, ok := c.Locals("zs.precsrf").(string); ok {
		sh.CSRF = t
	}
	if f := c.Cookies("zs_flash"); f != "" {
		sh.Flash, sh.FlashKind = decodeFlash(f)
		c.Cookie(&fiber.Cookie{Name: "zs_flash", Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax", MaxAge: -1, Expires: time.Unix(1, 0)})
	}
	var buf bytes.Buffer
	if err := pages.Render(&buf, page, sh, data); err != nil {
		slog.Error("render failed", "page", page, "err", err)
		return c.Status(500).SendString("页面渲染失败")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// Flash sets a one-shot message shown on the next page.
func Flash(c *fiber.Ctx, kind, msg string) {
	c.Cookie(&fiber.Cookie{Name: "zs_flash", Value: encodeFlash(kind, msg), Path: "/", HTTPOnly: true, SameSite: "Lax", MaxAge: 60})
}

// Paging reads ?page= and ?per_page= (0 when absent); anything but a
// positive integer is a field error naming the parameter.
func Paging(c *fiber.Ctx) (page, perPage int, err error) {
	if v := c.Query("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, core.Invalid("page", "页码须为正整数")
		}
	}
	if v := c.Query("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 {
			return 0, 0, core.Invalid("per_page", "每页条数须为正整数")
		}
	}
	return page, perPage, nil
}

// QueryFail answers a bad list query: a field error is a 400 naming the
// parameter (not a 422: nothing was submitted), anything else as Fail.
func QueryFail(c *fiber.Ctx, err error) error {
	if fe, ok := core.AsFieldError(err); ok {
		return JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return Fail(c, err)
}
