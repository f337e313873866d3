package users

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Units lists and names units for the users pages.
type Units interface {
	UnitTree
	Name(id string) string
	Options() []UnitOption
}

// UnitOption is a unit in a picker.
type UnitOption struct{ ID, Name string }

// Handlers serves user administration (admins only).
type Handlers struct {
	Svc   *Service
	Units Units
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/users", web.Admin, h.page),
		web.POST("/users", web.Admin, h.createForm),
		web.POST("/users/:id/disable", web.Admin, h.disableForm),
		web.POST("/users/:id/enable", web.Admin, h.enableForm),
		web.POST("/users/:id/password", web.Admin, h.passwordForm),
		web.GET("/users/:id", web.Admin, h.editPage),
		web.POST("/users/:id", web.Admin, h.editForm),
		web.GET("/api/v1/users", web.Admin, h.apiList),
		web.POST("/api/v1/users", web.Admin, h.apiCreate),
		web.GET("/api/v1/users/:id", web.Admin, h.apiGet),
		web.PUT("/api/v1/users/:id", web.Admin, h.apiUpdate),
	}
}

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

func (h *Handlers) apiGet(c *fiber.Ctx) error {
	u, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	return c.JSON(toAPI(u))
}

type updateRequest struct {
	UserEdit
	Version int64 `json:"version"`
}

func (h *Handlers) apiUpdate(c *fiber.Ctx) error {
	var req updateRequest
	if err := web.DecodeEdit(c, &req, func() (any, error) {
		u, err := h.Svc.Get(c.UserContext(), c.Params("id"))
		if err != nil {
			return nil, err
		}
		return toAPI(u), nil
	}); err != nil {
		return web.Fail(c, err)
	}
	if req.Version <= 0 {
		return web.Fail(c, &web.BadInput{Field: "version", Message: "须提供读取时的 version"})
	}
	u, err := h.Svc.Update(c.UserContext(), web.Actor(c), h.Units, c.Params("id"), req.Version, req.UserEdit)
	if err != nil {
		return web.Fail(c, err)
	}
	web.Result(c, req.Version, u.Version)
	return c.JSON(toAPI(u))
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

type apiUser struct {
	Username  string   `json:"username"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Units     []string `json:"units"`
	Disabled  bool     `json:"disabled"`
	Version   int64    `json:"version"`
	LastLogin string   `json:"last_login,omitempty" edit:"derived"`
}

func toAPI(u *User) apiUser {
	a := apiUser{Username: u.ID, Name: u.Name, Role: u.Role, Units: u.Units, Disabled: u.Disabled, Version: u.Version}
	if a.Units == nil {
		a.Units = []string{}
	}
	if !u.LastLogin.IsZero() {
		a.LastLogin = u.LastLogin.Format("2006-01-02T15:04:05Z07:00")
	}
	return a
}

func (h *Handlers) apiList(c *fiber.Ctx) error {
	items, total, err := h.Svc.List(c.UserContext(), core.AllUnits, c.Query("q"), 0, 1000)
	if err != nil {
		return web.Fail(c, err)
	}
	out := make([]apiUser, len(items))
	for i, u := range items {
		out[i] = toAPI(u)
	}
	return c.JSON(fiber.Map{"items": out, "total": total})
}

type createRequest struct {
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Units    []string `json:"units"`
	Password string   `json:"password"`
}

func (h *Handlers) apiCreate(c *fiber.Ctx) error {
	var req createRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	pw, err := h.Svc.Create(c.UserContext(), web.Actor(c), h.Units, NewUser(req))
	if err != nil {
		return web.Fail(c, err)
	}
	u, err := h.Svc.Get(c.UserContext(), strings.ToLower(strings.TrimSpace(req.Username)))
	if err != nil {
		return web.Fail(c, err)
	}
	body := fiber.Map{"user": toAPI(u)}
	if req.Password == "" {
		body["password"] = pw
	}
	return c.Status(201).JSON(body)
}
