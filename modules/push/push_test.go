package push_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/push"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

type env struct {
	a                          *testapp.App
	admin, kfq, gxq, zzManager *testapp.Client
}

func setup(t *testing.T) env {
	t.Helper()
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"kfq_li", users.RoleOfficer, "kfq"}, {"gxq_wu", users.RoleOfficer, "gxq"}, {"zz_boss", users.RoleManager, "zzfd"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	a.P.Push.RetryDelays = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	return env{a: a, admin: a.Admin(t), kfq: a.Client(t).Login("kfq_li", "Test-2025x"),
		gxq: a.Client(t).Login("gxq_wu", "Test-2025x"), zzManager: a.Client(t).Login("zz_boss", "Test-2025x")}
}

func talent(t *testing.T, a *testapp.App, name, unit, industry, level, zone string) *resources.Talent {
	t.Helper()
	x := &resources.Talent{Name: name, Unit: unit, Industry: industry, Level: level, IntendedZone: zone}
	if err := a.P.Records.Talents.Create(context.Background(), core.System, x); err != nil {
		t.Fatal(err)
	}
	return x
}

func run(t *testing.T, a *testapp.App) push.Report {
	t.Helper()
	rep, err := a.P.Push.RunOnce(context.Background())
	if err != nil || !rep.Ran {
		t.Fatalf("matcher round: %+v %v", rep, err)
	}
	return rep
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

type inbox struct {
	Unread int         `json:"unread"`
	Seq    int64       `json:"seq"`
	Items  []push.Item `json:"items"`
}

func getInbox(t *testing.T, c *testapp.Client, unit string) inbox {
	t.Helper()
	st, body := c.Do("GET", "/api/v1/inbox?unit="+unit, nil, nil)
	if st != 200 {
		t.Fatalf("inbox %s: %d %s", unit, st, body)
	}
	return decode[inbox](t, body)
}

// TestSavedSearchesAndAccess: the API contract of saved searches,
// subscriptions and inboxes, one line per access rule and bad input.
func TestSavedSearchesAndAccess(t *testing.T) {
	e := setup(t)
	st, body := e.kfq.Do("POST", "/api/v1/saved-searches", map[string]any{"name": "新能源人才", "kinds": []string{"talents"},
		"filters": map[string][]string{"industry": {"新能源"}}, "units": []string{"kfq"}}, nil)
	if st != 201 {
		t.Fatalf("save: %d %s", st, body)
	}
	saved := decode[struct {
		ID    string   `json:"id"`
		Units []string `json:"units"`
	}](t, body)
	st, body = e.zzManager.Do("POST", "/api/v1/saved-searches", map[string]any{"name": "张浦新材料", "q": "材料", "units": []string{"zs-zp"}}, nil)
	if st != 201 {
		t.Fatalf("manager save for subtree unit: %d %s", st, body)
	}
	mgr := decode[struct {
		ID string `json:"id"`
	}](t, body)
	api := "/api/v1/saved-searches"
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "list own", As: e.kfq, URL: api, Status: 200, Expect: []string{"新能源人才", `"units":["kfq"]`, `"total":1`}, Reject: []string{"张浦新材料"}},
		{Name: "manager lists own", As: e.zzManager, URL: api, Status: 200, Expect: []string{"张浦新材料", `"unit_names":["张浦镇科技招商组"]`}},
		{Name: "anonymous", URL: api, Status: 401},
		{Name: "officer cannot subscribe another unit on save", As: e.kfq, Method: "POST", URL: api,
			Body: map[string]any{"name": "x", "units": []string{"gxq"}}, Status: 403},
		{Name: "manager cannot subscribe outside subtree", As: e.zzManager, Method: "POST", URL: api,
			Body: map[string]any{"name": "x", "units": []string{"kfq"}}, Status: 403},
		{Name: "unknown unit", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"name": "x", "units": []string{"nope"}},
			Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "name required", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"q": "x"}, Status: 422, Expect: []string{`"field":"name"`}},
		{Name: "projects cannot be subscribed", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"name": "x", "kinds": []string{"projects"}},
			Status: 422, Expect: []string{`"field":"kinds"`}},
		{Name: "stage filter refused", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"name": "x", "filters": map[string][]string{"stage": {"push"}}},
			Status: 422, Expect: []string{`"field":"filters"`}},
		{Name: "unknown field", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"name": "x", "foo": 1}, Status: 400, Expect: []string{`"field":"foo"`}},
		{Name: "long text", As: e.kfq, Method: "POST", URL: api, Body: map[string]any{"name": "x", "q": strings.Repeat("长", 201)}, Status: 422},
		{Name: "officer subscribes other unit", As: e.kfq, Method: "POST", URL: api + "/" + saved.ID + "/subscriptions",
			Body: map[string]any{"unit": "gxq"}, Status: 403},
		{Name: "someone else's saved search", As: e.gxq, Method: "POST", URL: api + "/" + saved.ID + "/subscriptions",
			Body: map[string]any{"unit": "gxq"}, Status: 404},
		{Name: "manager subscribes another subtree unit", As: e.zzManager, Method: "POST", URL: api + "/" + mgr.ID + "/subscriptions",
			Body: map[string]any{"unit": "zs-lj"}, Status: 201, Expect: []string{"zs-lj", "zs-zp"}},
		{Name: "subscriptions own unit", As: e.kfq, URL: "/api/v1/subscriptions?unit=kfq", Status: 200, Expect: []string{"新能源人才", `"owner":"kfq_li"`}},
		{Name: "subscriptions other unit", As: e.kfq, URL: "/api/v1/subscriptions?unit=gxq", Status: 403},
		{Name: "subscriptions manager subtree", As: e.zzManager, URL: "/api/v1/subscriptions?unit=zs-zp", Status: 200, Expect: []string{"张浦新材料"}},
		{Name: "subscriptions manager outside", As: e.zzManager, URL: "/api/v1/subscriptions?unit=kfq", Status: 403},
		{Name: "inbox own", As: e.kfq, URL: "/api/v1/inbox?unit=kfq", Status: 200, Expect: []string{`"items":[]`, `"unread":0`}},
		{Name: "inbox default unit", As: e.kfq, URL: "/api/v1/inbox", Status: 200, Expect: []string{`"unit":"kfq"`}},
		{Name: "inbox other unit", As: e.kfq, URL: "/api/v1/inbox?unit=gxq", Status: 403},
		{Name: "inbox manager subtree", As: e.zzManager, URL: "/api/v1/inbox?unit=zs-zp", Status: 200, Expect: []string{`"unit":"zs-zp"`, `"items":[]`}},
		{Name: "inbox manager outside", As: e.zzManager, URL: "/api/v1/inbox?unit=gxq", Status: 403},
		{Name: "inbox admin", As: e.admin, URL: "/api/v1/inbox?unit=gxq", Status: 200, Expect: []string{`"unit":"gxq"`, `"items":[]`}},
		{Name: "mark read other unit", As: e.kfq, Method: "POST", URL: "/api/v1/inbox/read", Body: map[string]any{"unit": "gxq"}, Status: 403},
		{Name: "run is admin only", As: e.zzManager, Method: "POST", URL: "/api/v1/push/run", Status: 403},
		{Name: "run by admin", As: e.admin, Method: "POST", URL: "/api/v1/push/run", Status: 200, Expect: []string{`"ran":true`}},
		{Name: "push page", As: e.kfq, URL: "/push", Status: 200, Expect: []string{"我的保存搜索", "新能源人才", "开发区"}},
		{Name: "push page other unit", As: e.kfq, URL: "/push?unit=gxq", Status: 403},
		{Name: "save page from search", As: e.kfq, URL: "/push/new?from=" + urlq("/search?q=电池&kind=talents&industry=新能源"), Status: 200,
			Expect: []string{"关键词「电池」", "产业：新能源"}},
		{Name: "inbox page", As: e.kfq, URL: "/inbox", Status: 200, Expect: []string{"暂无推送"}},
		{Name: "save form", As: e.kfq, Method: "POST", URL: "/push/saved", Body: "name=" + urlq("材料成果") + "&kind=results&industry=" + urlq("新材料") + "&unit=kfq",
			Headers: form, Status: 303},
		{Name: "save form from search", As: e.kfq, Method: "POST", URL: "/push/saved", Body: "name=" + urlq("电池") + "&from=" + urlq("/search?q=电池&kind=talents"),
			Headers: form, Status: 303},
		{Name: "save form bad kind", As: e.kfq, Method: "POST", URL: "/push/saved", Body: "name=x&from=" + urlq("/search?kind=events"),
			Headers: form, Status: 422, Expect: []string{"不能订阅"}},
		{Name: "save form other unit", As: e.kfq, Method: "POST", URL: "/push/saved", Body: "name=x&unit=gxq", Headers: form, Status: 403},
		{Name: "saved by form", As: e.kfq, URL: api, Status: 200, Expect: []string{"材料成果", `"kinds":["results"]`, `"industry":["新材料"]`, "电池", `"total":3`}},
		{Name: "webhook form officer", As: e.kfq, Method: "POST", URL: "/push/webhook", Body: "unit=kfq&url=https://example.com/h&secret=0123456789abcdef", Headers: form, Status: 403},
		{Name: "unsubscribe", As: e.zzManager, Method: "DELETE", URL: api + "/" + mgr.ID + "/subscriptions/zs-lj", Status: 200, Expect: []string{`"status":"deleted"`}},
		{Name: "unsubscribed", As: e.zzManager, URL: "/api/v1/subscriptions?unit=zs-lj", Status: 200, Expect: []string{`"total":0`}},
		{Name: "delete other's", As: e.gxq, Method: "DELETE", URL: api + "/" + mgr.ID, Status: 404},
		{Name: "delete own", As: e.zzManager, Method: "DELETE", URL: api + "/" + mgr.ID, Status: 200, Expect: []string{`"status":"deleted"`}},
		{Name: "delete drops subscriptions", As: e.zzManager, URL: "/api/v1/subscriptions?unit=zs-zp", Status: 200, Expect: []string{`"total":0`}},
	})
}

