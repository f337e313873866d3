package resources_test

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
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

const pw = "Officer-2025x"

// env is a running app with users in three units: officers of kfq and gxq,
// a manager of zzfd (whose subtree holds the town team zs-zp), an admin.
type env struct {
	a                    *testapp.App
	kfq, gxq, mgr, admin *testapp.Client
	anon                 *testapp.Client
	codeSeq, nameSeq     int
	t                    *testing.T
}

func newEnv(t *testing.T) *env {
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct {
		name, role string
		units      []string
	}{{"kfq_li", users.RoleOfficer, []string{"kfq"}}, {"gxq_wang", users.RoleOfficer, []string{"gxq"}},
		{"zz_boss", users.RoleManager, []string{"zzfd"}}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, u.units, pw); err != nil {
			t.Fatal(err)
		}
	}
	return &env{a: a, t: t, kfq: a.Client(t).Login("kfq_li", pw), gxq: a.Client(t).Login("gxq_wang", pw),
		mgr: a.Client(t).Login("zz_boss", pw), admin: a.Admin(t), anon: a.Client(t)}
}

// creditCode returns a new valid 统一社会信用代码.
func (e *env) creditCode() string {
	e.codeSeq++
	body := fmt.Sprintf("91320583MA%07d", e.codeSeq)
	c, _ := resources.CreditCodeCheckChar(body)
	return body + string(c)
}

// body returns a valid create body of kind in unit, distinct from others.
func (e *env) body(kind, unit string) map[string]any {
	e.nameSeq++
	n := e.nameSeq
	var b map[string]any
	switch kind {
	case resources.KindTalents:
		b = map[string]any{"name": fmt.Sprintf("测试人才%d号", n), "level": "省双创", "industry": "新能源",
			"phone": fmt.Sprintf("139%08d", n), "institution": "云麓大学"}
	case resources.KindEnterprises:
		b = map[string]any{"name": fmt.Sprintf("昆山第%d号测试企业有限公司", n), "credit_code": e.creditCode(), "industry": "新材料",
			"registered_capital": 500}
	case resources.KindInstitutes:
		b = map[string]any{"name": fmt.Sprintf("测试研究院%d", n), "kind": resources.InstituteNewRD, "industry": "新智造"}
	default:
		b = map[string]any{"title": fmt.Sprintf("测试成果%d", n), "owner": "云麓大学", "industry": "电子信息",
			"transfer_mode": "技术许可", "status": resources.ResultListed, "asking_price": 100}
	}
	if unit != "" {
		b["unit"] = unit
	}
	b["confirm_duplicate"] = true
	return b
}

// mk creates a record as admin and returns its id.
func (e *env) mk(kind, unit string) (string, map[string]any) {
	e.t.Helper()
	b := e.body(kind, unit)
	st, out := e.admin.Do("POST", "/api/v1/"+kind, b, nil)
	if st != 201 {
		e.t.Fatalf("create %s in %s: %d %s", kind, unit, st, out)
	}
	var doc struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(out), &doc)
	return doc.ID, b
}

