package matrix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/users"
)

const pw = "Matrix-Test-2025"

type fixture struct {
	a                     *testapp.App
	admin, mgr, off, mgr2 *testapp.Client
}

// start runs a server with a manager and an officer of 开发区分队 (kfq) and
// a manager of 镇域分队 (zzfd).
func start(t *testing.T) *fixture {
	t.Helper()
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct {
		name, role, unit string
	}{{"kfq_mgr", users.RoleManager, "kfq"}, {"kfq_off", users.RoleOfficer, "kfq"}, {"zz_mgr", users.RoleManager, "zzfd"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name+"名", u.role, []string{u.unit}, pw); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{a: a, admin: a.Admin(t), mgr: a.Client(t).Login("kfq_mgr", pw), off: a.Client(t).Login("kfq_off", pw),
		mgr2: a.Client(t).Login("zz_mgr", pw)}
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
	return v
}

type unitDoc struct {
	ID          string   `json:"id"`
	Version     int64    `json:"version"`
	Name        string   `json:"name"`
	Parent      string   `json:"parent"`
	Layer       string   `json:"layer"`
	Focus       []string `json:"focus"`
	MemberCount int      `json:"member_count"`
	Members     []struct {
		Username string `json:"username"`
	} `json:"members"`
}

func unitsOf(t *testing.T, c *testapp.Client) map[string]unitDoc {
	t.Helper()
	st, body := c.Do("GET", "/api/v1/units", nil, nil)
	if st != 200 {
		t.Fatalf("units: %d %s", st, body)
	}
	r := decode[struct {
		Items []unitDoc `json:"items"`
		Total int       `json:"total"`
	}](t, body)
	if r.Total != len(r.Items) {
		t.Fatalf("total %d != %d items", r.Total, len(r.Items))
	}
	out := map[string]unitDoc{}
	for _, u := range r.Items {
		out[u.ID] = u
	}
	return out
}

func version(t *testing.T, c *testapp.Client, id string) int64 {
	t.Helper()
	u, ok := unitsOf(t, c)[id]
	if !ok {
		t.Fatalf("unit %s missing", id)
	}
	return u.Version
}

func catalogVersion(t *testing.T, c *testapp.Client) int64 {
	t.Helper()
	_, body := c.Do("GET", "/api/v1/settings/catalog", nil, nil)
	return decode[struct {
		Version int64 `json:"version"`
	}](t, body).Version
}

var form = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

func unit(id, name, parent string) map[string]any {
	return map[string]any{"id": id, "name": name, "layer": "5", "type": "zone", "parent": parent}
}

func TestUnitsAccessAndRules(t *testing.T) {
	f := start(t)
	a, admin, mgr, off, mgr2 := f.a, f.admin, f.mgr, f.off, f.mgr2
	kfqV := version(t, admin, "kfq")
	units := unitsOf(t, off)
	if len(units) != 19 || units["kfq"].MemberCount != 2 || units["zzfd"].Members[0].Username != "zz_mgr" {
		t.Fatalf("units as officer: %d units, kfq members %d, zzfd %v", len(units), units["kfq"].MemberCount, units["zzfd"].Members)
	}
	testapp.Run(t, a, []testapp.Scenario{
		// GET /api/v1/units: everyone signed in sees all units.
		{Name: "units anon", Method: "GET", URL: "/api/v1/units", Status: 401},
		{Name: "units officer", As: off, URL: "/api/v1/units", Status: 200, Expect: []string{`"total":19`, "镇域科技招商联合分队", `"member_count"`}},
		{Name: "units manager", As: mgr, URL: "/api/v1/units", Status: 200, Expect: []string{`"id":"zs-jx"`}},
		{Name: "units admin", As: admin, URL: "/api/v1/units", Status: 200, Expect: []string{`"username":"kfq_off"`}},
		// POST /api/v1/units: admins only.
		{Name: "create anon", Method: "POST", URL: "/api/v1/units", Body: unit("zs-a1", "甲", "zzfd"), Status: 401},
		{Name: "create officer", As: off, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a1", "甲", "zzfd"), Status: 403},
		{Name: "create manager", As: mgr, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a1", "甲", "zzfd"), Status: 403},
		{Name: "create admin", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a1", " 甲镇组 ", "zzfd"), Status: 201,
			Expect: []string{`"id":"zs-a1"`, `"version":1`, `"name":"甲镇组"`, `"parent_name":"镇域科技招商联合分队"`, `"member_count":0`}},
		{Name: "create without csrf", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a2", "乙", "zzfd"),
			Headers: map[string]string{"X-CSRF-Token": ""}, Status: 403},
		// Bad input on create.
		{Name: "duplicate id", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("kfq", "重复", ""), Status: 422,
			Expect: []string{`"field":"id"`, "已存在"}},
		{Name: "bad id upper", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("ZS-A", "甲", ""), Status: 422, Expect: []string{`"field":"id"`}},
		{Name: "bad id short", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("a", "甲", ""), Status: 422, Expect: []string{`"field":"id"`}},
		{Name: "bad id city", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("city", "甲", ""), Status: 422, Expect: []string{`"field":"id"`}},
		{Name: "empty name", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a3", "  ", "zzfd"), Status: 422, Expect: []string{`"field":"name"`}},
		{Name: "unknown parent", As: admin, Method: "POST", URL: "/api/v1/units", Body: unit("zs-a3", "甲", "nope"), Status: 422, Expect: []string{`"field":"parent"`}},
		{Name: "bad layer", As: admin, Method: "POST", URL: "/api/v1/units", Body: map[string]any{"id": "zs-a3", "name": "甲", "layer": "3", "type": "zone"},
			Status: 422, Expect: []string{`"field":"layer"`}},
		{Name: "unknown focus", As: admin, Method: "POST", URL: "/api/v1/units",
			Body: map[string]any{"id": "zs-a3", "name": "甲", "layer": "5", "type": "zone", "focus": []string{"量子玄学"}}, Status: 422,
			Expect: []string{`"field":"focus"`}},
		{Name: "unknown zone", As: admin, Method: "POST", URL: "/api/v1/units",
			Body: map[string]any{"id": "zs-a3", "name": "甲", "layer": "5", "type": "zone", "zone": "火星镇"}, Status: 422, Expect: []string{`"field":"zone"`}},
		{Name: "malformed json", As: admin, Method: "POST", URL: "/api/v1/units", Body: `{"id":"zs-a3",`, Status: 400},
		{Name: "unknown field", As: admin, Method: "POST", URL: "/api/v1/units", Body: `{"id":"zs-a3","name":"甲","layer":"5","type":"zone","colour":"red"}`,
			Status: 400, Expect: []string{`"field":"colour"`}},
		{Name: "wrong type", As: admin, Method: "POST", URL: "/api/v1/units", Body: `{"id":"zs-a3","name":"甲","layer":"5","type":"zone","order":"first"}`,
			Status: 400, Expect: []string{`"field":"order"`}},
		// PUT /api/v1/units/:id: admins only, versioned, no cycles.
		{Name: "update anon", Method: "PUT", URL: "/api/v1/units/kfq", Body: map[string]any{"version": kfqV}, Status: 401},
		{Name: "update officer", As: off, Method: "PUT", URL: "/api/v1/units/kfq", Body: map[string]any{"version": kfqV, "name": "x", "layer": "5", "type": "zone"}, Status: 403},
		{Name: "update manager own unit", As: mgr, Method: "PUT", URL: "/api/v1/units/kfq", Body: map[string]any{"version": kfqV, "name": "x", "layer": "5", "type": "zone"}, Status: 403},
		{Name: "update cycle", As: admin, Method: "PUT", URL: "/api/v1/units/zzfd",
			Body: map[string]any{"version": 1, "name": "镇域分队", "layer": "5", "type": "zone", "parent": "zs-zs"}, Status: 422,
			Expect: []string{`"field":"parent"`, "循环"}},
		{Name: "update self parent", As: admin, Method: "PUT", URL: "/api/v1/units/zzfd",
			Body: map[string]any{"version": 1, "name": "镇域分队", "layer": "5", "type": "zone", "parent": "zzfd"}, Status: 422, Expect: []string{`"field":"parent"`}},
		{Name: "update empty name", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"version": kfqV, "name": "", "layer": "5", "type": "zone"}, Status: 422, Expect: []string{`"field":"name"`}},
		{Name: "update no version", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"name": "开发区", "layer": "5", "type": "zone"}, Status: 422, Expect: []string{`"field":"version"`}},
		{Name: "update id change", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"id": "kfq2", "version": kfqV, "name": "开发区", "layer": "5", "type": "zone"}, Status: 422, Expect: []string{`"field":"id"`}},
		{Name: "update unknown", As: admin, Method: "PUT", URL: "/api/v1/units/nope", Body: map[string]any{"version": 1}, Status: 404},
		// Server-kept fields may come back as read, not changed.
		{Name: "update changing created_at", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"version": kfqV, "name": "开发区科技招商一分队", "layer": "5", "type": "zone", "parent": "kjj",
				"created_at": "2020-01-01T00:00:00Z"},
			Status: 400, Expect: []string{`"field":"created_at"`, "只读"}},
		{Name: "update admin", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"version": kfqV, "name": "开发区科技招商一分队", "short": "开发区", "layer": "5", "type": "zone", "parent": "kjj",
				"zone": "昆山开发区", "focus": []string{"电子信息"}, "order": 7, "member_count": 2},
			Status: 200, Expect: []string{`"name":"开发区科技招商一分队"`, fmt.Sprintf(`"version":%d`, kfqV+1)}},
		{Name: "update stale", As: admin, Method: "PUT", URL: "/api/v1/units/kfq",
			Body: map[string]any{"version": kfqV, "name": "又改", "layer": "5", "type": "zone", "parent": "kjj"}, Status: 409},
		// DELETE /api/v1/units/:id: admins only, only when nothing uses it.
		{Name: "delete anon", Method: "DELETE", URL: "/api/v1/units/zs-a1?version=1", Status: 401},
		{Name: "delete officer", As: off, Method: "DELETE", URL: "/api/v1/units/zs-a1?version=1", Status: 403},
		{Name: "delete manager", As: mgr2, Method: "DELETE", URL: "/api/v1/units/zs-a1?version=1", Status: 403},
		{Name: "delete no version", As: admin, Method: "DELETE", URL: "/api/v1/units/zs-a1", Status: 400, Expect: []string{`"field":"version"`}},
		{Name: "delete with users", As: admin, Method: "DELETE", URL: fmt.Sprintf("/api/v1/units/kfq?version=%d", kfqV+1), Status: 422,
			Expect: []string{"用户 2", "不能删除"}},
		{Name: "delete with children", As: admin, Method: "DELETE", URL: "/api/v1/units/zzfd?version=1", Status: 422,
			Expect: []string{"下属单位 9", "用户 1"}},
		{Name: "delete stale", As: admin, Method: "DELETE", URL: "/api/v1/units/zs-a1?version=7", Status: 409},
		{Name: "delete unknown", As: admin, Method: "DELETE", URL: "/api/v1/units/nope?version=1", Status: 404},
		{Name: "delete admin", As: admin, Method: "DELETE", URL: "/api/v1/units/zs-a1?version=1", Status: 204},
		{Name: "deleted is gone", As: off, URL: "/api/v1/units", Status: 200, Expect: []string{`"id":"kfq"`, `"id":"zzfd"`}, Reject: []string{`"zs-a1"`}},
	})

	// A record in the engine blocks deletion, named by kind.
	ctx := context.Background()
	st, body := admin.Do("POST", "/api/v1/units", unit("zs-ev", "活动组", "zzfd"), nil)
	if st != 201 {
		t.Fatalf("create zs-ev: %d %s", st, body)
	}
	ev := &events.Event{Title: "测试沙龙", Type: "沙龙", Date: core.Today(time.Now()), Unit: "zs-ev", Status: events.StatusPlanned}
	if err := a.P.Records.Events.Create(ctx, core.System, ev); err != nil {
		t.Fatal(err)
	}
	if st, body := admin.Do("DELETE", "/api/v1/units/zs-ev?version=1", nil, nil); st != 422 || !strings.Contains(body, "活动 1") {
		t.Errorf("delete unit with an event: %d %s", st, body)
	}
	if err := a.P.Records.Events.Delete(ctx, core.System, ev.ID, ev.Version); err != nil {
		t.Fatal(err)
	}
	if st, body := admin.Do("DELETE", "/api/v1/units/zs-ev?version=1", nil, nil); st != 204 {
		t.Errorf("delete unit after its event went: %d %s", st, body)
	}
}

