package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

const pw = "Officer-2025"

// users: officers of 开发区 (kfq) and 高新区 (gxq), a manager of the town
// teams (zzfd, with zs-* below it).
func people(t *testing.T, a *testapp.App) (officer, other, manager *testapp.Client) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{{"kfq_li", users.RoleOfficer, "kfq"},
		{"gxq_wang", users.RoleOfficer, "gxq"}, {"zzfd_zhao", users.RoleManager, "zzfd"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, pw); err != nil {
			t.Fatal(err)
		}
	}
	return a.Client(t).Login("kfq_li", pw), a.Client(t).Login("gxq_wang", pw), a.Client(t).Login("zzfd_zhao", pw)
}

type doc struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	Date    string `json:"date"`
}

func create(t *testing.T, c *testapp.Client, path string, body any) doc {
	t.Helper()
	st, out := c.Do("POST", path, body, nil)
	if st != 201 {
		t.Fatalf("POST %s: %d %s", path, st, out)
	}
	var d doc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func event(title, typ, date, unit string) map[string]any {
	return map[string]any{"title": title, "type": typ, "date": date, "unit": unit, "place": "昆山市科技创业服务中心",
		"industries": []string{"新材料"}, "attendees": 80, "status": "held"}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func TestEventsAccessAndInput(t *testing.T) {
	a := testapp.Start(t)
	admin := a.Admin(t)
	officer, other, manager := people(t, a)
	ctx := context.Background()

	// a pool enterprise of 开发区 and a talent of 高新区
	ent := &resources.Enterprise{Name: "昆山瀚宇新材料科技有限公司", CreditCode: "91320583MA1N0K3X2T", Industry: "新材料", Unit: "kfq"}
	if err := a.P.Records.Enterprises.Create(ctx, core.System, ent); err != nil {
		t.Fatal(err)
	}
	tal := &resources.Talent{Name: "张伟", Level: "国家级", Industry: "新材料", Unit: "gxq"}
	if err := a.P.Records.Talents.Create(ctx, core.System, tal); err != nil {
		t.Fatal(err)
	}

	own := create(t, admin, "/api/v1/events", with(event("新材料产学研沙龙（第1期）", "沙龙", "2024-03-05", "kfq"),
		"participants", map[string]any{"enterprises": []map[string]string{{"name": ent.Name}}, "enterprise_count": 12}))
	theirs := create(t, admin, "/api/v1/events", event("高新区科技项目路演", "路演", "2024/3/6", "gxq"))
	town := create(t, admin, "/api/v1/events", event("周市镇专场对接会", "专场对接会", "2024年4月1日", "zs-zs"))
	spare := create(t, admin, "/api/v1/events", event("待删除的培训", "培训", "2024.5.6", "kfq"))
	if own.Date != "2024-03-05" || town.Date != "2024-04-01" || spare.Date != "2024-05-06" {
		t.Errorf("typed dates answered as %s, %s, %s; want the days typed", own.Date, town.Date, spare.Date)
	}

	e := func(id string) string { return "/api/v1/events/" + id }
	upd := func(d doc, kv ...any) map[string]any {
		return with(event("新材料产学研沙龙（第1期）", "沙龙", "2024-03-05", "kfq"), append([]any{"version", d.Version}, kv...)...)
	}
	testapp.Run(t, a, []testapp.Scenario{
		// access: one line per role × own/other unit
		{Name: "anonymous list 401", URL: "/api/v1/events", Status: 401},
		{Name: "anonymous page redirects", URL: "/events", Status: 303},
		{Name: "anonymous get 401", URL: e(own.ID), Status: 401},
		{Name: "officer list sees own unit only", As: officer, URL: "/api/v1/events", Status: 200,
			Expect: []string{"新材料产学研沙龙", `"total":2`}, Reject: []string{"高新区科技项目路演", "周市镇"}},
		{Name: "officer gets own", As: officer, URL: e(own.ID), Status: 200, Expect: []string{`"unit_name":"昆山开发区科技招商分队"`}},
		{Name: "officer gets other unit 403", As: officer, URL: e(theirs.ID), Status: 403},
		// A page of another unit's event is a card: its title, unit and
		// whom to ask there, none of its content (issue 14, item 5).
		{Name: "officer page of other unit is a card", As: officer, URL: "/events/" + theirs.ID, Status: 200,
			Expect: []string{"高新区科技项目路演", "不在您的查看范围", "昆山高新区科技招商分队"}, Reject: []string{"昆山市科技创业服务中心", "新材料"}},
		{Name: "officer edit page of other unit is a card", As: officer, URL: "/events/" + theirs.ID + "/edit", Status: 200,
			Expect: []string{"不在您的查看范围"}, Reject: []string{"昆山市科技创业服务中心", `name="title"`}},
		{Name: "officer outcome of other unit 403", As: officer, URL: e(theirs.ID) + "/outcome", Status: 403},
		{Name: "officer updates other unit 403", As: officer, Method: "PUT", URL: e(theirs.ID),
			Body: with(event("x", "路演", "2024-03-06", "gxq"), "version", 1), Status: 403},
		{Name: "officer creates for other unit 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("越权活动", "沙龙", "2024-03-05", "gxq"), Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "officer moves own event to other unit 422", As: officer, Method: "PUT", URL: e(own.ID),
			Body: with(upd(own), "unit", "gxq"), Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "officer deletes 403", As: officer, Method: "DELETE", URL: e(spare.ID) + "?version=1", Status: 403},
		{Name: "other officer sees own", As: other, URL: e(theirs.ID), Status: 200, Expect: []string{`"id":"` + theirs.ID + `"`, "高新区科技项目路演"}},
		{Name: "other officer gets kfq 403", As: other, URL: e(own.ID), Status: 403},
		{Name: "manager sees subtree", As: manager, URL: e(town.ID), Status: 200, Expect: []string{`"id":"` + town.ID + `"`, "周市镇专场对接会"}},
		{Name: "manager list is subtree", As: manager, URL: "/api/v1/events", Status: 200,
			Expect: []string{"周市镇专场对接会", `"total":1`}, Reject: []string{"新材料产学研沙龙"}},
		{Name: "manager outside subtree 403", As: manager, URL: e(own.ID), Status: 403},
		{Name: "manager unit filter outside scope is empty", As: manager, URL: "/api/v1/events?unit=kfq", Status: 200,
			Expect: []string{`"total":0`}},
		{Name: "admin sees all", As: admin, URL: "/api/v1/events", Status: 200, Expect: []string{`"total":4`}},
		{Name: "unknown id 404", As: admin, URL: e("nope"), Status: 404},

		// bad input
		{Name: "impossible date 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("x", "沙龙", "2024-02-30", "kfq"), Status: 422, Expect: []string{`"field":"date"`, "不存在"}},
		{Name: "unreadable date 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("x", "沙龙", "下周三", "kfq"), Status: 422, Expect: []string{`"field":"date"`}},
		{Name: "missing date 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("x", "沙龙", "", "kfq"), Status: 422, Expect: []string{`"field":"date"`}},
		{Name: "end before start 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: with(event("x", "培训", "2024-03-05", "kfq"), "end_date", "2024年3月4日"), Status: 422,
			Expect: []string{`"field":"end_date"`, "结束日期不能早于开始日期"}},
		{Name: "unknown type 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("x", "茶话会", "2024-03-05", "kfq"), Status: 422, Expect: []string{`"field":"type"`, "茶话会"}},
		{Name: "negative attendees 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: with(event("x", "沙龙", "2024-03-05", "kfq"), "attendees", -3), Status: 422, Expect: []string{`"field":"attendees"`}},
		{Name: "negative participant count 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: with(event("x", "沙龙", "2024-03-05", "kfq"), "participants", map[string]any{"talent_count": -1}), Status: 422,
			Expect: []string{`"field":"participants"`}},
		{Name: "unknown industry 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: with(event("x", "沙龙", "2024-03-05", "kfq"), "industries", []string{"煤炭"}), Status: 422, Expect: []string{`"field":"industries"`}},
		{Name: "held in the future 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body: event("x", "沙龙", "2099-03-05", "kfq"), Status: 422, Expect: []string{`"field":"status"`}},
		{Name: "unknown pool id 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body:   with(event("x", "沙龙", "2024-03-05", "kfq"), "participants", map[string]any{"talents": []map[string]string{{"id": "t-nope"}}}),
			Status: 422, Expect: []string{"t-nope"}},
		{Name: "pool id of other unit 422", As: officer, Method: "POST", URL: "/api/v1/events",
			Body:   with(event("x", "沙龙", "2024-03-05", "kfq"), "participants", map[string]any{"talents": []map[string]string{{"id": tal.ID}}}),
			Status: 422, Expect: []string{tal.ID}, Reject: []string{"张伟"}},
		{Name: "malformed json 400", As: officer, Method: "POST", URL: "/api/v1/events", Body: `{"title":`, Status: 400,
			Expect: []string{`"code":"bad_request"`}},
		{Name: "wrong type 400", As: officer, Method: "POST", URL: "/api/v1/events", Body: `{"title":"x","attendees":"many"}`, Status: 400,
			Expect: []string{`"field":"attendees"`}},
		{Name: "unknown field 400", As: officer, Method: "POST", URL: "/api/v1/events", Body: `{"title":"x","budget":5}`, Status: 400,
			Expect: []string{`"field":"budget"`}},
		{Name: "update without version 400", As: officer, Method: "PUT", URL: e(own.ID), Body: event("x", "沙龙", "2024-03-05", "kfq"),
			Status: 400, Expect: []string{`"field":"version"`}},
		{Name: "bad list year 400", As: officer, URL: "/api/v1/events?year=24", Status: 400, Expect: []string{`"field":"year"`}},
		{Name: "bad list sort 400", As: officer, URL: "/api/v1/events?sort=title", Status: 400, Expect: []string{`"field":"sort"`}},
		{Name: "bad list date 400", As: officer, URL: "/api/v1/events?from=2024-13-01", Status: 400, Expect: []string{`"field":"from"`}},
		{Name: "bad list page 400", As: officer, URL: "/api/v1/events?page=0", Status: 400, Expect: []string{`"field":"page"`}},

		// contract
		{Name: "named participant linked to the pool", As: officer, URL: e(own.ID), Status: 200,
			Expect: []string{`"id":"` + ent.ID + `"`, `"enterprise_count":12`}},
		{Name: "list text search on participants", As: admin, URL: "/api/v1/events?q=" + url.QueryEscape("瀚宇"), Status: 200,
			Expect: []string{`"total":1`, "新材料产学研沙龙"}},
		{Name: "officer updates own", As: officer, Method: "PUT", URL: e(own.ID), Body: upd(own, "attendees", 95), Status: 200,
			Expect: []string{`"version":2`, `"attendees":95`}},
		{Name: "stale version 409 with changes", As: admin, Method: "PUT", URL: e(own.ID), Body: upd(own, "attendees", 70), Status: 409,
			Expect: []string{`"code":"conflict"`, `"current_version":2`, `"label":"参会人数"`, `"stored":"95"`}},
		{Name: "list filters by type", As: admin, URL: "/api/v1/events?type=" + url.QueryEscape("路演"), Status: 200,
			Expect: []string{`"total":1`, "高新区科技项目路演"}},
		{Name: "list filters by year and period", As: admin, URL: "/api/v1/events?year=2024&from=2024-03-06&to=2024-04-01", Status: 200,
			Expect: []string{`"total":2`, "高新区科技项目路演", "周市镇专场对接会"}},
		{Name: "list filters by unit and status", As: admin, URL: "/api/v1/events?unit=kfq&status=" + url.QueryEscape("已举办"), Status: 200,
			Expect: []string{`"total":2`}},
		{Name: "list sorted by date ascending", As: admin, URL: "/api/v1/events?sort=date&per_page=1", Status: 200,
			Expect: []string{"新材料产学研沙龙", `"total":4`}},
		{Name: "list sorted by date descending", As: admin, URL: "/api/v1/events?sort=-date&per_page=1", Status: 200,
			Expect: []string{"待删除的培训"}},
		{Name: "manager deletes outside subtree 403", As: manager, Method: "DELETE", URL: e(spare.ID) + "?version=1", Status: 403},
		{Name: "delete stale 409", As: admin, Method: "DELETE", URL: e(spare.ID) + "?version=7", Status: 409},
		{Name: "delete ok", As: admin, Method: "DELETE", URL: e(spare.ID) + "?version=1", Status: 200, Expect: []string{`"status":"deleted"`}},
		{Name: "deleted is gone", As: admin, URL: e(spare.ID), Status: 404},
	})
}

// TestLegacyDatesGetPutUnchanged: an event stored before dates were days
// (a datetime with a time of day, an end day as the office's midnight in
// UTC) is answered with its office days, and PUT back as GET answered it
// stores nothing: same version, the stored datetimes untouched.
func TestLegacyDatesGetPutUnchanged(t *testing.T) {
	a := testapp.Start(t)
	admin := a.Admin(t)
	ctx := context.Background()
	ev := create(t, admin, "/api/v1/events", with(event("新材料沙龙", "沙龙", "2026-03-19", "kfq"), "status", "planned"))
	at := time.Date(2026, 3, 19, 7, 55, 0, 0, time.UTC)
	end := time.Date(2026, 3, 20, 16, 0, 0, 0, time.UTC) // 2026-03-21 in Asia/Shanghai
	if _, err := a.P.Records.Events.C.UpdateOne(ctx, bson.M{"_id": ev.ID}, bson.M{"$set": bson.M{"date": at, "end_date": end}}); err != nil {
		t.Fatal(err)
	}
	st, body := admin.Do("GET", "/api/v1/events/"+ev.ID, nil, nil)
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); st != 200 || err != nil {
		t.Fatalf("GET: %d %v %.300s", st, err, body)
	}
	if got["date"] != "2026-03-19" || got["end_date"] != "2026-03-21" {
		t.Fatalf("legacy days answered as %v – %v", got["date"], got["end_date"])
	}
	put := map[string]any{}
	for _, k := range []string{"title", "type", "date", "end_date", "place", "unit", "co_organisers", "action_lines", "industries",
		"participants", "attendees", "summary", "status", "version"} {
		if v, ok := got[k]; ok {
			put[k] = v
		}
	}
	if st, body := admin.Do("PUT", "/api/v1/events/"+ev.ID, put, nil); st != 200 || !strings.Contains(body, `"version":1,`) {
		t.Fatalf("PUT unchanged: %d %.300s", st, body)
	}
	var raw bson.M
	if err := a.P.Records.Events.C.FindOne(ctx, bson.M{"_id": ev.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if d, ok := raw["date"].(primitive.DateTime); !ok || !d.Time().Equal(at) || raw["version"] != int64(1) {
		t.Errorf("stored after an unchanged PUT: date %v, version %v", raw["date"], raw["version"])
	}
}

// TestEventOutcomeAndPages: the outcome pipeline counts projects by stage
// from the engine, the page links each count to the filtered project list,
// and the edit form shows what changed on a stale save.
func TestEventOutcomeAndPages(t *testing.T) {
	a := testapp.Start(t)
	admin := a.Admin(t)
	officer, _, _ := people(t, a)
	ev := create(t, admin, "/api/v1/events", event("2024昆山新材料产业科技招商路演（上海专场）", "路演", "2024-03-05", "kfq"))
	project := func(name, stage, unit string, investment float64, signed string) {
		body := map[string]any{"type": "industry", "name": name, "industry": "新材料", "unit": unit, "stage": stage,
			"investment": investment, "source_event": ev.ID}
		if signed != "" {
			body["milestones"] = map[string]any{"signed": signed}
		}
		create(t, admin, "/api/v1/projects", body)
	}
	project("瀚宇新材料华东总部项目", "attract", "kfq", 12000, "2024-05-01")
	project("高分子膜材料项目", "attract", "kfq", 800, "")
	project("石墨烯导热膜项目", "search", "kfq", 3000, "2024-06-01")
	project("高新区的来源项目", "push", "gxq", 5000, "2024-06-02") // outside the officer's scope

	st, body := admin.Do("GET", "/api/v1/events/"+ev.ID+"/outcome", nil, nil)
	if st != 200 {
		t.Fatalf("outcome: %d %s", st, body)
	}
	var o struct {
		Total  int `json:"total"`
		Stages []struct {
			Stage string `json:"stage"`
			Count int    `json:"count"`
		} `json:"stages"`
		Signed     int     `json:"signed"`
		Investment float64 `json:"signed_investment"`
	}
	_ = json.Unmarshal([]byte(body), &o)
	counts := map[string]int{}
	for _, s := range o.Stages {
		counts[s.Stage] = s.Count
	}
	if o.Total != 4 || counts["attract"] != 2 || counts["search"] != 1 || counts["push"] != 1 || o.Signed != 3 || o.Investment != 20000 {
		t.Errorf("admin outcome = %+v", o)
	}

	link := func(stage string) string {
		return fmt.Sprintf(`href="/projects?source_event=%s&amp;stage=%s">`, ev.ID, stage)
	}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "officer outcome is scoped", As: officer, URL: "/api/v1/events/" + ev.ID + "/outcome", Status: 200,
			Expect: []string{`"total":3`, `"signed":2`, `"signed_investment":15000`}},
		{Name: "detail page shows the pipeline", As: officer, URL: "/events/" + ev.ID, Status: 200,
			Expect: []string{"活动成效", link("attract") + "2</a>", link("search") + "1</a>", "15,000", "瀚宇新材料华东总部项目"},
			Reject: []string{link("push"), "高新区的来源项目"}},
		{Name: "list page filters", As: officer, URL: "/events?type=" + url.QueryEscape("路演") + "&year=2024", Status: 200,
			Expect: []string{"共 1 场活动", "/events/" + ev.ID, `<option selected>路演</option>`}},
		{Name: "list page bad filter 400", As: officer, URL: "/events?year=abc", Status: 400, Expect: []string{"年度须为四位数字"}},
		{Name: "new page", As: officer, URL: "/events/new", Status: 200, Expect: []string{`action="/events/new"`, "专场对接会"}},
		{Name: "delete with outcomes 422", As: admin, Method: "DELETE", URL: "/api/v1/events/" + ev.ID + "?version=1", Status: 422,
			Expect: []string{"已有 4 个项目来源于该活动"}},
	})

	form := func(c *testapp.Client, path string, v url.Values) (int, string) {
		return c.Do("POST", path, []byte(v.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	vals := url.Values{"title": {"周市新能源沙龙"}, "type": {"沙龙"}, "date": {"2024年3月5日"}, "unit": {"kfq"}, "status": {"held"},
		"attendees": {"40"}, "enterprises": {"昆山某新能源公司\n"}, "industries": {"新能源"}}
	st, body = form(officer, "/events/new", vals)
	if st != 303 {
		t.Fatalf("create form: %d %.300s", st, body)
	}
	bad := url.Values{}
	for k, v := range vals {
		bad[k] = v
	}
	bad.Set("end_date", "2024-03-01")
	if st, body = form(officer, "/events/new", bad); st != 422 || !strings.Contains(body, "结束日期不能早于开始日期") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("bad form: %d %.300s", st, body)
	}
	// Every problem at once, each next to its field.
	bad.Set("title", "")
	bad.Set("type", "茶话会")
	bad.Set("place", strings.Repeat("地", 101))
	if st, body = form(officer, "/events/new", bad); st != 422 || !strings.Contains(body, "有 4 处需要修改") ||
		strings.Count(body, `class="field-error"`) != 4 || !strings.Contains(body, "请填写活动名称") || !strings.Contains(body, "活动地点最多 100 字") {
		t.Errorf("form with four problems: %d, field errors %d", st, strings.Count(body, `class="field-error"`))
	}
	vals.Set("version", "1")
	vals.Set("attendees", "45")
	if st, body = form(officer, "/events/"+ev.ID+"/edit", vals); st != 303 {
		t.Fatalf("edit form: %d %.300s", st, body)
	}
	vals.Set("attendees", "50") // the second session still holds version 1
	st, body = form(admin, "/events/"+ev.ID+"/edit", vals)
	if st != 409 || !strings.Contains(body, "该活动已被他人修改") || !strings.Contains(body, "参会人数") ||
		!strings.Contains(body, `name="version" value="2"`) {
		t.Errorf("stale form: %d %.500s", st, body)
	}
	vals.Set("version", "2")
	if st, _ = form(admin, "/events/"+ev.ID+"/edit", vals); st != 303 {
		t.Errorf("resubmitting after reading the conflict: %d", st)
	}
	if st, body = form(officer, "/events/"+ev.ID+"/delete", url.Values{"version": {"3"}}); st != 403 {
		t.Errorf("officer delete form: %d %.200s", st, body)
	}
}