var form = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

func urlq(s string) string { return url.QueryEscape(s) }

// TestMatcherPushesNewMatches: a matching talent created in the subscribed
// unit reaches its inbox once per version; other units' talents and
// non-matching ones do not; unread counts and read marks follow.
func TestMatcherPushesNewMatches(t *testing.T) {
	e := setup(t)
	old := talent(t, e.a, "早已登记的新能源专家", "kfq", "新能源", "国家级", "")
	time.Sleep(1100 * time.Millisecond) // indexed dates keep whole seconds
	st, body := e.kfq.Do("POST", "/api/v1/saved-searches", map[string]any{"name": "新能源人才", "kinds": []string{"talents"},
		"filters": map[string][]string{"industry": {"新能源"}}, "units": []string{"kfq"}}, nil)
	if st != 201 {
		t.Fatalf("save: %d %s", st, body)
	}
	match := talent(t, e.a, "李新能", "kfq", "新能源", "省双创", "")
	talent(t, e.a, "王别单位", "gxq", "新能源", "国家级", "")
	talent(t, e.a, "赵电子", "kfq", "电子信息", "国家级", "")
	// (The server's own matcher may have run the round first: the inbox,
	// not the report, is what counts.)
	run(t, e.a)
	in := getInbox(t, e.kfq, "kfq")
	if in.Unread != 1 || len(in.Items) != 1 || in.Items[0].RecordID != match.ID || in.Items[0].Version != 1 ||
		!strings.Contains(in.Items[0].Why, "新能源人才") {
		t.Fatalf("inbox after first round: %+v", in)
	}
	if _, body := e.kfq.Do("GET", "/inbox/badge", nil, nil); !strings.Contains(body, ">1<") {
		t.Fatalf("badge: %s", body)
	}
	if _, body := e.gxq.Do("GET", "/api/v1/inbox?unit=gxq", nil, nil); strings.Contains(body, "王别单位") {
		t.Fatalf("gxq inbox got a push without a subscription: %s", body)
	}
	// Dedupe: the same version is not pushed again; a new version is.
	run(t, e.a)
	if in := getInbox(t, e.kfq, "kfq"); len(in.Items) != 1 {
		t.Fatalf("second round pushed again: %+v", in)
	}
	before := *match
	match.Level = "国家级"
	if err := e.a.P.Records.Talents.Update(context.Background(), core.System, match, &before); err != nil {
		t.Fatal(err)
	}
	run(t, e.a)
	in = getInbox(t, e.kfq, "kfq")
	if in.Unread != 2 || len(in.Items) != 2 || in.Items[0].Version != 2 {
		t.Fatalf("inbox after change: %+v", in)
	}
	for _, it := range in.Items {
		if it.RecordID == old.ID {
			t.Fatal("a talent registered before the subscription was pushed")
		}
	}
	// Read marks: per user; the badge and unread follow.
	if st, body := e.kfq.Do("POST", "/api/v1/inbox/read", map[string]any{"unit": "kfq", "seq": 1}, nil); st != 200 || !strings.Contains(body, `"unread":1`) {
		t.Fatalf("read up to 1: %d %s", st, body)
	}
	if st, body := e.kfq.Do("POST", "/api/v1/inbox/read", map[string]any{"unit": "kfq"}, nil); st != 200 || !strings.Contains(body, `"unread":0`) {
		t.Fatalf("read all: %d %s", st, body)
	}
	if _, body := e.kfq.Do("GET", "/inbox/badge", nil, nil); !strings.Contains(body, "无未读") {
		t.Fatalf("badge after read: %s", body)
	}
	if in := getInbox(t, e.admin, "kfq"); in.Unread != 2 {
		t.Fatalf("admin's marks are their own: %+v", in)
	}
	if _, body := e.kfq.Do("GET", "/inbox", nil, nil); !strings.Contains(body, "李新能") {
		t.Fatalf("inbox page lacks the item")
	}
}

