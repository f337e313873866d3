package export_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/projects"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+86 512", "'+86 512"}, {"-5", "'-5"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"", ""}, {"项目", "项目"}, {"a=b", "a=b"}, {"'x", "'x"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"}, {" =1", " =1"}, {"\n=1", "\n=1"},
	} {
		if got := cells.SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := cells.RestoreCell(cells.SafeCell(tc.in)); got != tc.in {
			t.Errorf("RestoreCell(SafeCell(%q)) = %q", tc.in, got)
		}
	}
}

// rec is a project-like record.
type rec struct {
	core.Meta
	Name, Stage, Phone string
	Tags               []string
	Investment         float64
	Signed             time.Time
	Attendees          int
}

// projectSheet uses the projects import fields' keys, so its labels are the
// importer's.
var projectSheet = export.Sheet[*rec]{Kind: "projects", Name: "项目", Columns: []export.Column[*rec]{
	{Key: "name", Value: func(r *rec) any { return r.Name }},
	{Key: "stage", Value: func(r *rec) any { return r.Stage }},
	{Key: "contact_phone", Value: func(r *rec) any { return r.Phone }},
	{Key: "investment", Type: export.Amount, Value: func(r *rec) any { return r.Investment }},
	{Key: "signed_at", Type: export.Date, Value: func(r *rec) any { return r.Signed }},
	{Key: "summary", Value: func(r *rec) any { return r.Tags }},
	{Key: "attendees", Label: "参会人数", Type: export.Int, Value: func(r *rec) any { return r.Attendees }},
}}

func sample() []*rec {
	return []*rec{
		{Meta: core.Meta{ID: "a1", Version: 3}, Name: "=cmd|' /C calc'!A0", Stage: "资源招引", Phone: "+8613800000000",
			Investment: 1234.5, Signed: time.Date(2024, 3, 5, 23, 30, 0, 0, core.Zone()), Tags: []string{"甲", "乙"}, Attendees: 12},
		{Meta: core.Meta{ID: "b2", Version: 1}, Name: "昆山新材料", Stage: "暂缓", Signed: time.Date(2024, 3, 4, 17, 0, 0, 0, time.UTC)},
	}
}

func each(rs []*rec) func(func(*rec) error) error {
	return func(fn func(*rec) error) error {
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestWriteRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	n, err := export.Write(&buf, projectSheet, each(sample()))
	if err != nil || n != 2 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("项目")
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"记录ID", "记录版本", "项目名称", "阶段", "联系电话", "总投资（万元）", "签约时间", "项目简介", "参会人数"}
	if !slices.Equal(rows[0], wantHead) {
		t.Errorf("header = %q, want %q", rows[0], wantHead)
	}
	for col, hidden := range map[string]bool{"A": true, "B": true, "C": false, "I": false} {
		if v, _ := f.GetColVisible("项目", col); v == hidden {
			t.Errorf("column %s visible = %v", col, v)
		}
	}
	p, err := f.GetPanes("项目")
	if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v", p, err)
	}
	xml := sheetXML(t, buf.Bytes())
	if ref := strings.ReplaceAll(between(xml, `<autoFilter ref="`, `"`), "$", ""); ref != "A1:I3" {
		t.Errorf("no auto-filter over A1:I3 in %.400s", xml[strings.Index(xml, "</sheetData>"):])
	}
	for cell, want := range map[string]string{
		"A2": "a1", "B2": "3", "C2": "'=cmd|' /C calc'!A0", "D2": "资源招引", "E2": "'+8613800000000",
		"F2": "1,234.50", "G2": "2024-03-05", "H2": "甲、乙", "I2": "12",
		"A3": "b2", "F3": "", "G3": "2024-03-05", "I3": "0",
	} {
		if got, _ := f.GetCellValue("项目", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]excelize.CellType{"B2": excelize.CellTypeNumber, "F2": excelize.CellTypeNumber,
		"G2": excelize.CellTypeNumber, "I2": excelize.CellTypeNumber} {
		if ct, _ := f.GetCellType("项目", cell); ct != want && ct != excelize.CellTypeUnset {
			t.Errorf("%s type = %v, want number", cell, ct)
		}
	}
	raw, _ := f.GetCellValue("项目", "G2", excelize.Options{RawCellValue: true})
	if raw != "45356" { // 2024-03-05 as an Excel serial
		t.Errorf("G2 raw = %q, want the date serial 45356", raw)
	}
	raw, _ = f.GetCellValue("项目", "F2", excelize.Options{RawCellValue: true})
	if raw != "1234.5" {
		t.Errorf("F2 raw = %q, want 1234.5", raw)
	}
	style, _ := f.GetCellStyle("项目", "C1")
	if s, _ := f.GetStyle(style); s == nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header cell not bold: %+v", s)
	}

	// The importer's header detection maps every column back.
	var srows []sheet.Row
	for i, r := range rows {
		srows = append(srows, sheet.Row{Num: i + 1, Cells: r})
	}
	res, err := header.Detect(srows, projects.LedgerFields)
	if err != nil {
		t.Fatal(err)
	}
	if res.HeaderRow != 1 || res.Columns[0] != header.KeyID || res.Columns[1] != header.KeyVersion ||
		res.Columns[5] != "investment" || res.Units[5] != "万元" {
		t.Errorf("re-import mapping = %+v", res)
	}
	if len(res.Unmapped) != 1 || res.Unmapped[0] != 8 { // 参会人数 is not a projects field
		t.Errorf("unmapped = %v, want [8]", res.Unmapped)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

func sheetXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range z.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			r, _ := zf.Open()
			x, _ := io.ReadAll(r)
			return string(x)
		}
	}
	t.Fatal("no sheet1.xml")
	return ""
}

func TestWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	n, err := export.Write(&buf, projectSheet, each(nil))
	if err != nil || n != 0 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("项目")
	if len(rows) != 1 || rows[0][0] != "记录ID" {
		t.Errorf("rows = %q", rows)
	}
}

func TestWriteStopsOnError(t *testing.T) {
	boom := fmt.Errorf("boom")
	_, err := export.Write(io.Discard, projectSheet, func(fn func(*rec) error) error {
		if err := fn(sample()[0]); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Errorf("err = %v, want boom", err)
	}
}