func with(b map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range b {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestResourceAccess is the access table: officer own/other unit, manager
// subtree, admin and anonymous over list, get, create, update and delete
// of every kind.
func TestResourceAccess(t *testing.T) {
	e := newEnv(t)
	for _, k := range resources.Kinds {
		kind := k.Key
		api := "/api/v1/" + kind
		own, ownBody := e.mk(kind, "kfq")
		other, otherBody := e.mk(kind, "gxq")
		town, townBody := e.mk(kind, "zs-zp")
		// Records each update/delete line works on (version 1).
		upOwn, upOwnBody := e.mk(kind, "kfq")
		upTown, upTownBody := e.mk(kind, "zs-zp")
		upAdmin, upAdminBody := e.mk(kind, "gxq")
		delOwn, _ := e.mk(kind, "kfq")
		delTown, _ := e.mk(kind, "zs-zp")
		delAdmin, _ := e.mk(kind, "gxq")
		name := func(b map[string]any) string {
			if n, ok := b["name"].(string); ok {
				return n
			}
			return b["title"].(string)
		}
		edited := func(b map[string]any) map[string]any {
			if _, ok := b["name"]; ok {
				return with(b, "name", name(b)+"改", "version", 1)
			}
			return with(b, "title", name(b)+"改", "version", 1)
		}
		t.Run(kind, func(t *testing.T) {
			testapp.Run(t, e.a, []testapp.Scenario{
				{Name: "list anonymous", URL: api, Status: 401},
				{Name: "list officer sees own unit only", As: e.kfq, URL: api, Status: 200,
					Expect: []string{own, `"total":3`, `"unit_name":"昆山开发区科技招商分队"`}, Reject: []string{other, town}},
				{Name: "list officer other unit filter empty", As: e.kfq, URL: api + "?unit=gxq", Status: 200, Expect: []string{`"total":0`}},
				{Name: "list manager sees subtree", As: e.mgr, URL: api, Status: 200, Expect: []string{town, `"total":3`}, Reject: []string{own, other}},
				{Name: "list admin sees all", As: e.admin, URL: api, Status: 200, Expect: []string{own, other, town}},
				{Name: "list text search", As: e.admin, URL: api + "?q=" + url.QueryEscape(name(ownBody)), Status: 200, Expect: []string{own}},

				{Name: "get anonymous", URL: api + "/" + own, Status: 401},
				{Name: "get officer own", As: e.kfq, URL: api + "/" + own, Status: 200, Expect: []string{`"version":1`, name(ownBody)}},
				{Name: "get officer other unit 403", As: e.kfq, URL: api + "/" + other, Status: 403, Reject: []string{name(ownBody)}},
				{Name: "get manager subtree", As: e.mgr, URL: api + "/" + town, Status: 200, Expect: []string{name(townBody)}},
				{Name: "get manager outside subtree 403", As: e.mgr, URL: api + "/" + own, Status: 403},
				{Name: "get admin", As: e.admin, URL: api + "/" + other, Status: 200, Expect: []string{name(otherBody), `"unit":"gxq"`}},
				{Name: "get missing 404", As: e.admin, URL: api + "/nope", Status: 404},

				{Name: "create anonymous", Method: "POST", URL: api, Body: e.body(kind, "kfq"), Status: 401},
				{Name: "create officer own unit", As: e.kfq, Method: "POST", URL: api, Body: e.body(kind, "kfq"), Status: 201,
					Expect: []string{`"unit":"kfq"`, `"version":1`, `"created_by":"kfq_li"`}},
				{Name: "create officer default unit", As: e.kfq, Method: "POST", URL: api, Body: e.body(kind, ""), Status: 201,
					Expect: []string{`"unit":"kfq"`}},
				{Name: "create officer other unit 403", As: e.kfq, Method: "POST", URL: api, Body: e.body(kind, "gxq"), Status: 403},
				{Name: "create manager subtree unit", As: e.mgr, Method: "POST", URL: api, Body: e.body(kind, "zs-zp"), Status: 201,
					Expect: []string{`"unit":"zs-zp"`, `"created_by":"zz_boss"`}},
				{Name: "create manager outside 403", As: e.mgr, Method: "POST", URL: api, Body: e.body(kind, "kfq"), Status: 403},
				{Name: "create admin any unit", As: e.admin, Method: "POST", URL: api, Body: e.body(kind, "hq"), Status: 201,
					Expect: []string{`"unit":"hq"`, `"created_by":"admin"`}},
				{Name: "create admin without unit 422", As: e.admin, Method: "POST", URL: api, Body: e.body(kind, ""), Status: 422,
					Expect: []string{`"field":"unit"`}},
				{Name: "create without csrf 403", As: e.kfq, Method: "POST", URL: api, Body: e.body(kind, "kfq"),
					Headers: map[string]string{"X-CSRF-Token": ""}, Status: 403},

				{Name: "update anonymous", Method: "PUT", URL: api + "/" + upOwn, Body: edited(upOwnBody), Status: 401},
				{Name: "update officer other unit 403", As: e.gxq, Method: "PUT", URL: api + "/" + upOwn, Body: edited(upOwnBody), Status: 403},
				{Name: "update officer own", As: e.kfq, Method: "PUT", URL: api + "/" + upOwn, Body: edited(upOwnBody), Status: 200,
					Expect: []string{`"version":2`, name(upOwnBody) + "改", `"updated_by":"kfq_li"`}},
				{Name: "update officer moves record out 403", As: e.kfq, Method: "PUT", URL: api + "/" + upOwn,
					Body: with(edited(upOwnBody), "unit", "gxq", "version", 2), Status: 403},
				{Name: "update manager subtree", As: e.mgr, Method: "PUT", URL: api + "/" + upTown, Body: edited(upTownBody), Status: 200,
					Expect: []string{`"version":2`, name(upTownBody) + "改", `"updated_by":"zz_boss"`}},
				{Name: "update manager outside 403", As: e.mgr, Method: "PATCH", URL: api + "/" + own, Body: map[string]any{"version": 1}, Status: 403},
				{Name: "update admin", As: e.admin, Method: "PUT", URL: api + "/" + upAdmin, Body: edited(upAdminBody), Status: 200,
					Expect: []string{`"version":2`, name(upAdminBody) + "改", `"updated_by":"admin"`}},
				{Name: "update stale version 409", As: e.kfq, Method: "PUT", URL: api + "/" + upOwn, Body: edited(upOwnBody), Status: 409,
					Expect: []string{`"code":"conflict"`, `"current_version":2`, `"current":{`}},

				{Name: "delete anonymous", Method: "DELETE", URL: api + "/" + delOwn + "?version=1", Status: 401},
				{Name: "delete officer other unit 403", As: e.gxq, Method: "DELETE", URL: api + "/" + delOwn + "?version=1", Status: 403},
				{Name: "delete without version 400", As: e.kfq, Method: "DELETE", URL: api + "/" + delOwn, Status: 400, Expect: []string{`"field":"version"`}},
				{Name: "delete stale version 409", As: e.kfq, Method: "DELETE", URL: api + "/" + delOwn + "?version=7", Status: 409},
				{Name: "delete officer own", As: e.kfq, Method: "DELETE", URL: api + "/" + delOwn + "?version=1", Status: 200, Expect: []string{`"status":"deleted"`}},
				{Name: "deleted is gone", As: e.kfq, URL: api + "/" + delOwn, Status: 404},
				{Name: "delete manager subtree", As: e.mgr, Method: "DELETE", URL: api + "/" + delTown + "?version=1", Status: 200, Expect: []string{`"status":"deleted"`}},
				{Name: "delete admin", As: e.admin, Method: "DELETE", URL: api + "/" + delAdmin + "?version=1", Status: 200, Expect: []string{`"status":"deleted"`}},

				{Name: "hub page officer", As: e.kfq, URL: "/resources/" + kind, Status: 200, Expect: []string{name(ownBody)}, Reject: []string{name(townBody)}},
				{Name: "detail page officer own", As: e.kfq, URL: "/resources/" + kind + "/" + own, Status: 200,
					Expect: []string{name(ownBody), "由此资源发起项目", "/projects/new?" + k.Start + "=" + own}},
				// Another unit's record opens as a card: its name and unit, whom
				// to ask, none of its fields (issue 14, item 5).
				{Name: "detail page other unit is a card", As: e.kfq, URL: "/resources/" + kind + "/" + other, Status: 200,
					Expect: []string{name(otherBody), "不在您的查看范围", "昆山高新区科技招商分队"}, Reject: []string{"由此资源发起项目", "/edit"}},
				{Name: "edit page other unit is a card", As: e.kfq, URL: "/resources/" + kind + "/" + other + "/edit", Status: 200,
					Expect: []string{"不在您的查看范围"}, Reject: []string{`name="version"`}},
				{Name: "new page", As: e.kfq, URL: "/resources/" + kind + "/new", Status: 200, Expect: []string{`value="kfq" selected`}},
			})
		})
	}
	entries, err := e.a.P.Users.AuditLog(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]bool{}
	for _, x := range entries {
		if x.Action == "denied" {
			denied[x.User+" "+x.Kind+" "+strings.SplitN(x.Note, " ", 2)[0]] = true
		}
	}
	for _, k := range resources.Kinds {
		for _, want := range []string{"kfq_li " + k.Key + " GET", "gxq_wang " + k.Key + " PUT", "gxq_wang " + k.Key + " DELETE",
			"kfq_li " + k.Key + " POST", "zz_boss " + k.Key + " PATCH"} {
			if !denied[want] {
				t.Errorf("refusal %q not audited", want)
			}
		}
	}
}

// TestResourceBadInput: every bad value is refused with the field named and
// nothing written.
func TestResourceBadInput(t *testing.T) {
	e := newEnv(t)
	ent, entBody := e.mk(resources.KindEnterprises, "kfq")
	tal, talBody := e.mk(resources.KindTalents, "kfq")
	res, resBody := e.mk(resources.KindResults, "kfq")
	ents, tals := "/api/v1/enterprises", "/api/v1/talents"
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "invalid credit code", As: e.kfq, Method: "POST", URL: ents, Body: with(e.body("enterprises", "kfq"), "credit_code", "91350100M000100Y44"),
			Status: 422, Expect: []string{`"field":"credit_code"`, "校验位"}},
		{Name: "short credit code", As: e.kfq, Method: "POST", URL: ents, Body: with(e.body("enterprises", "kfq"), "credit_code", "9135"),
			Status: 422, Expect: []string{`"field":"credit_code"`, "18 位"}},
		{Name: "duplicate credit code names the holder", As: e.kfq, Method: "POST", URL: ents,
			Body:   with(e.body("enterprises", "kfq"), "credit_code", strings.ToLower(entBody["credit_code"].(string))),
			Status: 422, Expect: []string{`"field":"credit_code"`, entBody["name"].(string), ent}},
		{Name: "duplicate credit code on update", As: e.kfq, Method: "PUT", URL: ents + "/" + ent,
			Body:   with(e.body("enterprises", "kfq"), "version", 1, "credit_code", e.dupTarget()),
			Status: 422, Expect: []string{`"field":"credit_code"`, "已登记"}},
		{Name: "negative capital", As: e.kfq, Method: "POST", URL: ents, Body: with(e.body("enterprises", "kfq"), "registered_capital", -10),
			Status: 422, Expect: []string{`"field":"registered_capital"`, "负数"}},
		{Name: "negative price as text", As: e.kfq, Method: "PUT", URL: "/api/v1/results/" + res, Body: with(resBody, "version", 1, "asking_price", "-1万元"),
			Status: 422, Expect: []string{`"field":"asking_price"`}},
		{Name: "amount of wrong type", As: e.kfq, Method: "POST", URL: ents, Body: with(e.body("enterprises", "kfq"), "registered_capital", true),
			Status: 400, Expect: []string{`"field":"registered_capital"`}},
		{Name: "unknown level", As: e.kfq, Method: "POST", URL: tals, Body: with(e.body("talents", "kfq"), "level", "院士级"),
			Status: 422, Expect: []string{`"field":"level"`, "院士级"}},
		{Name: "all errors listed", As: e.kfq, Method: "POST", URL: tals, Body: with(e.body("talents", "kfq"), "level", "院士级", "name", "", "phone", "12"),
			Status: 422, Expect: []string{`"errors":[`, `"field":"name"`, `"field":"level"`, `"field":"phone"`}},
		{Name: "bad date", As: e.kfq, Method: "POST", URL: ents, Body: with(e.body("enterprises", "kfq"), "founded", "2021-02-30"),
			Status: 422, Expect: []string{`"field":"founded"`}},
		{Name: "malformed JSON", As: e.kfq, Method: "POST", URL: tals, Body: `{"name": "张伟",`, Status: 400, Expect: []string{`"code":"bad_request"`}},
		{Name: "JSON array", As: e.kfq, Method: "POST", URL: tals, Body: `[1,2]`, Status: 400},
		{Name: "empty body", As: e.kfq, Method: "POST", URL: tals, Body: ` `, Status: 400},
		{Name: "unknown field", As: e.kfq, Method: "POST", URL: tals, Body: with(e.body("talents", "kfq"), "salary", 1), Status: 400,
			Expect: []string{`"field":"salary"`}},
		{Name: "operator injection refused", As: e.kfq, Method: "POST", URL: tals, Body: with(e.body("talents", "kfq"), "name", map[string]any{"$ne": ""}),
			Status: 400, Expect: []string{`"field":"name"`}},
		{Name: "stale version", As: e.kfq, Method: "PUT", URL: tals + "/" + tal, Body: with(talBody, "version", 0+5), Status: 409,
			Expect: []string{`"code":"conflict"`}},
		{Name: "missing version", As: e.kfq, Method: "PUT", URL: tals + "/" + tal, Body: talBody, Status: 400, Expect: []string{`"field":"version"`}},
		{Name: "bad list sort", As: e.kfq, URL: tals + "?sort=salary", Status: 400, Expect: []string{`"field":"sort"`}},
		{Name: "bad list page", As: e.kfq, URL: tals + "?page=0", Status: 400, Expect: []string{`"field":"page"`}},
		{Name: "form keeps input on error", As: e.kfq, Method: "POST", URL: "/resources/enterprises",
			Body:    []byte(url.Values{"_csrf": {e.kfq.CSRF}, "name": {"某某公司"}, "credit_code": {"123"}, "industry": {"新材料"}, "unit": {"kfq"}}.Encode()),
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 422,
			Expect: []string{`value="某某公司"`, `aria-invalid="true"`, "统一社会信用代码应为 18 位"}},
	})
	// Nothing of the refused writes was stored.
	st, out := e.admin.Do("GET", ents, nil, nil)
	if st != 200 || !strings.Contains(out, `"total":2`) {
		t.Fatalf("enterprises after refused writes: %d %.300s", st, out)
	}
	st, out = e.admin.Do("GET", tals+"/"+tal, nil, nil)
	if st != 200 || !strings.Contains(out, `"version":1`) {
		t.Fatalf("talent after refused writes: %d %.300s", st, out)
	}
}

