// Package testapp starts the real server (embedded store, embedded search
// index, real HTTP on 127.0.0.1) in a temp dir for integration and browser
// tests, and runs table-driven HTTP scenarios against it.
package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
)

// AdminPassword is the admin password of every test app.
const AdminPassword = "Admin-Test-2025"

// App is a running server.
type App struct {
	URL      string
	Dir      string
	P        *platform.Platform
	cancel   context.CancelFunc
	finished chan error
}

// Start runs a server on a fresh data dir until the test ends.
func Start(t testing.TB) *App {
	t.Helper()
	return StartIn(t, t.TempDir())
}

// StartIn runs a server on dir (to test restarts on existing data).
func StartIn(t testing.TB, dir string) *App {
	t.Helper()
	a, err := launch(dir, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a
}

// launch runs a server on dir; name names its database on an outside
// store (ZS_TEST_MONGO_URI).
func launch(dir, name string) (*App, error) {
	cfg := config(dir)
	if cfg.MongoURI != "" {
		cfg.DBName = "zs_test_" + strings.ReplaceAll(strings.ToLower(name), "/", "_")
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("ZS_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan server.Running, 1)
	a := &App{Dir: dir, cancel: cancel, finished: make(chan error, 1)}
	go func() { a.finished <- server.Run(ctx, cfg, log, ready) }()
	select {
	case r := <-ready:
		a.URL, a.P = "http://"+r.Addr, r.Platform
		return a, nil
	case err := <-a.finished:
		cancel()
		return nil, fmt.Errorf("server did not start: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		return nil, errors.New("server did not start within 60 s")
	}
}

// config is the configuration of a test server on dir.
func config(dir string) platform.Config {
	cfg := platform.ConfigFromEnv()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = dir
	cfg.AdminPassword = AdminPassword
	cfg.MongoURI = os.Getenv("ZS_TEST_MONGO_URI")
	return cfg
}

// Stop shuts the server down gracefully (idempotent).
func (a *App) Stop() { a.stop(40 * time.Second) }

// stop shuts the server down and reports whether it finished within wait.
func (a *App) stop(wait time.Duration) bool {
	if a.cancel == nil {
		return true
	}
	a.cancel()
	a.cancel = nil
	select {
	case <-a.finished:
		return true
	case <-time.After(wait):
		return false
	}
}

// Client is a browser-like HTTP client with a cookie jar.
type Client struct {
	App  *App
	HTTP *http.Client
	CSRF string
	// Header holds the headers of the last answer Do received.
	Header http.Header
	t      testing.TB
}

// Client returns a new anonymous client.
func (a *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{App: a, t: t, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login signs in through the JSON API and keeps the CSRF token.
func (c *Client) Login(user, password string) *Client {
	c.t.Helper()
	st, body := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": password}, nil)
	if st != 200 {
		c.t.Fatalf("login %s: %d %s", user, st, body)
	}
	var r struct {
		CSRF string `json:"csrf_token"`
	}
	_ = json.Unmarshal([]byte(body), &r)
	c.CSRF = r.CSRF
	return c
}

// As returns a client signed in as admin.
func (a *App) Admin(t testing.TB) *Client { return a.Client(t).Login("admin", AdminPassword) }

// Do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON). The CSRF token is added to unsafe methods when known and
// not overridden in headers.
func (c *Client) Do(method, path string, body any, headers map[string]string) (int, string) {
	c.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
		ctype = "application/json"
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		r = bytes.NewReader(buf)
		ctype = "application/json"
	}
	req, err := http.NewRequest(method, c.App.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.CSRF != "" && method != "GET" && method != "HEAD" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	c.Header = resp.Header
	return resp.StatusCode, string(out)
}
