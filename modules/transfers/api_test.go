package transfers_test

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
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/transfers"
	"zhaoshang/modules/users"
)

type env struct {
	a                                    *testapp.App
	officer, other, boss, gxqBoss, admin *testapp.Client
}

func setup(t *testing.T) env {
	t.Helper()
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"kfq_li", users.RoleOfficer, "kfq"}, {"gxq_wu", users.RoleOfficer, "gxq"},
		{"kjj_boss", users.RoleManager, "kjj"}, {"gxq_boss", users.RoleManager, "gxq"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, "Test-2025x"); err != nil {
			t.Fatal(err)
		}
	}
	login := func(u string) *testapp.Client { return a.Client(t).Login(u, "Test-2025x") }
	return env{a: a, officer: login("kfq_li"), other: login("gxq_wu"), boss: login("kjj_boss"), gxqBoss: login("gxq_boss"), admin: a.Admin(t)}
}

func post(t *testing.T, c *testapp.Client, path string, body any) map[string]any {
	t.Helper()
	st, out := c.Do("POST", path, body, nil)
	if st != 201 {
		t.Fatalf("POST %s: %d %s", path, st, out)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(out), &m)
	return m
}

const (
	orgA = "昆山天工技术转移有限公司"
	orgB = "苏州科创知识产权服务中心"
)

