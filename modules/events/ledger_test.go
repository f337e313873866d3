package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/batch/batchtest"
	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix/matrixtest"
)

func TestEventRows(t *testing.T) {
	k := &Ledger{Matrix: matrixtest.Defaults{}}
	env := batchtest.Env(t, k.Fields(), "活动主题", "活动形式", "举办时间", "活动地点", "主办单位", "协办单位", "参会人数", "参会企业数", "产业", "状态")
	p, err := k.Open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		cells   []string
		keys    []string
		similar string
		bad     []string
	}{
		{"key: title + day + unit", []string{"新能源 项目路演", "项目路演", "2024年3月5日", "张浦镇", "", "某协会、某园区", "120人", "30家", "新能源", "已举办"},
			[]string{"e:新能源项目路演|2024-03-05|zs-zp"}, "新能源项目路演|2024-03", nil},
		{"organiser named", []string{"沙龙", "沙龙", "2024-03-05", "", "开发区分队", "", "", "", "", ""},
			[]string{"e:沙龙|2024-03-05|kfq"}, "沙龙|2024-03", nil},
		{"no year", []string{"沙龙", "沙龙", "3月5日", "", "", "", "", "", "", ""}, nil, "", []string{"date"}},
		{"待定", []string{"沙龙", "沙龙", "待定", "", "", "", "", "", "", ""}, nil, "", []string{"date"}},
		{"estimated count", []string{"沙龙", "沙龙", "2024-03-05", "", "", "", "约100", "", "", ""}, nil, "", []string{"attendees"}},
		{"unknown unit", []string{"沙龙", "沙龙", "2024-03-05", "", "火星", "", "", "", "", ""}, nil, "", []string{"unit"}},
	} {
		batchtest.CheckKeys(t, p, env, c.name, c.cells, c.keys, c.similar, c.bad)
	}

	build := func(cur *Event, cells ...string) (*Event, bool, error) {
		c, errs := p.Parse(batchtest.Row(env, cells...))
		if len(errs) > 0 {
			t.Fatalf("parse %q: %v", cells, errs)
		}
		var rec any
		var same bool
		var err error
		if cur == nil {
			rec, same, err = p.Build(c, nil)
		} else {
			rec, same, err = p.Build(c, cur)
		}
		if err != nil {
			return nil, false, err
		}
		return rec.(*Event), same, nil
	}
	e, _, err := build(nil, "新能源项目路演", "项目路演", "2024年3月5日", "张浦镇", "", "某协会、某园区", "120人", "30家", "新能源产业", "已举办")
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != "路演" || e.Unit != "zs-zp" || e.Attendees != 120 || e.Participants.EnterpriseCount != 30 || e.Status != StatusHeld ||
		!slices.Equal(e.Industries, []string{"新能源"}) || len(e.CoOrganisers) != 2 || e.Date.String() != "2024-03-05" {
		t.Errorf("built %+v", e)
	}
	for _, c := range []struct {
		cells []string
		field string
	}{
		{[]string{"沙龙", "茶话会", "2024-03-05", "", "", "", "", "", "", ""}, "type"},
		{[]string{"沙龙", "沙龙", "2099-03-05", "", "", "", "", "", "", "已举办"}, "status"},
		{[]string{"沙龙", "沙龙", "2024-03-05", "", "开发区分队", "", "", "", "", ""}, "unit"}, // outside zp's scope
		{[]string{"沙龙", "沙龙", "2024-03-05", "", "", "", "", "", "芯片", ""}, "industries"},
	} {
		if _, _, err := build(nil, c.cells...); !batchtest.IsField(err, c.field, "") {
			t.Errorf("build %q: %v, want field %s", c.cells, err, c.field)
		}
	}
	// Update: the file's columns over the stored event; participants and
	// columns the file lacks stay.
	stored := *e
	stored.ID, stored.Version, stored.Summary = "ev1", 2, "纪要"
	stored.Participants.Enterprises = []Ref{{ID: "ent1", Name: "某企业"}}
	if _, same, err := build(&stored, "新能源项目路演", "路演", "2024-03-05", "张浦镇", "", "某协会、某园区", "120", "30", "新能源", "已举办"); err != nil || !same {
		t.Errorf("unchanged: same=%v err=%v", same, err)
	}
	upd, same, err := build(&stored, "新能源项目路演", "路演", "2024-03-05", "", "", "某协会、某园区", "150", "30", "新能源", "已举办")
	if err != nil || same || upd.Attendees != 150 || upd.Place != "" || upd.Summary != "纪要" || len(upd.Participants.Enterprises) != 1 || stored.Attendees != 120 {
		t.Errorf("update %+v same=%v err=%v", upd, same, err)
	}
}