// dupTarget creates a second enterprise and returns its credit code.
func (e *env) dupTarget() string {
	_, b := e.mk(resources.KindEnterprises, "gxq")
	return b["credit_code"].(string)
}

// TestResourceContract: round trip, PATCH, normalisation, duplicates and
// linked projects.
func TestResourceContract(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// A document as GET returns it can be PUT back with one change.
	st, out := e.kfq.Do("POST", "/api/v1/enterprises", map[string]any{"name": "昆山恒创智能装备科技有限公司", "credit_code": " 91320583ma1mt8ge3" + checkOf("91320583MA1MT8GE3"),
		"industry": "装备制造", "registered_capital": "1,200万", "founded": "2019年5月6日", "phone": "+86 0512-5700 1234", "tags": "专精特新，高新技术企业"}, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, out)
	}
	var doc map[string]any
	_ = json.Unmarshal([]byte(out), &doc)
	if doc["credit_code"] != "91320583MA1MT8GE3"+checkOf("91320583MA1MT8GE3") || doc["registered_capital"] != 1200.0 ||
		doc["phone"] != "051257001234" || doc["founded"] != "2019-05-06" || doc["unit_name"] != "昆山开发区科技招商分队" {
		t.Fatalf("stored %s", out)
	}
	id := doc["id"].(string)
	doc["address"] = "昆山开发区前进东路1号"
	st, out = e.kfq.Do("PUT", "/api/v1/enterprises/"+id, doc, nil)
	if st != 200 || !strings.Contains(out, `"version":2`) || !strings.Contains(out, "前进东路") || !strings.Contains(out, `"tags":["专精特新","高新技术企业"]`) {
		t.Fatalf("round trip PUT: %d %s", st, out)
	}
	st, out = e.kfq.Do("PATCH", "/api/v1/enterprises/"+id, map[string]any{"version": 2, "contact": "赵敏"}, nil)
	if st != 200 || !strings.Contains(out, "赵敏") || !strings.Contains(out, "前进东路") || !strings.Contains(out, `"version":3`) {
		t.Fatalf("PATCH: %d %s", st, out)
	}

	// Likely duplicates: 409 with candidates until confirmed.
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "similar enterprise name", As: e.gxq, Method: "POST", URL: "/api/v1/enterprises",
			Body:   map[string]any{"name": "苏州恒创智能装备股份有限公司", "credit_code": "91320583MA1MT8GE4" + checkOf("91320583MA1MT8GE4"), "industry": "装备制造", "unit": "gxq"},
			Status: 409, Expect: []string{`"code":"possible_duplicate"`, `"candidates":[`, id, "昆山恒创智能装备科技有限公司", `"unit_name":"昆山开发区科技招商分队"`}},
		{Name: "similar enterprise confirmed", As: e.gxq, Method: "POST", URL: "/api/v1/enterprises",
			Body: map[string]any{"name": "苏州恒创智能装备股份有限公司", "credit_code": "91320583MA1MT8GE4" + checkOf("91320583MA1MT8GE4"), "industry": "装备制造",
				"unit": "gxq", "confirm_duplicate": true}, Status: 201, Expect: []string{`"name":"苏州恒创智能装备股份有限公司"`, `"unit":"gxq"`}},
		{Name: "different enterprise", As: e.gxq, Method: "POST", URL: "/api/v1/enterprises",
			Body: map[string]any{"name": "昆山瀚宇新材料有限公司", "credit_code": "91320583MA1MT8GE5" + checkOf("91320583MA1MT8GE5"), "industry": "新材料"}, Status: 201,
			Expect: []string{`"name":"昆山瀚宇新材料有限公司"`, `"unit":"gxq"`}},
		{Name: "talent first", As: e.kfq, Method: "POST", URL: "/api/v1/talents",
			Body: map[string]any{"name": "张伟", "level": "国家级", "industry": "新能源", "phone": "138 1234 5678"}, Status: 201,
			Expect: []string{`"phone":"13812345678"`, `"unit":"kfq"`}},
		{Name: "same talent name and phone", As: e.gxq, Method: "POST", URL: "/api/v1/talents",
			Body: map[string]any{"name": "张伟", "level": "省双创", "industry": "新能源", "phone": "+86-13812345678"}, Status: 409,
			Expect: []string{`"code":"possible_duplicate"`, "张伟"}},
		{Name: "same name other phone", As: e.gxq, Method: "POST", URL: "/api/v1/talents",
			Body: map[string]any{"name": "张伟", "level": "省双创", "industry": "新能源", "phone": "13912345678"}, Status: 201,
			Expect: []string{`"name":"张伟"`, `"phone":"13912345678"`, `"unit":"gxq"`}},
		{Name: "duplicate talent form asks", As: e.gxq, Method: "POST", URL: "/resources/talents",
			Body: []byte(url.Values{"_csrf": {e.gxq.CSRF}, "name": {"张伟"}, "level": {"国家级"}, "industry": {"新能源"}, "phone": {"13812345678"},
				"unit": {"gxq"}}.Encode()), Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 409,
			Expect: []string{"可能与已登记的人才重复", `name="confirm_duplicate"`, `value="张伟"`}},
		{Name: "duplicate talent form confirmed", As: e.gxq, Method: "POST", URL: "/resources/talents",
			Body: []byte(url.Values{"_csrf": {e.gxq.CSRF}, "name": {"张伟"}, "level": {"国家级"}, "industry": {"新能源"}, "phone": {"13812345678"},
				"unit": {"gxq"}, "confirm_duplicate": {"1"}}.Encode()), Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 303},
	})

	// Linked projects come from the engine; one outside the scope is only counted.
	for i, unit := range []string{"kfq", "kfq", "gxq"} {
		p := &projects.Project{Meta: core.Meta{ID: fmt.Sprintf("lp%d", i)}, Name: fmt.Sprintf("恒创扩产项目%d", i), Type: projects.TypeIndustry,
			Unit: unit, Stage: projects.StageAttract, EnterpriseID: id, Investment: 1000}
		if err := e.a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "detail lists linked projects", As: e.kfq, URL: "/resources/enterprises/" + id, Status: 200,
			Expect: []string{"恒创扩产项目0", "恒创扩产项目1", "关联项目（2）", "另有 1 个其他单位的项目", "/projects/new?enterprise=" + id},
			Reject: []string{"恒创扩产项目2"}},
		{Name: "linked record cannot be deleted", As: e.kfq, Method: "DELETE", URL: "/api/v1/enterprises/" + id + "?version=3", Status: 422,
			Expect: []string{"已被 3 个项目关联（昆山开发区科技招商分队 2 个、昆山高新区科技招商分队 1 个）"}},
		{Name: "hub tabs count per kind", As: e.kfq, URL: "/resources", Status: 200,
			Expect: []string{`data-kind="talents">人才 <span class="muted">1</span>`, `data-kind="enterprises">企业 <span class="muted">1</span>`}},
		{Name: "hub filter by level survives in links", As: e.admin, URL: "/resources/talents?level=" + url.QueryEscape("国家级") + "&q=" + url.QueryEscape("张伟"),
			Status: 200, Expect: []string{"共 2 条", "back=%2Fresources%2Ftalents%3Flevel%3D"}, Reject: []string{"13912345678"}},
	})
}