func TestTransfersAPI(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	result := &resources.TechResult{Title: "一种高导热氮化铝陶瓷基板的制备方法", Owner: "云麓大学", Status: resources.ResultListed, Unit: "kfq"}
	if err := e.a.P.Records.Results.Create(ctx, core.System, result); err != nil {
		t.Fatal(err)
	}
	// Two brokers of organisation A (different units), one of B.
	b1 := post(t, e.officer, "/api/v1/brokers", map[string]any{"name": "王磊", "organisation": orgA, "certificate_no": "js-2024-0007",
		"unit": "kfq", "training": []map[string]any{{"date": "2024年3月1日", "course": "技术经纪人初级培训", "hours": 32}}})
	b2 := post(t, e.other, "/api/v1/brokers", map[string]any{"name": "陈静", "organisation": orgA, "unit": "gxq"})
	b3 := post(t, e.officer, "/api/v1/brokers", map[string]any{"name": "周敏", "organisation": orgB, "unit": "kfq"})
	if b1["certificate_no"] != "JS-2024-0007" || b1["training_hours"].(float64) != 32 || b1["unit_name"] == "" {
		t.Fatalf("broker: %v", b1)
	}
	id1, id2, id3 := b1["id"].(string), b2["id"].(string), b3["id"].(string)
	deal := func(c *testapp.Client, no, date, broker, unit string, amount, paid float64) map[string]any {
		t.Helper()
		return post(t, c, "/api/v1/transfers", map[string]any{"type": "技术转让", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司",
			"amount": amount, "paid": paid, "contract_no": no, "date": date, "broker_id": broker, "unit": unit})
	}
	// Organisation A in 2024: 1,200 + 600 paid through two brokers → 54 万元 → capped at 50.
	d1 := deal(e.officer, "2024320583000001", "2024-03-05", id1, "kfq", 1500, 1200)
	deal(e.other, "2024320583000002", "2024.6.1", id2, "gxq", 800, 600)
	// Organisation B in 2024: 123.45 paid → 3.7035 万元.
	deal(e.officer, "2024320583000003", "2024/07/08", id3, "kfq", 200, 123.45)
	// Organisation A in 2023 and a deal without broker.
	deal(e.officer, "2023320583000001", "2023年12月31日", id1, "kfq", 100, 100)
	deal(e.officer, "2024320583000004", "2024-09-09", "", "kfq", 900, 900)
	did := d1["id"].(string)
	if d1["organisation"] != orgA || d1["broker_name"] != "王磊" || d1["version"].(float64) != 1 {
		t.Fatalf("deal: %v", d1)
	}
	version := func(path string) func() int64 {
		return func() int64 {
			_, out := e.admin.Do("GET", path, nil, nil)
			var m map[string]any
			_ = json.Unmarshal([]byte(out), &m)
			return int64(m["version"].(float64))
		}
	}
	dealBody := func(m map[string]any) map[string]any {
		b := map[string]any{"type": "transfer", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司", "amount": 1500, "paid": 1200,
			"contract_no": "2024320583000001", "date": "2024-03-05", "broker_id": id1, "unit": "kfq"}
		for k, v := range m {
			b[k] = v
		}
		return b
	}
	dealPut := func(m map[string]any) func() any {
		return func() any { b := dealBody(m); b["version"] = version("/api/v1/transfers/" + did)(); return b }
	}
	dpath := "/api/v1/transfers/" + did
	bpath := "/api/v1/brokers/" + id1
	testapp.Run(t, e.a, []testapp.Scenario{
		// access: role × own/other unit
		{Name: "anonymous deals", URL: "/api/v1/transfers", Status: 401},
		{Name: "anonymous brokers", URL: "/api/v1/brokers", Status: 401},
		{Name: "anonymous subsidies", URL: "/api/v1/transfers/subsidies?year=2024", Status: 401},
		{Name: "officer own deal", As: e.officer, URL: dpath, Status: 200, Expect: []string{`"contract_no":"2024320583000001"`}},
		{Name: "officer other unit deal", As: e.other, URL: dpath, Status: 403},
		{Name: "officer other unit put", As: e.other, Method: "PUT", URL: dpath, Body: dealPut(nil), Status: 403},
		{Name: "manager subtree deal", As: e.boss, URL: dpath, Status: 200, Expect: []string{`"contract_no":"2024320583000001"`, `"unit":"kfq"`}},
		{Name: "manager other subtree deal", As: e.gxqBoss, URL: dpath, Status: 403},
		{Name: "admin deal", As: e.admin, URL: dpath, Status: 200, Expect: []string{`"id":"` + did + `"`, `"contract_no":"2024320583000001"`}},
		{Name: "officer own broker", As: e.officer, URL: bpath, Status: 200, Expect: []string{"技术经纪人初级培训", `"training_hours":32`}},
		{Name: "officer other unit broker", As: e.other, URL: bpath, Status: 403},
		{Name: "manager subtree broker", As: e.boss, URL: bpath, Status: 200, Expect: []string{`"id":"` + id1 + `"`, `"name":"王磊"`}},
		{Name: "manager other subtree broker", As: e.gxqBoss, URL: bpath, Status: 403},
		{Name: "officer deal list scoped", As: e.officer, URL: "/api/v1/transfers", Status: 200, Expect: []string{`"total":4`}, Reject: []string{"2024320583000002"}},
		{Name: "other officer deal list", As: e.other, URL: "/api/v1/transfers", Status: 200, Expect: []string{`"total":1`, "2024320583000002"}},
		{Name: "manager deal list", As: e.boss, URL: "/api/v1/transfers", Status: 200, Expect: []string{`"total":5`, `"amount":3500`, `"paid":2923.45`}},
		{Name: "deal list by year and type", As: e.boss, URL: "/api/v1/transfers?year=2024&type=" + url.QueryEscape("技术转让"), Status: 200, Expect: []string{`"total":4`}},
		{Name: "deal list by organisation", As: e.boss, URL: "/api/v1/transfers?organisation=" + url.QueryEscape(orgA) + "&year=2024", Status: 200, Expect: []string{`"total":2`}},
		{Name: "deal list by broker", As: e.boss, URL: "/api/v1/transfers?broker=" + id1, Status: 200, Expect: []string{`"total":2`}},
		{Name: "deal list sorted by paid", As: e.boss, URL: "/api/v1/transfers?sort=-paid&per_page=1", Status: 200, Expect: []string{"2024320583000001", `"total":5`}},
		{Name: "broker list scoped", As: e.officer, URL: "/api/v1/brokers", Status: 200, Expect: []string{`"total":2`}, Reject: []string{id2}},
		{Name: "broker list by organisation", As: e.admin, URL: "/api/v1/brokers?organisation=" + url.QueryEscape(orgA), Status: 200, Expect: []string{`"total":2`}},
		{Name: "broker list trained in 2024", As: e.admin, URL: "/api/v1/brokers?trained=2024", Status: 200, Expect: []string{`"total":1`, id1}},

		// subsidies: exact figures, several brokers of one organisation, the cap
		{Name: "subsidies 2024 city-wide", As: e.admin, URL: "/api/v1/transfers/subsidies?year=2024", Status: 200, Expect: []string{
			`{"organisation":"` + orgA + `","year":2024,"paid":1800,"subsidy":50,"capped":true}`,
			`{"organisation":"` + orgB + `","year":2024,"paid":123.45,"subsidy":3.7035,"capped":false}`, `"total":2`}},
		{Name: "subsidies 2023", As: e.admin, URL: "/api/v1/transfers/subsidies?year=2023", Status: 200, Expect: []string{
			`{"organisation":"` + orgA + `","year":2023,"paid":100,"subsidy":3,"capped":false}`, `"total":1`}},
		{Name: "subsidies of an officer's scope", As: e.officer, URL: "/api/v1/transfers/subsidies?year=2024", Status: 200, Expect: []string{
			`{"organisation":"` + orgA + `","year":2024,"paid":1200,"subsidy":36,"capped":false}`, `"total":2`}},
		{Name: "subsidies of the other unit", As: e.other, URL: "/api/v1/transfers/subsidies?year=2024", Status: 200, Expect: []string{
			`"paid":600,"subsidy":18`, `"total":1`}},
		{Name: "subsidies empty year", As: e.admin, URL: "/api/v1/transfers/subsidies?year=2019", Status: 200, Expect: []string{`{"items":[],"total":0}`}},
		{Name: "subsidies bad year", As: e.admin, URL: "/api/v1/transfers/subsidies?year=20x4", Status: 400, Expect: []string{`"field":"year"`}},

		// bad input
		{Name: "paid over amount", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X1000", "paid": 1600}),
			Status: 422, Expect: []string{`"field":"paid"`}},
		{Name: "negative amount", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X12", "amount": -5, "paid": 0}),
			Status: 422, Expect: []string{`"field":"amount"`}},
		{Name: "negative paid", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X123", "paid": -1}),
			Status: 422, Expect: []string{`"field":"paid"`}},
		{Name: "bad type", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X1234", "type": "入股"}),
			Status: 422, Expect: []string{`"field":"type"`}},
		{Name: "impossible date", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X1235", "date": "2024-02-30"}),
			Status: 400},
		{Name: "missing date", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X1236", "date": ""}),
			Status: 422, Expect: []string{`"field":"date"`}},
		{Name: "amount as text", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: `{"type":"transfer","amount":"一百"}`,
			Status: 400, Expect: []string{`"field":"amount"`}},
		{Name: "duplicate contract number in the year, other unit", As: e.other, Method: "POST", URL: "/api/v1/transfers",
			Body: dealBody(map[string]any{"contract_no": "2024 320583 000001", "unit": "gxq", "date": "2024-11-11", "broker_id": id2}), Status: 422,
			Expect: []string{`"field":"contract_no"`, "已登记"}},
		{Name: "same number in another year", As: e.officer, Method: "POST", URL: "/api/v1/transfers",
			Body: dealBody(map[string]any{"date": "2025-01-02", "paid": 0}), Status: 201,
			Expect: []string{`"contract_no":"2024320583000001"`, `"date":"2025-01-02"`}},
		{Name: "unknown broker", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X2000", "broker_id": "nobody"}),
			Status: 422, Expect: []string{`"field":"broker_id"`}},
		{Name: "unknown result", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X3000", "result_id": "nothing"}),
			Status: 422, Expect: []string{`"field":"result_id"`}},
		{Name: "linked result", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X4000", "result_id": result.ID}),
			Status: 201, Expect: []string{`"result_id":"` + result.ID + `"`}},
		{Name: "unit outside scope", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: dealBody(map[string]any{"contract_no": "X5000", "unit": "gxq"}),
			Status: 422, Expect: []string{`"field":"unit"`}},
		{Name: "malformed JSON", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: `{"type":`, Status: 400},
		{Name: "unknown field", As: e.officer, Method: "POST", URL: "/api/v1/transfers", Body: `{"organisation":"x"}`, Status: 400, Expect: []string{`"field":"organisation"`}},
		{Name: "broker without organisation", As: e.officer, Method: "POST", URL: "/api/v1/brokers", Body: map[string]any{"name": "x", "unit": "kfq"},
			Status: 422, Expect: []string{`"field":"organisation"`}},
		{Name: "broker bad training", As: e.officer, Method: "POST", URL: "/api/v1/brokers",
			Body:   map[string]any{"name": "x", "organisation": "y", "unit": "kfq", "training": []map[string]any{{"date": "2024-01-01", "course": "c", "hours": -3}}},
			Status: 422, Expect: []string{`"field":"training"`}},
		{Name: "broker duplicate certificate", As: e.other, Method: "POST", URL: "/api/v1/brokers",
			Body: map[string]any{"name": "x", "organisation": "y", "unit": "gxq", "certificate_no": "JS-2024-0007"}, Status: 422, Expect: []string{`"field":"certificate_no"`}},
		{Name: "malformed broker JSON", As: e.officer, Method: "POST", URL: "/api/v1/brokers", Body: `[1,2]`, Status: 400},

		// updates and versions
		{Name: "deal put without version", As: e.officer, Method: "PUT", URL: dpath, Body: dealBody(nil), Status: 400, Expect: []string{`"field":"version"`}},
		{Name: "deal stale version", As: e.officer, Method: "PUT", URL: dpath, Body: func() any { b := dealBody(nil); b["version"] = 42; return b }, Status: 409},
		{Name: "deal update paid", As: e.officer, Method: "PUT", URL: dpath, Body: dealPut(map[string]any{"paid": 1500}), Status: 200,
			Expect: []string{`"paid":1500`, `"version":2`}},
		{Name: "deal update keeps its own number", As: e.officer, Method: "PUT", URL: dpath, Body: dealPut(map[string]any{"title": "氮化铝基板技术转让", "paid": 1500}), Status: 200,
			Expect: []string{`"title":"氮化铝基板技术转让"`, `"contract_no":"2024320583000001"`, `"version":3`}},
		// 1,500 (d1, updated) + 600 (d2) + 1,200 (the deal linked to a result, same broker)
		{Name: "subsidy follows the update", As: e.admin, URL: "/api/v1/transfers/subsidies?year=2024", Status: 200, Expect: []string{`"paid":3300,"subsidy":50,"capped":true`}},
		{Name: "broker stale version", As: e.officer, Method: "PUT", URL: bpath, Body: map[string]any{"name": "王磊", "organisation": orgA, "unit": "kfq", "version": 9}, Status: 409},
		{Name: "broker update", As: e.officer, Method: "PUT", URL: bpath, Body: func() any {
			return map[string]any{"name": "王磊", "organisation": "新机构", "unit": "kfq", "version": version(bpath)()}
		}, Status: 200, Expect: []string{`"organisation":"新机构"`, `"training":[]`}},
		{Name: "served deals keep their organisation", As: e.admin, URL: dpath, Status: 200, Expect: []string{`"organisation":"` + orgA + `"`}},

		// deletes: managers only, brokers with deals are kept
		{Name: "officer cannot delete deal", As: e.officer, Method: "DELETE", URL: dpath + "?version=3", Status: 403},
		{Name: "officer cannot delete broker", As: e.officer, Method: "DELETE", URL: "/api/v1/brokers/" + id3 + "?version=1", Status: 403},
		{Name: "broker with deals is kept", As: e.boss, Method: "DELETE", URL: "/api/v1/brokers/" + id3 + "?version=1", Status: 422, Expect: []string{"1 笔技术合同"}},
		{Name: "manager other subtree cannot delete", As: e.gxqBoss, Method: "DELETE", URL: dpath + "?version=3", Status: 403},
		{Name: "deal delete stale", As: e.boss, Method: "DELETE", URL: dpath + "?version=1", Status: 409},
		{Name: "deal delete", As: e.boss, Method: "DELETE", URL: dpath + "?version=3", Status: 200, Expect: []string{`"status":"deleted"`}},
		{Name: "deal gone", As: e.boss, URL: dpath, Status: 404},
	})
}

