package browsertest

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhaoshang/app/testapp"
)

// TestEventOutcomeJourney: open 活动, filter by type, open an event, read its
// outcome pipeline, click a stage count and land on the filtered project list.
func TestEventOutcomeJourney(t *testing.T) {
	a := start(t)
	admin := a.Admin(t)
	post := func(path string, body any) string {
		t.Helper()
		st, out := admin.Do("POST", path, body, nil)
		if st != 201 {
			t.Fatalf("POST %s: %d %s", path, st, out)
		}
		var d struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal([]byte(out), &d)
		return d.ID
	}
	ev := post("/api/v1/events", map[string]any{"title": "2024昆山新材料产业科技招商路演（上海专场）", "type": "路演",
		"date": "2024年5月8日", "unit": "kfq", "place": "上海·科学会堂", "attendees": 120, "industries": []string{"新材料"}})
	post("/api/v1/events", map[string]any{"title": "新材料产学研沙龙（第3期）", "type": "沙龙", "date": "2024-06-01", "unit": "kfq"})
	for _, p := range []struct {
		name, stage string
		signed      string
	}{{"瀚宇新材料华东总部项目", "attract", "2024-07-01"}, {"高分子分离膜中试项目", "attract", ""}, {"石墨烯导热膜项目", "search", ""}} {
		body := map[string]any{"type": "industry", "name": p.name, "industry": "新材料", "unit": "kfq", "stage": p.stage,
			"investment": 6000, "source_event": ev}
		if p.signed != "" {
			body["milestones"] = map[string]any{"signed": p.signed}
		}
		post("/api/v1/projects", body)
	}
	post("/api/v1/projects", map[string]any{"type": "industry", "name": "不相关的招引项目", "industry": "新材料", "unit": "kfq", "stage": "attract"})

	b := New(t)
	b.Do(append(signIn(a.URL+"/events", "admin", testapp.AdminPassword), chromedp.WaitVisible(css(`#event-list`)))...)
	if all := Get(b, chromedp.Text(css(`.result-count`))); !strings.Contains(all, "共 2 场活动") {
		t.Fatalf("before filtering: %q", all)
	}
	// pick 路演 in the type select: app.js submits the filter form on change
	b.Do(
		// Set the value and fire "change" in one step: app.js submits the form
		// on change, so a second step could run on the page being replaced.
		chromedp.Evaluate[chromedp.Void](`(function(){var s=document.querySelector('select[name=type]');` +
			`s.value='路演';s.dispatchEvent(new Event('change',{bubbles:true}));})()`),
	)
	waitURL(b, "/events", func(u *url.URL) bool { return u.Query().Get("type") == "路演" })
	b.Do(chromedp.WaitVisible(css(`#event-list`)))
	list := Get(b, chromedp.Text(css(`#event-list`)))
	if !strings.Contains(list, "上海专场") || strings.Contains(list, "沙龙") {
		t.Errorf("list filtered by 路演: %q", list)
	}
	if loc := Get(b, chromedp.Location()); !strings.Contains(loc, "type="+url.QueryEscape("路演")) {
		t.Errorf("filter not kept in the URL: %s", loc)
	}
	b.Screenshot("events-filtered")

	b.Do(
		chromedp.Click(css(`#event-list a[href="/events/`+ev+`"]`)),
		chromedp.WaitVisible(css(`#outcome`)),
	)
	b.Screenshot("event-outcome")
	count := func(stage string) string {
		return strings.TrimSpace(Get(b, chromedp.Text(css(`#outcome-stages tr[data-stage=`+stage+`] td.num`))))
	}
	if c := count("attract"); c != "2" {
		t.Errorf("资源招引 count = %q, want 2", c)
	}
	if c := count("search"); c != "1" {
		t.Errorf("资源搜索 count = %q, want 1", c)
	}
	if c := count("decision"); c != "0" {
		t.Errorf("评估决策 count = %q, want 0", c)
	}
	if s := Get(b, chromedp.Text(css(`[data-outcome=signed]`))); !strings.Contains(s, "1") || !strings.Contains(s, "6,000") {
		t.Errorf("signed tile: %q", s)
	}

	b.Do(chromedp.Click(css(`#outcome-stages tr[data-stage=attract] a`)))
	loc := waitURL(b, "/projects", nil)
	b.Do(chromedp.WaitVisible(css(`.content`)))
	u, err := url.Parse(loc)
	if err != nil || u.Path != "/projects" || u.Query().Get("source_event") != ev || u.Query().Get("stage") != "attract" {
		t.Fatalf("landed on %s, want /projects?source_event=%s&stage=attract", loc, ev)
	}
	b.Screenshot("projects-from-event")
	page := Get(b, chromedp.Text(css(`.content`)))
	if !strings.Contains(page, "瀚宇新材料华东总部项目") || !strings.Contains(page, "高分子分离膜中试项目") {
		t.Errorf("project list lacks the event's projects: %.400q", page)
	}
	if strings.Contains(page, "不相关的招引项目") || strings.Contains(page, "石墨烯导热膜项目") {
		t.Errorf("project list is not filtered by source event and stage: %.400q", page)
	}
}

// waitURL waits for a navigation to land on path (with a query ok accepts)
// and returns the URL; the old page's context may vanish meanwhile, so
// errors are retried.
func waitURL(b *Browser, path string, ok func(*url.URL) bool) string {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		loc, err := chromedp.Run(b.Ctx, chromedp.Location())
		if u, perr := url.Parse(loc); err == nil && perr == nil && u.Path == path && (ok == nil || ok(u)) {
			return loc
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("did not reach %s (screenshot %s)", path, b.Screenshot("failure"))
	return ""
}

// TestEventEditConflict: a save over someone else's change shows what changed.
func TestEventEditConflict(t *testing.T) {
	a := start(t)
	admin := a.Admin(t)
	st, out := admin.Do("POST", "/api/v1/events", map[string]any{"title": "科技成果转化实务培训（第1期）", "type": "培训",
		"date": "2024-04-10", "unit": "jszy", "attendees": 60}, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, out)
	}
	var ev struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(out), &ev)

	b := New(t)
	b.Do(append(signIn(a.URL+"/events/"+ev.ID+"/edit", "admin", testapp.AdminPassword), chromedp.WaitVisible(css(`#ev-title`)))...)
	// meanwhile another session changes the attendance
	if st, out := admin.Do("PUT", "/api/v1/events/"+ev.ID, map[string]any{"version": 1, "title": "科技成果转化实务培训（第1期）",
		"type": "培训", "date": "2024-04-10", "unit": "jszy", "attendees": 75}, nil); st != 200 {
		t.Fatalf("concurrent update: %d %s", st, out)
	}
	b.Do(
		chromedp.SetValue(css(`#ev-place`), "昆山市技术转移中心"),
		chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`#conflict`)),
	)
	b.Screenshot("event-conflict")
	conflict := Get(b, chromedp.Text(css(`#conflict`)))
	for _, want := range []string{"已被他人修改", "参会人数", "60", "75", "地点", "昆山市技术转移中心"} {
		if !strings.Contains(conflict, want) {
			t.Errorf("conflict panel lacks %q: %q", want, conflict)
		}
	}
	// saving again, having seen the changes, overwrites
	b.Do(chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#outcome`)))
	if kv := Get(b, chromedp.Text(css(`dl.kv`))); !strings.Contains(kv, "昆山市技术转移中心") || !strings.Contains(kv, "60 人") {
		t.Errorf("after the second save: %q", kv)
	}
}
