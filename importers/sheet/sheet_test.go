package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// messyLedger builds the kind of 台账 field teams send: a merged title row,
// a note row, a two-level header with merged cells, blank rows, a text date
// next to a real Excel date, a formula whose cached value differs from what
// evaluating it would give, and a 合计 row.
func messyLedger(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	set := func(cell string, v any) { t.Helper(); must(f.SetCellValue(s, cell, v)) }
	set("A1", "2024年昆山开发区科技招商项目台账")
	must(f.MergeCell(s, "A1", "G1"))
	set("A2", "填报单位：昆山开发区招商局    日期：2024年3月31日")
	for _, c := range []string{"A", "B", "C", "F", "G"} {
		must(f.MergeCell(s, c+"3", c+"4"))
	}
	set("A3", "序号")
	set("B3", "项目名称")
	set("C3", "投资方")
	set("D3", "对接信息")
	must(f.MergeCell(s, "D3", "E3"))
	set("D4", "对接人")
	set("E4", "联系电话")
	set("F3", "总投资\n（万元）")
	set("G3", "签约时间")

	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // built-in short date
	must(err)
	set("A5", 1)
	set("B5", "量子芯片研发中心")
	set("C5", "苏州某科技有限公司")
	set("D5", "张三")
	set("E5", "13800138000")
	set("F5", 1200)
	set("G5", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	must(f.SetCellStyle(s, "G5", "G5", dateStyle))
	// row 6 blank
	set("A7", 2)
	set("B7", "生物医药产业园")
	set("C7", "昆山某生物有限公司")
	set("D7", "李四")
	set("E7", "0512-5788 1234")
	set("F7", 500.5)
	set("G7", "2024.3.5")
	set("A8", "合计")
	set("F8", 9999) // cached value deliberately differs from SUM(F5:F7)=1700.5
	must(f.SetCellFormula(s, "F8", "SUM(F5:F7)"))
	// trailing blank styled row: not yielded, not counted
	must(f.SetCellStyle(s, "A12", "A12", dateStyle))

	f.NewSheet("填表说明")
	must(f.SetCellValue("填表说明", "A1", "请按模板填写"))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

func readAll(t *testing.T, b *Book, sheet string) ([]Row, *Rows, error) {
	t.Helper()
	rs, err := b.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []Row
	for rs.Next() {
		out = append(out, rs.Row())
	}
	return out, rs, rs.Err()
}

func TestMessyLedger(t *testing.T) {
	data := messyLedger(t)
	b, err := Open("台账.xlsx", bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Sheets(); !reflect.DeepEqual(got, []string{"Sheet1", "填表说明"}) {
		t.Fatalf("sheets %v", got)
	}
	if b.Encoding() != EncXLSX {
		t.Fatalf("encoding %q", b.Encoding())
	}
	rows, rs, err := readAll(t, b, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{1, []string{"2024年昆山开发区科技招商项目台账"}},
		{2, []string{"填报单位：昆山开发区招商局    日期：2024年3月31日"}},
		{3, []string{"序号", "项目名称", "投资方", "对接信息", "", "总投资\n（万元）", "签约时间"}},
		{4, []string{"", "", "", "对接人", "联系电话"}},
		{5, []string{"1", "量子芯片研发中心", "苏州某科技有限公司", "张三", "13800138000", "1200", "2024-03-05"}},
		{7, []string{"2", "生物医药产业园", "昆山某生物有限公司", "李四", "0512-5788 1234", "500.5", "2024.3.5"}},
		{8, []string{"合计", "", "", "", "", "9999"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", rows, want)
	}
	if rs.Blank() != 1 {
		t.Errorf("blank = %d, want 1", rs.Blank())
	}
	notes, _, err := readAll(t, b, "填表说明")
	if err != nil || len(notes) != 1 || notes[0].Num != 1 {
		t.Fatalf("instruction sheet: %v %v", notes, err)
	}
	if _, err := b.Rows("没有"); !errors.Is(err, ErrNoSheet) {
		t.Fatalf("missing sheet: %v", err)
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSVEncodings(t *testing.T) {
	text := "项目名称,投资方,总投资（万元）\r\n量子芯片,\"苏州某科技有限公司,二期\",\"1,200\"\r\n\r\n生物医药,昆山某生物,500\r\n"
	want := []Row{
		{1, []string{"项目名称", "投资方", "总投资（万元）"}},
		{2, []string{"量子芯片", "苏州某科技有限公司,二期", "1,200"}},
		{4, []string{"生物医药", "昆山某生物", "500"}},
	}
	cases := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf8", []byte(text), EncUTF8},
		{"utf8bom", append([]byte("\xEF\xBB\xBF"), text...), EncUTF8BOM},
		{"gbk", gbk(t, text), EncGB18030},
		{"tab", []byte(strings.ReplaceAll(strings.ReplaceAll(text, "\"苏州某科技有限公司,二期\"", "苏州某科技有限公司,二期"), ",", "\t")), EncUTF8},
	}
	cases[3].data = []byte("项目名称\t投资方\t总投资（万元）\n量子芯片\t苏州某科技有限公司,二期\t1,200\n\n生物医药\t昆山某生物\t500\n")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Open("x.csv", bytes.NewReader(c.data), int64(len(c.data)), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if b.Encoding() != c.enc {
				t.Fatalf("encoding %q want %q", b.Encoding(), c.enc)
			}
			rows, rs, err := readAll(t, b, "")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, want) {
				t.Fatalf("got %+v\nwant %+v", rows, want)
			}
			if rs.Blank() != 1 {
				t.Fatalf("blank %d", rs.Blank())
			}
		})
	}
}

func zipOf(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRefusals(t *testing.T) {
	ledger := messyLedger(t)
	long := strings.Repeat("长", 40000)
	cases := []struct {
		name  string
		file  string
		data  []byte
		lim   Limits
		want  *Error
		row   int
		col   int
		msgIn string
	}{
		{name: "renamed text", file: "a.xlsx", data: []byte("项目名称,投资方\n"), want: ErrNotXLSX},
		{name: "renamed pdf", file: "a.xlsx", data: []byte("%PDF-1.4 ..."), want: ErrNotXLSX},
		{name: "zip not workbook", file: "a.xlsx", data: zipOf(t, map[string][]byte{"word/document.xml": []byte("<x/>")}), want: ErrNotXLSX},
		{name: "truncated zip", file: "a.xlsx", data: ledger[:len(ledger)/2], want: ErrNotXLSX},
		{name: "legacy xls", file: "a.xls", data: append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), want: ErrLegacyXLS},
		{name: "unknown ext", file: "a.pdf", data: []byte("%PDF"), want: ErrUnsupported},
		{name: "zip bomb", file: "a.xlsx", data: zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<x/>"), "xl/worksheets/sheet1.xml": make([]byte, 3<<20)}),
			lim: Limits{MaxUnzipped: 2 << 20}, want: ErrZipBomb, msgIn: "2 MB"},
		{name: "too many rows", file: "a.xlsx", data: ledger, lim: Limits{MaxRows: 4}, want: ErrTooManyRows, row: 5, msgIn: "4 行"},
		{name: "long cell xlsx", file: "a.xlsx", data: ledger, lim: Limits{MaxCell: 10}, want: ErrCellTooLong, row: 1, col: 1, msgIn: "第 1 行 A 列"},
		{name: "40000 char cell csv", file: "a.csv", data: []byte("项目名称,备注\n量子," + long + "\n"), want: ErrCellTooLong, row: 2, col: 2, msgIn: "40000"},
		{name: "empty csv", file: "a.csv", data: []byte("\n , \n"), want: ErrEmpty},
		{name: "bad csv", file: "a.csv", data: []byte("a,b\n\"x\"y\"z,\"\n"), want: ErrBadCSV, row: 2, msgIn: "第 2 行"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Open(c.file, bytes.NewReader(c.data), int64(len(c.data)), c.lim)
			if err == nil {
				defer b.Close()
				_, _, err = readAll(t, b, "")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %s", err, c.want.Code)
			}
			var e *Error
			errors.As(err, &e)
			if e.Row != c.row || e.Col != c.col {
				t.Errorf("at row %d col %d, want %d %d", e.Row, e.Col, c.row, c.col)
			}
			if strings.Contains(e.Message, "\n") || !strings.Contains(e.Message, c.msgIn) {
				t.Errorf("message %q, want one line containing %q", e.Message, c.msgIn)
			}
		})
	}
}

func TestEmptyWorkbook(t *testing.T) {
	f := excelize.NewFile()
	var buf bytes.Buffer
	f.Write(&buf)
	b, err := OpenXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, _, err := readAll(t, b, ""); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err %v", err)
	}
}

func BenchmarkReadXLSX(b *testing.B) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"项目名称", "投资方", "总投资（万元）", "签约时间"})
	for i := 2; i <= 20000; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"项目", "某科技有限公司", i, "2024-03-05"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bk, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		rs, _ := bk.Rows("")
		n := 0
		for rs.Next() {
			n++
		}
		if rs.Err() != nil || n != 20000 {
			b.Fatal(rs.Err(), n)
		}
		rs.Close()
		bk.Close()
	}
}

func TestCSVMultilineCellRowNumbers(t *testing.T) {
	data := []byte("名称,备注\n\"多行\n备注\",1\n\n\n末行,2\n")
	b, err := OpenCSV(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, rs, err := readAll(t, b, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{1, []string{"名称", "备注"}}, {2, []string{"多行\n备注", "1"}}, {5, []string{"末行", "2"}}}
	if !reflect.DeepEqual(rows, want) || rs.Blank() != 2 {
		t.Fatalf("got %+v blank %d", rows, rs.Blank())
	}
}
