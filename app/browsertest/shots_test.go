package browsertest

import (
	"cmp"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreens takes screenshots of a running server's pages for review:
// ZS_SHOT_URL=http://127.0.0.1:8080 ZS_SHOT_LOGIN=user:password
// ZS_SHOT_PAGES=/,/projects ZS_SCREENSHOTS=/tmp/shots go test -run TestScreens ./app/browsertest/
// (ZS_SHOT_WIDTH=390 for a phone's width; ZS_SHOT_PREFIX names the files).
func TestScreens(t *testing.T) {
	base := os.Getenv("ZS_SHOT_URL")
	if base == "" {
		t.Skip("ZS_SHOT_URL not set")
	}
	user, pw, _ := strings.Cut(os.Getenv("ZS_SHOT_LOGIN"), ":")
	b := New(t)
	login(b, base, user, pw)
	if w, err := strconv.Atoi(os.Getenv("ZS_SHOT_WIDTH")); err == nil && w > 0 {
		b.Do(chromedp.EmulateViewport(int64(w), 900))
	}
	prefix := cmp.Or(os.Getenv("ZS_SHOT_PREFIX"), "page")
	for i, p := range strings.Split(os.Getenv("ZS_SHOT_PAGES"), ",") {
		b.Do(chromedp.Navigate(base+p), chromedp.WaitVisible(css(`.content`)))
		t.Log(b.Screenshot(prefix + strconv.Itoa(i)))
	}
}