// TestLegacyDatesGetPutUnchanged: a deal's 合同日期 and a broker's training
// days stored before dates were days (datetimes) are answered as their
// office days, and PUT back as GET answered them store nothing.
func TestLegacyDatesGetPutUnchanged(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	b := post(t, e.officer, "/api/v1/brokers", map[string]any{"name": "王磊", "organisation": orgA, "unit": "kfq",
		"training": []map[string]any{{"date": "2024-03-01", "course": "技术经纪人初级培训", "hours": 32}}})
	d := post(t, e.officer, "/api/v1/transfers", map[string]any{"type": "技术转让", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司",
		"amount": 100, "paid": 80, "contract_no": "2026320583000001", "date": "2026-03-19", "broker_id": b["id"], "unit": "kfq"})
	dealAt := time.Date(2026, 3, 19, 7, 55, 0, 0, time.UTC)
	trainedAt := time.Date(2024, 2, 29, 16, 0, 0, 0, time.UTC) // the office's midnight of 2024-03-01
	if _, err := e.a.P.Records.Deals.C.UpdateOne(ctx, bson.M{"_id": d["id"]}, bson.M{"$set": bson.M{"date": dealAt}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.P.Records.Brokers.C.UpdateOne(ctx, bson.M{"_id": b["id"]}, bson.M{"$set": bson.M{"training.0.date": trainedAt}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string
		keys       []string
		day        func(map[string]any) any
		coll       *mongo.Collection
		id         any
		stored     func(bson.M) any
		at         time.Time
	}{
		{"/api/v1/transfers/", "2026-03-19", []string{"type", "title", "seller", "buyer", "amount", "paid", "contract_no", "date",
			"broker_id", "result_id", "unit", "note", "version"},
			func(m map[string]any) any { return m["date"] }, e.a.P.Records.Deals.C, d["id"], func(r bson.M) any { return r["date"] }, dealAt},
		{"/api/v1/brokers/", "2024-03-01", []string{"name", "organisation", "certificate_no", "phone", "training", "unit", "version"},
			func(m map[string]any) any { return m["training"].([]any)[0].(map[string]any)["date"] }, e.a.P.Records.Brokers.C, b["id"],
			func(r bson.M) any { return r["training"].(bson.A)[0].(bson.M)["date"] }, trainedAt},
	} {
		path := c.path + c.id.(string)
		st, out := e.admin.Do("GET", path, nil, nil)
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); st != 200 || err != nil || c.day(got) != c.want {
			t.Fatalf("GET %s: %d %v; %.300s", path, st, err, out)
		}
		put := map[string]any{}
		for _, k := range c.keys {
			if v, ok := got[k]; ok {
				put[k] = v
			}
		}
		if st, out := e.admin.Do("PUT", path, put, nil); st != 200 || !strings.Contains(out, `"version":1,`) {
			t.Fatalf("PUT %s unchanged: %d %.300s", path, st, out)
		}
		var raw bson.M
		if err := c.coll.FindOne(ctx, bson.M{"_id": c.id}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if v, ok := c.stored(raw).(primitive.DateTime); !ok || !v.Time().Equal(c.at) || raw["version"] != int64(1) {
			t.Errorf("%s stored after an unchanged PUT: %v, version %v", path, c.stored(raw), raw["version"])
		}
	}
}

func TestTransferPages(t *testing.T) {
	e := setup(t)
	b := post(t, e.officer, "/api/v1/brokers", map[string]any{"name": "王磊", "organisation": orgA, "unit": "kfq",
		"training": []map[string]any{{"date": "2024-03-01", "course": "技术经纪人初级培训", "hours": 32}}})
	bid := b["id"].(string)
	d := post(t, e.officer, "/api/v1/transfers", map[string]any{"type": "license", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司",
		"amount": 2000, "paid": 1800, "contract_no": "2024320583000001", "date": "2024-03-05", "broker_id": bid, "unit": "kfq"})
	did := d["id"].(string)
	formHdr := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "anonymous page", URL: "/transfers", Status: 303},
		{Name: "deals page", As: e.officer, URL: "/transfers", Status: 200, Expect: []string{"2024320583000001", "技术许可", "王磊", "2,000"}},
		{Name: "deals page other unit", As: e.other, URL: "/transfers", Status: 200,
			Expect: []string{`技术合同</span><span class="stat-value">0<small>项`, "没有符合条件的技术合同"}, Reject: []string{"2024320583000001"}},
		{Name: "deals page sorted", As: e.officer, URL: "/transfers?sort=-amount&year=2024", Status: 200, Expect: []string{"2024320583000001"}},
		{Name: "deals page bad year", As: e.officer, URL: "/transfers?year=abc", Status: 400, Expect: []string{"年份"}},
		{Name: "deal detail", As: e.officer, URL: "/transfers/" + did, Status: 200, Expect: []string{"2024320583000001", "补贴 50 万元（已封顶）"}},
		{Name: "deal detail other unit", As: e.other, URL: "/transfers/" + did, Status: 403},
		{Name: "new deal page", As: e.officer, URL: "/transfers/new?broker=" + bid, Status: 200, Expect: []string{"登记技术合同", "王磊 · " + orgA}},
		{Name: "subsidies page", As: e.admin, URL: "/transfers/subsidies?year=2024", Status: 200, Expect: []string{orgA, "已封顶", "1,800"}},
		{Name: "subsidies page bad year", As: e.admin, URL: "/transfers/subsidies?year=1", Status: 400, Expect: []string{"年份"}},
		{Name: "brokers page", As: e.officer, URL: "/brokers", Status: 200, Expect: []string{"王磊", orgA}},
		{Name: "broker page", As: e.officer, URL: "/brokers/" + bid, Status: 200, Expect: []string{"技术经纪人初级培训", "2024320583000001", "1 项"}},
		// Another unit's broker (a deal links it) opens as a card; the
		// deal itself stays 403 (no page of another unit links to it).
		{Name: "broker page other unit is a card", As: e.other, URL: "/brokers/" + bid, Status: 200,
			Expect: []string{"王磊", "不在您的查看范围", "昆山开发区科技招商分队"}, Reject: []string{"技术经纪人初级培训", "2024320583000001"}},
		{Name: "create deal by form", As: e.officer, Method: "POST", URL: "/transfers/new", Headers: formHdr,
			Body: url.Values{"type": {"development"}, "seller": {"甲"}, "buyer": {"乙"}, "amount": {"1,000万元"}, "paid": {"10"},
				"contract_no": {"2024-KS-9"}, "date": {"2024年5月6日"}, "unit": {"kfq"}}.Encode(), Status: 303},
		{Name: "create deal by form, paid over amount", As: e.officer, Method: "POST", URL: "/transfers/new", Headers: formHdr,
			Body: url.Values{"type": {"development"}, "seller": {"甲"}, "buyer": {"乙"}, "amount": {"10"}, "paid": {"11"},
				"contract_no": {"2024-KS-10"}, "date": {"2024-05-06"}, "unit": {"kfq"}}.Encode(), Status: 422, Expect: []string{"不能超过合同金额", "aria-invalid"}},
		{Name: "create deal by form, amount not a number", As: e.officer, Method: "POST", URL: "/transfers/new", Headers: formHdr,
			Body: url.Values{"type": {"development"}, "seller": {"甲"}, "buyer": {"乙"}, "amount": {"十万"},
				"contract_no": {"2024-KS-11"}, "date": {"2024-05-06"}, "unit": {"kfq"}}.Encode(), Status: 422, Expect: []string{"无法识别的金额"}},
		{Name: "edit deal by form, stale", As: e.officer, Method: "POST", URL: "/transfers/" + did, Headers: formHdr,
			Body: url.Values{"version": {"7"}, "type": {"license"}, "seller": {"云麓大学"}, "buyer": {"改过的买方"}, "amount": {"2000"}, "paid": {"1800"},
				"contract_no": {"2024320583000001"}, "date": {"2024-03-05"}, "unit": {"kfq"}}.Encode(), Status: 409, Expect: []string{"已被他人修改", "改过的买方"}},
		{Name: "create broker by form with training rows", As: e.officer, Method: "POST", URL: "/brokers/new", Headers: formHdr,
			Body: "name=%E5%91%A8%E6%95%8F&organisation=" + url.QueryEscape(orgB) + "&unit=kfq" +
				"&training_date=2024-01-02&training_course=A&training_hours=8" +
				"&training_date=&training_course=&training_hours=" +
				"&training_date=2024-05-06&training_course=B&training_hours=4.5", Status: 303},
		{Name: "create broker by form, bad training date", As: e.officer, Method: "POST", URL: "/brokers/new", Headers: formHdr,
			Body: "name=x&organisation=y&unit=kfq&training_date=2024-13-01&training_course=A&training_hours=8", Status: 422, Expect: []string{"第 1 条培训记录"}},
		{Name: "brokers page by training year", As: e.officer, URL: "/brokers?trained=2024", Status: 200, Expect: []string{"周敏", "12.5"}},
		{Name: "officer cannot delete broker by form", As: e.officer, Method: "POST", URL: "/brokers/" + bid + "/delete", Headers: formHdr, Body: "version=1", Status: 403},
	})
}

