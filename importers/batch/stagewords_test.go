package batch_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
)

// catalogForm is the 目录与规则 form as the page would post it for the
// stored catalog, with the 阶段 words replaced by lines.
func catalogForm(t *testing.T, admin *testapp.Client, stageLines []string) url.Values {
	t.Helper()
	st, body := admin.Do("GET", "/api/v1/settings/catalog", nil, nil)
	var doc struct {
		matrix.Catalog
		Gates []struct {
			Key     string `json:"key"`
			Enabled bool   `json:"enabled"`
		} `json:"gates"`
	}
	if err := json.Unmarshal([]byte(body), &doc); st != 200 || err != nil {
		t.Fatalf("catalog: %d %v %.200s", st, err, body)
	}
	c := &doc.Catalog
	f := url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "stale_days": {strconv.Itoa(c.StaleDays)},
		"stage_words": {strings.Join(stageLines, "\n")}}
	for _, g := range matrix.IndustryGroups {
		f.Set("industries_"+strings.ToLower(g), strings.Join(c.IndustriesIn(g), "\n"))
	}
	for _, l := range matrix.CatalogLists[1:] {
		f.Set(l, strings.Join(c.List(l), "\n"))
	}
	for _, g := range doc.Gates {
		if g.Enabled {
			f.Add("gates_on", g.Key)
		}
	}
	return f
}

// The office edits the 阶段 words on 系统设置 › 目录与规则; the next import
// reads them without a release.
func TestCatalogStageWordsDriveImport(t *testing.T) {
	a := testapp.Start(t)
	admin := a.Admin(t)
	cat, err := a.P.Matrix.Catalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, w := range cat.StageWords {
		if w.Word != "服务" && w.Word != "资源招引" {
			lines = append(lines, w.Word+" = "+w.Stage) // keys, where the page shows labels: both are read
		}
	}
	lines = append(lines, "已开工 = 过程管理")
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

	bad := catalogForm(t, admin, append(lines, "开工 = 建设中"))
	st, body := admin.Do("POST", "/settings/catalog", []byte(bad.Encode()), form)
	if st != 422 || !strings.Contains(body, "阶段用语“开工”对应的阶段“建设中”不存在") || !strings.Contains(body, "开工 = 建设中</textarea>") {
		t.Fatalf("bad line: %d, want 422 with the message and the typed text\n%.3000s", st, body)
	}
	st, body = admin.Do("POST", "/settings/catalog", []byte(catalogForm(t, admin, lines).Encode()), form)
	if st != 200 || !strings.Contains(body, "已保存目录与规则") || !strings.Contains(body, "已开工 = 过程管理") ||
		strings.Contains(body, "\n服务 = ") {
		t.Fatalf("save: %d %.3000s", st, body)
	}

	rows := map[int][]any{
		1: {"项目名称", "项目类型", "阶段", "签约日期", "所属区镇", "行业"},
		2: {"开工项目", "产业", "已开工", "2024-03-05", "张浦镇", "新能源"},
		3: {"服务项目", "产业", "服务", "", "张浦镇", "新能源"},
		4: {"标签项目", "产业", "资源招引", "", "张浦镇", "新能源"}, // a stage label works without a table entry
	}
	rep := run(t, a.P.Imports, rows, false)
	if rep.Created != 2 || rep.Rejected != 1 {
		t.Fatalf("created %d rejected %d, errors %+v", rep.Created, rep.Rejected, rep.Errors)
	}
	var served bool
	for _, e := range rep.Errors {
		if e.Row == 3 {
			served = e.Column == "阶段" && strings.Contains(e.Message, "未知阶段")
		}
	}
	if !served {
		t.Errorf("服务 not rejected on the 阶段 column: %+v", rep.Errors)
	}
	stages := map[string]string{}
	for _, p := range projectsIn(t, a, rep.BatchID) {
		stages[p.Name] = p.Stage
	}
	if stages["开工项目"] != projects.StageProcess || stages["标签项目"] != projects.StageAttract || len(stages) != 2 {
		t.Errorf("imported stages %v, want 开工项目 process, 标签项目 attract", stages)
	}
}
