// Package export writes records of any kind to .xlsx with excelize's
// StreamWriter: a bold, frozen, auto-filtered Chinese header, real dates and
// numbers, and two hidden leading columns (记录ID, 记录版本) so that an edited
// ledger re-imports onto the same records. Column labels are the import
// field labels of header.FieldsFor(kind), so a re-import maps every column
// by itself. Rows come from a callback; memory stays flat however many
// rows are written (the StreamWriter spills to a temp file past 16 MB).
package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Type says how a column's cells are written.
type Type int

const (
	// Text cells are strings, neutralised by cells.SafeCell; []string values are
	// joined with "、".
	Text Type = iota
	// Date cells are core.Date (or time.Time, its day in the office zone)
	// written as real dates (yyyy-mm-dd); the zero value is an empty cell.
	Date
	// Amount cells are float64 万元 written as numbers (#,##0.00); the
	// label gets "（万元）". Zero is an empty cell.
	Amount
	// Int cells are integers written as numbers.
	Int
)

// Column is one exported column of records of type T.
type Column[T any] struct {
	// Key is the import field key; the label is that field's label in
	// header.FieldsFor(kind).
	Key string
	// Label is used only when the kind has no import field Key (a kind
	// whose import fields are not registered yet).
	Label string
	Type  Type
	Width float64 // characters; 0 picks one by type
	Value func(T) any
}

// Sheet describes the export of one kind.
type Sheet[T core.Record] struct {
	Kind    string // import kind (header.FieldsFor)
	Name    string // worksheet name, e.g. 项目
	Columns []Column[T]
}

// Label is the header label of an exported column: the import field's
// label, with "（万元）" for amounts.
func Label(kind, key, fallback string, t Type) string {
	l := fallback
	if f, ok := field(kind, key); ok {
		l = f.Label
	}
	if l == "" {
		l = key
	}
	if t == Amount && !strings.Contains(l, "万元") {
		l += "（万元）"
	}
	return l
}

// field finds an import field of kind; the hidden id/version fields are
// the same for every kind, so they are found through projects as well.
func field(kind, key string) (header.Field, bool) {
	for _, k := range []string{kind, "projects"} {
		for _, f := range header.FieldsFor(k) {
			if f.Key == key {
				return f, true
			}
		}
	}
	return header.Field{}, false
}

// styles are the workbook's cell styles.
type styles struct{ head, date, amount, text int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	dateFmt, amountFmt, textFmt := "yyyy-mm-dd", "#,##0.00", "@"
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&s.head, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}},
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.amount, &excelize.Style{CustomNumFmt: &amountFmt}},
		{&s.text, &excelize.Style{CustomNumFmt: &textFmt}},
	} {
		if *x.id, err = f.NewStyle(x.st); err != nil {
			return s, fmt.Errorf("export: style: %w", err)
		}
	}
	return s, nil
}

// excelEpoch is day 0 of Excel's 1900 date system (with its leap-year bug
// folded in: serials from 1900-03-01 on are right).
var excelEpoch = core.NewDate(1899, 12, 30)

// serial is the Excel date serial of the day d.
func serial(d core.Date) float64 { return float64(d.DaysSince(excelEpoch)) }

func width(t Type, w float64) float64 {
	switch {
	case w > 0:
		return w
	case t == Date:
		return 12
	case t == Amount, t == Int:
		return 14
	}
	return 18
}

// Write writes one worksheet of records to w: the hidden 记录ID and 记录版本
// columns first, then sh.Columns. rows calls its argument once per record
// (core.Repo.Each has this shape). It returns the number of records written.
func Write[T core.Record](w io.Writer, sh Sheet[T], rows func(func(T) error) error) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	name := sh.Name
	if name == "" {
		name = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n, err := writeRows(f, name, sh, rows)
	if err != nil {
		return n, err
	}
	if _, err := f.WriteTo(w); err != nil {
		return n, fmt.Errorf("export: write: %w", err)
	}
	return n, nil
}

func writeRows[T core.Record](f *excelize.File, name string, sh Sheet[T], rows func(func(T) error) error) (int, error) {
	st, err := newStyles(f)
	if err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	ncol := len(sh.Columns) + 2
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return 0, fmt.Errorf("export: panes: %w", err)
	}
	if err := sw.SetColWidth(1, 2, 14); err != nil {
		return 0, fmt.Errorf("export: widths: %w", err)
	}
	for i, c := range sh.Columns {
		if err := sw.SetColWidth(i+3, i+3, width(c.Type, c.Width)); err != nil {
			return 0, fmt.Errorf("export: widths: %w", err)
		}
	}
	if err := sw.SetColVisible(1, 2, false); err != nil {
		return 0, fmt.Errorf("export: hidden columns: %w", err)
	}

	row := make([]any, ncol)
	cells := make([]excelize.Cell, ncol)
	row[0] = excelize.Cell{StyleID: st.head, Value: Label(sh.Kind, header.KeyID, "", Text)}
	row[1] = excelize.Cell{StyleID: st.head, Value: Label(sh.Kind, header.KeyVersion, "", Text)}
	for i, c := range sh.Columns {
		row[i+2] = excelize.Cell{StyleID: st.head, Value: Label(sh.Kind, c.Key, c.Label, c.Type)}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 20}); err != nil {
		return 0, fmt.Errorf("export: header: %w", err)
	}

	n := 0
	err = rows(func(rec T) error {
		n++
		m := rec.GetMeta()
		cells[0] = excelize.Cell{StyleID: st.text, Value: m.ID}
		cells[1] = excelize.Cell{Value: m.Version}
		for i, c := range sh.Columns {
			cells[i+2] = cell(st, c.Type, c.Value(rec))
		}
		for i := range cells {
			row[i] = cells[i]
		}
		ref, err := excelize.CoordinatesToCellName(1, n+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, row); err != nil {
			return fmt.Errorf("export: row %d: %w", n+1, err)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	last, _ := excelize.CoordinatesToCellName(ncol, n+1)
	// The StreamWriter writes the worksheet's autoFilter on Flush; setting
	// it here (rows written, sheet not flushed) covers every row.
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return n, fmt.Errorf("export: auto-filter: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return n, fmt.Errorf("export: flush: %w", err)
	}
	return n, nil
}

// cell converts one value for its column type.
func cell(st styles, t Type, v any) excelize.Cell {
	switch x := v.(type) {
	case nil:
		return excelize.Cell{}
	case string:
		if x == "" {
			return excelize.Cell{}
		}
		return excelize.Cell{Value: cells.SafeCell(x)}
	case []string:
		if len(x) == 0 {
			return excelize.Cell{}
		}
		return excelize.Cell{Value: cells.SafeCell(strings.Join(x, "、"))}
	case core.Date:
		if x.IsZero() {
			return excelize.Cell{}
		}
		return excelize.Cell{StyleID: st.date, Value: serial(x)}
	case time.Time:
		if x.IsZero() {
			return excelize.Cell{}
		}
		return excelize.Cell{StyleID: st.date, Value: serial(core.DateOf(x))}
	case float64:
		if x == 0 && t == Amount {
			return excelize.Cell{}
		}
		if t == Amount {
			return excelize.Cell{StyleID: st.amount, Value: x}
		}
		return excelize.Cell{Value: x}
	case int:
		return excelize.Cell{Value: x}
	case int64:
		return excelize.Cell{Value: x}
	}
	return excelize.Cell{Value: cells.SafeCell(fmt.Sprint(v))}
}