// TestManagerScopeFollowsNewUnit: a child unit added under a manager's unit
// is inside the manager's scope at once (the unit cache reloads).
func TestManagerScopeFollowsNewUnit(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	mgrUser, err := f.a.P.Users.Get(ctx, "kfq_mgr")
	if err != nil {
		t.Fatal(err)
	}
	before := f.a.P.Scope(mgrUser)
	if before.Allows("kfq-east") {
		t.Fatal("scope allows a unit that does not exist yet")
	}
	body := map[string]any{"version": 0, "values": map[string]float64{"events": 12}}
	if st, b := f.mgr.Do("PUT", "/api/v1/targets/2025/kfq-east", body, nil); st != 404 {
		t.Fatalf("targets of a missing unit: %d %s", st, b)
	}
	nu := map[string]any{"id": "kfq-east", "name": "开发区东部组", "layer": "5", "type": "zone", "parent": "kfq"}
	if st, b := f.admin.Do("POST", "/api/v1/units", nu, nil); st != 201 {
		t.Fatalf("create child: %d %s", st, b)
	}
	after := f.a.P.Scope(mgrUser)
	if !after.Allows("kfq-east") || len(after.Units) != len(before.Units)+1 {
		t.Errorf("scope did not grow: before %v after %v", before.Units, after.Units)
	}
	if st, b := f.mgr.Do("PUT", "/api/v1/targets/2025/kfq-east", body, nil); st != 200 || !strings.Contains(b, `"events":12`) {
		t.Errorf("manager sets targets of the new child: %d %s", st, b)
	}
	// The other manager's scope did not change.
	if st, b := f.mgr2.Do("PUT", "/api/v1/targets/2025/kfq-east", body, nil); st != 403 {
		t.Errorf("other manager: %d %s", st, b)
	}
	// Moving the child away shrinks the scope again.
	nu["version"], nu["parent"] = 1, "zzfd"
	if st, b := f.admin.Do("PUT", "/api/v1/units/kfq-east", nu, nil); st != 200 {
		t.Fatalf("move: %d %s", st, b)
	}
	if f.a.P.Scope(mgrUser).Allows("kfq-east") {
		t.Error("scope still has the unit moved away")
	}
	if st, _ := f.mgr2.Do("GET", "/settings/targets?year=2025", nil, nil); st != 200 {
		t.Errorf("targets page: %d", st)
	}
}

