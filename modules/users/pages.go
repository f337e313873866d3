package users

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// EditView is the Data of the "user_edit" page.
type EditView struct {
	User     *User
	Edit     UserEdit
	Roles    []string
	Units    []UnitOption
	UnitName func(string) string
	Version  int64
	Self     bool
	web.FormState
}

func (h *Handlers) editView(c *fiber.Ctx, u *User, e UserEdit, version int64) EditView {
	me := web.Me(c)
	return EditView{User: u, Edit: e, Roles: Roles, Units: h.Units.Options(), UnitName: h.Units.Name, Version: version,
		Self: me != nil && me.Username == u.ID}
}

func (h *Handlers) editPage(c *fiber.Ctx) error {
	u, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "user_edit", "编辑用户 "+u.ID, "users", h.editView(c, u, UserEdit{Name: u.Name, Role: u.Role, Units: u.Units}, u.Version))
}

func (h *Handlers) editForm(c *fiber.Ctx) error {
	u, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	n := formUser(c)
	// The list picks units in the tree's order; the same units are no change
	// (the first stays the default unit).
	e := UserEdit{Name: n.Name, Role: n.Role, Units: core.KeepOrder(u.Units, n.Units)}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	saved, err := h.Svc.Update(c.UserContext(), web.Actor(c), h.Units, u.ID, version, e)
	if err == nil {
		web.Saved(c, version, saved.Version)
		return c.Redirect("/users", fiber.StatusSeeOther)
	}
	v := h.editView(c, u, e, version)
	if errors.Is(err, core.ErrConflict) {
		web.Flash(c, "error", "该用户刚被他人修改，请核对后重试")
		return c.Redirect("/users/"+u.ID, fiber.StatusSeeOther)
	}
	return web.FormFailed(c, err, &v.FormState, func() error { return web.Page(c, "user_edit", "编辑用户 "+u.ID, "users", v) }, nil, "users")
}

// PageView is the Data of the "users" page.
type PageView struct {
	Items    []*User
	Total    int
	Query    string
	Roles    []string
	Units    []UnitOption
	UnitName func(string) string
	Form     NewUser
	Error    *core.FieldError
	Created  string // user name just created
	Password string // generated password, shown once
}

func (h *Handlers) view(c *fiber.Ctx) (*PageView, error) {
	q := strings.TrimSpace(c.Query("q"))
	items, total, err := h.Svc.List(c.UserContext(), core.AllUnits, q, 0, 500)
	if err != nil {
		return nil, err
	}
	return &PageView{Items: items, Total: total, Query: q, Roles: Roles, Units: h.Units.Options(), UnitName: h.Units.Name}, nil
}

func (h *Handlers) page(c *fiber.Ctx) error {
	v, err := h.view(c)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "users", "用户管理", "users", v)
}

func formUser(c *fiber.Ctx) NewUser {
	var units []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "units" && len(v) > 0 {
			units = append(units, string(v))
		}
	})
	return NewUser{Username: c.FormValue("username"), Name: c.FormValue("name"), Role: c.FormValue("role"),
		Units: units, Password: c.FormValue("password")}
}

func (h *Handlers) createForm(c *fiber.Ctx) error {
	n := formUser(c)
	pw, err := h.Svc.Create(c.UserContext(), web.Actor(c), h.Units, n)
	v, verr := h.view(c)
	if verr != nil {
		return web.Fail(c, verr)
	}
	if err != nil {
		fe, ok := core.AsFieldError(err)
		if !ok {
			return web.Fail(c, err)
		}
		v.Form, v.Error = n, fe
		v.Form.Password = ""
		return web.Page(c.Status(422), "users", "用户管理", "users", v)
	}
	v.Created = strings.ToLower(strings.TrimSpace(n.Username))
	if n.Password == "" {
		v.Password = pw
	}
	return web.Page(c, "users", "用户管理", "users", v)
}

func (h *Handlers) setDisabled(c *fiber.Ctx, disabled bool) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	err := h.Svc.SetDisabled(c.UserContext(), web.Actor(c), c.Params("id"), version, disabled)
	switch {
	case err == nil && disabled:
		web.Flash(c, "ok", "已停用 "+c.Params("id")+"，其登录会话已全部失效")
	case err == nil:
		web.Flash(c, "ok", "已启用 "+c.Params("id"))
	case errors.Is(err, core.ErrConflict):
		web.Flash(c, "error", "该用户刚被他人修改，请核对后重试")
	default:
		if fe, ok := core.AsFieldError(err); ok {
			web.Flash(c, "error", fe.Message)
		} else {
			return web.Fail(c, err)
		}
	}
	return c.Redirect("/users", fiber.StatusSeeOther)
}

func (h *Handlers) disableForm(c *fiber.Ctx) error { return h.setDisabled(c, true) }
func (h *Handlers) enableForm(c *fiber.Ctx) error  { return h.setDisabled(c, false) }

func (h *Handlers) passwordForm(c *fiber.Ctx) error {
	pw := c.FormValue("password")
	generated := pw == ""
	if generated {
		pw = GeneratePassword()
	}
	err := h.Svc.SetPassword(c.UserContext(), web.Actor(c), c.Params("id"), pw)
	if fe, ok := core.AsFieldError(err); ok {
		web.Flash(c, "error", fe.Message)
		return c.Redirect("/users", fiber.StatusSeeOther)
	}
	if err != nil {
		return web.Fail(c, err)
	}
	msg := "已重置 " + c.Params("id") + " 的密码"
	if generated {
		msg += "，新密码（只显示这一次）：" + pw
	}
	web.Flash(c, "ok", msg)
	return c.Redirect("/users", fiber.StatusSeeOther)
}
