package policies_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/users"
)

const pw = "Officer-2025"

func plan() map[string]any {
	return map[string]any{
		"title": "昆山市推进科技服务业高质量发展三年行动方案", "doc_no": "昆科字〔2023〕53号", "level": "市级", "status": "有效",
		"categories": []string{"产业扶持政策", "其他"}, "support_modes": []string{"奖励"}, "industries": []string{"其他"},
		"issuer": "昆山市科学技术局", "issued_on": "2023年1月1日", "effective_from": "2023-01-01", "effective_to": "2025/12/31",
		"body": "为贯彻落实《苏州市打造科技服务业高质量发展先导城市三年行动计划》……\n\n一、总体要求", "unit": "kjj",
		"clauses": []map[string]any{
			{"no": "4", "title": "技术经纪（经理）人促成校企合作后补助", "amount": 50, "rate": 3, "unit": "每个中介服务方每年"},
			{"no": "5(1)", "title": "科技企业加速器认定奖励（国家级）", "amount": 100, "unit": "每家（首次认定）"},
		},
	}
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

func clause(no string, amount, rate float64) map[string]any {
	return map[string]any{"no": no, "title": "某条款", "amount": amount, "rate": rate}
}

// TestLegacyDatesGetPutUnchanged: a policy stored before dates were days
// (datetimes: a time of day, the office's midnight in UTC) is answered
// with its office days, and PUT back as GET answered it stores nothing.
func TestLegacyDatesGetPutUnchanged(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	admin := a.Admin(t)
	st, body := admin.Do("POST", "/api/v1/policies", plan(), nil)
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &created); st != 201 || err != nil {
		t.Fatalf("create: %d %v %.300s", st, err, body)
	}
	issued := time.Date(2023, 1, 1, 1, 50, 0, 0, time.UTC)
	legacy := bson.M{"issued_on": issued, "effective_from": time.Date(2022, 12, 31, 16, 0, 0, 0, time.UTC),
		"effective_to": time.Date(2025, 12, 30, 16, 0, 0, 0, time.UTC)}
	if _, err := a.P.Records.Policies.C.UpdateOne(ctx, bson.M{"_id": created.ID}, bson.M{"$set": legacy}); err != nil {
		t.Fatal(err)
	}
	st, body = admin.Do("GET", "/api/v1/policies/"+created.ID, nil, nil)
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); st != 200 || err != nil {
		t.Fatalf("GET: %d %v %.300s", st, err, body)
	}
	if got["issued_on"] != "2023-01-01" || got["effective_from"] != "2023-01-01" || got["effective_to"] != "2025-12-31" {
		t.Fatalf("legacy days answered as %v, %v – %v", got["issued_on"], got["effective_from"], got["effective_to"])
	}
	put := map[string]any{}
	for k := range plan() {
		put[k] = got[k]
	}
	put["version"] = got["version"]
	if st, body := admin.Do("PUT", "/api/v1/policies/"+created.ID, put, nil); st != 200 || !strings.Contains(body, `"version":1,`) {
		t.Fatalf("PUT unchanged: %d %.300s", st, body)
	}
	var raw bson.M
	if err := a.P.Records.Policies.C.FindOne(ctx, bson.M{"_id": created.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if d, ok := raw["issued_on"].(primitive.DateTime); !ok || !d.Time().Equal(issued) || raw["version"] != int64(1) {
		t.Errorf("stored after an unchanged PUT: issued_on %v, version %v", raw["issued_on"], raw["version"])
	}
}

func TestPoliciesAccessAndInput(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{{"gxq_li", users.RoleOfficer, "gxq"},
		{"zzfd_zhao", users.RoleManager, "zzfd"}, {"kjj_chen", users.RoleManager, "kjj"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, pw); err != nil {
			t.Fatal(err)
		}
	}
	admin := a.Admin(t)
	officer := a.Client(t).Login("gxq_li", pw)
	town := a.Client(t).Login("zzfd_zhao", pw)
	city := a.Client(t).Login("kjj_chen", pw)

	st, body := admin.Do("POST", "/api/v1/policies", plan(), nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct {
		ID      string `json:"id"`
		Version int64  `json:"version"`
		Issued  string `json:"issued_on"`
	}
	_ = json.Unmarshal([]byte(body), &p)
	if p.Issued != "2023-01-01" {
		t.Errorf("issued_on answered as %s, want the day typed, 2023-01-01", p.Issued)
	}
	local := with(plan(), "title", "周市镇促进科技创新高质量发展的若干措施", "doc_no", "周市政发〔2024〕12号", "level", "区级",
		"issuer", "周市镇人民政府", "unit", "zs-zs", "issued_on", "2024-05-06", "categories", []string{"科技创新政策"})
	st, body = town.Do("POST", "/api/v1/policies", local, nil)
	if st != 201 {
		t.Fatalf("manager creates a town policy: %d %s", st, body)
	}
	var lp struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(body), &lp)

	u := "/api/v1/policies/" + p.ID
	testapp.Run(t, a, []testapp.Scenario{
		// access: reading is city-wide, writing is for managers (within their subtree) and admins
		{Name: "anonymous list 401", URL: "/api/v1/policies", Status: 401},
		{Name: "anonymous page redirects", URL: "/policies", Status: 303},
		{Name: "officer lists every policy", As: officer, URL: "/api/v1/policies", Status: 200,
			Expect: []string{`"total":2`, "昆科字〔2023〕53号", "周市政发"}},
		{Name: "officer reads another unit's policy", As: officer, URL: u, Status: 200, Expect: []string{`"doc_no":"昆科字〔2023〕53号"`}},
		{Name: "officer reads the page", As: officer, URL: "/policies/" + p.ID, Status: 200,
			Expect: []string{"技术经纪（经理）人促成校企合作后补助", "5(1)", "昆山市科学技术局"}, Reject: []string{"/edit"}},
		{Name: "officer creates 403", As: officer, Method: "POST", URL: "/api/v1/policies", Body: plan(), Status: 403},
		{Name: "officer updates 403", As: officer, Method: "PUT", URL: u, Body: with(plan(), "version", p.Version), Status: 403},
		{Name: "officer deletes 403", As: officer, Method: "DELETE", URL: u + "?version=1", Status: 403},
		{Name: "officer new page 403", As: officer, URL: "/policies/new", Status: 403},
		{Name: "officer edit page 403", As: officer, URL: "/policies/" + p.ID + "/edit", Status: 403},
		{Name: "officer list page has no create button", As: officer, URL: "/policies", Status: 200,
			Expect: []string{"共 2 条政策"}, Reject: []string{`href="/policies/new"`}},
		{Name: "town manager edits city policy 403", As: town, Method: "PUT", URL: u, Body: with(plan(), "version", p.Version), Status: 403},
		{Name: "town manager edit page of city policy 403", As: town, URL: "/policies/" + p.ID + "/edit", Status: 403},
		{Name: "town manager files under city unit 422", As: town, Method: "POST", URL: "/api/v1/policies", Body: plan(), Status: 422,
			Expect: []string{`"field":"unit"`}},
		{Name: "town manager edit page of own policy", As: town, URL: "/policies/" + lp.ID + "/edit", Status: 200,
			Expect: []string{"周市政发〔2024〕12号", `name="version" value="1"`}},
		{Name: "city manager edits city policy", As: city, Method: "PUT", URL: u,
			Body: with(plan(), "version", p.Version, "status", "失效"), Status: 200, Expect: []string{`"version":2`, `"status":"失效"`}},
		{Name: "admin page has edit", As: admin, URL: "/policies/" + p.ID, Status: 200, Expect: []string{"/policies/" + p.ID + "/edit"}},

		// bad input
		{Name: "negative amount 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "clauses", []any{clause("1", -5, 0)}), Status: 422, Expect: []string{`"field":"clauses"`, "负数"}},
		{Name: "rate over 100 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "clauses", []any{clause("1", 5, 150)}), Status: 422, Expect: []string{`"field":"clauses"`}},
		{Name: "duplicate clause number 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "clauses", []any{clause("5", 5, 0), clause("5", 8, 0)}), Status: 422, Expect: []string{"条款号 5 重复"}},
		{Name: "clause without number 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "clauses", []any{clause("", 5, 0)}), Status: 422, Expect: []string{`"field":"clauses"`}},
		{Name: "bad date 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "issued_on", "2023-02-29"), Status: 422, Expect: []string{`"field":"issued_on"`}},
		{Name: "expiry before start 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "effective_to", "2022.12.31"), Status: 422, Expect: []string{`"field":"effective_to"`}},
		{Name: "unknown level 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "level", "村级"), Status: 422, Expect: []string{`"field":"level"`}},
		{Name: "unknown category 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "categories", []string{"娱乐政策"}), Status: 422, Expect: []string{`"field":"categories"`}},
		{Name: "unknown support mode 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "support_modes", []string{"发红包"}), Status: 422, Expect: []string{`"field":"support_modes"`}},
		{Name: "no issuer 422", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: with(plan(), "issuer", " "), Status: 422, Expect: []string{`"field":"issuer"`}},
		{Name: "malformed json 400", As: admin, Method: "POST", URL: "/api/v1/policies", Body: `{"title":"x",`, Status: 400},
		{Name: "amount as text 400", As: admin, Method: "POST", URL: "/api/v1/policies",
			Body: `{"title":"x","clauses":[{"no":"1","title":"t","amount":"五十万"}]}`, Status: 400, Expect: []string{`"field":"clauses.amount"`}},
		{Name: "stale version 409", As: admin, Method: "PUT", URL: u, Body: with(plan(), "version", p.Version), Status: 409,
			Expect: []string{`"code":"conflict"`, `"current_version":2`, `"label":"状态"`, `"stored":"失效"`}},
		{Name: "update without version 400", As: admin, Method: "PUT", URL: u, Body: plan(), Status: 400},
		{Name: "bad filter 400", As: officer, URL: "/api/v1/policies?level=" + url.QueryEscape("村级"), Status: 400,
			Expect: []string{`"field":"level"`}},

		// list and clause contract
		{Name: "filter by level", As: officer, URL: "/api/v1/policies?level=" + url.QueryEscape("区级"), Status: 200,
			Expect: []string{`"total":1`, "周市镇"}},
		{Name: "filter by status and year", As: officer, URL: "/api/v1/policies?status=" + url.QueryEscape("失效") + "&year=2023", Status: 200,
			Expect: []string{`"total":1`, "53号"}},
		{Name: "filter by issuer", As: officer, URL: "/api/v1/policies?issuer=" + url.QueryEscape("周市镇人民政府"), Status: 200,
			Expect: []string{`"total":1`}},
		{Name: "filter by category and support mode", As: officer,
			URL: "/api/v1/policies?category=" + url.QueryEscape("其他") + "&support_mode=" + url.QueryEscape("奖励"), Status: 200,
			Expect: []string{`"total":1`, "53号"}},
		{Name: "text finds 文号", As: officer, URL: "/api/v1/policies?q=" + url.QueryEscape("53号"), Status: 200,
			Expect: []string{`"total":1`, "三年行动方案"}},
		{Name: "text finds body", As: officer, URL: "/api/v1/policies?q=" + url.QueryEscape("先导城市"), Status: 200,
			Expect: []string{"三年行动方案"}},
		{Name: "text finds clause", As: officer, URL: "/api/v1/policies?q=" + url.QueryEscape("技术经纪"), Status: 200,
			Expect: []string{"三年行动方案"}},
		{Name: "list page facets", As: officer, URL: "/policies?level=" + url.QueryEscape("市级"), Status: 200,
			Expect: []string{"共 1 条政策", "周市镇人民政府（1）", `<option value="市级" selected>市级（1）</option>`}},
		{Name: "clause by number", As: officer, URL: u + "/clauses/" + url.PathEscape("5(1)"), Status: 200,
			Expect: []string{`"policy_id":"` + p.ID + `"`, `"no":"5(1)"`, `"amount":100`, "科技企业加速器"}},
		{Name: "unknown clause 404", As: officer, URL: u + "/clauses/9", Status: 404},
		{Name: "town manager deletes own", As: town, Method: "DELETE", URL: "/api/v1/policies/" + lp.ID + "?version=1", Status: 200,
			Expect: []string{`"status":"deleted"`}},
	})

	svc := policies.NewService(a.P.Records.Policies, a.P.Matrix)
	ref, err := svc.Clause(ctx, p.ID, " 4 ")
	if err != nil || ref.Amount != 50 || ref.Rate != 3 || ref.DocNo != "昆科字〔2023〕53号" || ref.PolicyStatus != "失效" {
		t.Errorf("Clause(4) = %+v, %v", ref, err)
	}
	if _, err := svc.Clause(ctx, "nope", "4"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("Clause of a missing policy: %v", err)
	}

	// the form: clause rows, then a stale save shows what changed
	form := func(c *testapp.Client, path string, v url.Values) (int, string) {
		return c.Do("POST", path, []byte(v.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	vals := url.Values{"title": {"昆山市技术经纪人队伍建设实施方案"}, "level": {"市级"}, "status": {"有效"}, "issuer": {"昆山市科学技术局"},
		"unit": {"kjj"}, "issued_on": {"2024年3月5日"}, "categories": {"科技创新政策"}, "support_modes": {"奖励", "补贴"},
		"clause_no": {"1", "", "2"}, "clause_title": {"技术经纪人培训补贴", "", "技术合同登记奖励"},
		"clause_amount": {"1,000", "", "20万元"}, "clause_rate": {"", "", "2%"}, "clause_text": {"", "", ""}, "clause_unit": {"每人", "", ""}}
	st, body = form(city, "/policies/new", vals)
	if st != 303 {
		t.Fatalf("create form: %d %.400s", st, body)
	}
	st, body = city.Do("GET", "/api/v1/policies?q="+url.QueryEscape("技术经纪人队伍"), nil, nil)
	var list struct {
		Items []struct {
			ID      string            `json:"id"`
			Clauses []policies.Clause `json:"clauses"`
		} `json:"items"`
	}
	_ = json.Unmarshal([]byte(body), &list)
	if st != 200 || len(list.Items) != 1 || len(list.Items[0].Clauses) != 2 || list.Items[0].Clauses[0].Amount != 1000 ||
		list.Items[0].Clauses[1].Rate != 2 || list.Items[0].Clauses[1].Amount != 20 {
		t.Fatalf("created by form: %d %.600s", st, body)
	}
	id := list.Items[0].ID
	bad := url.Values{}
	for k, v := range vals {
		bad[k] = v
	}
	bad["clause_amount"] = []string{"-5", "", ""}
	if st, body = form(city, "/policies/new", bad); st != 422 || !strings.Contains(body, "金额不能为负数") {
		t.Errorf("negative amount form: %d %.300s", st, body)
	}
	bad["clause_amount"] = []string{"五十", "", ""}
	if st, body = form(city, "/policies/new", bad); st != 422 || !strings.Contains(body, "须为数字") {
		t.Errorf("non-number amount form: %d %.300s", st, body)
	}
	vals.Set("version", "1")
	vals.Set("status", "失效")
	if st, body = form(city, "/policies/"+id+"/edit", vals); st != 303 {
		t.Fatalf("edit form: %d %.300s", st, body)
	}
	vals.Set("issuer", "昆山市科技局") // a second session still on version 1
	st, body = form(admin, "/policies/"+id+"/edit", vals)
	if st != 409 || !strings.Contains(body, "该政策已被他人修改") || !strings.Contains(body, "发文单位") || !strings.Contains(body, `name="version" value="2"`) {
		t.Errorf("stale form: %d %.600s", st, body)
	}
	if st, _ = form(officer, "/policies/"+id+"/edit", vals); st != 403 {
		t.Errorf("officer edit form: %d", st)
	}
}

// A policy with several problems names every one at once.
func TestPolicyReportsEveryProblem(t *testing.T) {
	a := testapp.Start(t)
	admin := a.Admin(t)
	bad := plan()
	bad["title"], bad["level"], bad["effective_from"] = "", "乡级", "2024-13-01"
	st, out := admin.Do("POST", "/api/v1/policies", bad, nil)
	var got struct{ Errors []struct{ Field string } }
	_ = json.Unmarshal([]byte(out), &got)
	var fields []string
	for _, x := range got.Errors {
		fields = append(fields, x.Field)
	}
	if st != 422 || strings.Join(fields, ",") != "effective_from,title,level" {
		t.Fatalf("policy with three problems: %d %s", st, out)
	}
}
