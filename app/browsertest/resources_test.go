package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
)

// TestResourcePoolJourney: open 资源库, filter talents by level, open one,
// edit a field, save, and see it changed.
func TestResourcePoolJourney(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	for i, lv := range []string{"国家级", "省双创", "国家级", "昆山双创"} {
		tal := &resources.Talent{Meta: core.Meta{ID: fmt.Sprintf("bt-%d", i)}, Name: fmt.Sprintf("浏览器测试人才%d", i), Level: lv,
			Industry: "新能源", Institution: "云麓大学", Title: "副教授", Phone: fmt.Sprintf("1380000000%d", i), Unit: "kfq"}
		if err := a.P.Records.Talents.Create(ctx, core.System, tal); err != nil {
			t.Fatal(err)
		}
	}
	b := New(t)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(
		chromedp.Click(css(`.sidebar a[href="/resources"]`)),
		chromedp.WaitVisible(css(`#resource-list`)),
	)
	if tabs := Get(b, chromedp.Text(css(`.tabs`))); !strings.Contains(tabs, "人才 4") || !strings.Contains(tabs, "科技成果 0") {
		t.Fatalf("tabs: %q", tabs)
	}
	// Choosing a level submits the filter form (data-autosubmit).
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(function(){var s=document.querySelector('select[name=level]');`+
		`s.value='国家级';s.dispatchEvent(new Event('change',{bubbles:true}));return true})()`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, `location.search.indexOf("level=")>=0 && !!document.querySelector("#resource-list")`)
	list := Get(b, chromedp.Text(css(`#resource-list tbody`)))
	if strings.Count(list, "浏览器测试人才") != 2 || strings.Contains(list, "省双创") || !strings.Contains(list, "国家级") {
		t.Fatalf("filtered list: %q", list)
	}
	if sel := Get(b, chromedp.Value(css(`select[name=level]`))); sel != "国家级" {
		t.Fatalf("level select after filtering = %q", sel)
	}
	b.Screenshot("resources-filtered")
	b.Do(
		chromedp.Click(css(`#resource-list tbody tr:first-child a`)),
		chromedp.WaitVisible(css(`#resource-fields`)),
	)
	name := Get(b, chromedp.Text(css(`#resource-name`)))
	b.Do(
		chromedp.Click(css(`a[href*="/edit"]`)),
		chromedp.WaitVisible(css(`#resource-form`)),
		chromedp.SetValue(css(`#f-title`), "教授、博士生导师"),
		chromedp.Submit(css(`#f-title`)),
		chromedp.WaitVisible(css(`#resource-fields`)),
	)
	fields := Get(b, chromedp.Text(css(`#resource-fields`)))
	flash := Get(b, chromedp.Text(css(`.flash`)))
	b.Screenshot("resources-saved")
	if !strings.Contains(fields, "教授、博士生导师") || !strings.Contains(flash, "已保存") || !strings.Contains(flash, name) {
		t.Fatalf("after save: fields %q, flash %q", fields, flash)
	}
	// Someone else saves while the form is open: the page shows what differs
	// and keeps what was typed.
	id := strings.TrimPrefix(strings.Split(Get(b, chromedp.Location()), "?")[0], a.URL+"/resources/talents/")
	b.Do(chromedp.Click(css(`a[href*="/edit"]`)), chromedp.WaitVisible(css(`#resource-form`)))
	if st, out := a.Admin(t).Do("PATCH", "/api/v1/talents/"+id, map[string]any{"version": 2, "title": "研究员"}, nil); st != 200 {
		t.Fatalf("concurrent edit: %d %s", st, out)
	}
	b.Do(
		chromedp.SetValue(css(`#f-field`), "固态电池"),
		chromedp.Submit(css(`#f-field`)),
		chromedp.WaitVisible(css(`#conflict`)),
	)
	conflict := Get(b, chromedp.Text(css(`#conflict`)))
	kept := Get(b, chromedp.Value(css(`#f-field`)))
	b.Screenshot("resources-conflict")
	if !strings.Contains(conflict, "已被他人修改") || !strings.Contains(conflict, "研究员") || kept != "固态电池" {
		t.Fatalf("conflict page: %q, field kept %q", conflict, kept)
	}
	// Back to the list keeps the level filter.
	b.Do(chromedp.Click(css(`#resource-form a.btn-link`)), chromedp.WaitVisible(css(`#resource-fields`)),
		chromedp.Click(css(`.toolbar a.btn-link`)), chromedp.WaitVisible(css(`#resource-list`)))
	if loc := Get(b, chromedp.Location()); !strings.Contains(loc, "level=") {
		t.Fatalf("back to list lost the filter: %s", loc)
	}
	// A likely duplicate is shown before saving and needs a confirmation.
	b.Do(
		chromedp.Click(css(`a[href^="/resources/talents/new"]`)),
		chromedp.WaitVisible(css(`#resource-form`)),
		chromedp.SetValue(css(`#f-name`), "浏览器测试人才0"),
		chromedp.SetValue(css(`#f-level`), "国家级"),
		chromedp.SetValue(css(`#f-industry`), "新能源"),
		chromedp.SetValue(css(`#f-phone`), "138 0000 0000"),
		chromedp.SetValue(css(`#f-unit`), "gxq"),
		chromedp.Submit(css(`#f-name`)),
		chromedp.WaitVisible(css(`#duplicates`)),
	)
	b.Screenshot("resources-duplicate")
	b.Do(
		chromedp.Click(css(`input[name=confirm_duplicate]`)),
		chromedp.Submit(css(`#f-name`)),
		chromedp.WaitVisible(css(`#resource-fields`)),
	)
	if f := Get(b, chromedp.Text(css(`#resource-fields`))); !strings.Contains(f, "13800000000") || !strings.Contains(f, "昆山高新区科技招商分队") {
		t.Fatalf("confirmed duplicate saved as %q", f)
	}
}