// The service's subsidy (engine sums) equals the rule applied to the
// deals themselves.
func TestSubsidiesFromEngineMatchRule(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	svc := transfers.NewService(e.a.P.Records.Deals, e.a.P.Records.Brokers, e.a.P.Matrix)
	a := core.Actor{User: "admin"}
	var brokers []*transfers.Broker
	for i, org := range []string{orgA, orgA, orgA, orgB, "第三家机构"} {
		b, err := svc.CreateBroker(ctx, a, core.AllUnits, transfers.BrokerInput{Name: "经纪人" + string(rune('甲'+i)), Organisation: org, Unit: "jszy"})
		if err != nil {
			t.Fatal(err)
		}
		brokers = append(brokers, b)
	}
	var deals []*transfers.Deal
	for i := 0; i < 40; i++ {
		b := brokers[i%len(brokers)]
		paid := float64(i*37%500) + float64(i%7)*0.1234
		d, err := svc.CreateDeal(ctx, a, core.AllUnits, transfers.DealInput{Type: transfers.Types[i%5], Seller: "卖方", Buyer: "买方",
			Amount: paid + 10, Paid: paid, ContractNo: "2024KS" + string(rune('A'+i%26)) + string(rune('A'+i/26)),
			Date: mustDate(t, []string{"2024-02-01", "2024-12-31", "2023-06-30"}[i%3]), BrokerID: b.ID, Unit: []string{"jszy", "kfq"}[i%2]})
		if err != nil {
			t.Fatal(err)
		}
		deals = append(deals, d)
	}
	for _, year := range []int{2023, 2024} {
		got, err := svc.Subsidies(ctx, core.AllUnits, year)
		if err != nil {
			t.Fatal(err)
		}
		want := transfers.Subsidies(year, transfers.PaidByOrganisation(deals, year))
		if len(got) != len(want) {
			t.Fatalf("%d: %+v vs %+v", year, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%d row %d: engine %+v, rule %+v", year, i, got[i], want[i])
			}
		}
	}
}