// TestWebhookSignedDelivery: a manager sets the webhook of a subtree unit;
// a pushed item is POSTed signed, retried after a failure, and the last
// delivery's status is kept.
func TestWebhookSignedDelivery(t *testing.T) {
	e := setup(t)
	const secret = "s3cret-for-the-webhook"
	var mu sync.Mutex
	var got []push.Payload
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			w.WriteHeader(503)
			return
		}
		if !push.Verify(secret, body, r.Header.Get(push.SignatureHeader)) {
			t.Errorf("bad signature %q", r.Header.Get(push.SignatureHeader))
			w.WriteHeader(401)
			return
		}
		var p push.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Error(err)
		}
		if ts, _ := strconv.ParseInt(r.Header.Get(push.TimestampHeader), 10, 64); ts != p.Timestamp || time.Since(time.Unix(ts, 0)) > time.Minute {
			t.Errorf("timestamp header %q, body %d", r.Header.Get(push.TimestampHeader), p.Timestamp)
		}
		if push.Verify("another-secret-entirely", body, r.Header.Get(push.SignatureHeader)) {
			t.Error("signature verifies with another secret")
		}
		got = append(got, p)
		w.WriteHeader(204)
	}))
	defer srv.Close()
	hook := "/api/v1/push/webhooks/zs-zp"
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "officer cannot set", As: e.kfq, Method: "PUT", URL: "/api/v1/push/webhooks/kfq", Body: map[string]any{"url": srv.URL, "secret": secret}, Status: 403},
		{Name: "manager outside subtree", As: e.zzManager, Method: "PUT", URL: "/api/v1/push/webhooks/kfq", Body: map[string]any{"url": srv.URL, "secret": secret}, Status: 403},
		{Name: "only http(s)", As: e.zzManager, Method: "PUT", URL: hook, Body: map[string]any{"url": "ftp://example.com/x", "secret": secret}, Status: 422, Expect: []string{`"field":"url"`}},
		{Name: "not a url", As: e.zzManager, Method: "PUT", URL: hook, Body: map[string]any{"url": "hook", "secret": secret}, Status: 422, Expect: []string{`"field":"url"`}},
		{Name: "short secret", As: e.zzManager, Method: "PUT", URL: hook, Body: map[string]any{"url": srv.URL, "secret": "short"}, Status: 422, Expect: []string{`"field":"secret"`}},
		{Name: "manager sets subtree unit", As: e.zzManager, Method: "PUT", URL: hook, Body: map[string]any{"url": srv.URL + "/hook", "secret": secret}, Status: 200,
			Expect: []string{`"set":true`}, Reject: []string{secret}},
		{Name: "read back without secret", As: e.zzManager, URL: hook, Status: 200, Expect: []string{"/hook"}, Reject: []string{secret}},
	})
	st, body := e.zzManager.Do("POST", "/api/v1/saved-searches", map[string]any{"name": "张浦新能源", "filters": map[string][]string{"industry": {"新能源"}},
		"units": []string{"zs-zp"}}, nil)
	if st != 201 {
		t.Fatalf("save: %d %s", st, body)
	}
	x := talent(t, e.a, "周光伏", "zs-zp", "新能源", "国家级", "张浦镇")
	run(t, e.a)
	if in := getInbox(t, e.zzManager, "zs-zp"); len(in.Items) != 1 {
		t.Fatalf("zs-zp inbox: %+v", in)
	}
	e.a.P.Push.Wait()
	mu.Lock()
	if calls != 2 || len(got) != 1 || got[0].Item.RecordID != x.ID || got[0].Unit != "zs-zp" || got[0].Item.Title != "周光伏" {
		t.Fatalf("deliveries: %d calls, %+v", calls, got)
	}
	mu.Unlock()
	_, body = e.zzManager.Do("GET", hook, nil, nil)
	if !strings.Contains(body, `"ok":true`) || !strings.Contains(body, `"attempts":2`) || !strings.Contains(body, `"status":204`) {
		t.Fatalf("last delivery: %s", body)
	}
	if st, _ := e.zzManager.Do("DELETE", hook, nil, nil); st != 200 {
		t.Fatalf("delete webhook: %d", st)
	}
}

