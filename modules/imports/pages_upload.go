package imports

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// KindOption is an importable kind on the upload page.
type KindOption struct {
	Key, Label string
	Fields     []header.Field // visible fields, for the "which columns" hint
}

// NewView is the Data of the "imports_new" page.
type NewView struct {
	Kinds []KindOption
	Kind  string
	Units [][2]string
	Unit  string
	Error string
	Field string // the input the error is about
	MaxMB int
}

func (h *Handlers) kindOptions() []KindOption {
	var out []KindOption
	for _, k := range h.Svc.Imports.Kinds() {
		out = append(out, KindOption{Key: k.Key(), Label: k.Label(), Fields: header.Visible(k.Fields())})
	}
	return out
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	u := userOf(c)
	v := NewView{Kinds: h.kindOptions(), Kind: c.Query("kind"), Units: h.unitOptions(u), Unit: h.defaultUnit(u), MaxMB: MaxUpload >> 20}
	if _, ok := h.Svc.Imports.Kind(v.Kind); !ok && len(v.Kinds) > 0 {
		v.Kind = v.Kinds[0].Key
	}
	return web.Page(c, "imports_new", "新建导入", "imports", v)
}

// uploadForm stores an uploaded ledger as a draft and opens its preview; a
// refused file is answered on the form with its one-line reason.
func (h *Handlers) uploadForm(c *fiber.Ctx) error {
	u := userOf(c)
	v := NewView{Kinds: h.kindOptions(), Kind: c.FormValue("kind"), Units: h.unitOptions(u), Unit: c.FormValue("unit"),
		MaxMB: MaxUpload >> 20}
	if v.Unit == "" {
		v.Unit = h.defaultUnit(u)
	}
	again := func(status int, field, msg string) error {
		v.Error, v.Field = msg, field
		return web.Page(c.Status(status), "imports_new", "新建导入", "imports", v)
	}
	if _, ok := h.Svc.Imports.Kind(v.Kind); !ok {
		return again(400, "kind", "请选择导入类型")
	}
	name, data, err := readUpload(c)
	if err != nil {
		var bi *web.BadInput
		var fe *fiber.Error
		switch {
		case errors.As(err, &bi):
			return again(400, bi.Field, bi.Message)
		case errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge:
			return again(413, "file", fe.Message)
		}
		return web.Fail(c, err)
	}
	j, _, err := h.Svc.Upload(c.UserContext(), u, v.Kind, v.Unit, name, data)
	if err != nil {
		if se, ok := FileError(err); ok {
			return again(422, "file", name+"："+se.Message)
		}
		if fe, ok := core.AsFieldError(err); ok {
			return again(422, fe.Field, fe.Message)
		}
		return web.Fail(c, err)
	}
	return c.Redirect("/imports/"+j.ID, fiber.StatusSeeOther)
}
