package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
)

const (
	sessionCookie = "zs_session"
	preCookie     = "zs_pre" // login-form CSRF token before a session exists
)

// session resolves the session cookie into the signed-in user; the route's
// guard refuses a protected route without one.
func (s *srv) session(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" {
		sess, u, err := s.p.Users.Authenticate(c.UserContext(), tok)
		switch {
		case err == nil:
			sc := s.p.Scope(u)
			names := make([]string, 0, len(u.Units))
			for _, id := range u.Units {
				names = append(names, s.p.Matrix.Name(id))
			}
			web.SetPrincipal(c, &web.Principal{Username: u.ID, Name: u.Name, Role: u.Role, Units: u.Units,
				UnitNames: names, Scope: sc, CSRF: sess.CSRF, Token: tok})
		case errors.Is(err, users.ErrNoSession):
			s.clearSession(c)
		default:
			return err
		}
	}
	return c.Next()
}

func (s *srv) setSession(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.p.Cfg.SecureCookies, MaxAge: int(users.SessionMaxAge / time.Second)})
}

func (s *srv) clearSession(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.p.Cfg.SecureCookies, MaxAge: -1, Expires: time.Unix(1, 0)})
}

func unsafeMethod(m string) bool {
	return m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions
}

// csrf checks every state-changing request: with a session, the session's
// token in X-CSRF-Token or the _csrf form field; on the login form, the
// pre-session cookie token. The JSON login endpoint needs JSON, which a
// cross-site form cannot send without a CORS preflight this server refuses.
func (s *srv) csrf(c *fiber.Ctx) error {
	if !unsafeMethod(c.Method()) {
		return c.Next()
	}
	got := c.Get("X-CSRF-Token")
	if got == "" && !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		got = c.FormValue("_csrf")
	}
	if me := web.Me(c); me != nil {
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(me.CSRF)) != 1 {
			return csrfFail(c)
		}
		return c.Next()
	}
	switch c.Path() {
	case "/api/v1/auth/login":
		if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
			return web.JSONError(c, 400, "bad_request", "登录请求须为 JSON（Content-Type: application/json）", "")
		}
		return c.Next()
	case "/login":
		pre := c.Cookies(preCookie)
		if got == "" || pre == "" || subtle.ConstantTimeCompare([]byte(got), []byte(pre)) != 1 {
			return csrfFail(c)
		}
		return c.Next()
	}
	return c.Next()
}

func csrfFail(c *fiber.Ctx) error {
	if web.IsAPI(c) {
		return web.JSONError(c, 403, "csrf", "缺少或错误的 CSRF 令牌（X-CSRF-Token）", "")
	}
	return web.Fail(c, fiber.NewError(403, "页面已过期或来源不明，请刷新页面后重试"))
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// limiter is a fixed-window counter per key (login attempts per address).
// limiter bounds login attempts per client IP and window. The counts live
// in Mongo (users.CountAttempt) so that every instance behind a load
// balancer enforces the same limit.
type limiter struct {
	max    int
	window time.Duration
	users  *users.Service
	log    func(msg string, args ...any)
}

// Allow counts one attempt for key and reports whether it is within the
// limit. If the store cannot count, the attempt is allowed: the login that
// follows needs the store anyway, and the per-account lockout still holds.
func (l *limiter) Allow(ctx context.Context, key string) bool {
	n, err := l.users.CountAttempt(ctx, key, l.window)
	if err != nil {
		l.log("login rate limit not counted", "err", err)
		return true
	}
	return n <= l.max
}
