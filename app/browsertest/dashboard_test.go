package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/modules/users"
)

// TestDashboardFunnelDrillDown: a manager opens the cockpit, clicks the
// funnel's first layer and lands on the project list whose count is the
// number the funnel showed.
func TestDashboardFunnelDrillDown(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "zzfd_wang", "王", users.RoleManager, []string{"zzfd"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	admin := a.Admin(t)
	for i, unit := range []string{"zs-zp", "zs-bc", "zs-zp", "kfq"} {
		body := map[string]any{"type": "industry", "name": fmt.Sprintf("漏斗点击测试项目%d", i), "unit": unit, "stage": "search"}
		if st, out := admin.Do("POST", "/api/v1/projects", body, nil); st != 201 {
			t.Fatalf("create: %d %s", st, out)
		}
	}
	b := New(t)
	login(b, a.URL, "zzfd_wang", "Test-2025x")
	b.Do(chromedp.Navigate(a.URL+"/dashboard"), chromedp.WaitVisible(css(`[data-chart=funnel] canvas`)),
		chromedp.ScrollIntoView(css(`[data-chart=funnel]`)))
	// The first layer's number in the table beside the chart (same data).
	want := strings.TrimSpace(Get(b, chromedp.Text(css(`#funnel table.data tbody tr:first-child td.num a`))))
	if want != "3" { // the two towns of the manager's subtree, not kfq
		t.Fatalf("funnel first layer shows %q, want 3 (screenshot %s)", want, b.Screenshot("dashboard-funnel"))
	}
	// Click the middle of the first funnel layer as drawn.
	xy := Get(b, chromedp.Evaluate[[]float64](`(function () {
		var el = document.querySelector("[data-chart=funnel]");
		var pts = window.echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData().getItemLayout(0).points;
		var r = el.getBoundingClientRect(), x = 0, y = 0;
		pts.forEach(function (p) { x += p[0]; y += p[1]; });
		return [r.left + x / pts.length, r.top + y / pts.length];
	})()`))
	b.Do(chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(css(`.result-count`)))
	url := Get(b, chromedp.Location())
	if !strings.Contains(url, "/projects?") || !strings.Contains(url, "entered=search") {
		t.Fatalf("landed on %s (screenshot %s)", url, b.Screenshot("dashboard-click"))
	}
	if got := Get(b, chromedp.Text(css(`.result-count`))); !strings.Contains(got, "共 "+want+" 个项目") {
		t.Fatalf("list shows %q, funnel %s (screenshot %s)", got, want, b.Screenshot("dashboard-list"))
	}
}
