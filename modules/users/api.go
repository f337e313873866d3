package users

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

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