func TestCatalog(t *testing.T) {
	f := start(t)
	a, admin, mgr, off := f.a, f.admin, f.mgr, f.off
	ctx := context.Background()
	// Two records using 周市镇 / 沙龙 / an action line, for the removal warnings.
	for i, unit := range []string{"kfq", "zs-zs"} {
		ev := &events.Event{Title: fmt.Sprintf("沙龙%d", i), Type: "沙龙", Date: core.Today(time.Now()), Unit: unit, Status: events.StatusPlanned,
			ActionLines: []string{"一批招商联络站"}, Industries: []string{"新材料"}}
		if err := a.P.Records.Events.Create(ctx, core.System, ev); err != nil {
			t.Fatal(err)
		}
	}
	v := catalogVersion(t, admin)
	stale := map[string]any{"version": v, "stale_days": 0}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "get anon", URL: "/api/v1/settings/catalog", Status: 401},
		{Name: "get officer", As: off, URL: "/api/v1/settings/catalog", Status: 200,
			Expect: []string{`"zones":["昆山开发区"`, `"stale_days":30`, `"key":"assessment"`, `"enabled":true`, `"disabled_gates":[]`}},
		{Name: "get manager", As: mgr, URL: "/api/v1/settings/catalog", Status: 200, Expect: []string{`"zones":["昆山开发区"`, `"stale_days":30`}},
		{Name: "put anon", Method: "PUT", URL: "/api/v1/settings/catalog", Body: stale, Status: 401},
		{Name: "put officer", As: off, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v}, Status: 403},
		{Name: "put manager", As: mgr, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v}, Status: 403},
		{Name: "stale days 0", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: stale, Status: 422, Expect: []string{`"field":"stale_days"`}},
		{Name: "stale days 366", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v, "stale_days": 366}, Status: 422},
		{Name: "empty zones", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v, "zones": []string{" ", ""}},
			Status: 422, Expect: []string{`"field":"zones"`}},
		{Name: "bad group", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog",
			Body: map[string]any{"version": v, "industries": []map[string]string{{"name": "新材料", "group": "9"}}}, Status: 422, Expect: []string{`"field":"industries"`}},
		{Name: "unknown gate", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v, "disabled_gates": []string{"magic"}},
			Status: 422, Expect: []string{`"field":"disabled_gates"`}},
		{Name: "no version", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"stale_days": 10}, Status: 422},
		{Name: "malformed", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: `{"version":`, Status: 400},
		{Name: "wrong type", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: `{"version":1,"stale_days":"30"}`, Status: 400},
		{Name: "save", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog",
			Body: map[string]any{"version": v, "stale_days": 14, "disabled_gates": []string{"assessment", " assessment "},
				"zones":       []string{" 昆山开发区 ", "昆山开发区", "", "新城区"},
				"event_types": []string{"论坛", "路演"}, "action_lines": []string{"一个产业链招商图谱"}},
			Status: 200, Expect: []string{`"zones":["昆山开发区","新城区"]`, `"stale_days":14`, `"disabled_gates":["assessment"]`,
				fmt.Sprintf(`"version":%d`, v+1),
				`{"list":"zones","value":"周市镇","records":0,"units":1}`, `{"list":"event_types","value":"沙龙","records":2}`,
				`{"list":"action_lines","value":"一批招商联络站","records":2}`}},
		{Name: "save stale", As: admin, Method: "PUT", URL: "/api/v1/settings/catalog", Body: map[string]any{"version": v, "stale_days": 20}, Status: 409},
		{Name: "reads back", As: off, URL: "/api/v1/settings/catalog", Status: 200,
			Expect: []string{`"stale_days":14`, `"key":"assessment","label":"评估决策及之后的阶段须有评估打分表","enabled":false`}},
		// Pages.
		{Name: "page officer read only", As: off, URL: "/settings/catalog", Status: 200, Expect: []string{"本页只读", `name="zones" rows="12" disabled`, "新城区"},
			Reject: []string{"保存目录与规则"}},
		{Name: "page admin", As: admin, URL: "/settings/catalog", Status: 200, Expect: []string{"保存目录与规则", "新材料 2", "评估决策及之后的阶段须有评估打分表"}},
		{Name: "form manager", As: mgr, Method: "POST", URL: "/settings/catalog", Body: []byte("stale_days=3"), Headers: form, Status: 403},
		{Name: "form stale days", As: admin, Method: "POST", URL: "/settings/catalog", Headers: form, Status: 422,
			Body:   []byte(fmt.Sprintf("version=%d&stale_days=0&industries_2=a&industries_6=&industries_x=&zones=z&talent_levels=t&event_types=e&action_lines=l", v+1)),
			Expect: []string{"停滞天数须在", `aria-invalid="true"`}},
		{Name: "form stale version", As: admin, Method: "POST", URL: "/settings/catalog", Headers: form, Status: 409,
			Body:   []byte(fmt.Sprintf("version=%d&stale_days=9&industries_2=a&industries_6=&industries_x=&zones=z&talent_levels=t&event_types=e&action_lines=l", v)),
			Expect: []string{"已被他人修改"}},
		{Name: "form save", As: admin, Method: "POST", URL: "/settings/catalog", Headers: form, Status: 200,
			Body: []byte(fmt.Sprintf("version=%d&stale_days=21&gates_on=reason&gates_on=assessment&industries_2=%s&industries_6=&industries_x=&zones=%s&talent_levels=%s&event_types=%s&action_lines=%s",
				v+1, url.QueryEscape("电子信息\r\n装备制造"), url.QueryEscape("昆山开发区\n周市镇"), url.QueryEscape("国家级"),
				url.QueryEscape("沙龙"), url.QueryEscape("一批招商联络站"))),
			Expect: []string{"已保存目录与规则", "新材料", "1 个招商单位"}},
	})
	_, body := off.Do("GET", "/api/v1/settings/catalog", nil, nil)
	cat := decode[matrix.Catalog](t, body)
	if cat.StaleDays != 21 || !slices.Equal(cat.Zones, []string{"昆山开发区", "周市镇"}) || len(cat.Industries) != 2 ||
		slices.Contains(cat.DisabledGates, "assessment") || !slices.Contains(cat.DisabledGates, "approval") {
		t.Errorf("after form save: %+v", cat)
	}
}

