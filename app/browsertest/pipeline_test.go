package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

// TestKanbanMove: a card dropped on an allowed stage moves; dropped on a
// blocked one, the board shows the unmet condition and the card snaps back.
func TestKanbanMove(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	for _, p := range []*projects.Project{
		{Meta: core.Meta{ID: "k1"}, Type: "industry", Name: "看板测试项目甲", Unit: "kfq", Stage: "search", Investment: 100},
		{Meta: core.Meta{ID: "k2"}, Type: "industry", Name: "看板测试项目乙", Unit: "kfq", Stage: "attract", Investment: 50},
	} {
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	b := New(t)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(chromedp.Navigate(a.URL+"/projects/board"), chromedp.WaitVisible(css(`.kanban-card[data-id=k1]`)))

	// Allowed: search → push.
	if ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.zsBoard.move("k1", "push")`)); err != nil || !ok {
		t.Fatalf("move k1: %v %v", ok, err)
	}
	waitFor(t, b, `!!document.querySelector('[data-dropzone=push] .kanban-card[data-id=k1]') && !document.getElementById("board-message").hidden`)
	waitFor(t, b, `document.querySelector('.kanban-col[data-stage=push] [data-count]').textContent === "1"`)
	if p, _ := a.P.Projects.Get(ctx, "k1"); p.Stage != "push" {
		t.Fatalf("k1 stored stage %s", p.Stage)
	}

	// Blocked: attract → decision without a score sheet.
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.zsBoard.move("k2", "decision")`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, `document.getElementById("board-message").textContent.indexOf("评估打分表") >= 0`)
	waitFor(t, b, `!!document.querySelector('[data-dropzone=attract] .kanban-card[data-id=k2]')`)
	b.Screenshot("kanban-blocked")
	if p, _ := a.P.Projects.Get(ctx, "k2"); p.Stage != "attract" || len(p.History) != 0 {
		t.Fatalf("k2 changed: %s", p.Stage)
	}
}

// TestEditConflict: two sessions edit the same project; the second save is
// refused and the page shows what the first one changed.
func TestEditConflict(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李明", users.RoleOfficer, []string{"kfq"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Projects.Create(ctx, core.System, &projects.Project{Meta: core.Meta{ID: "c1"}, Type: "talent",
		Name: "冲突测试团队", Unit: "kfq", Stage: "search", Investment: 300}); err != nil {
		t.Fatal(err)
	}
	one, two := New(t), New(t)
	login(one, a.URL, "admin", testapp.AdminPassword)
	login(two, a.URL, "kfq_li", "Test-2025x")
	for _, b := range []*Browser{one, two} {
		b.Do(chromedp.Navigate(a.URL+"/projects/c1/edit"), chromedp.WaitVisible(css(`#f-name`)))
	}
	one.Do(chromedp.SetValue(css(`#f-name`), "冲突测试团队（管理员改）"), chromedp.Submit(css(`#f-name`)))
	waitFor(t, one, `document.querySelector("h2") && document.querySelector("h2").textContent.indexOf("管理员改") >= 0`)
	two.Do(chromedp.SetValue(css(`#f-investment`), "900"), chromedp.Submit(css(`#f-name`)))
	waitFor(t, two, `document.body.textContent.indexOf("已被他人修改") >= 0`)
	text := Get(two, chromedp.Text(css(`[role=alert]`)))
	two.Screenshot("conflict")
	if !strings.Contains(text, "项目名称") || !strings.Contains(text, "管理员改") {
		t.Fatalf("conflict message does not show the change: %q", text)
	}
	// The user's own input is kept in the form.
	if v := Get(two, chromedp.Value(css(`#f-investment`))); v != "900" {
		t.Fatalf("investment input lost: %q", v)
	}
	p, _ := a.P.Projects.Get(ctx, "c1")
	if p.Name != "冲突测试团队（管理员改）" || p.Investment != 300 {
		t.Fatalf("stored: %s %v", p.Name, p.Investment)
	}
}
