package header_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/projects"
)

// rows builds rows from "|"-separated lines; an empty line is a blank row
// (skipped, but it advances the row number, as sheet.Rows does).
func rows(lines ...string) []sheet.Row {
	var out []sheet.Row
	for i, l := range lines {
		if l == "" {
			continue
		}
		out = append(out, sheet.Row{Num: i + 1, Cells: strings.Split(l, "|")})
	}
	return out
}

// wantSame reports what Detect found for what when it is not want.
func wantSame(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s %v want %v", what, got, want)
	}
}

// orNone is m, or an empty map when a case leaves it out.
func orNone(m map[int]string) map[int]string {
	if m == nil {
		return map[int]string{}
	}
	return m
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"总投资（万元）":       "总投资",
		"总投资(万元)":       "总投资",
		"总投资/万元":        "总投资",
		"总投资万元":         "总投资",
		" 项目 名称\n":      "项目名称",
		"项目名称＊":         "项目名称",
		"*项目名称【必填】":     "项目名称",
		"联系电话：":         "联系电话",
		"ＡＢＣ":           "abc",
		"签约时间\u3000":    "签约时间",
		"统一社会信用代码(18位)": "统一社会信用代码",
		"((嵌套)括号)名称":    "名称",
	}
	for in, want := range cases {
		if got := header.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name      string
		rows      []sheet.Row
		index     int
		headerRow int
		parentRow int
		columns   map[int]string
		units     map[int]string
		unmapped  []int
		duplicate map[int]string
		missing   []string
		minConf   float64
	}{
		{
			name: "plain",
			rows: rows("项目名称|投资方|对接人|联系电话|总投资|所属区镇|阶段|签约时间|统一社会信用代码",
				"量子芯片|某公司|张三|138|1200|开发区|在谈|2024-03-05|91320583MA1XXXXXX"),
			headerRow: 1,
			columns:   map[int]string{0: "name", 1: "enterprise", 2: "contact_name", 3: "contact_phone", 4: "investment", 5: "zone", 6: "stage", 7: "signed_at", 8: "credit_code"},
			minConf:   0.99,
		},
		{
			name:    "synonyms, width and whitespace",
			rows:    rows("序号|名  称|企业名称＊|联系人|手 机|投资额（亿元）|区镇|项目进展|签约日期|信用代码"),
			columns: map[int]string{1: "name", 2: "enterprise", 3: "contact_name", 4: "contact_phone", 5: "investment", 6: "zone", 7: "stage", 8: "signed_at", 9: "credit_code"},
			units:   map[int]string{5: "亿元"}, headerRow: 1, minConf: 0.99,
		},
		{
			name: "title and note rows above",
			rows: rows("2024年昆山开发区科技招商项目台账",
				"填报单位：昆山开发区招商局|||日期：2024年3月31日",
				"",
				"序号|项目名称|投资主体|对接人|联系电话|总投资\n（万元）|进展",
				"1|量子芯片|某公司|张三|13800138000|1200|在谈"),
			index: 2, headerRow: 4,
			columns: map[int]string{1: "name", 2: "enterprise", 3: "contact_name", 4: "contact_phone", 5: "investment", 6: "stage"},
			units:   map[int]string{5: "万元"}, minConf: 0.99,
		},
		{
			name: "two-level header with merged parents",
			rows: rows("2024年昆山开发区科技招商项目台账",
				"序号|项目名称|投资方|对接信息||总投资（万元）|签约时间",
				"|||对接人|联系电话",
				"1|量子芯片|某公司|张三|13800138000|1200|45356"),
			index: 2, headerRow: 3, parentRow: 2,
			columns: map[int]string{1: "name", 2: "enterprise", 3: "contact_name", 4: "contact_phone", 5: "investment", 6: "signed_at"},
			units:   map[int]string{5: "万元"}, minConf: 0.99,
		},
		{
			name: "two-level: parent+child names a field",
			rows: rows("项目名称|投资方信息||签约|对接人",
				"|名称|信用代码|时间|"),
			index: 1, headerRow: 2, parentRow: 1,
			columns: map[int]string{0: "name", 1: "enterprise", 2: "credit_code", 3: "signed_at", 4: "contact_name"},
			minConf: 0.99,
		},
		{
			name:      "duplicate and unmapped columns",
			rows:      rows("项目名称|联系电话|手机|备用列|其他说明"),
			headerRow: 1,
			columns:   map[int]string{0: "name", 1: "contact_phone"},
			unmapped:  []int{3, 4},
			duplicate: map[int]string{2: "contact_phone"},
			minConf:   0.5,
		},
		{
			name:      "required field missing",
			rows:      rows("投资方|对接人|联系电话"),
			headerRow: 1,
			columns:   map[int]string{0: "enterprise", 1: "contact_name", 2: "contact_phone"},
			missing:   []string{"name"},
			minConf:   0.69,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := header.Detect(c.rows, projects.LedgerFields)
			if err != nil {
				t.Fatal(err)
			}
			if res.Index != c.index || res.HeaderRow != c.headerRow || res.ParentRow != c.parentRow {
				t.Errorf("index %d row %d parent %d, want %d %d %d", res.Index, res.HeaderRow, res.ParentRow, c.index, c.headerRow, c.parentRow)
			}
			if !reflect.DeepEqual(res.Columns, c.columns) {
				t.Errorf("columns %v\nwant    %v\nlabels %q", res.Columns, c.columns, res.Labels)
			}
			wantSame(t, "units", res.Units, orNone(c.units))
			wantSame(t, "unmapped", res.Unmapped, c.unmapped)
			wantSame(t, "duplicate", res.Duplicate, orNone(c.duplicate))
			wantSame(t, "missing", res.Missing, c.missing)
			if res.Confidence < c.minConf || res.Confidence > 1 {
				t.Errorf("confidence %.3f, want ≥ %.2f", res.Confidence, c.minConf)
			}
		})
	}
}