func TestCatalogStageWordsAPI(t *testing.T) {
	f := start(t)
	a, admin, mgr, off := f.a, f.admin, f.mgr, f.off
	v := catalogVersion(t, admin)
	put := func(words ...string) map[string]any {
		var ws []map[string]string
		for i := 0; i < len(words); i += 2 {
			ws = append(ws, map[string]string{"word": words[i], "stage": words[i+1]})
		}
		return map[string]any{"version": v, "stage_words": ws}
	}
	const api = "/api/v1/settings/catalog"
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "defaults", As: off, URL: api, Status: 200, Expect: []string{`"stage_words":[{"word":"搜索","stage":"search"}`, `{"word":"在谈","stage":"attract"}`}},
		{Name: "put officer", As: off, Method: "PUT", URL: api, Body: put("已开工", "process"), Status: 403},
		{Name: "put manager", As: mgr, Method: "PUT", URL: api, Body: put("已开工", "process"), Status: 403},
		{Name: "unknown stage", As: admin, Method: "PUT", URL: api, Body: put("已开工", "building"), Status: 422,
			Expect: []string{`"field":"stage_words"`, "已开工"}},
		{Name: "label is not a key", As: admin, Method: "PUT", URL: api, Body: put("已开工", "过程管理"), Status: 422, Expect: []string{`"field":"stage_words"`}},
		{Name: "duplicate", As: admin, Method: "PUT", URL: api, Body: put("在谈", "attract", "在谈", "push"), Status: 422, Expect: []string{"在谈"}},
		{Name: "empty table", As: admin, Method: "PUT", URL: api, Body: map[string]any{"version": v, "stage_words": []any{}}, Status: 422,
			Expect: []string{`"field":"stage_words"`}},
		{Name: "unknown field", As: admin, Method: "PUT", URL: api, Body: `{"version":1,"stage_words":[{"word":"a","stage":"push","x":1}]}`, Status: 400},
		{Name: "save", As: admin, Method: "PUT", URL: api, Body: put(" 已开工 ", "process", "ＫＯ", "dropped"), Status: 200,
			Expect: []string{`"stage_words":[{"word":"已开工","stage":"process"},{"word":"KO","stage":"dropped"}]`}},
		{Name: "other lists kept", As: off, URL: api, Status: 200, Expect: []string{`"zones":["昆山开发区"`, `{"word":"KO","stage":"dropped"}`}},
		{Name: "left out keeps", As: admin, Method: "PUT", URL: api, Body: map[string]any{"version": v + 1, "stale_days": 20}, Status: 200,
			Expect: []string{`"stage_words":[{"word":"已开工","stage":"process"},{"word":"KO","stage":"dropped"}]`}},
		{Name: "page shows labels", As: admin, URL: "/settings/catalog", Status: 200, Expect: []string{"已开工 = 过程管理\nKO = 终止</textarea>"}},
		{Name: "page officer read only", As: off, URL: "/settings/catalog", Status: 200, Expect: []string{`name="stage_words" rows="12" disabled`}},
		{Name: "form manager", As: mgr, Method: "POST", URL: "/settings/catalog", Headers: form,
			Body: []byte("stage_words=" + url.QueryEscape("开工 = 过程管理")), Status: 403},
	})
}

