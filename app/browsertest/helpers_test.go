package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
)

// start runs the test's own server, in parallel with the other tests.
// Without Chromium the test skips before anything starts.
func start(t *testing.T) *testapp.App {
	t.Helper()
	chromium(t)
	t.Parallel()
	return testapp.Start(t)
}

// signIn opens url, is sent to the login form and submits it; the caller
// waits for the page it expects next.
func signIn(url, user, pw string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(url),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), user),
		chromedp.SendKeys(css(`input[name=password]`), pw),
		chromedp.Submit(css(`input[name=password]`)),
	}
}

// login signs in on the login page and waits for the shell.
func login(b *Browser, base, user, pw string) {
	b.Do(append(signIn(base+"/login", user, pw), chromedp.WaitVisible(css(`.userbox`)))...)
}

func waitFor(t *testing.T, b *Browser, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (screenshot %s)", cond, b.Screenshot("wait"))
}
