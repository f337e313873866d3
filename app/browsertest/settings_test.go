package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
)

// TestSettingsAddTownTeamAndTarget: an admin opens 系统设置, adds a town
// team under 镇域分队, then sets its yearly target and sees it saved.
func TestSettingsAddTownTeamAndTarget(t *testing.T) {
	a := start(t)
	b := New(t)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(
		chromedp.Click(css(`.sidebar a[href="/settings"]`)),
		chromedp.WaitVisible(css(`#u-zzfd`)),
	)
	if title := Get(b, chromedp.Title()); !strings.Contains(title, "系统设置") {
		t.Fatalf("title %q", title)
	}
	b.Do(
		chromedp.Click(css(`a.btn-primary[href="/settings/units/new"]`)),
		chromedp.WaitVisible(css(`#u-id`)),
		chromedp.SendKeys(css(`#u-id`), "zs-xc"),
		chromedp.SendKeys(css(`#u-name`), "新城镇科技招商组"),
		chromedp.SendKeys(css(`#u-short`), "新城"),
		chromedp.SetValue(css(`#u-layer`), "5"),
		chromedp.SetValue(css(`#u-type`), "zone"),
		chromedp.SetValue(css(`#u-parent`), "zzfd"),
		chromedp.SetValue(css(`#u-zone`), "周市镇"),
		chromedp.Click(css(`input[name=focus][value="新材料"]`)),
		chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`#u-zs-xc`)),
	)
	flash := Get(b, chromedp.Text(css(`.flash-ok`)))
	row := Get(b, chromedp.Text(css(`#u-zs-xc`)))
	b.Screenshot("settings-matrix")
	if !strings.Contains(flash, "已新增单位 新城镇科技招商组") {
		t.Errorf("flash %q", flash)
	}
	for _, want := range []string{"└", "新城镇科技招商组", "新城", "区镇分队", "镇域科技招商联合分队", "周市镇", "新材料", "暂无成员"} {
		if !strings.Contains(row, want) {
			t.Errorf("new unit row lacks %q: %q", want, row)
		}
	}
	input := css(`input[form="tf-zs-xc"][name="v_events"]`)
	b.Do(
		chromedp.Click(css(`.tabs a[href="/settings/targets"]`)),
		chromedp.WaitVisible(input),
		chromedp.SendKeys(input, "25"),
		chromedp.Click(css(`#tf-zs-xc button`)),
		chromedp.WaitVisible(css(`.flash-ok`)),
	)
	flash = Get(b, chromedp.Text(css(`.flash-ok`)))
	saved := Get(b, chromedp.Value(input))
	mark := Get(b, chromedp.Text(css(`#t-zs-xc .badge-ok`)))
	b.Screenshot("settings-targets")
	if !strings.Contains(flash, "已保存新城镇科技招商组") {
		t.Errorf("flash after saving the target: %q", flash)
	}
	if mark != "已保存" {
		t.Errorf("saved row mark: %q", mark)
	}
	if saved != "25" {
		t.Errorf("events target after saving: %q, want 25", saved)
	}
}
