package dashboard

import (
	"slices"
	"time"

	"zhaoshang/modules/core"
)

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
	steps.Rows = funnelRows(fr.Steps, fr.Exits, label)
	rows := Sheet{Name: "阶段转化与停留", Header: []string{"阶段", "期内进入", "下一阶段", "其后进入下一阶段", "转化率(%)",
		"其后暂缓", "其后终止", "已离开本阶段", "停留天数中位数"}}
	rows.Rows = flowRows(fr.Stages, label)
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

// funnelRows are a funnel's steps, then the exits after them (其后暂缓…):
// stage, projects, rate.
func funnelRows(steps, exits []FunnelStep, label func(kind, code string) string) [][]any {
	var rows [][]any
	for _, s := range steps {
		rows = append(rows, []any{label("stage", s.Stage), s.Reached, s.Rate})
	}
	for _, s := range exits {
		rows = append(rows, []any{"其后" + label("stage", s.Stage), s.Reached, s.Rate})
	}
	return rows
}

// flowRows are the stage table's rows: entered, next stage, reached it,
// rate, paused, dropped, left and the median stay ("" when none left).
func flowRows(stages []StageFlow, label func(kind, code string) string) [][]any {
	var rows [][]any
	for _, s := range stages {
		var med any = ""
		if s.MedianDays != nil {
			med = *s.MedianDays
		}
		next := ""
		if s.Next != "" {
			next = label("stage", s.Next)
		}
		rows = append(rows, []any{label("stage", s.Stage), s.Entered, next, s.Reached, s.Rate, s.Paused, s.Dropped, s.Left, med})
	}
	return rows
}

// TrendSheets lays out the monthly trends with their total row.
func TrendSheets(tr *Trends) []Sheet {
	sh := Sheet{Name: "月度趋势", Header: []string{"月份", "新建项目", "签约项目", "到资(万元)", "到资项目", "举办活动"}}
	for _, m := range append(slices.Clone(tr.Months), tr.Total) {
		sh.Rows = append(sh.Rows, []any{m.Month, m.Projects, m.Signed, m.Capital, m.Funded, m.Events})
	}
	return []Sheet{sh}
}

// stuckLabels name the stuck-work lists.
var stuckLabels = map[string]string{StuckStale: "久未跟进", StuckOverdue: "下一步逾期", StuckApproval: "待审批决策"}

// StuckLabel names a stuck-work list in Chinese.
func StuckLabel(kind string) string { return stuckLabels[kind] }

// reportKPIRow is one indicator as the report's tables show it.
func reportKPIRow(k ReportKPI, label func(kind, code string) string) []any {
	return []any{k.Label, k.Unit, k.YearTarget, k.YearToDate.Target, k.YearToDate.Actual, k.YearToDate.Progress,
		label("kpi_status", k.YearToDate.Status), k.Month.Target, k.Month.Actual, k.Month.Progress}
}

var reportKPIHeader = []string{"指标", "计量单位", "年度目标", "累计目标(按天折算)", "年初至月末完成", "累计完成率(%)", "进度",
	"本月目标(按天折算)", "本月完成", "本月完成率(%)"}

// ReportSheets lays out exactly the numbers the monthly report page shows.
func ReportSheets(r *Report, label func(kind, code string) string) []Sheet {
	kpi := Sheet{Name: "目标完成", Header: reportKPIHeader}
	for _, k := range r.KPIs {
		kpi.Rows = append(kpi.Rows, reportKPIRow(k, label))
	}
	t := r.Trend
	month := Sheet{Name: "本月概况", Header: []string{"月份", "新建项目", "签约项目", "到资(万元)", "到资项目", "举办活动"},
		Rows: [][]any{{r.Month, t.Projects, t.Signed, t.Capital, t.Funded, t.Events}}}
	fn := Sheet{Name: "本月推进漏斗", Header: []string{"阶段", "项目数", "转化率(%)"}}
	fn.Rows = funnelRows(r.Funnel, r.Exits, label)
	flow := Sheet{Name: "本月各阶段", Header: []string{"阶段", "本月进入", "下一阶段", "其后进入下一阶段", "转化率(%)", "其后暂缓", "其后终止",
		"已离开本阶段", "停留天数中位数"}}
	flow.Rows = flowRows(r.Stages, label)
	stuck := Sheet{Name: "督办", Header: []string{"类别", "项目数"}}
	items := Sheet{Name: "督办清单", Header: []string{"类别", "项目", "单位", "负责人", "阶段", "进入本阶段", "最近跟进", "下一步期限", "下一步工作"}}
	for _, st := range r.Stuck {
		stuck.Rows = append(stuck.Rows, []any{StuckLabel(st.Kind), st.Total})
		for _, x := range st.Items {
			items.Rows = append(items.Rows, []any{StuckLabel(st.Kind), x.Name, firstOf(x.UnitName, x.Unit), firstOf(x.OfficerName, x.Officer),
				label("stage", x.Stage), day10(x.Since), day10(x.LastFollowUp), x.NextDue.String(), x.NextAction})
		}
	}
	out := []Sheet{kpi, month, fn, flow, stuck, items}
	if len(r.Units) > 0 {
		u := Sheet{Name: "各单位", Header: append([]string{"单位"}, reportKPIHeader...)}
		for _, ru := range r.Units {
			for _, k := range ru.KPIs {
				u.Rows = append(u.Rows, append([]any{ru.Name}, reportKPIRow(k, label)...))
			}
		}
		out = append(out, u)
	}
	return out
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// day10 is a date as the report prints it (the office zone; "" when unset).
func day10(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(core.Zone()).Format("2006-01-02")
}
