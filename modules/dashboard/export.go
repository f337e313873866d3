package dashboard

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"zhaoshang/modules/core/cells"
)

// Sheet is one widget as a table: a header row and data rows whose cells
// are strings or numbers (numbers stay numbers in the workbook).
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// Sheets lays out exactly the numbers each cockpit widget shows; label
// names a code (a stage) in Chinese.
func Sheets(cp *Cockpit, label func(kind, code string) string) []Sheet {
	kpi := Sheet{Name: "目标完成", Header: []string{"指标", "计量单位", "目标", "完成", "完成率(%)", "按时间进度应完成", "进度"}}
	for _, k := range cp.KPIs {
		kpi.Rows = append(kpi.Rows, []any{k.Label, k.Unit, k.Target, k.Actual, k.Progress, k.Expected, label("kpi_status", k.Status)})
	}
	st := Sheet{Name: "各阶段在办项目", Header: []string{"阶段", "项目数"}}
	for _, s := range cp.Stages {
		st.Rows = append(st.Rows, []any{label("stage", s.Stage), s.Count})
	}
	fn := Sheet{Name: "推进漏斗", Header: []string{"阶段", "期内进入资源搜索且其后到达本阶段", "较上一阶段转化率(%)"}}
	for _, f := range cp.Funnel {
		fn.Rows = append(fn.Rows, []any{label("stage", f.Stage), f.Reached, f.Rate})
	}
	stuck := Sheet{Name: "督办", Header: []string{"类别", "项目数"}, Rows: [][]any{
		{"久未跟进", cp.Stale}, {"下一步逾期", cp.Overdue}, {"待审批决策", cp.Approval}}}
	return []Sheet{kpi, unitSheet(cp, label), st, fn, stuck}
}

// Workbook writes sheets with a StreamWriter: a frozen header row, text
// through cells.SafeCell, numbers as numbers.
func Workbook(sheets []Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(sh.Name)
		if err != nil {
			return nil, err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		if err := sw.SetColWidth(1, len(sh.Header), 18); err != nil {
			return nil, err
		}
		write := func(r int, vals []any) error {
			row := make([]any, len(vals))
			for j, v := range vals {
				if s, ok := v.(string); ok {
					v = cells.SafeCell(s)
				}
				row[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			return sw.SetRow(cell, row)
		}
		head := make([]any, len(sh.Header))
		for j, h := range sh.Header {
			head[j] = h
		}
		if err := write(1, head); err != nil {
			return nil, err
		}
		for r, row := range sh.Rows {
			if err := write(r+2, row); err != nil {
				return nil, fmt.Errorf("dashboard: sheet %s row %d: %w", sh.Name, r+2, err)
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