// TestPushToUnitAndRecommend: pushing a resource creates a project in
// stage push for the target unit, linked and noting who pushed it; the
// unit's inbox gets it; the recommend panel explains and then leaves out
// what the unit already has.
func TestPushToUnitAndRecommend(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	star := talent(t, e.a, "陈储能", "zs-zp", "新能源", "国家级", "张浦镇")
	talent(t, e.a, "刘普通", "zs-zp", "新能源", "其他", "")
	talent(t, e.a, "孙无关", "zs-zp", "电子信息", "国家级", "")
	mine := talent(t, e.a, "吴开发", "kfq", "电子信息", "省双创", "")
	other := talent(t, e.a, "郑高新", "gxq", "装备制造", "省双创", "")
	ent := &resources.Enterprise{Name: "昆山储能科技有限公司", CreditCode: "91350100M000100Y43", Industry: "新能源", Zone: "张浦镇", Unit: "zs-zp"}
	if err := e.a.P.Records.Enterprises.Create(ctx, core.System, ent); err != nil {
		t.Fatal(err)
	}

	st, body := e.zzManager.Do("GET", "/api/v1/recommend?unit=zs-zp", nil, nil)
	if st != 200 {
		t.Fatalf("recommend: %d %s", st, body)
	}
	rec := decode[struct {
		Items []push.Suggestion `json:"items"`
	}](t, body)
	if len(rec.Items) < 2 || rec.Items[0].ID != star.ID || rec.Items[0].Why != "产业匹配：新能源；区镇：张浦镇；国家级人才" {
		t.Fatalf("recommendations: %+v", rec.Items)
	}
	for _, s := range rec.Items {
		if s.Title == "孙无关" {
			t.Fatalf("recommended a talent matching nothing: %+v", s)
		}
	}

	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "recommend other unit", As: e.kfq, URL: "/api/v1/recommend?unit=zs-zp", Status: 403},
		{Name: "push unseen resource", As: e.kfq, Method: "POST", URL: "/api/v1/push", Body: map[string]any{"kind": "talents", "id": other.ID, "unit": "kfq"}, Status: 403},
		{Name: "push to unknown unit", As: e.kfq, Method: "POST", URL: "/api/v1/push", Body: map[string]any{"kind": "talents", "id": mine.ID, "unit": "nope"}, Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "push unknown kind", As: e.kfq, Method: "POST", URL: "/api/v1/push", Body: map[string]any{"kind": "policies", "id": mine.ID, "unit": "gxq"}, Status: 422, Expect: []string{`"field":"kind"`}},
		{Name: "push missing record", As: e.kfq, Method: "POST", URL: "/api/v1/push", Body: map[string]any{"kind": "talents", "id": "nope", "unit": "gxq"}, Status: 404},
		{Name: "push page", As: e.kfq, URL: "/push/send?kind=talents&id=" + mine.ID, Status: 200, Expect: []string{"吴开发", "高新区"}},
		// Another unit's record: the out-of-scope card (name, owning unit), not its page.
		{Name: "push page unseen", As: e.kfq, URL: "/push/send?kind=talents&id=" + other.ID, Status: 200,
			Expect: []string{"不在您的查看范围"}, Reject: []string{"push-send-form"}},
	})

	// An officer pushes their own unit's talent to another unit.
	st, body = e.kfq.Do("POST", "/api/v1/push", map[string]any{"kind": "talents", "id": mine.ID, "unit": "gxq", "note": "请高新区对接"}, nil)
	if st != 201 {
		t.Fatalf("push: %d %s", st, body)
	}
	res := decode[struct {
		Project struct {
			ID       string `json:"id"`
			Stage    string `json:"stage"`
			Unit     string `json:"unit"`
			Type     string `json:"type"`
			TalentID string `json:"talent_id"`
			Summary  string `json:"summary"`
		} `json:"project"`
	}](t, body)
	p := res.Project
	if p.Stage != "push" || p.Unit != "gxq" || p.Type != "talent" || p.TalentID != mine.ID || !strings.Contains(p.Summary, "kfq_li") ||
		!strings.Contains(p.Summary, "请高新区对接") {
		t.Fatalf("pushed project: %s", body)
	}
	// The target unit sees the project (with its history note) and the item.
	st, body = e.gxq.Do("GET", "/api/v1/projects/"+p.ID+"/history", nil, nil)
	if st != 200 || !strings.Contains(body, "资源推送：由kfq_li推送人才“吴开发”") || !strings.Contains(body, `"by":"kfq_li"`) {
		t.Fatalf("history: %d %s", st, body)
	}
	in := getInbox(t, e.gxq, "gxq")
	if len(in.Items) != 1 || in.Items[0].ProjectID != p.ID || in.Items[0].Source != push.SourcePush || in.Items[0].By != "kfq_li" || in.Unread != 1 {
		t.Fatalf("gxq inbox: %+v", in)
	}
	if st, _ := e.kfq.Do("POST", "/api/v1/push", map[string]any{"kind": "talents", "id": mine.ID, "unit": "gxq"}, nil); st != 422 {
		t.Fatalf("second push to the same unit: %d", st)
	}
	log, err := e.a.P.Users.AuditLog(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, a := range log {
		audited = audited || (a.Action == "push" && a.User == "kfq_li" && a.RecordID == mine.ID)
	}
	if !audited {
		t.Fatal("push not audited")
	}

	// An enterprise becomes an industry project linked by enterprise_id;
	// the unit then has it, so it is no longer recommended.
	st, body = e.zzManager.Do("POST", "/api/v1/push", map[string]any{"kind": "enterprises", "id": ent.ID, "unit": "zs-zp"}, nil)
	if st != 201 || !strings.Contains(body, `"type":"industry"`) || !strings.Contains(body, `"enterprise_id":"`+ent.ID+`"`) ||
		!strings.Contains(body, `"credit_code":"91350100M000100Y43"`) {
		t.Fatalf("push enterprise: %d %s", st, body)
	}
	if _, body := e.zzManager.Do("GET", "/api/v1/recommend?unit=zs-zp", nil, nil); strings.Contains(body, ent.ID) || !strings.Contains(body, star.ID) {
		t.Fatalf("recommend after push: %s", body)
	}
	if st, body := e.zzManager.Do("GET", "/push?unit=zs-zp", nil, nil); st != 200 || !strings.Contains(body, "国家级人才") {
		t.Fatalf("push page recommend panel: %d", st)
	}
}

