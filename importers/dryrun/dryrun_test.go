package dryrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

type units map[string]bool

func (u units) HasUnit(id string) bool { return u[id] }
func (u units) ProjectCatalog(context.Context) (projects.Catalog, error) {
	return testCatalog, nil
}

var testCatalog = projects.Catalog{Industries: []string{"新智造", "新医疗"}, Zones: []string{"张浦镇", "周市镇"}}

// xlsx builds a workbook whose first sheet has rows placed at the given
// 1-based row numbers (missing numbers are blank rows).
func xlsx(t *testing.T, rows map[int][]any) *sheet.Book {
	t.Helper()
	f := excelize.NewFile()
	for n, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sheet.Open("ledger.xlsx", bytes.NewReader(buf.Bytes()), int64(buf.Len()), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

var messyHeader = []any{"序号", "项目名称", "企业名称", "联系人", "手机", "总投资（万元）", "所属区镇", "项目进展", "签约日期", "行业", "类别"}

func TestProjects(t *testing.T) {
	cases := []struct {
		name  string
		rows  map[int][]any
		scope core.Scope
		want  Report
		err   error
	}{
		{
			name: "messy ledger",
			rows: map[int][]any{
				1:  {"2024年重点招商项目台账"},
				2:  {"填报单位：张浦镇", "", "", "", "日期：2024-05-01"},
				3:  messyHeader,
				4:  {1, "智能传感器项目", "昆山某某科技有限公司", "张三", "138 1234 5678", "1,200", "张浦镇", "在谈", "2024年3月5日", "新智造", "产业"},
				5:  {2, "医疗器械项目", "某医疗公司", "李四", "13912345678", "800", "张浦镇", "已签约", "2024-02-30", "新医疗", "产业"},
				6:  {3, "新材料项目", "某材料公司", "", "", "-500", "周市镇", "洽谈中", "", "新智造", "产业"},
				7:  {4, "机器人项目", "某机器人公司", "", "", "300", "周市镇", "筹备中", "", "新智造", "产业项目"},
				9:  {5, "院士工作站", "", "王五", "+86 139-0000-1111", "1.2亿", "", "落地", "2024/03/05", "", "人才"},
				10: {"", "合计", "", "", "", "3500"},
			},
			scope: core.AllUnits,
			want: Report{Kind: "projects", DryRun: true, Rows: 7, Created: 2, Skipped: 2, Rejected: 3, Errors: []Error{
				{Row: 5, Column: "签约日期", Value: "2024-02-30"},
				{Row: 6, Column: "总投资（万元）", Value: "-500"},
				{Row: 7, Column: "项目进展", Value: "筹备中"},
			}},
		},
		{
			name: "亿元 header, unknown type and zone, other unit's scope",
			rows: map[int][]any{
				1: {"项目名称", "总投资（亿元）", "项目类型", "区镇"},
				2: {"甲项目", "1.5", "平台", "张浦镇"},
				3: {"乙项目", "2", "基金", "张浦镇"},
				4: {"丙项目", "abc", "平台", "火星镇"},
				5: {"丁项目", "3000万元", "平台", "火星镇"},
			},
			scope: core.AllUnits,
			want: Report{Kind: "projects", DryRun: true, Rows: 4, Created: 1, Rejected: 3, Errors: []Error{
				{Row: 3, Column: "项目类型", Value: "基金"},
				{Row: 4, Column: "总投资（亿元）", Value: "abc"},
				{Row: 5, Column: "区镇", Value: "火星镇"},
			}},
		},
		{
			name: "no type column and out of scope",
			rows: map[int][]any{
				1: {"项目名称", "投资方"},
				2: {"甲项目", "某公司"},
			},
			scope: core.Scope{Units: []string{"other"}},
			want: Report{Kind: "projects", DryRun: true, Rows: 1, Rejected: 1, Errors: []Error{
				{Row: 2, Column: "项目类型", Value: ""},
			}},
		},
		{
			name: "header without 项目名称",
			rows: map[int][]any{1: {"投资方", "总投资", "阶段"}, 2: {"某公司", "100", "在谈"}},
			err:  ErrMissingColumn,
		},
		{
			name: "header that matches nothing",
			rows: map[int][]any{1: {"甲", "乙"}, 2: {"1", "2"}},
			err:  header.ErrNoHeader,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Projects(context.Background(), xlsx(t, c.rows), testCatalog, units{"zp": true}, c.scope, "zp")
			if c.err != nil {
				var se *sheet.Error
				if !errors.Is(err, c.err) || !errors.As(err, &se) || se.Message == "" {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range got.Errors {
				if e.Message == "" {
					t.Errorf("error %d has no message: %+v", i, e)
				}
				got.Errors[i].Message = ""
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("report\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestSynonyms(t *testing.T) {
	for in, want := range map[string]string{
		"在谈": "attract", "洽谈中": "attract", "接洽": "attract", "已签约": "process", "签约": "process",
		"推送": "push", "终止": "dropped", "暂缓": "paused", "评估": "decision", "评审": "decision",
		"落地": "process", "已投产": "process", "投产": "process", "后道": "aftercare", "服务": "aftercare",
		" 在 谈 ": "attract", "attract": "attract", "资源招引": "attract", "筹备中": "筹备中",
	} {
		if got := Stage(in); got != want {
			t.Errorf("Stage(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"人才": "talent", "产业项目": "industry", "平台": "platform",
		"Industry": "industry", "基金": "基金"} {
		if got := Type(in); got != want {
			t.Errorf("Type(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithUnit(t *testing.T) {
	for _, c := range []struct{ v, unit, want string }{
		{"1.5", "亿元", "1.5亿元"}, {"1,500", "元", "1500元"}, {"3000万元", "亿元", "3000万元"},
		{"12", "万元", "12"}, {"12", "", "12"}, {"abc", "亿元", "abc"},
	} {
		if got := withUnit(c.v, c.unit); got != c.want {
			t.Errorf("withUnit(%q, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
