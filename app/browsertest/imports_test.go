package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

// messyLedger writes a field team's ledger: title and note rows, a 招商项目
// column the importer cannot know (it must be mapped), a bad date, a twin
// row and a 合计 row.
func messyLedger(t *testing.T) string {
	t.Helper()
	rows := map[int][]any{
		1: {"2024年张浦镇重点科技招商项目台账"},
		2: {"填报单位：张浦镇", "", "", "", "日期：2024-05-01"},
		3: {"序号", "招商项目", "项目种类", "企业名称", "联系人", "手机", "总投资（万元）", "项目进展", "签约日期", "行业"},
		4: {1, "浏览器传感器项目", "产业", "昆山某某传感科技有限公司", "张三", "138 1234 5678", "1,200", "在谈", "", "新智造"},
		5: {2, "浏览器医疗器械项目", "产业", "某医疗公司", "李四", "13912345678", "800", "已签约", "2024-02-30", "新医疗"},
		6: {3, "浏览器储能电池项目", "产业", "某能源公司", "", "", "1.2亿", "已签约", "2024/03/05", "新能源"},
		7: {4, "浏览器传感器项目", "产业", "重复一行", "", "", "100", "在谈", "", "新智造"},
		8: {"", "合计", "", "", "", "", "3100"},
	}
	f := excelize.NewFile()
	for n, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "张浦台账.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportJourney: upload a messy ledger, see the preview with its
// rejected rows, fix the mapping, commit, see the history, undo.
func TestImportJourney(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	if _, err := a.P.Users.EnsureUser(ctx, "zp_wang", "王芳", users.RoleOfficer, []string{"zs-zp"}, "Officer-2025x"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n := 0
		a.P.Projects.Each(ctx, func(p *projects.Project) error {
			if strings.HasPrefix(p.Name, "浏览器") {
				n++
			}
			return nil
		})
		return n
	}
	file := messyLedger(t)
	b := New(t)
	login(b, a.URL, "zp_wang", "Officer-2025x")
	// data-confirm dialogs are answered "确定".
	acceptConfirms := func() {
		if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(window.confirm = function(){ return true; }, true)`)); err != nil {
			t.Fatal(err)
		}
	}

	b.Do(
		chromedp.Click(css(`.sidebar a[href="/imports"]`)),
		chromedp.WaitVisible(css(`#new-import`)),
		chromedp.Click(css(`#new-import`)),
		chromedp.WaitVisible(css(`#upload-form`)),
		chromedp.SetUploadFiles(css(`#f-file`), []string{file}),
		chromedp.Submit(css(`#f-file`)),
		chromedp.WaitVisible(css(`#mapping-table`)),
	)
	// The 项目名称 column is called 招商项目 in this ledger: the preview says
	// so and offers the mapping; nothing can be committed yet.
	problem := Get(b, chromedp.Text(css(`#preview-problem`)))
	if !strings.Contains(problem, "缺少必填列") || !strings.Contains(problem, "项目名称") {
		t.Fatalf("problem: %q", problem)
	}
	if hdr := Get(b, chromedp.Value(css(`#header-row`))); hdr != "3" {
		t.Fatalf("detected header row %q, want 3 (below the title and note rows)", hdr)
	}
	b.Screenshot("imports-preview-unmapped")
	b.Do(
		chromedp.SetValue(css(`select[name=col_1]`), "name"),
		chromedp.SetValue(css(`select[name=col_2]`), "type"),
		chromedp.Click(css(`#apply-mapping`)),
		chromedp.WaitVisible(css(`#rejected-rows`)),
	)
	if n, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("#preview-problem").length`)); n != 0 {
		t.Fatal("problem still shown after mapping")
	}
	rejected := Get(b, chromedp.Text(css(`#rejected-rows`)))
	review := Get(b, chromedp.Text(css(`#review-rows`)))
	counts := Get(b, chromedp.Text(css(`#import-counts`)))
	b.Screenshot("imports-preview")
	if !strings.Contains(rejected, "签约日期") || !strings.Contains(rejected, "2024-02-30") {
		t.Fatalf("rejected rows: %q", rejected)
	}
	// The twin, and the 已签约 row: an officer's legacy row past 评估决策 waits
	// for a manager's import.
	if !strings.Contains(review, "与第 4 行是同一项目") || !strings.Contains(review, "须由管理者导入") {
		t.Fatalf("review rows: %q", review)
	}
	if created := Get(b, chromedp.Text(css(`[data-count=create] .stat-value`))); !strings.HasPrefix(created, "1") {
		t.Fatalf("新建 = %q (counts %q), want 1", created, counts)
	}
	if count() != 0 {
		t.Fatal("the preview wrote projects")
	}
	// The rejected tab shows only the rejected row.
	b.Do(chromedp.Click(css(`.tabs a[data-tab=rejected]`)), chromedp.WaitVisible(css(`#row-table`)))
	if rows := Get(b, chromedp.Text(css(`#row-table tbody`))); !strings.Contains(rows, "浏览器医疗器械项目") || strings.Contains(rows, "浏览器储能电池项目") {
		t.Fatalf("rejected tab: %q", rows)
	}

	// Commit with the twin row confirmed.
	acceptConfirms()
	b.Do(
		chromedp.Click(css(`#review-rows input[name=confirm][value="7"]`)),
		chromedp.Click(css(`#commit-button`)),
		chromedp.WaitVisible(css(`#batch-id`)),
	)
	flash := Get(b, chromedp.Text(css(`.flash`)))
	batchID := Get(b, chromedp.Text(css(`#batch-id`)))
	b.Screenshot("imports-done")
	if !strings.Contains(flash, "已导入") || !strings.Contains(flash, "新建 2") || !strings.HasPrefix(batchID, "imp-") {
		t.Fatalf("after commit: flash %q, batch %q", flash, batchID)
	}
	if n := count(); n != 2 {
		t.Fatalf("committed %d projects, want 2", n)
	}

	// History lists the batch; undo it from there.
	b.Do(
		chromedp.Navigate(a.URL+"/imports"),
		chromedp.WaitVisible(css(`#import-history`)),
	)
	hist := Get(b, chromedp.Text(css(`#import-history`)))
	b.Screenshot("imports-history")
	if !strings.Contains(hist, "张浦台账.xlsx") || !strings.Contains(hist, batchID) || !strings.Contains(hist, "已导入") {
		t.Fatalf("history: %q", hist)
	}
	acceptConfirms()
	b.Do(
		chromedp.Click(css(`tr[data-batch="`+batchID+`"] form[action$="/undo"] button`)),
		chromedp.WaitVisible(css(`#import-summary`)),
	)
	flash = Get(b, chromedp.Text(css(`.flash`)))
	if !strings.Contains(flash, "已撤销批次") {
		t.Fatalf("after undo: %q", flash)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d projects left after undo", n)
	}
	b.Screenshot("imports-undone")
	if os.Getenv("ZS_SCREENSHOTS") != "" {
		t.Logf("screenshots in %s", os.Getenv("ZS_SCREENSHOTS"))
	}
}