// A catalog stored before the 阶段 table existed reads as the defaults.
func TestCatalogStoredWithoutStageWords(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	old, err := a.P.Matrix.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old.StageWords = nil // omitempty: the stored document lacks the field
	if _, err := a.P.Store.DB.Collection("settings").ReplaceOne(ctx, bson.D{{Key: "_id", Value: matrix.CatalogID}}, old); err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := a.P.Store.DB.Collection("settings").FindOne(ctx, bson.D{{Key: "_id", Value: matrix.CatalogID}}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["stage_words"]; ok {
		t.Fatalf("stored document still has stage_words: %v", raw)
	}
	got, err := a.P.Matrix.Catalog(ctx)
	if err != nil || !slices.Equal(got.StageWords, matrix.DefaultStageWords()) {
		t.Fatalf("catalog without stage words: %v %v", got.StageWords, err)
	}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "api defaults", As: a.Admin(t), URL: "/api/v1/settings/catalog", Status: 200, Expect: []string{`{"word":"在谈","stage":"attract"}`}},
		{Name: "save keeps defaults", As: a.Admin(t), Method: "PUT", URL: "/api/v1/settings/catalog",
			Body: map[string]any{"version": got.Version, "stale_days": 12}, Status: 200, Expect: []string{`{"word":"在谈","stage":"attract"}`}},
	})
}

