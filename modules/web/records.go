package web

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Records serves the JSON API every record kind shares — list, get,
// create, update, delete — over its service, generic over the list query
// Q, the record R and its input In. What is special to a kind (stage
// moves, decisions, attachments, bulk) stays in the module's own handlers;
// Load and Fail serve those too.
type Records[Q any, R core.Record, In any] struct {
	Kind  string // the audit log's kind of a refused access
	Stale string // the 409 message: 该活动已被他人修改，请刷新后重试
	Audit core.Auditor
	// Query reads the list parameters (web.Paging and the kind's filters).
	Query func(c *fiber.Ctx) (Q, error)
	// Item is a record as answered: the record with its derived fields
	// (unit_name …, tagged edit:"derived"); one is false for list rows.
	Item func(c *fiber.Ctx, r R, one bool) any
	// Explain answers the service errors a kind words itself (a blocked
	// stage gate, a likely duplicate); handled false leaves err to Fail.
	Explain func(c *fiber.Ctx, err error) (handled bool, answer error)

	List   func(ctx context.Context, scope core.Scope, q Q) (core.Page[R], error)
	Get    func(ctx context.Context, scope core.Scope, id string) (R, error)
	Create func(ctx context.Context, a core.Actor, scope core.Scope, in In) (R, error)
	Update func(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in In) (R, error)
	Delete func(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error
}

// Routes declares the five routes under base (/api/v1/events): reading
// for read, create and update for write, delete for del.
func (k *Records[Q, R, In]) Routes(base, read, write, del string) []Route {
	return []Route{
		GET(base, read, k.ListHandler),
		POST(base, write, k.CreateHandler),
		GET(base+"/:id", read, k.GetHandler),
		PUT(base+"/:id", write, k.UpdateHandler),
		DELETE(base+"/:id", del, k.DeleteHandler),
	}
}

// Load gets the record :id names in the caller's scope; a refusal is
// audited.
func (k *Records[Q, R, In]) Load(c *fiber.Ctx) (R, error) {
	r, err := k.Get(c.UserContext(), Me(c).Scope, c.Params("id"))
	AuditDenied(c, k.Audit, k.Kind, err)
	return r, err
}

// Fail answers a service error as JSON: a refusal audited, a stale version
// 409 with the current record and what changed.
func (k *Records[Q, R, In]) Fail(c *fiber.Ctx, err error) error {
	AuditDenied(c, k.Audit, k.Kind, err)
	if k.Explain != nil {
		if handled, answer := k.Explain(c, err); handled {
			return answer
		}
	}
	return FailStale(c, err, k.Stale)
}

func (k *Records[Q, R, In]) item(c *fiber.Ctx, r R, one bool) any {
	if k.Item == nil {
		return r
	}
	return k.Item(c, r, one)
}

// ListHandler answers GET base: {"items":[…],"total":N}.
func (k *Records[Q, R, In]) ListHandler(c *fiber.Ctx) error {
	q, err := k.Query(c)
	if err != nil {
		return QueryFail(c, err)
	}
	page, err := k.List(c.UserContext(), Me(c).Scope, q)
	if err != nil {
		return QueryFail(c, err)
	}
	items := make([]any, len(page.Items))
	for i, r := range page.Items {
		items[i] = k.item(c, r, false)
	}
	return c.JSON(fiber.Map{"items": items, "total": page.Total})
}

// GetHandler answers GET base/:id.
func (k *Records[Q, R, In]) GetHandler(c *fiber.Ctx) error {
	r, err := k.Load(c)
	if err != nil {
		return Fail(c, err)
	}
	return c.JSON(k.item(c, r, true))
}

// CreateHandler answers POST base: 201 with the new record.
func (k *Records[Q, R, In]) CreateHandler(c *fiber.Ctx) error {
	var in In
	if err := Decode(c, &in); err != nil {
		return Fail(c, err)
	}
	r, err := k.Create(c.UserContext(), Actor(c), Me(c).Scope, in)
	if err != nil {
		return k.Fail(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(k.item(c, r, true))
}

// UpdateHandler answers PUT base/:id. The body is the input with the
// version it was read at; it may be the record as GET answered it
// (DecodeVersioned). X-Result says whether anything changed.
func (k *Records[Q, R, In]) UpdateHandler(c *fiber.Ctx) error {
	var in In
	version, err := DecodeVersioned(c, &in, func() (any, error) {
		r, err := k.Load(c)
		if err != nil {
			return nil, err
		}
		return k.item(c, r, true), nil
	})
	if err != nil {
		return Fail(c, err)
	}
	r, err := k.Update(c.UserContext(), Actor(c), Me(c).Scope, c.Params("id"), version, in)
	if err != nil {
		return k.Fail(c, err)
	}
	Result(c, version, r.GetMeta().Version)
	return c.JSON(k.item(c, r, true))
}

// DeleteHandler answers DELETE base/:id?version=N.
func (k *Records[Q, R, In]) DeleteHandler(c *fiber.Ctx) error {
	version, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || version <= 0 {
		return Fail(c, &BadInput{Field: "version", Message: "须提供 ?version="})
	}
	if err := k.Delete(c.UserContext(), Actor(c), Me(c).Scope, c.Params("id"), version); err != nil {
		return k.Fail(c, err)
	}
	return c.JSON(fiber.Map{"status": "deleted"})
}

// ListProblem is a list page's answer to its list's error: a bad parameter
// becomes the page's message (status 400, the page still renders); any
// other error is returned to fail the page.
func ListProblem(c *fiber.Ctx, err error) (string, error) {
	if err == nil {
		return "", nil
	}
	fe, ok := core.AsFieldError(err)
	if !ok {
		return "", err
	}
	c.Status(fiber.StatusBadRequest)
	return fe.Message, nil
}

// PageCount is the number of pages of total matches at perPage a page,
// counting at least DefaultPerPage a page as the list pages do.
func PageCount(total, perPage int) int {
	per := max(perPage, core.DefaultPerPage)
	return (total + per - 1) / per
}

// Deleted is what a page's 删除 button says and where it goes.
type Deleted struct {
	Kind   string // audit kind of a refused access
	Done   string // 已删除活动
	Stale  string // 该活动刚被他人修改，请核对后再删除
	List   string // where a deleted record's page sends the user: /events
	Detail string // where a refused delete goes back to: /events/<id>
}

// DeleteForm answers a delete form: del is called with the version the
// form was read at; a stale version or a refusal the user can act on is
// flashed on the record's page, a refused access audited and failed.
func DeleteForm(c *fiber.Ctx, audit core.Auditor, d Deleted, del func(version int64) error) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	err := del(version)
	switch fe, isField := core.AsFieldError(err); {
	case err == nil:
		Flash(c, "ok", d.Done)
		return c.Redirect(d.List, fiber.StatusSeeOther)
	case errors.Is(err, core.ErrConflict):
		Flash(c, "error", d.Stale)
	case isField:
		Flash(c, "error", fe.Message)
	default:
		AuditDenied(c, audit, d.Kind, err)
		return Fail(c, err)
	}
	return c.Redirect(d.Detail, fiber.StatusSeeOther)
}
