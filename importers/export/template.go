package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
)

// Vocab gives the allowed values of each enumeration, keyed by the
// vocabulary a field names (header.Field.Choices: stage, industry, zone ...),
// as the importer accepts them (Chinese labels, catalog values).
type Vocab map[string][]string

// types holds the cell type of each field key per kind, declared by the
// modules' export sheets (templates format their columns with them).
var types = map[string]map[string]Type{}

// Declare records the column types of sh for templates and returns sh; a
// module's export sheet is declared once, at package initialisation.
func Declare[T core.Record](sh Sheet[T]) Sheet[T] {
	m := map[string]Type{}
	for _, c := range sh.Columns {
		m[c.Key] = c.Type
	}
	types[sh.Kind] = m
	return sh
}

// Names of the template's sheets.
const (
	TemplateSheet = "导入模板"
	HelpSheet     = "填写说明"
	ChoicesSheet  = "选项"
)

// templateRows is how far down the drop-downs and formats reach.
const templateRows = 10001

// Template writes the import template of kind to w: a header row with the
// visible import fields (required ones marked "*", which the importer's
// header matching ignores), drop-down lists on enumeration columns (long
// lists through the hidden 选项 sheet, since an inline list is limited to 255
// characters), date and amount formats on their columns, and a 填写说明 sheet
// with one line per column.
func Template(w io.Writer, kind string, vocab Vocab) error {
	fields := header.Visible(header.FieldsFor(kind))
	if len(fields) == 0 {
		return fmt.Errorf("export: template: unknown import kind %q", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f, kind, fields, vocab); err != nil {
		return fmt.Errorf("export: template %s: %w", kind, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export: template %s: %w", kind, err)
	}
	return nil
}

func buildTemplate(f *excelize.File, kind string, fields []header.Field, vocab Vocab) error {
	if err := f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	req, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "B42318"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return err
	}
	if _, err := f.NewSheet(HelpSheet); err != nil {
		return err
	}
	choicesCol := 0 // columns used on the 选项 sheet
	for i, fd := range fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		t := types[kind][fd.Key]
		label := Label(kind, fd.Key, "", t)
		style := st.head
		if fd.Required {
			label, style = label+"*", req
		}
		if err := f.SetCellValue(TemplateSheet, col+"1", label); err != nil {
			return err
		}
		if err := f.SetColWidth(TemplateSheet, col, col, max(width(t, 0), float64(len([]rune(label)))*2+2)); err != nil {
			return err
		}
		body := fmt.Sprintf("%s2:%s%d", col, col, templateRows)
		colStyle := st.text // keeps long digit strings (phones, codes) as typed
		switch {
		case t == Date:
			colStyle = st.date
		case t == Amount:
			colStyle = st.amount
		case t == Int:
			colStyle = 0
		}
		if err := f.SetColStyle(TemplateSheet, col, colStyle); err != nil {
			return err
		}
		if err := f.SetCellStyle(TemplateSheet, col+"1", col+"1", style); err != nil {
			return err
		}
		values := vocab[fd.Choices]
		if fd.Choices == "" || len(values) == 0 {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = body
		if inlineList(values) {
			if err := dv.SetDropList(values); err != nil {
				return err
			}
		} else {
			if choicesCol == 0 {
				if _, err := f.NewSheet(ChoicesSheet); err != nil {
					return err
				}
			}
			choicesCol++
			cc, _ := excelize.ColumnNumberToName(choicesCol)
			if err := f.SetCellValue(ChoicesSheet, cc+"1", fd.Label); err != nil {
				return err
			}
			for j, v := range values {
				if err := f.SetCellStr(ChoicesSheet, fmt.Sprintf("%s%d", cc, j+2), v); err != nil {
					return err
				}
			}
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$2:$%s$%d", ChoicesSheet, cc, cc, len(values)+1))
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, label, "请从下拉列表中选择："+strings.Join(head(values, 20), "、"))
		if err := f.AddDataValidation(TemplateSheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetPanes(TemplateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if choicesCol > 0 {
		if err := f.SetSheetVisible(ChoicesSheet, false); err != nil {
			return err
		}
	}
	if err := writeHelp(f, kind, fields, vocab, st.head); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// inlineList reports whether values fit an inline drop-down list (255
// characters with the separators, no value holding a comma or quote).
func inlineList(values []string) bool {
	n := len(values) - 1
	for _, v := range values {
		if strings.ContainsAny(v, `,"`) {
			return false
		}
		n += len([]rune(v))
	}
	return n <= excelize.MaxFieldLength
}

func head(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// helpIntro is the top of the 填写说明 sheet.
var helpIntro = []string{
	"填写说明",
	"1. 在“" + TemplateSheet + "”表的第 2 行起每行填写一条记录，请勿修改或删除第 1 行的列名；带 * 的列为必填。",
	"2. 日期写作 2024-03-05（也可识别 2024年3月5日、2024/3/5、2024.3.5）；只写月日、“待定”等无法确定的日期会被标出，不会被猜测。",
	"3. 金额单位为万元，填数字即可（“500万元”“1.2亿”也可识别）。",
	"4. 有下拉列表的列请从列表中选择；不在列表中的值会被拒绝并说明原因。",
	"5. 空行和“合计/小计”行会被跳过；导入前系统先预览，确认后才写入，且可撤销。",
}

func writeHelp(f *excelize.File, kind string, fields []header.Field, vocab Vocab, headStyle int) error {
	row := 1
	for _, line := range helpIntro {
		if err := f.SetCellStr(HelpSheet, fmt.Sprintf("A%d", row), line); err != nil {
			return err
		}
		row++
	}
	row++
	cols := []string{"列名", "必填", "格式", "可选值", "也可识别的列名"}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := f.SetCellStr(HelpSheet, cell, c); err != nil {
			return err
		}
	}
	first, _ := excelize.CoordinatesToCellName(1, row)
	last, _ := excelize.CoordinatesToCellName(len(cols), row)
	if err := f.SetCellStyle(HelpSheet, first, last, headStyle); err != nil {
		return err
	}
	for _, fd := range fields {
		row++
		t := types[kind][fd.Key]
		required := "否"
		if fd.Required {
			required = "是"
		}
		format := "文字"
		switch {
		case t == Date:
			format = "日期，如 2024-03-05"
		case t == Amount:
			format = "金额，万元，如 1200 或 1,200.50"
		case t == Int:
			format = "整数"
		case fd.Choices != "":
			format = "从下拉列表选择"
		case fd.Format != "":
			format = fd.Format
		}
		allowed := strings.Join(vocab[fd.Choices], "、")
		line := []string{Label(kind, fd.Key, "", t), required, format, allowed, strings.Join(fd.Synonyms, "、")}
		for i, v := range line {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellStr(HelpSheet, cell, v); err != nil {
				return err
			}
		}
	}
	for col, w := range map[string]float64{"A": 22, "B": 8, "C": 30, "D": 60, "E": 40} {
		if err := f.SetColWidth(HelpSheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