func mustDate(t *testing.T, s string) core.Date {
	t.Helper()
	d, err := core.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDealLinksStayInScope (issue 14, item 5): a deal newly linked to a
// broker or a tech result of another unit is refused, naming the field and
// the owning unit, with every such problem at once; a link the deal
// already has stays when someone else saves it.
func TestDealLinksStayInScope(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	theirs := &resources.TechResult{Title: "高新区的成果", Owner: "云麓大学", Status: resources.ResultListed, Unit: "gxq"}
	if err := e.a.P.Records.Results.Create(ctx, core.System, theirs); err != nil {
		t.Fatal(err)
	}
	gb := post(t, e.other, "/api/v1/brokers", map[string]any{"name": "陈静", "organisation": orgA, "unit": "gxq"})["id"].(string)
	body := map[string]any{"type": "技术转让", "seller": "云麓大学", "buyer": "昆山某精密机械有限公司", "amount": 100, "paid": 100,
		"contract_no": "2024320583000101", "date": "2024-03-05", "broker_id": gb, "result_id": theirs.ID, "unit": "kfq"}
	st, out := e.officer.Do("POST", "/api/v1/transfers", body, nil)
	var got struct {
		Errors []struct{ Field, Message string }
	}
	_ = json.Unmarshal([]byte(out), &got)
	if st != 422 || len(got.Errors) != 2 || got.Errors[0].Field != "broker_id" || got.Errors[1].Field != "result_id" {
		t.Fatalf("deal linking another unit's broker and result: %d %s", st, out)
	}
	// A manager of both units links them; the officer then edits the deal
	// (its links unchanged) and may save it.
	body["broker_id"], body["result_id"] = gb, theirs.ID
	d := post(t, e.admin, "/api/v1/transfers", body)
	d["note"] = "officer's edit"
	if st, out := e.officer.Do("PUT", "/api/v1/transfers/"+d["id"].(string), d, nil); st != 200 {
		t.Fatalf("officer saving a deal with its standing links: %d %s", st, out)
	}
}

// A deal with several problems names every one at once.
func TestDealReportsEveryProblem(t *testing.T) {
	e := setup(t)
	st, out := e.officer.Do("POST", "/api/v1/transfers", map[string]any{"type": "买卖", "seller": "", "buyer": "昆山某公司",
		"amount": 100, "paid": 200, "contract_no": "no!", "date": "2024-03-05", "unit": "gxq"}, nil)
	var got struct{ Errors []struct{ Field string } }
	_ = json.Unmarshal([]byte(out), &got)
	var fields []string
	for _, x := range got.Errors {
		fields = append(fields, x.Field)
	}
	if st != 422 || fmt.Sprint(fields) != "[type seller paid contract_no unit]" {
		t.Fatalf("deal with five problems: %d %s", st, out)
	}
}
