package browsertest

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreens takes screenshots of a running server's pages for review:
// ZS_SHOT_URL=http://127.0.0.1:8080 ZS_SHOT_LOGIN=user:password
// ZS_SHOT_PAGES=/,/projects ZS_SCREENSHOTS=/tmp/shots go test -run TestScreens ./app/browsertest/
func TestScreens(t *testing.T) {
	base := os.Getenv("ZS_SHOT_URL")
	if base == "" {
		t.Skip("ZS_SHOT_URL not set")
	}
	user, pw, _ := strings.Cut(os.Getenv("ZS_SHOT_LOGIN"), ":")
	b := New(t)
	b.Do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), user),
		chromedp.SendKeys(css(`input[name=password]`), pw),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`.userbox`)),
	)
	for i, p := range strings.Split(os.Getenv("ZS_SHOT_PAGES"), ",") {
		b.Do(chromedp.Navigate(base+p), chromedp.WaitVisible(css(`.content`)))
		t.Log(b.Screenshot("page" + string(rune('0'+i))))
	}
}