func TestTargets(t *testing.T) {
	f := start(t)
	a, admin, mgr, off, mgr2 := f.a, f.admin, f.mgr, f.off, f.mgr2
	vals := func(v int64, kv ...any) map[string]any {
		m := map[string]float64{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = float64(kv[i+1].(int))
		}
		return map[string]any{"version": v, "values": m}
	}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "get anon", URL: "/api/v1/targets?year=2030", Status: 401},
		{Name: "get officer", As: off, URL: "/api/v1/targets?year=2030", Status: 200,
			Expect: []string{`"year":2030`, `"unit":"city"`, `"events":500`, `"projects":3000`, `"total":19`, `"balanced":{`, `"events":false`}},
		{Name: "get bad year", As: off, URL: "/api/v1/targets?year=abc", Status: 400, Expect: []string{`"field":"year"`}},
		{Name: "get year out of range", As: off, URL: "/api/v1/targets?year=1999", Status: 400},
		{Name: "put anon", Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(0, "events", 10), Status: 401},
		{Name: "put officer own unit", As: off, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(0, "events", 10), Status: 403},
		{Name: "put manager own unit", As: mgr, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(0, "events", 300), Status: 200,
			Expect: []string{`"unit":"kfq"`, `"version":1`, `"events":300`}},
		{Name: "put manager other unit", As: mgr, Method: "PUT", URL: "/api/v1/targets/2030/gxq", Body: vals(0, "events", 10), Status: 403},
		{Name: "put manager subtree", As: mgr2, Method: "PUT", URL: "/api/v1/targets/2030/zs-zs", Body: vals(0, "events", 200), Status: 200,
			Expect: []string{`"unit":"zs-zs"`, `"version":1`, `"events":200`}},
		{Name: "put manager city", As: mgr, Method: "PUT", URL: "/api/v1/targets/2030/city", Body: vals(0, "events", 10), Status: 403},
		{Name: "put stale", As: mgr, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(0, "events", 1), Status: 409},
		{Name: "put negative", As: admin, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(1, "events", -5), Status: 422, Expect: []string{`"field":"values.events"`}},
		{Name: "put unknown kpi", As: admin, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: vals(1, "revenue", 5), Status: 422},
		{Name: "put unknown unit", As: admin, Method: "PUT", URL: "/api/v1/targets/2030/nope", Body: vals(0, "events", 5), Status: 404},
		{Name: "put bad year", As: admin, Method: "PUT", URL: "/api/v1/targets/20x0/kfq", Body: vals(0, "events", 5), Status: 400},
		{Name: "put malformed", As: admin, Method: "PUT", URL: "/api/v1/targets/2030/kfq", Body: `{"values":{"events":"many"}}`, Status: 400},
		{Name: "put admin city", As: admin, Method: "PUT", URL: "/api/v1/targets/2030/city", Body: vals(0, "events", 500, "projects", 3000), Status: 200,
			Expect: []string{`"unit":"city"`, `"unit_name":"全市"`}},
		{Name: "sums balanced", As: off, URL: "/api/v1/targets?year=2030", Status: 200,
			Expect: []string{`"sums":{"events":500}`, `"balanced":{`, `"events":true`, `"projects":false`}},
		// Pages.
		{Name: "page officer", As: off, URL: "/settings/targets?year=2030", Status: 200, Expect: []string{"本页只读", "一致"},
			Reject: []string{`form="tf-kfq"`}},
		{Name: "page manager", As: mgr, URL: "/settings/targets?year=2030", Status: 200, Expect: []string{`form="tf-kfq"`},
			Reject: []string{`form="tf-gxq"`, `form="tf-city"`}},
		{Name: "page admin", As: admin, URL: "/settings/targets?year=2030", Status: 200, Expect: []string{`form="tf-city"`, `form="tf-gxq"`}},
		{Name: "form officer", As: off, Method: "POST", URL: "/settings/targets/2030/kfq", Headers: form, Body: []byte("version=1&v_events=3"), Status: 403},
		{Name: "form manager other", As: mgr, Method: "POST", URL: "/settings/targets/2030/gxq", Headers: form, Body: []byte("version=0&v_events=3"), Status: 403},
		{Name: "form manager own", As: mgr, Method: "POST", URL: "/settings/targets/2030/kfq", Headers: form, Body: []byte("version=1&v_events=250&v_projects=1%2C200"), Status: 303},
	})
	st, body := off.Do("GET", "/api/v1/targets?year=2030", nil, nil)
	if st != 200 || !strings.Contains(body, `"values":{"events":250,"projects":1200}`) {
		t.Errorf("after form save: %d %.400s", st, body)
	}
}

