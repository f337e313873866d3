package export_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/events"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
)

// widget is a kind registered by the test only: templates are generic over
// header.FieldsFor.
type widget struct{ rec }

var widgetFields = header.Register("widgets", []header.Field{
	{Key: "title", Label: "名称", Required: true},
	{Key: "color", Label: "颜色", Choices: "color"},
	{Key: "made", Label: "出厂日期"},
	{Key: "price", Label: "价格"},
})

var _ = export.Declare(export.Sheet[*widget]{Kind: "widgets", Columns: []export.Column[*widget]{
	{Key: "title"}, {Key: "color"}, {Key: "made", Type: export.Date}, {Key: "price", Type: export.Amount}}})

func industries(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("新一代信息技术%02d", i))
	}
	return out
}

var vocab = export.Vocab{
	header.ChoiceStage:        {"资源搜索", "资源推送", "资源招引", "评估决策", "过程管理", "后道服务", "暂缓", "终止"},
	header.ChoiceProjectType:  {"人才项目", "产业项目", "平台项目"},
	header.ChoiceIndustry:     industries(30), // > 255 characters: through the 选项 sheet
	header.ChoiceZone:         {"玉山镇", "巴城镇", "周市镇"},
	header.ChoiceMaturity:     resources.Maturities,
	header.ChoiceTransferMode: resources.TransferModes,
	header.ChoiceResultStatus: resources.ResultStatuses,
	"color":                   {"红", "绿"},
}

func openTemplate(t *testing.T, kind string) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Template(&buf, kind, vocab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// validation returns the drop-down of column col (letter) on the template sheet.
func validation(t *testing.T, f *excelize.File, col string) *excelize.DataValidation {
	t.Helper()
	dvs, err := f.GetDataValidations(export.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, col+"2:") {
			return dv
		}
	}
	return nil
}

func colOf(t *testing.T, head []string, label string) string {
	t.Helper()
	i := slices.Index(head, label)
	if i < 0 {
		t.Fatalf("header %q lacks %q", head, label)
	}
	c, _ := excelize.ColumnNumberToName(i + 1)
	return c
}

func TestTemplateProjects(t *testing.T) {
	f := openTemplate(t, "projects")
	if got := f.GetSheetList(); !slices.Equal(got, []string{export.TemplateSheet, export.HelpSheet, export.ChoicesSheet}) {
		t.Fatalf("sheets = %q", got)
	}
	if v, _ := f.GetSheetVisible(export.ChoicesSheet); v {
		t.Error("选项 sheet is visible")
	}
	rows, _ := f.GetRows(export.TemplateSheet)
	head := rows[0]
	if len(head) != len(header.Visible(projects.LedgerFields)) {
		t.Errorf("header = %q", head)
	}
	for _, l := range head {
		if strings.Contains(l, "记录ID") || strings.Contains(l, "记录版本") {
			t.Errorf("hidden field %q in template", l)
		}
	}
	if head[0] != "项目名称*" {
		t.Errorf("first column = %q, want 项目名称*", head[0])
	}
	colOf(t, head, "总投资（万元）")

	stage := validation(t, f, colOf(t, head, "阶段"))
	if stage == nil || stage.Formula1 != `"资源搜索,资源推送,资源招引,评估决策,过程管理,后道服务,暂缓,终止"` {
		t.Errorf("stage drop-down = %+v", stage)
	}
	ind := validation(t, f, colOf(t, head, "所属行业"))
	if ind == nil || !strings.HasPrefix(ind.Formula1, export.ChoicesSheet+"!$A$2:$A$31") {
		t.Fatalf("industry drop-down = %+v", ind)
	}
	opts, _ := f.GetCols(export.ChoicesSheet)
	if len(opts) < 1 || !slices.Equal(opts[0][1:], industries(30)) {
		t.Errorf("选项 column A = %q", opts)
	}
	if validation(t, f, colOf(t, head, "项目名称*")) != nil {
		t.Error("free text column has a drop-down")
	}
	date := colOf(t, head, "签约时间")
	if s, _ := f.GetColStyle(export.TemplateSheet, date); s == 0 {
		t.Error("date column has no format")
	} else if st, _ := f.GetStyle(s); st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date column format = %+v", st)
	}

	// The importer maps the template's header completely.
	res, err := header.Detect([]sheet.Row{{Num: 1, Cells: head}}, projects.LedgerFields)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unmapped) > 0 || len(res.Missing) > 0 || len(res.Columns) != len(head) {
		t.Errorf("template header maps %d of %d, unmapped %v, missing %v", len(res.Columns), len(head), res.Unmapped, res.Missing)
	}

	help, _ := f.GetRows(export.HelpSheet)
	text := fmt.Sprint(help)
	for _, want := range []string{"2024-03-05", "万元", "项目名称", "签约时间", "资源招引", "投资方", "其他联系人", "姓名 电话；姓名 电话"} {
		if !strings.Contains(text, want) {
			t.Errorf("填写说明 lacks %q", want)
		}
	}
	lines := 0
	for _, r := range help {
		if len(r) > 1 && (r[1] == "是" || r[1] == "否") {
			lines++
		}
	}
	if lines != len(head) {
		t.Errorf("填写说明 has %d column lines, want %d", lines, len(head))
	}
}

