package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

// TestPushSubscribeAndInbox: search, save the search and subscribe the
// unit, a matching talent is registered, the matcher runs, the top bar
// shows the unread badge and the inbox the pushed talent; then the talent
// is pushed to another unit from its page.
func TestPushSubscribeAndInbox(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李明", users.RoleOfficer, []string{"kfq"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	b := New(t)
	login(b, a.URL, "kfq_li", "Test-2025x")
	b.Do(
		chromedp.Navigate(a.URL+"/search?q=储能&kind=talents"),
		chromedp.WaitVisible(css(`#save-search`)),
		chromedp.Click(css(`#save-search`)),
		chromedp.WaitVisible(css(`#save-search-form`)),
	)
	if s := Get(b, chromedp.Text(css(`#saved-summary`))); !strings.Contains(s, "储能") || !strings.Contains(s, "人才") {
		t.Fatalf("summary: %q", s)
	}
	b.Do(
		chromedp.SetValue(css(`#ss-name`), "储能人才"),
		chromedp.SetValue(css(`#ss-unit`), "kfq"),
		chromedp.Submit(css(`#ss-name`)),
		chromedp.WaitVisible(css(`#unit-subscriptions`)),
	)
	if s := Get(b, chromedp.Text(css(`#unit-subscriptions`))); !strings.Contains(s, "储能人才") {
		t.Fatalf("subscriptions: %q", s)
	}
	b.Screenshot("push-subscribed")

	x := &resources.Talent{Name: "王储能", Unit: "kfq", Industry: "新能源", Level: "国家级"}
	if err := a.P.Records.Talents.Create(ctx, core.System, x); err != nil {
		t.Fatal(err)
	}
	if rep, err := a.P.Push.RunOnce(ctx); err != nil || !rep.Ran {
		t.Fatalf("matcher: %+v %v", rep, err)
	}
	b.Do(chromedp.Navigate(a.URL + "/projects"))
	waitFor(t, b, `(document.querySelector('#inbox-count.badge')||{}).textContent === '1'`)
	b.Do(
		chromedp.Click(css(`#inbox-link`)),
		chromedp.WaitVisible(css(`#inbox-items`)),
	)
	items := Get(b, chromedp.Text(css(`#inbox-items`)))
	if !strings.Contains(items, "王储能") || !strings.Contains(items, "储能人才") || !strings.Contains(items, "未读") {
		t.Fatalf("inbox: %q", items)
	}
	b.Screenshot("push-inbox")
	b.Do(
		chromedp.Click(css(`#mark-read`)),
		chromedp.WaitNotPresent(css(`#mark-read`)),
	)
	waitFor(t, b, `!!document.querySelector('#inbox-count') && !document.querySelector('#inbox-count.badge')`)

	// Push the talent to another unit from its page.
	b.Do(
		chromedp.Click(css(`#inbox-items a[href^="/resources/talents/"]`)),
		chromedp.WaitVisible(css(`#push-to-unit`)),
		chromedp.Click(css(`#push-to-unit`)),
		chromedp.WaitVisible(css(`#push-send-form`)),
		chromedp.SetValue(css(`#ps-unit`), "gxq"),
		chromedp.SetValue(css(`#ps-note`), "请高新区对接"),
		chromedp.Submit(css(`#ps-note`)),
		chromedp.WaitVisible(css(`.flash-ok`)),
	)
	if msg := Get(b, chromedp.Text(css(`.flash-ok`))); !strings.Contains(msg, "已推送给") || !strings.Contains(msg, "资源推送") {
		t.Fatalf("push flash: %q", msg)
	}
	b.Screenshot("push-sent")
}
