package projects_test

import (
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/projects"
)

func TestSimilarProjectNames(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"张浦新能源电池项目", "张浦新能源电池项目", true},
		{"昆山张浦新能源电池项目", "张浦新能源电池项目", true},
		{"恒创智能装备 扩产项目", "恒创智能装备扩产项目", true},
		{"督办测试项目1", "督办测试项目10", false},
		{"新材料产业园一期", "新材料产业园二期", false},
		{"新材料产业园一期", "新材料产业园一期", true},
		{"石墨烯导热膜项目", "高分子分离膜中试项目", false},
		{"开发区新能源电池项目", "附件项目", false},
		{"昆山恒创智能装备扩产项目", "恒创智能装备扩产", true},
		{"项目", "项目", true},
		{"甲团队", "乙团队", false},
	} {
		if got := projects.SimilarNames(c.a, c.b); got != c.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestCreateWarnsOfDuplicates: a new project named like a stored one (in
// any unit) is refused with the candidates until confirmed; names differing
// by a number or phase, and another project of the same enterprise, are not.
func TestCreateWarnsOfDuplicates(t *testing.T) {
	e := setup(t)
	create(t, e.officer, map[string]any{"type": "industry", "name": "张浦新能源电池项目", "unit": "kfq", "credit_code": "91350100M000100Y43"})
	create(t, e.officer, map[string]any{"type": "industry", "name": "督办测试项目1", "unit": "kfq"})
	api := "/api/v1/projects"
	testapp.Run(t, e.a, []testapp.Scenario{
		{Name: "same name", As: e.officer, Method: "POST", URL: api, Body: map[string]any{"type": "industry", "name": "张浦新能源电池项目", "unit": "kfq"},
			Status: 409, Expect: []string{`"code":"possible_duplicate"`, "张浦新能源电池项目", "名称相近", "confirm_duplicate"}},
		{Name: "similar name in another unit", As: e.other, Method: "POST", URL: api, Body: map[string]any{"type": "industry", "name": "昆山张浦新能源电池项目", "unit": "gxq"},
			Status: 409, Expect: []string{`"unit":"kfq"`, `"unit_name":"昆山开发区科技招商分队"`}},
		{Name: "same credit code, other project", As: e.other, Method: "POST", URL: api, Body: map[string]any{"type": "industry", "name": "完全不同的名字", "unit": "gxq", "credit_code": "91350100M000100Y43"},
			Status: 201, Expect: []string{`"name":"完全不同的名字"`, `"unit":"gxq"`, `"credit_code":"91350100M000100Y43"`}},
		{Name: "number differs", As: e.officer, Method: "POST", URL: api, Body: map[string]any{"type": "industry", "name": "督办测试项目2", "unit": "kfq"}, Status: 201,
			Expect: []string{`"name":"督办测试项目2"`, `"version":1`}},
		{Name: "confirmed", As: e.officer, Method: "POST", URL: api, Body: map[string]any{"type": "industry", "name": "张浦新能源电池项目", "unit": "kfq", "confirm_duplicate": true},
			Status: 201, Expect: []string{`"name":"张浦新能源电池项目"`, `"version":1`}},
		{Name: "form warns", As: e.officer, Method: "POST", URL: "/projects/new", Body: "type=industry&name=" + "%E5%BC%A0%E6%B5%A6%E6%96%B0%E8%83%BD%E6%BA%90%E7%94%B5%E6%B1%A0%E9%A1%B9%E7%9B%AE" + "&unit=kfq",
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 409, Expect: []string{"project-duplicates", "confirm_duplicate"}},
	})
}
