package batch_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/resources"
)

// An event's participant lists go out in its export (参与企业名单,
// 参与人才名单) and come back in with the edited ledger: a name the event
// already lists keeps its pool id, a pool name within the importer's
// scope is linked, any other name stays a name; re-importing the
// unchanged export changes nothing.
func TestExportedParticipantsRoundTrip(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	im := a.P.Imports
	c := kindCase{kind: "events", actor: officer}

	ent := func(name, unit string, n int) events.Ref {
		t.Helper()
		e := &resources.Enterprise{Name: name, CreditCode: fmt.Sprintf("91320583MA1N0K3X%02d", n), Industry: "新材料", Unit: unit}
		if err := a.P.Records.Enterprises.Create(ctx, core.System, e); err != nil {
			t.Fatal(err)
		}
		return events.Ref{ID: e.ID, Name: e.Name}
	}
	e1, e2 := ent("昆山甲材料科技有限公司", "zs-zp", 1), ent("昆山乙传感科技有限公司", "zs-zp", 2)
	e3 := ent("昆山丙新能源有限公司", "zs-zp", 3)
	ent("昆山丁医疗器械有限公司", "kfq", 4) // another unit's: not linked by a 张浦 officer
	ent("昆山戊智能装备有限公司", "zs-zp", 5)
	ent("昆山戊智能装备有限公司", "zs-zp", 6) // two of the name: not linked
	tal := &resources.Talent{Name: "张伟", Level: "国家级", Industry: "新材料", Unit: "zs-zp"}
	if err := a.P.Records.Talents.Create(ctx, core.System, tal); err != nil {
		t.Fatal(err)
	}
	t1 := events.Ref{ID: tal.ID, Name: tal.Name}

	ev := &events.Event{Title: "新材料企业沙龙", Type: "沙龙", Date: core.NewDate(2024, 3, 5), Unit: "zs-zp",
		Status: events.StatusHeld, Attendees: 40, Participants: events.Participants{Enterprises: []events.Ref{e1, e2},
			Talents: []events.Ref{t1}, EnterpriseCount: 2, TalentCount: 1}}
	if err := a.P.Records.Events.Create(ctx, core.System, ev); err != nil {
		t.Fatal(err)
	}
	stored := func() *events.Event {
		t.Helper()
		x, err := a.P.Records.Events.Get(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	cell := func(rows map[int][]any, label string) any {
		t.Helper()
		i := slices.Index(rows[1], any(label))
		if i < 0 {
			t.Fatalf("no column %q in %q", label, rows[1])
		}
		if i >= len(rows[2]) {
			return ""
		}
		return rows[2][i]
	}
	unchanged := func(step string) {
		t.Helper()
		before := stored().Version
		rows := exported(t, a, "events")
		if rep := runKind(t, im, c, rows, false); countsOf(rep) != (counts{rows: 1, unchanged: 1}) {
			t.Fatalf("%s: re-import of the export %+v, errors %+v reviews %+v", step, countsOf(rep), rep.Errors, rep.Reviews)
		}
		if v := stored().Version; v != before {
			t.Fatalf("%s: re-import of the export changed the event (v%d → v%d)", step, before, v)
		}
	}

	rows := exported(t, a, "events")
	if got := cell(rows, "参与企业名单"); got != e1.Name+"、"+e2.Name {
		t.Fatalf("参与企业名单 exported as %q", got)
	}
	if got := cell(rows, "参与人才名单"); got != t1.Name {
		t.Fatalf("参与人才名单 exported as %q", got)
	}
	unchanged("first export")

	// One enterprise removed, a pool name and an unknown name added.
	setCell(t, rows, "参与企业名单", 2, e1.Name+"，"+e3.Name+"\n某某未入库企业、"+e1.Name)
	if rep := runKind(t, im, c, rows, false); countsOf(rep) != (counts{rows: 1, updated: 1}) {
		t.Fatalf("import of the edited export: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	got := stored()
	want := []events.Ref{e1, e3, {Name: "某某未入库企业"}}
	if !slices.Equal(got.Participants.Enterprises, want) || !slices.Equal(got.Participants.Talents, []events.Ref{t1}) ||
		got.Participants.EnterpriseCount != 3 || got.Participants.TalentCount != 1 {
		t.Fatalf("participants after the edit = %+v, want enterprises %+v, talents %+v, counts 3/1", got.Participants, want, t1)
	}
	unchanged("edited export")

	// A 参与企业数 above the list stays; names out of the officer's scope
	// or ambiguous in the pool stay names; a talent list replaced by a
	// blank cell is cleared, its count kept.
	rows = exported(t, a, "events")
	setCell(t, rows, "参与企业数", 2, "30")
	setCell(t, rows, "参与企业名单", 2, e1.Name+"、昆山丁医疗器械有限公司、昆山戊智能装备有限公司")
	setCell(t, rows, "参与人才名单", 2, "")
	if rep := runKind(t, im, c, rows, false); rep.Updated != 1 {
		t.Fatalf("import with names out of scope: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	got = stored()
	want = []events.Ref{e1, {Name: "昆山丁医疗器械有限公司"}, {Name: "昆山戊智能装备有限公司"}}
	if !slices.Equal(got.Participants.Enterprises, want) || got.Participants.Talents != nil ||
		got.Participants.EnterpriseCount != 30 || got.Participants.TalentCount != 1 {
		t.Fatalf("participants = %+v, want enterprises %+v, no talents, counts 30/1", got.Participants, want)
	}

	// Without the columns the stored lists stay.
	rows = exported(t, a, "events")
	dropColumn(t, rows, "参与企业名单")
	dropColumn(t, rows, "参与人才名单")
	setCell(t, rows, "参会人数", 2, "45")
	if rep := runKind(t, im, c, rows, false); rep.Updated != 1 {
		t.Fatalf("import without the list columns: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	if x := stored(); !slices.Equal(x.Participants.Enterprises, want) || x.Participants.Talents != nil || x.Attendees != 45 {
		t.Fatalf("participants without the columns = %+v", x.Participants)
	}

	// Beyond the form's limits, or a count in a list column: the row is
	// rejected, naming the column.
	many := make([]string, events.MaxParticipants+1)
	for i := range many {
		many[i] = fmt.Sprintf("企业%03d", i)
	}
	for _, tc := range []struct{ label, value, msg string }{
		{"参与企业名单", strings.Join(many, "、"), "最多登记 300 个"},
		{"参与人才名单", strings.Repeat("长", events.MaxParticipantName+1), "最多 100 字"},
		{"参与企业名单", "30家", "参与企业数"},
	} {
		rows = exported(t, a, "events")
		setCell(t, rows, tc.label, 2, tc.value)
		rep := runKind(t, im, c, rows, false)
		if rep.Rejected != 1 || len(rep.Errors) != 1 || rep.Errors[0].Column != tc.label || !strings.Contains(rep.Errors[0].Message, tc.msg) {
			t.Errorf("%s %.20q: %+v, errors %+v; want the column named and %q", tc.label, tc.value, countsOf(rep), rep.Errors, tc.msg)
		}
	}
	unchanged("after the rejected rows")
}
