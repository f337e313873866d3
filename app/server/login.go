package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

func (s *srv) loginPage(c *fiber.Ctx) error {
	if web.Me(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, 200, "", "")
}

func (s *srv) renderLogin(c *fiber.Ctx, status int, username, msg string) error {
	// Reuse the browser's token: a parallel request (favicon, a second tab)
	// must not invalidate the form already on screen.
	tok := c.Cookies(preCookie)
	if len(tok) != 48 {
		tok = newToken()
	}
	c.Cookie(&fiber.Cookie{Name: preCookie, Value: tok, Path: "/login", HTTPOnly: true, SameSite: "Strict",
		Secure: s.p.Cfg.SecureCookies, MaxAge: 3600})
	c.Locals("zs.precsrf", tok)
	return web.Page(c.Status(status), "login", "登录", "", templates.LoginData{Username: username, Error: msg,
		Next: safeNext(c.Query("next", c.FormValue("next")))})
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

// loginForm handles the browser login form.
func (s *srv) loginForm(c *fiber.Ctx) error {
	username, password := c.FormValue("username"), c.FormValue("password")
	if !s.limiter.Allow(c.UserContext(), c.IP()) {
		return s.renderLogin(c, 429, username, "登录尝试过于频繁，请一分钟后再试")
	}
	token, _, _, err := s.p.Users.Login(c.UserContext(), username, password, c.IP(), c.Get(fiber.HeaderUserAgent))
	switch {
	case errors.Is(err, users.ErrBadCredentials):
		return s.renderLogin(c, 401, username, err.Error())
	case errors.Is(err, users.ErrLocked):
		return s.renderLogin(c, 429, username, err.Error())
	case err != nil:
		return err
	}
	s.endOldSession(c)
	s.setSession(c, token)
	c.ClearCookie(preCookie)
	return c.Redirect(safeNext(c.FormValue("next")), fiber.StatusSeeOther)
}

// endOldSession deletes a session the browser still carried (no fixation:
// every login issues a new token).
func (s *srv) endOldSession(c *fiber.Ctx) {
	if me := web.Me(c); me != nil {
		_ = s.p.Users.Logout(c.UserContext(), web.Actor(c), me.Token)
	}
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// apiLogin is POST /api/v1/auth/login.
func (s *srv) apiLogin(c *fiber.Ctx) error {
	if !s.limiter.Allow(c.UserContext(), c.IP()) {
		return web.JSONError(c, 429, "rate_limited", "登录尝试过于频繁，请一分钟后再试", "")
	}
	var req loginRequest
	if err := web.Decode(c, &req); err != nil {
		return web.Fail(c, err)
	}
	if strings.TrimSpace(req.Username) == "" {
		return web.Fail(c, &web.BadInput{Field: "username", Message: "请填写用户名"})
	}
	token, sess, u, err := s.p.Users.Login(c.UserContext(), req.Username, req.Password, c.IP(), c.Get(fiber.HeaderUserAgent))
	switch {
	case errors.Is(err, users.ErrBadCredentials):
		return web.JSONError(c, 401, "unauthenticated", err.Error(), "")
	case errors.Is(err, users.ErrLocked):
		return web.JSONError(c, 429, "locked", err.Error(), "")
	case err != nil:
		return err
	}
	s.endOldSession(c)
	s.setSession(c, token)
	return c.JSON(fiber.Map{"csrf_token": sess.CSRF, "user": fiber.Map{"username": u.ID, "name": u.Name,
		"role": u.Role, "units": u.Units}})
}

// logout ends the session (form POST or API).
func (s *srv) logout(c *fiber.Ctx) error {
	if me := web.Me(c); me != nil {
		if err := s.p.Users.Logout(c.UserContext(), web.Actor(c), me.Token); err != nil {
			return err
		}
	}
	s.clearSession(c)
	if web.IsAPI(c) {
		return c.JSON(fiber.Map{"status": "ok"})
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// me is GET /api/v1/auth/me.
func (s *srv) me(c *fiber.Ctx) error {
	me := web.Me(c)
	return c.JSON(fiber.Map{"username": me.Username, "name": me.Name, "role": me.Role, "units": me.Units,
		"csrf_token": me.CSRF})
}