// Technology results: every enumeration the model declares (成熟度, 转化方式,
// 转化状态, 产业领域) has its drop-down and its values in 填写说明.
func TestTemplateResults(t *testing.T) {
	f := openTemplate(t, resources.KindResults)
	head, _ := f.GetRows(export.TemplateSheet)
	for label, want := range map[string][]string{"成熟度": resources.Maturities, "转化方式": resources.TransferModes,
		"转化状态": resources.ResultStatuses, "产业领域": industries(30)} {
		dv := validation(t, f, colOf(t, head[0], label))
		if dv == nil {
			t.Errorf("%s has no drop-down", label)
			continue
		}
		if got := dropValues(t, f, dv); !slices.Equal(got, want) {
			t.Errorf("%s drop-down = %q, want %q", label, got, want)
		}
	}
	fields := header.FieldsFor(resources.KindResults)
	for _, rf := range resources.ResultKind.Fields {
		i := slices.IndexFunc(fields, func(f header.Field) bool { return f.Key == rf.Key })
		if rf.Type == resources.TypeChoice && (i < 0 || fields[i].Choices == "") {
			t.Errorf("choice field %s has no import vocabulary", rf.Key)
		}
	}
	help, _ := f.GetRows(export.HelpSheet)
	if text := fmt.Sprint(help); !strings.Contains(text, strings.Join(resources.Maturities, "、")) ||
		!strings.Contains(text, strings.Join(resources.TransferModes, "、")) {
		t.Errorf("填写说明 lacks the choices: %q", help)
	}
}

// Events: the participant lists are columns of their own (names, no
// drop-down), explained in 填写说明, and mapped back by the importer.
func TestTemplateEvents(t *testing.T) {
	f := openTemplate(t, events.Kind)
	rows, _ := f.GetRows(export.TemplateSheet)
	head := rows[0]
	if head[0] != "活动名称*" || len(head) != len(header.Visible(header.FieldsFor(events.Kind))) {
		t.Errorf("header = %q", head)
	}
	for _, label := range []string{"参与企业数", "参与人才数", "参与企业名单", "参与人才名单"} {
		if validation(t, f, colOf(t, head, label)) != nil {
			t.Errorf("%s has a drop-down", label)
		}
	}
	res, err := header.Detect([]sheet.Row{{Num: 1, Cells: head}}, header.FieldsFor(events.Kind))
	if err != nil || len(res.Unmapped) > 0 || len(res.Missing) > 0 || len(res.Columns) != len(head) {
		t.Fatalf("template header maps %+v, %v", res, err)
	}
	for label, key := range map[string]string{"参与企业名单": "participant_enterprises", "参与人才名单": "participant_talents"} {
		if i := slices.Index(head, label); res.Columns[i] != key {
			t.Errorf("%s maps to %q, want %s", label, res.Columns[i], key)
		}
	}

	help, _ := f.GetRows(export.HelpSheet)
	lines := map[string][]string{}
	for _, r := range help {
		if len(r) > 2 {
			lines[r[0]] = r
		}
	}
	for label, want := range map[string][]string{
		"参与企业名单": {"企业名称", "多个用“、”分隔", "唯一同名企业时自动关联", "空单元格表示清空名单", "参会企业", "企业名单"},
		"参与人才名单": {"人才姓名", "多个用“、”分隔", "唯一同名人才时自动关联", "表中没有此列则保留原名单", "参会人才", "嘉宾名单"},
	} {
		line := strings.Join(lines[label], " | ")
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("填写说明 line of %s lacks %q: %q", label, w, line)
			}
		}
	}
}

func TestTemplateRegisteredKind(t *testing.T) {
	f := openTemplate(t, "widgets")
	if got := f.GetSheetList(); !slices.Equal(got, []string{export.TemplateSheet, export.HelpSheet}) {
		t.Errorf("sheets = %q (no long list, no 选项 sheet)", got)
	}
	rows, _ := f.GetRows(export.TemplateSheet)
	if want := []string{"名称*", "颜色", "出厂日期", "价格（万元）"}; !slices.Equal(rows[0], want) {
		t.Errorf("header = %q, want %q", rows[0], want)
	}
	if dv := validation(t, f, "B"); dv == nil || dv.Formula1 != `"红,绿"` {
		t.Errorf("color drop-down = %+v", dv)
	}
	if len(widgetFields) != 6 {
		t.Errorf("registered fields = %d", len(widgetFields))
	}
}

func TestTemplateUnknownKind(t *testing.T) {
	if err := export.Template(&bytes.Buffer{}, "nope", vocab); err == nil {
		t.Error("template of an unknown kind")
	}
}
