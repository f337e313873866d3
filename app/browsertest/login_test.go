package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
)

type css = chromedp.CSS

// TestLoginShellLogout: log in through the form, see the shell, log out.
func TestLoginShellLogout(t *testing.T) {
	a := start(t)
	b := New(t)
	b.Do(append(signIn(a.URL+"/projects", "admin", "wrong-password-1"), chromedp.WaitVisible(css(`[role=alert]`)))...)
	if errText := Get(b, chromedp.Text(css(`[role=alert]`))); !strings.Contains(errText, "用户名或密码错误") {
		t.Fatalf("login error text: %q", errText)
	}
	b.Do(
		chromedp.SendKeys(css(`input[name=password]`), testapp.AdminPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`.userbox`)),
	)
	title := Get(b, chromedp.Title())
	nav := Get(b, chromedp.Text(css(`.sidebar`)))
	user := Get(b, chromedp.Text(css(`.userbox`)))
	b.Screenshot("shell")
	for _, item := range []string{"项目管线", "资源库", "活动", "政策库", "驾驶舱", "导入导出", "系统设置", "用户管理"} {
		if !strings.Contains(nav, item) {
			t.Errorf("navigation lacks %s: %q", item, nav)
		}
	}
	if !strings.Contains(title, "项目管线") {
		t.Errorf("after login landed on %q, want the page asked for (项目管线)", title)
	}
	if !strings.Contains(user, "系统管理员") {
		t.Errorf("user box: %q", user)
	}
	b.Do(
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.Navigate(a.URL+"/"),
		chromedp.WaitVisible(css(`input[name=username]`)),
	)
	if after := Get(b, chromedp.Location()); !strings.Contains(after, "/login") {
		t.Errorf("after logout / went to %s, want the login page", after)
	}
}
