package imports

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// apiFail answers an API error: bad parameters are 400 naming the field,
// a refused file is 400 on "file" with its one-line reason, an oversized
// one 413, a refused undo 409 with the conflicts.
func (h *Handlers) apiFail(c *fiber.Ctx, err error) error {
	h.auditDenied(c, err)
	if se, ok := FileError(err); ok {
		field := "file"
		if se.Code == "bad_mapping" {
			field = "mapping"
		}
		return web.JSONError(c, 400, "bad_request", se.Message, field)
	}
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge {
		return web.JSONError(c, 413, "too_large", fe.Message, "file")
	}
	if f, ok := core.AsFieldError(err); ok && (f.Field == "kind" || f.Field == "unit") {
		return web.JSONError(c, 400, "bad_request", f.Message, f.Field)
	}
	return web.Fail(c, err)
}

// conflictView is a record an undo cannot revert, with its page.
type conflictView struct {
	batch.Conflict
	URL    string `json:"url,omitempty"`
	ByName string `json:"by_name,omitempty"`
}

func (h *Handlers) conflicts(kind string, ce *batch.ConflictError) []conflictView {
	out := make([]conflictView, 0, len(ce.Conflicts))
	for _, x := range ce.Conflicts {
		v := conflictView{Conflict: x, URL: RecordURL(kind, x.ID)}
		if x.By != "" {
			v.ByName = h.personName(x.By)
		}
		out = append(out, v)
	}
	return out
}

// apiList answers GET /api/v1/imports?kind=&page=&per_page=.
func (h *Handlers) apiList(c *fiber.Ctx) error {
	u := userOf(c)
	kind := c.Query("kind")
	if _, ok := h.Svc.Imports.Kind(kind); kind != "" && !ok {
		return web.JSONError(c, 400, "bad_request", "未知导入类型 "+strconv.Quote(kind), "kind")
	}
	page, per, err := web.Paging(c)
	if err != nil {
		return web.QueryFail(c, err)
	}
	page, per = max(page, 1), min(max(per, 0), 200)
	if per == 0 {
		per = 50
	}
	jobs, err := h.Svc.List(c.UserContext(), u, kind)
	if err != nil {
		return web.Fail(c, err)
	}
	items := []jobState{}
	for i := (page - 1) * per; i < len(jobs) && i < page*per; i++ {
		items = append(items, h.state(u, &jobs[i], true))
	}
	return c.JSON(fiber.Map{"items": items, "total": len(jobs)})
}

// apiGet answers GET /api/v1/imports/{id}.
func (h *Handlers) apiGet(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.Svc.Job(c.UserContext(), u, c.Params("id"))
	if err != nil {
		return h.apiFail(c, err)
	}
	return c.JSON(h.state(u, j, true))
}

// apiUndo answers POST /api/v1/imports/{id}/undo: 409 with the conflict
// list when records were edited since the import.
func (h *Handlers) apiUndo(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.Svc.Job(c.UserContext(), u, c.Params("id"))
	if err != nil {
		return h.apiFail(c, err)
	}
	kind := j.Kind
	j, err = h.Svc.Undo(c.UserContext(), u, j.ID)
	var ce *batch.ConflictError
	if errors.As(err, &ce) {
		return c.Status(409).JSON(fiber.Map{"error": fiber.Map{"code": "conflict", "message": ce.Error(),
			"conflicts": h.conflicts(kind, ce)}})
	}
	if err != nil {
		return h.apiFail(c, err)
	}
	return c.JSON(h.state(u, j, true))
}

// apiRun answers POST /api/v1/imports?kind=&dry_run=1 with a multipart
// "file" (optional form or query fields: unit, header_row, confirm=5,8,
// mapping={"3":"name"}): a dry run answers the report as `zhaoshang import
// --json` prints it; a commit answers 201 with the report and batch_id.
func (h *Handlers) apiRun(c *fiber.Ctx) error {
	u := userOf(c)
	param := func(k string) string {
		if v := c.Query(k); v != "" {
			return v
		}
		return c.FormValue(k)
	}
	kind := param("kind")
	if kind == "" {
		return web.JSONError(c, 400, "bad_request", "缺少导入类型 kind（projects、events、talents、enterprises、institutes、policies）", "kind")
	}
	if _, ok := h.Svc.Imports.Kind(kind); !ok {
		return web.JSONError(c, 400, "bad_request", "未知导入类型 "+strconv.Quote(kind), "kind")
	}
	dry := false
	switch param("dry_run") {
	case "", "0", "false":
	case "1", "true":
		dry = true
	default:
		return web.JSONError(c, 400, "bad_request", "dry_run 应为 1 或 0", "dry_run")
	}
	var set Settings
	if v := param("header_row"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return web.JSONError(c, 400, "bad_request", "header_row 应为正整数（表头所在的行号）", "header_row")
		}
		set.HeaderRow = n
	}
	confirm, err := parseRows(param("confirm"))
	if err != nil {
		return h.apiFail(c, err)
	}
	set.Confirm = confirm
	if v := param("mapping"); v != "" {
		var m map[string]string
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return web.JSONError(c, 400, "bad_request", `mapping 应为 JSON 对象，如 {"3":"name"}（列号从 0 起）`, "mapping")
		}
		set.Mapping = mappingOf(m)
	}
	unit := param("unit")
	if unit == "" {
		unit = h.defaultUnit(u)
	}
	name, data, err := readUpload(c)
	if err != nil {
		return h.apiFail(c, err)
	}
	rep, err := h.Svc.RunFile(c.UserContext(), u, kind, unit, name, data, set, dry)
	if err != nil {
		return h.apiFail(c, err)
	}
	if dry {
		return c.JSON(rep)
	}
	return c.Status(201).JSON(rep)
}
