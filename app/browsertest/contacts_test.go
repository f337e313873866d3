package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/projects"
)

// TestProjectContactRows: the edit page shows all of a project's contacts
// with their e-mails; 添加联系人 adds a row, 移除 takes one out; saving
// stores exactly the rows on the page. Screenshots at desktop and phone
// widths.
func TestProjectContactRows(t *testing.T) {
	a := start(t)
	admin := a.Admin(t)
	var contacts []projects.Contact
	for i := range 4 {
		contacts = append(contacts, projects.Contact{Name: fmt.Sprintf("联系人%d", i+1), Title: "总经理",
			Phone: fmt.Sprintf("1380000000%d", i), Email: fmt.Sprintf("c%d@example.cn", i+1)})
	}
	st, body := admin.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": "四位联系人的项目", "unit": "kfq",
		"contacts": contacts}, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct{ ID string }
	_ = json.Unmarshal([]byte(body), &p)

	b := New(t)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(chromedp.Navigate(a.URL+"/projects/"+p.ID+"/edit"), chromedp.WaitVisible(css(`[data-rows]`)))
	rows := Get(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-rows] [data-row]').length`))
	email := Get(b, chromedp.Value(css(`#ce3`)))
	if rows != 5 || email != "c4@example.cn" {
		t.Fatalf("the form shows %d rows (want 4 contacts and a blank one), the fourth e-mail %q", rows, email)
	}
	b.Screenshot("project-contacts-desktop")
	b.Do(
		chromedp.Click(css(`[data-add-row]`)),
		chromedp.WaitVisible(css(`#cnnew-1`)),
		chromedp.SendKeys(css(`#cnnew-1`), "新增联系人"),
		chromedp.SendKeys(css(`#cenew-1`), "new@example.cn"),
		// Take out the second contact.
		chromedp.Click(css(`[data-rows] [data-row]:nth-of-type(2) [data-remove-row]`)),
	)
	if n := Get(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-rows] [data-row]').length`)); n != 5 {
		t.Fatalf("%d rows after adding one and removing one, want 5", n)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	b.Screenshot("project-contacts-phone")
	if _, err := chromedp.Run(b.Ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	b.Do(
		chromedp.Submit(css(`#cnnew-1`)),
		chromedp.WaitVisible(css(`.flash`)),
	)
	_, body = admin.Do("GET", "/api/v1/projects/"+p.ID, nil, nil)
	var got struct{ Contacts []projects.Contact }
	_ = json.Unmarshal([]byte(body), &got)
	var names []string
	for _, c := range got.Contacts {
		names = append(names, c.Name+"<"+c.Email+">")
	}
	if want := "联系人1<c1@example.cn>,联系人3<c3@example.cn>,联系人4<c4@example.cn>,新增联系人<new@example.cn>"; strings.Join(names, ",") != want {
		t.Errorf("stored contacts %s, want %s", strings.Join(names, ","), want)
	}
}
