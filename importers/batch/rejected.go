package batch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core/cells"
)

// rejectedWriter streams the rejected and review rows into an .xlsx copy
// of the user's rows with an error column first, ready to fix and import
// again. A nil writer ignores everything (no path was asked for).
type rejectedWriter struct {
	path string
	f    *excelize.File
	sw   *excelize.StreamWriter
	next int // next spreadsheet row
	n    int // data rows written
	err  error
}

func newRejectedWriter(path string, labels []string) (*rejectedWriter, error) {
	f := excelize.NewFile()
	const name = "未导入的行"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	w := &rejectedWriter{path: path, f: f, sw: sw, next: 1}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	_ = sw.SetColWidth(1, 1, 48)
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	head := []any{excelize.Cell{StyleID: bold, Value: "错误原因（修改后删除本列或保留均可再次导入）"}}
	for _, l := range labels {
		head = append(head, excelize.Cell{StyleID: bold, Value: cells.SafeCell(l)})
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	w.next = 2
	return w, nil
}

func (w *rejectedWriter) add(row sheet.Row, msg string) {
	if w == nil || w.err != nil {
		return
	}
	vals := []any{cells.SafeCell(msg)}
	for _, c := range row.Cells {
		vals = append(vals, cells.SafeCell(c))
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.next)
	w.err = w.sw.SetRow(cell, vals)
	w.next++
	w.n++
}

// close writes the workbook (only when some row was rejected; an old file
// at the path is removed otherwise).
func (w *rejectedWriter) close() error {
	if w == nil {
		return nil
	}
	defer func() { w.f.Close(); w.f = nil }()
	if w.err != nil {
		return fmt.Errorf("rejected rows: %w", w.err)
	}
	if w.n == 0 {
		_ = os.Remove(w.path)
		return nil
	}
	if err := w.sw.Flush(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(w.path), 0o750); err != nil {
		return err
	}
	tmp := strings.TrimSuffix(w.path, ".xlsx") + ".part.xlsx"
	if err := w.f.SaveAs(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, w.path)
}

func (w *rejectedWriter) discard() {
	if w != nil && w.f != nil {
		w.f.Close()
	}
}
