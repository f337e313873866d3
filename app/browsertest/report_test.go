package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
)

// TestMonthlyReportPrint: a manager picks the month on the cockpit, opens
// the monthly report of their subtree, and its print layout shows the
// report alone (no navigation, no tool bar).
func TestMonthlyReportPrint(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "zzfd_wang", "王", users.RoleManager, []string{"zzfd"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	admin := a.Admin(t)
	for i, unit := range []string{"zs-zp", "zs-bc", "kfq"} {
		body := map[string]any{"type": "industry", "name": fmt.Sprintf("月报打印测试项目%d", i), "unit": unit, "stage": "search"}
		if st, out := admin.Do("POST", "/api/v1/projects", body, nil); st != 201 {
			t.Fatalf("create: %d %s", st, out)
		}
	}
	month := time.Now().In(core.Zone()).Format("2006-01")
	b := New(t)
	login(b, a.URL, "zzfd_wang", "Test-2025x")
	b.Do(chromedp.Navigate(a.URL+"/dashboard"), chromedp.WaitVisible(css(`form.report-picker button`)),
		chromedp.Click(css(`form.report-picker button`)), chromedp.WaitVisible(css(`.report-sheet`)))
	if url := Get(b, chromedp.Location()); !strings.Contains(url, "/dashboard/report?month="+month) {
		t.Fatalf("landed on %s (screenshot %s)", url, b.Screenshot("report-open"))
	}
	// The two projects of the manager's towns, not kfq's.
	if got := strings.TrimSpace(Get(b, chromedp.Text(css(`[data-k="trend-projects"]`)))); got != "2" {
		t.Fatalf("new projects %q, want 2 (screenshot %s)", got, b.Screenshot("report-figures"))
	}
	b.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shown := Get(b, chromedp.Evaluate[[]string](`["aside.sidebar", ".topbar", "form.toolbar", "[data-print]", ".report-sheet", ".report-section"].map(function (s) {
		return getComputedStyle(document.querySelector(s)).display;
	})`))
	want := []string{"none", "none", "none", "none", "block", "block"}
	if strings.Join(shown, ",") != strings.Join(want, ",") {
		t.Errorf("print display %v, want %v (screenshot %s)", shown, want, b.Screenshot("report-print"))
	}
	// With ZS_SCREENSHOTS set, keep the A4 PDF Chromium prints (the
	// report's @page size) for review.
	if dir := os.Getenv("ZS_SCREENSHOTS"); dir != "" {
		prefer := true
		pdf, err := chromedp.Run(b.Ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
			r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			return r.Data, err
		})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "report-print.pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log(path)
	}
}