func checkOf(first17 string) string {
	c, _ := resources.CreditCodeCheckChar(first17)
	return string(c)
}

// TestResourceEditConflictPage: a stale edit form keeps the user's input
// and shows what differs from the stored record.
// TestLegacyDealDateGetPutUnchanged: a result's 成交日期 and an
// enterprise's 成立日期 stored before dates were days (datetimes) are
// answered as their office days, and PUT back as GET answered them store
// nothing: same version, the stored datetimes untouched.
func TestLegacyDealDateGetPutUnchanged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	resID, _ := e.mk(resources.KindResults, "kfq")
	entID, _ := e.mk(resources.KindEnterprises, "kfq")
	dealAt := time.Date(2026, 3, 19, 7, 55, 0, 0, time.UTC)
	if _, err := e.a.P.Records.Results.C.UpdateOne(ctx, bson.M{"_id": resID}, bson.M{"$set": bson.M{
		"status": resources.ResultTransferred, "deal_date": dealAt, "deal_amount": 80.0}}); err != nil {
		t.Fatal(err)
	}
	foundedAt := time.Date(2019, 5, 5, 16, 0, 0, 0, time.UTC) // the office's midnight of 2019-05-06, as imports wrote it
	if _, err := e.a.P.Records.Enterprises.C.UpdateOne(ctx, bson.M{"_id": entID}, bson.M{"$set": bson.M{"founded": foundedAt}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind, id, key, day string
		at                 time.Time
		coll               *mongo.Collection
	}{
		{resources.KindResults, resID, "deal_date", "2026-03-19", dealAt, e.a.P.Records.Results.C},
		{resources.KindEnterprises, entID, "founded", "2019-05-06", foundedAt, e.a.P.Records.Enterprises.C},
	} {
		path := "/api/v1/" + c.kind + "/" + c.id
		st, out := e.admin.Do("GET", path, nil, nil)
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); st != 200 || err != nil || doc[c.key] != c.day {
			t.Fatalf("GET %s: %d %v %s = %v; %.300s", path, st, err, c.key, doc[c.key], out)
		}
		if st, out := e.admin.Do("PUT", path, doc, nil); st != 200 || !strings.Contains(out, `"version":1,`) {
			t.Fatalf("PUT %s unchanged: %d %.300s", path, st, out)
		}
		var raw bson.M
		if err := c.coll.FindOne(ctx, bson.M{"_id": c.id}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if d, ok := raw[c.key].(primitive.DateTime); !ok || !d.Time().Equal(c.at) || raw["version"] != int64(1) {
			t.Errorf("%s stored after an unchanged PUT: %s %v, version %v", c.kind, c.key, raw[c.key], raw["version"])
		}
	}
}

