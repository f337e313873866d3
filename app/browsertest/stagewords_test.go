package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
)

// TestCatalogStageWords: an admin adds a 阶段 word on 目录与规则, first with
// a stage that does not exist (the typed text stays, the message shows at
// the field), then with the stage's label, and sees it saved.
func TestCatalogStageWords(t *testing.T) {
	a := start(t)
	b := New(t)
	area := css(`#c-stage_words`)
	login(b, a.URL, "admin", testapp.AdminPassword)
	b.Do(
		chromedp.Navigate(a.URL+"/settings/catalog"),
		chromedp.WaitVisible(area),
	)
	typed := Get(b, chromedp.Value(area)) + "\n已开工 = 建设中"
	b.Do(
		chromedp.SetValue(area, typed),
		chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`#c-stage_words[aria-invalid="true"]`)),
	)
	msg := Get(b, chromedp.Text(css(`#c-stage_words ~ .field-error`)))
	kept := Get(b, chromedp.Value(area))
	b.Screenshot("catalog-stage-words-error")
	if !strings.Contains(msg, "阶段用语“已开工”对应的阶段“建设中”不存在") {
		t.Errorf("field message %q", msg)
	}
	if !strings.HasSuffix(kept, "已开工 = 建设中") {
		t.Errorf("typed text not kept: %q", kept)
	}
	b.Do(
		chromedp.SetValue(area, strings.Replace(kept, "建设中", "过程管理", 1)),
		chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`.flash-ok`)),
	)
	if saved := Get(b, chromedp.Value(area)); !strings.HasSuffix(saved, "已开工 = 过程管理") {
		t.Errorf("saved table %q", saved)
	}
}
