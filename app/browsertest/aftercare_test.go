package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

// TestAftercareOverdue: an officer registers a service request on a landed
// project, later moves its due date into the past, and a manager finds it
// in the 督办 list.
func TestAftercareOverdue(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"kfq_li", users.RoleOfficer, "kfq"}, {"kjj_boss", users.RoleManager, "kjj"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	p := &projects.Project{Type: projects.TypeIndustry, Name: "开发区精密传感器产业化项目", Unit: "kfq", Officer: "kfq_li",
		Stage: projects.StageAftercare, CreditCode: "91320583MA1MXXXX0X"}
	if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
		t.Fatal(err)
	}
	cst := core.Zone()
	day := func(off int) string { return time.Now().In(cst).AddDate(0, 0, off).Format("2006-01-02") }
	login := func(user, path string) []chromedp.Action[chromedp.Void] {
		return append(signIn(a.URL+path, user, "Test-2025x"), chromedp.WaitVisible(css(`.userbox`)))
	}

	b := New(t)
	b.Do(login("kfq_li", "/aftercare/new?project="+p.ID)...)
	b.Do(
		chromedp.WaitVisible(css(`#aftercare-form`)),
		chromedp.SetValue(css(`#f-type`), "policy"),
		chromedp.SendKeys(css(`#f-title`), "申报高新技术企业认定"),
		chromedp.SendKeys(css(`#f-detail`), "企业需要高企申报辅导"),
		chromedp.SetValue(css(`#f-due`), day(7)),
		chromedp.Click(css(`#aftercare-form button[type=submit]`)),
		chromedp.WaitVisible(css(`.flash-ok`)),
	)
	head := Get(b, chromedp.Text(css(`.card-head`)))
	if !strings.Contains(head, "申报高新技术企业认定") || strings.Contains(head, "督办") {
		t.Fatalf("new request header: %q", head)
	}
	detail := Get(b, chromedp.Location())
	b.Screenshot("aftercare-created")

	// The due date passes (set back three days): the request is 督办.
	b.Do(
		chromedp.SetValue(css(`#f-due`), day(-3)),
		chromedp.SetValue(css(`#f-status`), "in_progress"),
		chromedp.Click(css(`#aftercare-form button[type=submit]`)),
		chromedp.WaitVisible(css(`.card-head .badge-danger`)),
	)
	if head := Get(b, chromedp.Text(css(`.card-head`))); !strings.Contains(head, "督办 · 逾期 3 天") || !strings.Contains(head, "处理中") {
		t.Fatalf("after moving the due date back: %q", head)
	}
	b.Do(
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`input[name=username]`)),
	)

	b.Do(login("kjj_boss", "/aftercare?overdue=1")...)
	b.Do(chromedp.WaitVisible(css(`#aftercare-list`)))
	list := Get(b, chromedp.Text(css(`#aftercare-list`)))
	for _, want := range []string{"申报高新技术企业认定", "开发区精密传感器产业化项目", "逾期 3 天", "处理中", "kfq_li"} {
		if !strings.Contains(list, want) {
			t.Errorf("overdue list lacks %q: %q", want, list)
		}
	}
	if tab := Get(b, chromedp.Text(css(`.tabs a.active`))); tab != "督办" {
		t.Errorf("active tab %q", tab)
	}
	b.Screenshot("aftercare-overdue")
	b.Do(
		chromedp.Click(css(`#aftercare-list tbody a[href^="/aftercare/"]`)),
		chromedp.WaitVisible(css(`#aftercare-form`)),
	)
	if loc := Get(b, chromedp.Location()); loc != detail {
		t.Errorf("list links to %s, want %s", loc, detail)
	}
}