func TestDetectNoHeader(t *testing.T) {
	cases := map[string][]sheet.Row{
		"nothing":        nil,
		"only title":     rows("2024年昆山开发区科技招商项目台账", "填报单位：某局"),
		"one match only": rows("项目名称|甲|乙"),
		"header too deep": func() []sheet.Row {
			lines := make([]string, header.ScanRows)
			for i := range lines {
				lines[i] = "说明文字"
			}
			return rows(append(lines, "项目名称|投资方|对接人")...)
		}(),
	}
	for name, rs := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := header.Detect(rs, projects.LedgerFields)
			if !errors.Is(err, header.ErrNoHeader) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatal("message must be one line")
			}
		})
	}
}

func TestIsSubtotal(t *testing.T) {
	cases := []struct {
		cells []string
		want  bool
	}{
		{[]string{"合计", "", "", "1700"}, true},
		{[]string{"", "小 计", "500"}, true},
		{[]string{"总计："}, true},
		{[]string{"1", "合计系统集成项目"}, false},
		{[]string{"1", "量子芯片", "某公司", "合计"}, false},
	}
	for _, c := range cases {
		if got := header.IsSubtotal(sheet.Row{Cells: c.cells}); got != c.want {
			t.Errorf("IsSubtotal(%q) = %v", c.cells, got)
		}
	}
}

// TestLedgerEndToEnd reads a messy .xlsx built with excelize through
// sheet.Rows and detects its two-level header.
func TestLedgerEndToEnd(t *testing.T) {
	f := excelize.NewFile()
	s := "Sheet1"
	vals := map[string]any{
		"A1": "2024年昆山开发区科技招商项目台账", "A2": "填报单位：昆山开发区招商局  日期：2024年3月31日",
		"A3": "序号", "B3": "项目名称", "C3": "投资方", "D3": "对接信息", "F3": "总投资（万元）", "G3": "签约时间",
		"D4": "对接人", "E4": "联系电话",
		"A5": 1, "B5": "量子芯片研发中心", "C5": "苏州某科技有限公司", "D5": "张三", "E5": "13800138000", "F5": 1200, "G5": time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
		"A7": "合计", "F7": 1200,
	}
	for cell, v := range vals {
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	f.MergeCell(s, "A1", "G1")
	f.MergeCell(s, "D3", "E3")
	for _, c := range []string{"A", "B", "C", "F", "G"} {
		f.MergeCell(s, c+"3", c+"4")
	}
	st, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(s, "G5", "G5", st)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := sheet.OpenXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	it, err := b.Rows("")
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var all []sheet.Row
	for it.Next() {
		all = append(all, it.Row())
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	res, err := header.Detect(all, projects.LedgerFields)
	if err != nil {
		t.Fatal(err)
	}
	if res.HeaderRow != 4 || res.ParentRow != 3 {
		t.Fatalf("header rows %d/%d", res.ParentRow, res.HeaderRow)
	}
	data := all[res.Index+1:]
	if len(data) != 2 || data[0].Num != 5 || data[1].Num != 7 || !header.IsSubtotal(data[1]) || header.IsSubtotal(data[0]) {
		t.Fatalf("data rows %+v", data)
	}
	got := res.Record(data[0])
	want := map[string]string{"name": "量子芯片研发中心", "enterprise": "苏州某科技有限公司", "contact_name": "张三",
		"contact_phone": "13800138000", "investment": "1200", "signed_at": "2024-03-05"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("record %v", got)
	}
	if res.Field("investment") != 5 || res.Units[5] != "万元" || res.Field("stage") != -1 {
		t.Fatalf("field lookup %d %v", res.Field("investment"), res.Units)
	}
}

// FuzzDetect feeds arbitrary grids ("\n" between rows, "|" between cells):
// header.Detect must not panic and its result must be self-consistent.
func FuzzDetect(f *testing.F) {
	f.Add("项目名称|投资方|对接人\n量子|某公司|张三")
	f.Add("标题\n|||\n序号|项目名称|对接信息|\n||对接人|联系电话")
	f.Fuzz(func(t *testing.T, s string) {
		rs := rows(strings.Split(s, "\n")...)
		res, err := header.Detect(rs, projects.LedgerFields)
		if err != nil {
			if !errors.Is(err, header.ErrNoHeader) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if res.Index < 0 || res.Index >= len(rs) || res.Index >= header.ScanRows || rs[res.Index].Num != res.HeaderRow {
			t.Fatalf("bad index %d/%d of %d rows", res.Index, res.HeaderRow, len(rs))
		}
		if res.ParentRow != 0 && res.ParentRow != res.HeaderRow-1 {
			t.Fatalf("parent %d header %d", res.ParentRow, res.HeaderRow)
		}
		if len(res.Columns) < 2 {
			t.Fatalf("accepted with %d columns", len(res.Columns))
		}
		seen := map[string]bool{}
		for c, k := range res.Columns {
			if c < 0 || c >= len(res.Labels) || seen[k] {
				t.Fatalf("column %d key %q labels %d", c, k, len(res.Labels))
			}
			seen[k] = true
		}
		for c, k := range res.Duplicate {
			if !seen[k] || res.Columns[c] != "" {
				t.Fatalf("duplicate %d %q", c, k)
			}
		}
		if res.Confidence < 0 || res.Confidence > 1 {
			t.Fatalf("confidence %v", res.Confidence)
		}
	})
}