func TestDiverseSuggestions(t *testing.T) {
	var ranked []push.Suggestion
	for i := range 12 {
		ranked = append(ranked, push.Suggestion{Kind: "talents", ID: fmt.Sprint("t", i), Score: 10 - float64(i)*0.1})
	}
	ranked = append(ranked, push.Suggestion{Kind: "enterprises", ID: "e1", Score: 3}, push.Suggestion{Kind: "results", ID: "r1", Score: 2})
	out := push.Diverse(ranked, 10)
	kinds := map[string]int{}
	for _, s := range out {
		kinds[s.Kind]++
	}
	if len(out) != 10 || kinds["enterprises"] != 1 || kinds["results"] != 1 || kinds["talents"] != 8 || out[0].ID != "t0" {
		t.Fatalf("diverse: %+v", out)
	}
	if got := push.Diverse(ranked[:5], 10); len(got) != 5 {
		t.Fatalf("short list changed: %+v", got)
	}
}

// TestMatcherRunsOnceAcrossInstances: while another instance holds the
// matcher's lease, a round here does not run; once released, it does.
func TestMatcherRunsOnceAcrossInstances(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	other := push.New(e.a.P.Store.DB, e.a.P.Sync.Engine, e.a.P.Matrix, nil, nil, nil, nil)
	held := core.NewLease(e.a.P.Store.DB, push.LeaseName, other.Holder, time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := held.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("could not take the lease from the server's own matcher")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if rep, err := e.a.P.Push.RunOnce(ctx); err != nil || rep.Ran {
		t.Fatalf("round ran while another instance held the lease: %+v %v", rep, err)
	}
	if err := held.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := e.a.P.Push.RunOnce(ctx); err != nil || !rep.Ran {
		t.Fatalf("round after release: %+v %v", rep, err)
	}
}
