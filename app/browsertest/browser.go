// Package browsertest drives headless Chromium (chromedp) against the real
// server on 127.0.0.1. Chromium is started with flags that keep it off the
// network; only loopback is ever contacted.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser binary or skips (fails under ZS_REQUIRE_BROWSER).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ZS_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("ZS_REQUIRE_BROWSER") != "" {
		t.Fatal("browser tests required (ZS_REQUIRE_BROWSER) but no chromium found; install Debian's chromium")
	}
	t.Skip("chromium not installed; browser test skipped (set ZS_REQUIRE_BROWSER=1 to fail instead)")
	return ""
}

// Browser is one headless Chromium with its own profile.
type Browser struct {
	Ctx context.Context
	t   *testing.T
}

// New starts Chromium for the test; it stops when the test ends.
func New(t *testing.T) *Browser {
	t.Helper()
	bin := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, browserTimeout())
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelT()
		cancelC()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return &Browser{Ctx: ctx, t: t}
}

// Do runs actions; on failure it saves a screenshot and fails the test.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		path := b.Screenshot("failure")
		b.t.Fatalf("browser: %v (screenshot %s)", err, path)
	}
}

// Get runs one action that returns a value (Text, Title, Location ...).
func Get[T any](b *Browser, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, a)
	if err != nil {
		path := b.Screenshot("failure")
		b.t.Fatalf("browser: %v (screenshot %s)", err, path)
	}
	return v
}

// Screenshot saves a full-page PNG and returns its path (ZS_SCREENSHOTS
// names a directory to keep them in; else the test's temp dir).
func (b *Browser) Screenshot(name string) string {
	dir := os.Getenv("ZS_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	_ = os.MkdirAll(dir, 0o755)
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "(no screenshot: " + err.Error() + ")"
	}
	path := filepath.Join(dir, name+".png")
	_ = os.WriteFile(path, buf, 0o644)
	return path
}

// browserTimeout bounds a whole browser test (ZS_BROWSER_TIMEOUT overrides).
func browserTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("ZS_BROWSER_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 2 * time.Minute
}