// A participant list cell is split on 、，,；; and line breaks (full or
// half width), trimmed, without blanks or repeats.
func TestParticipantCells(t *testing.T) {
	long := strings.Repeat("长", MaxParticipantName+1)
	var names []string
	for i := range MaxParticipants + 1 {
		names = append(names, fmt.Sprintf("企业%03d", i))
	}
	many := strings.Join(names, "、")
	for _, c := range []struct {
		name, cell string
		want       []string
		bad        string // part of the message; "" for none
	}{
		{"blank", "", nil, ""},
		{"spaces only", " \n　", nil, ""},
		{"顿号", "甲公司、乙公司", []string{"甲公司", "乙公司"}, ""},
		{"half-width 顿号", "甲公司､乙公司", []string{"甲公司", "乙公司"}, ""},
		{"commas", "甲公司，乙公司,丙公司", []string{"甲公司", "乙公司", "丙公司"}, ""},
		{"semicolons", "甲公司；乙公司;丙公司", []string{"甲公司", "乙公司", "丙公司"}, ""},
		{"line breaks", "甲公司\r\n乙公司\n\n丙公司\r", []string{"甲公司", "乙公司", "丙公司"}, ""},
		{"trimmed, blanks dropped", " 甲公司 、、　乙公司　,", []string{"甲公司", "乙公司"}, ""},
		{"repeats dropped", "甲公司、乙公司、甲公司", []string{"甲公司", "乙公司"}, ""},
		{"spaces inside kept", "Foo Bar Ltd、张 三", []string{"Foo Bar Ltd", "张 三"}, ""},
		{"full-width brackets kept", "昆山某某（集团）有限公司", []string{"昆山某某（集团）有限公司"}, ""},
		{"a count", "30家", nil, "参与企业数"},
		{"a bare number", " 12 ", nil, "参与企业数"},
		{"name too long", long, nil, "最多 100 字"},
		{"too many", many, nil, "最多登记 300 个"},
	} {
		got, err := participantNames(c.cell, KindEnterprises, "参与企业数")
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if !slices.Equal(got, c.want) || (c.bad == "") != (err == nil) || !strings.Contains(msg, c.bad) {
			t.Errorf("%s: %.40q → %q, %v; want %q, error with %q", c.name, c.cell, got, err, c.want, c.bad)
		}
	}
}

// The list columns replace the stored lists: a stored name keeps its ref,
// another name (no pool here) stays a name; counts never fall below the
// list; a file without a list column keeps the stored list.
func TestEventParticipantLists(t *testing.T) {
	k := &Ledger{Matrix: matrixtest.Defaults{}}
	env := batchtest.Env(t, k.Fields(), "活动主题", "活动形式", "举办时间", "参会企业数", "参会企业", "嘉宾名单")
	if !slices.Equal([]string{env.Header.Columns[4], env.Header.Columns[5]}, []string{participantEnterprises, participantTalents}) {
		t.Fatalf("header maps %v", env.Header.Columns)
	}
	p, err := k.Open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	build := func(env batch.Env, p batch.Planner, cur *Event, cells ...string) (*Event, bool) {
		t.Helper()
		c, errs := p.Parse(batchtest.Row(env, cells...))
		if len(errs) > 0 {
			t.Fatalf("parse %q: %v", cells, errs)
		}
		var rec core.Record
		var same bool
		if cur == nil {
			rec, same, err = p.Build(c, nil)
		} else {
			rec, same, err = p.Build(c, cur)
		}
		if err != nil {
			t.Fatalf("build %q: %v", cells, err)
		}
		return rec.(*Event), same
	}
	e, _ := build(env, p, nil, "沙龙", "沙龙", "2024-03-05", "1", "甲公司、乙公司", "张三")
	if !slices.Equal(e.Participants.Enterprises, []Ref{{Name: "甲公司"}, {Name: "乙公司"}}) ||
		!slices.Equal(e.Participants.Talents, []Ref{{Name: "张三"}}) || e.Participants.EnterpriseCount != 2 || e.Participants.TalentCount != 1 {
		t.Errorf("new event's participants %+v", e.Participants)
	}

	stored := *e
	stored.ID, stored.Version = "ev1", 3
	stored.Participants.Enterprises = []Ref{{ID: "ent1", Name: "甲公司"}, {ID: "ent2", Name: "乙公司"}}
	stored.Participants.Talents = []Ref{{ID: "tal1", Name: "张三"}}
	keep := slices.Clone(stored.Participants.Enterprises)
	if _, same := build(env, p, &stored, "沙龙", "沙龙", "2024-03-05", "2", "甲公司、乙公司", "张三"); !same {
		t.Error("the same names changed the event")
	}
	upd, same := build(env, p, &stored, "沙龙", "沙龙", "2024-03-05", "2", "乙公司；丙公司", "")
	if same || !slices.Equal(upd.Participants.Enterprises, []Ref{{ID: "ent2", Name: "乙公司"}, {Name: "丙公司"}}) ||
		upd.Participants.Talents != nil || upd.Participants.TalentCount != 1 || !slices.Equal(stored.Participants.Enterprises, keep) {
		t.Errorf("update %+v same=%v (stored %+v)", upd.Participants, same, stored.Participants)
	}

	// Without the list columns the stored lists stay.
	env2 := batchtest.Env(t, k.Fields(), "活动主题", "活动形式", "举办时间", "参会企业数")
	p2, err := k.Open(context.Background(), env2)
	if err != nil {
		t.Fatal(err)
	}
	upd, _ = build(env2, p2, &stored, "沙龙", "沙龙", "2024-03-05", "0")
	if !slices.Equal(upd.Participants.Enterprises, keep) || len(upd.Participants.Talents) != 1 || upd.Participants.EnterpriseCount != 2 {
		t.Errorf("without the columns %+v", upd.Participants)
	}
}

func TestFieldsRegistered(t *testing.T) {
	batchtest.CheckFields(t, "events", LedgerFields)
}
