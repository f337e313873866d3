package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
)

// TestSearchSuggestAndFacets: type pinyin initials in the top-bar search, see
// the as-you-type list, pick a suggestion with the keyboard and land on the
// record; then search with a typo and narrow by the unit and industry facets.
func TestSearchSuggestAndFacets(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	for _, e := range []*resources.Enterprise{
		{Name: "苏州某某智能装备有限公司", CreditCode: "91320583MA1N0K3X2T", Industry: "高端装备", Unit: "kfq"},
		{Name: "Siemens 西门子（昆山）有限公司", CreditCode: "91320583MA1P1K5X2T", Industry: "电子信息", Unit: "gxq"},
		{Name: "Siemens Healthineers 苏州医疗", CreditCode: "91320583MA1N0K4X2T", Industry: "生物医药", Unit: "kfq"},
	} {
		if err := a.P.Records.Enterprises.Create(ctx, core.System, e); err != nil {
			t.Fatal(err)
		}
	}
	b := New(t)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(
		chromedp.Navigate(a.URL+"/projects"),
		chromedp.WaitVisible(css(`.topbar-search input[data-suggest]`)),
		chromedp.SendKeys(css(`.topbar-search input`), "znzb"),
	)
	waitFor(t, b, `!!document.querySelector('.topbar-search .suggest:not([hidden]) [role=option]')`)
	list := Get(b, chromedp.Text(css(`.topbar-search .suggest`)))
	if !strings.Contains(list, "苏州某某智能装备有限公司") || strings.Contains(list, "Siemens") {
		t.Fatalf("suggestions for znzb: %q", list)
	}
	b.Screenshot("search-suggest")
	b.Do(chromedp.SendKeys(css(`.topbar-search input`), kb.ArrowDown))
	waitFor(t, b, `!!document.querySelector('.topbar-search [role=option][aria-selected=true]')`)
	b.Do(chromedp.SendKeys(css(`.topbar-search input`), kb.Enter))
	// The new page's main is read once it has loaded: reading it while the
	// browser still replaces the document fails with "No node with given id".
	waitFor(t, b, `location.pathname.indexOf('/resources/enterprises/') === 0 && document.readyState === 'complete' && !!document.querySelector('main')`)
	if h := Get(b, chromedp.Text(css(`main`))); !strings.Contains(h, "苏州某某智能装备有限公司") {
		t.Fatalf("picked suggestion opened %q", h)
	}

	// A typo still finds both Siemens; the unit and industry facets narrow.
	b.Do(
		chromedp.Navigate(a.URL+"/search?q=Siemans"),
		chromedp.WaitVisible(css(`#search-results`)),
	)
	if res := Get(b, chromedp.Text(css(`#search-results`))); strings.Count(res, "企业 Siemens") != 2 {
		t.Fatalf("Siemans results: %q", res)
	}
	facets := Get(b, chromedp.Text(css(`#search-facets`)))
	if !strings.Contains(facets, "单位") || !strings.Contains(facets, a.P.Matrix.Name("gxq")) {
		t.Fatalf("facets: %q", facets)
	}
	b.Do(
		chromedp.Click(css(`#search-facets a[href*="unit=kfq"]`)),
		chromedp.WaitVisible(css(`.active-filters`)),
		chromedp.Click(css(`#search-facets a[href*="industry="]`)),
	)
	waitFor(t, b, `location.search.indexOf('industry=') >= 0 && location.search.indexOf('unit=kfq') >= 0 && document.readyState === 'complete' && !!document.querySelector('#search-results')`)
	res := Get(b, chromedp.Text(css(`#search-results`)))
	if !strings.Contains(res, "Siemens Healthineers") || strings.Contains(res, "西门子（昆山）") {
		t.Fatalf("after facets: %q", res)
	}
	b.Screenshot("search-facets")
}