func TestResourceEditConflictPage(t *testing.T) {
	e := newEnv(t)
	id, b := e.mk(resources.KindTalents, "kfq")
	if st, out := e.kfq.Do("PATCH", "/api/v1/talents/"+id, map[string]any{"version": 1, "title": "研究员"}, nil); st != 200 {
		t.Fatalf("patch: %d %s", st, out)
	}
	form := url.Values{"_csrf": {e.kfq.CSRF}, "version": {"1"}, "name": {b["name"].(string)}, "level": {"国家级"}, "industry": {"新能源"},
		"phone": {b["phone"].(string)}, "institution": {"云麓大学"}, "title": {"教授"}, "unit": {"kfq"}}
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "stale form", As: e.kfq, Method: "POST", URL: "/resources/talents/" + id, Body: []byte(form.Encode()),
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 409,
			Expect: []string{"已被他人修改", "<td>职称/职务</td><td>教授</td><td>研究员</td>", "<td>人才层次</td><td>国家级</td><td>省双创</td>",
				`value="教授"`, `name="version" value="2"`}},
	})
	form.Set("version", "2")
	st, _ := e.kfq.Do("POST", "/resources/talents/"+id, []byte(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if st != 303 {
		t.Fatalf("save after reading the conflict: %d", st)
	}
	if st, out := e.kfq.Do("GET", "/api/v1/talents/"+id, nil, nil); st != 200 || !strings.Contains(out, `"title":"教授"`) || !strings.Contains(out, `"version":3`) {
		t.Fatalf("after save: %d %s", st, out)
	}
}

// A record that projects link to is not deleted; the refusal says how many
// projects of which units hold the links (issue 14, item 5).
func TestDeleteNamesTheUnitsHoldingLinks(t *testing.T) {
	e := newEnv(t)
	id, _ := e.mk(resources.KindTalents, "kfq")
	for _, unit := range []string{"kfq", "gxq", "gxq"} {
		if st, out := e.admin.Do("POST", "/api/v1/projects", map[string]any{"type": "talent", "name": "关联项目" + unit + e.creditCode()[10:],
			"unit": unit, "talent_id": id}, nil); st != 201 {
			t.Fatalf("project: %d %s", st, out)
		}
	}
	st, out := e.kfq.Do("GET", "/api/v1/talents/"+id, nil, nil)
	var doc struct{ Version int64 }
	_ = json.Unmarshal([]byte(out), &doc)
	st, out = e.kfq.Do("DELETE", fmt.Sprintf("/api/v1/talents/%s?version=%d", id, doc.Version), nil, nil)
	if st != 422 || !strings.Contains(out, "已被 3 个项目关联（昆山高新区科技招商分队 2 个、昆山开发区科技招商分队 1 个）") {
		t.Fatalf("deleting a talent three projects link to: %d %s", st, out)
	}
}