func TestSettingsPages(t *testing.T) {
	f := start(t)
	a, admin, mgr, off := f.a, f.admin, f.mgr, f.off
	newUnit := url.Values{"id": {"zs-xc"}, "name": {"新城镇科技招商组"}, "short": {"新城"}, "layer": {"5"}, "type": {"zone"},
		"parent": {"zzfd"}, "zone": {"周市镇"}, "focus": {"新材料", "新能源"}, "order": {""}}
	cycle := url.Values{"version": {"1"}, "name": {"镇域"}, "layer": {"5"}, "type": {"zone"}, "parent": {"zs-zs"}}
	testapp.Run(t, a, []testapp.Scenario{
		{Name: "matrix anon", URL: "/settings", Status: 303},
		{Name: "matrix officer", As: off, URL: "/settings", Status: 200,
			Expect: []string{"牵头主体（2）", "市级平台（4）", "区镇分队（5）", "镇域科技招商联合分队", "└ ", "kfq_off名", "本页只读"},
			Reject: []string{`href="/settings/units/new"`}},
		{Name: "matrix manager", As: mgr, URL: "/settings", Status: 200, Expect: []string{"kfq_mgr名（管理者）"}, Reject: []string{"编辑</a>"}},
		{Name: "matrix admin", As: admin, URL: "/settings", Status: 200, Expect: []string{`href="/settings/units/new"`, `href="/settings/units/kfq"`}},
		{Name: "new form officer", As: off, URL: "/settings/units/new", Status: 403},
		{Name: "new form manager", As: mgr, URL: "/settings/units/new", Status: 403},
		{Name: "new form admin", As: admin, URL: "/settings/units/new?parent=zzfd", Status: 200, Expect: []string{`<option value="zzfd" selected>`}},
		{Name: "edit form officer", As: off, URL: "/settings/units/kfq", Status: 403},
		{Name: "edit form admin", As: admin, URL: "/settings/units/zzfd", Status: 200, Expect: []string{"删除该单位"}, Reject: []string{`<option value="zs-zs"`}},
		{Name: "edit form unknown", As: admin, URL: "/settings/units/nope", Status: 404},
		{Name: "create form officer", As: off, Method: "POST", URL: "/settings/units/new", Headers: form, Body: []byte(newUnit.Encode()), Status: 403},
		{Name: "create form admin", As: admin, Method: "POST", URL: "/settings/units/new", Headers: form, Body: []byte(newUnit.Encode()), Status: 303},
		{Name: "create form duplicate", As: admin, Method: "POST", URL: "/settings/units/new", Headers: form, Body: []byte(newUnit.Encode()), Status: 422,
			Expect: []string{"已存在", `aria-invalid="true"`}},
		{Name: "shown in tree", As: off, URL: "/settings", Status: 200, Expect: []string{`id="u-zs-xc"`, "新城镇科技招商组", "新材料、新能源"}},
		{Name: "update form manager", As: mgr, Method: "POST", URL: "/settings/units/zzfd", Headers: form, Body: []byte(cycle.Encode()), Status: 403},
		{Name: "update form cycle", As: admin, Method: "POST", URL: "/settings/units/zzfd", Headers: form, Body: []byte(cycle.Encode()), Status: 422,
			Expect: []string{"循环"}},
		{Name: "update form stale", As: admin, Method: "POST", URL: "/settings/units/zs-xc", Headers: form,
			Body: []byte("version=9&name=x&layer=5&type=zone&parent=zzfd"), Status: 409, Expect: []string{"当前已保存的内容", "新城镇科技招商组", "名称"}},
		{Name: "delete form officer", As: off, Method: "POST", URL: "/settings/units/zs-xc/delete", Headers: form, Body: []byte("version=1"), Status: 403},
		{Name: "delete form in use", As: admin, Method: "POST", URL: "/settings/units/kfq/delete", Headers: form, Body: []byte("version=1"), Status: 303},
		{Name: "delete form admin", As: admin, Method: "POST", URL: "/settings/units/zs-xc/delete", Headers: form, Body: []byte("version=1"), Status: 303},
		{Name: "deleted from tree", As: off, URL: "/settings", Status: 200, Expect: []string{`id="u-kfq"`}, Reject: []string{`id="u-zs-xc"`}},
	})
}
