package dashboard

import "slices"

// unitSheet is the per-unit table: one row per unit and indicator.
func unitSheet(cp *Cockpit, label func(kind, code string) string) Sheet {
	sh := Sheet{Name: "各单位目标完成", Header: []string{"单位", "指标", "目标", "完成", "完成率(%)", "按时间进度应完成", "进度"}}
	for _, u := range cp.Units {
		for _, k := range u.KPIs {
			sh.Rows = append(sh.Rows, []any{u.Name, k.Label, k.Target, k.Actual, k.Progress, k.Expected, label("kpi_status", k.Status)})
		}
	}
	return sh
}

// FunnelSheets lays out the funnel's tables: the cohort funnel, the stage
// table and the breakdown (when asked for).
func FunnelSheets(fr *FunnelReport, label func(kind, code string) string) []Sheet {
	steps := Sheet{Name: "推进漏斗", Header: []string{"阶段", "项目数", "转化率(%)"}}
	for _, s := range fr.Steps {
		steps.Rows = append(steps.Rows, []any{label("stage", s.Stage), s.Reached, s.Rate})
	}
	for _, s := range fr.Exits {
		steps.Rows = append(steps.Rows, []any{"其后" + label("stage", s.Stage), s.Reached, s.Rate})
	}
	rows := Sheet{Name: "阶段转化与停留", Header: []string{"阶段", "期内进入", "下一阶段", "其后进入下一阶段", "转化率(%)",
		"其后暂缓", "其后终止", "已离开本阶段", "停留天数中位数"}}
	for _, s := range fr.Stages {
		var med any = ""
		if s.MedianDays != nil {
			med = *s.MedianDays
		}
		next := ""
		if s.Next != "" {
			next = label("stage", s.Next)
		}
		rows.Rows = append(rows.Rows, []any{label("stage", s.Stage), s.Entered, next, s.Reached, s.Rate, s.Paused, s.Dropped, s.Left, med})
	}
	out := []Sheet{steps, rows}
	if fr.By != "" {
		g := Sheet{Name: "分组漏斗", Header: []string{label("funnel_by", fr.By)}}
		for _, s := range append([]string{fr.Start}, later(fr.Start)...) {
			g.Header = append(g.Header, label("stage", s))
		}
		for _, s := range exitStages {
			g.Header = append(g.Header, "其后"+label("stage", s))
		}
		for _, gr := range fr.Groups {
			row := []any{gr.Label}
			for _, s := range gr.Steps {
				row = append(row, s.Reached)
			}
			for _, s := range gr.Exits {
				row = append(row, s.Reached)
			}
			g.Rows = append(g.Rows, row)
		}
		out = append(out, g)
	}
	return out
}

// TrendSheets lays out the monthly trends with their total row.
func TrendSheets(tr *Trends) []Sheet {
	sh := Sheet{Name: "月度趋势", Header: []string{"月份", "新建项目", "签约项目", "到资(万元)", "到资项目", "举办活动"}}
	for _, m := range append(slices.Clone(tr.Months), tr.Total) {
		sh.Rows = append(sh.Rows, []any{m.Month, m.Projects, m.Signed, m.Capital, m.Funded, m.Events})
	}
	return []Sheet{sh}
}
