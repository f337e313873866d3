package batch_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// exportedProject writes one project as the projects list export does and
// reads the file back as ledger rows.
func exportedProject(t *testing.T, a *testapp.App, id string) map[int][]any {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	_, err := export.Write(&buf, projects.ExportSheet(a.P.Matrix.Name), func(fn func(*projects.Project) error) error {
		p, err := a.P.Projects.Get(ctx, id)
		if err != nil {
			return err
		}
		return fn(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ledgerRows(t, &buf)
}

// setCell sets the cell of the column labelled label on ledger row n.
func setCell(t *testing.T, rows map[int][]any, label string, n int, v string) {
	t.Helper()
	i := slices.Index(rows[1], any(label))
	if i < 0 {
		t.Fatalf("no column %q in %q", label, rows[1])
	}
	for len(rows[n]) <= i {
		rows[n] = append(rows[n], "")
	}
	rows[n][i] = v
}

// dropColumn removes the column labelled label from every row.
func dropColumn(t *testing.T, rows map[int][]any, label string) {
	t.Helper()
	i := slices.Index(rows[1], any(label))
	if i < 0 {
		t.Fatalf("no column %q in %q", label, rows[1])
	}
	for n, r := range rows {
		if i < len(r) {
			rows[n] = slices.Delete(slices.Clone(r), i, i+1)
		}
	}
}

// All of a project's contacts go out in an export (对接人, 联系电话,
// 其他联系人) and come back in with the edited ledger: changing the third
// contact's phone updates exactly that.
func TestExportedContactsRoundTrip(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	im := a.P.Imports
	c := kindCase{kind: "projects", actor: officer}
	three := []projects.Contact{
		{Name: "张三", Phone: "13812345678", Title: "总经理"},
		{Name: "李四", Phone: "13912345678", Title: "财务总监", Email: "li@example.com"},
		{Name: "王五", Phone: "051257001234"},
	}
	p := &projects.Project{Name: "三位联系人的项目", Type: projects.TypeIndustry, Unit: "zs-zp", Stage: projects.StageSearch,
		Zone: "张浦镇", Industry: "新智造", Investment: 1200, Contacts: slices.Clone(three)}
	if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
		t.Fatal(err)
	}
	contacts := func() ([]projects.Contact, int64) {
		t.Helper()
		x, err := a.P.Projects.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return x.Contacts, x.Version
	}

	rows := exportedProject(t, a, p.ID)
	if got := rows[2][slices.Index(rows[1], any("其他联系人"))]; got != "李四 13912345678；王五 051257001234" {
		t.Fatalf("其他联系人 exported as %q", got)
	}
	if rep := runKind(t, im, c, rows, true); countsOf(rep) != (counts{rows: 1, unchanged: 1}) {
		t.Fatalf("re-import of the export: %+v, errors %+v", countsOf(rep), rep.Errors)
	}

	// The third contact's phone, edited in the file.
	setCell(t, rows, "其他联系人", 2, "李四 13912345678；王五 138 0000 1111")
	rep := runKind(t, im, c, rows, false)
	if countsOf(rep) != (counts{rows: 1, updated: 1}) {
		t.Fatalf("import of the edited export: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	want := slices.Clone(three)
	want[2].Phone = "13800001111"
	if got, v := contacts(); !slices.Equal(got, want) || v != 2 {
		t.Fatalf("contacts after the edit (v%d) = %+v, want %+v", v, got, want)
	}

	// A bad phone rejects the row, naming the column and the value.
	rows = exportedProject(t, a, p.ID)
	setCell(t, rows, "其他联系人", 2, "李四 1391234")
	rep = runKind(t, im, c, rows, false)
	if rep.Rejected != 1 || len(rep.Errors) != 1 || rep.Errors[0].Column != "其他联系人" || rep.Errors[0].Value != "李四 1391234" ||
		!strings.Contains(rep.Errors[0].Message, "1391234") {
		t.Fatalf("bad phone: %+v, errors %+v", countsOf(rep), rep.Errors)
	}

	// Without the column the other contacts stay; the first one changes.
	rows = exportedProject(t, a, p.ID)
	dropColumn(t, rows, "其他联系人")
	setCell(t, rows, "联系电话", 2, "13811112222")
	if rep := runKind(t, im, c, rows, false); rep.Updated != 1 {
		t.Fatalf("import without 其他联系人: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	want[0].Phone = "13811112222"
	if got, _ := contacts(); !slices.Equal(got, want) {
		t.Fatalf("contacts without the column = %+v, want %+v", got, want)
	}

	// A blank cell in the column: no other contacts.
	rows = exportedProject(t, a, p.ID)
	setCell(t, rows, "其他联系人", 2, "")
	if rep := runKind(t, im, c, rows, false); rep.Updated != 1 {
		t.Fatalf("import with a blank 其他联系人: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	if got, _ := contacts(); !slices.Equal(got, want[:1]) {
		t.Fatalf("contacts after a blank cell = %+v, want %+v", got, want[:1])
	}
}

// A new project's contacts are the 对接人 followed by the 其他联系人.
func TestImportedOtherContactsOfNewProject(t *testing.T) {
	a := testapp.Start(t)
	rows := map[int][]any{
		1: {"项目名称", "项目类型", "所属区镇", "对接人", "联系电话", "其他联系人"},
		2: {"新建联系人项目", "产业", "张浦镇", "张三", "13812345678", "李四；王五　１３９１２３４５６７８\n赵六 0512-57001234"},
	}
	rep := runKind(t, a.P.Imports, kindCase{kind: "projects", actor: officer}, rows, false)
	if rep.Created != 1 {
		t.Fatalf("import: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	got := projectsIn(t, a, rep.BatchID)[0].Contacts
	want := []projects.Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四"}, {Name: "王五", Phone: "13912345678"},
		{Name: "赵六", Phone: "051257001234"}}
	if !slices.Equal(got, want) {
		t.Errorf("contacts = %+v, want %+v", got, want)
	}
}

// 联系电话 is checked like the 其他联系人 phones: a local number is kept, a
// number that is none is rejected naming the column.
func TestImportedContactPhoneChecked(t *testing.T) {
	a := testapp.Start(t)
	rows := map[int][]any{
		1: {"项目名称", "项目类型", "所属区镇", "对接人", "联系电话"},
		2: {"本地号码项目", "产业", "张浦镇", "张三", "5700 1234"},
		3: {"错误号码项目", "产业", "张浦镇", "李四", "1391234"},
	}
	rep := runKind(t, a.P.Imports, kindCase{kind: "projects", actor: officer}, rows, false)
	if rep.Created != 1 || rep.Rejected != 1 {
		t.Fatalf("import: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	if e := rep.Errors[0]; e.Row != 3 || e.Column != "联系电话" || !strings.Contains(e.Message, "1391234") {
		t.Errorf("rejection %+v", e)
	}
	if got := projectsIn(t, a, rep.BatchID)[0].Contacts; len(got) != 1 || got[0].Phone != "57001234" {
		t.Errorf("contacts = %+v", got)
	}
}

// A row with several problems of the rules is rejected once, naming every
// one on its column: the user fixes the row in one go. (Cells that cannot
// be read at all — a phone that is none — are reported first, all of them,
// before the rules are checked.)
func TestImportRowReportsEveryProblem(t *testing.T) {
	a := testapp.Start(t)
	rows := map[int][]any{
		1: {"项目名称", "项目类型", "所属区镇", "对接人", "统一社会信用代码", "项目简介", "所属行业"},
		2: {"三处问题的项目", "产业", "张浦镇", "张三", "91320583MA1XXXXXX0", strings.Repeat("简", 5001), "养殖业"},
	}
	rep := runKind(t, a.P.Imports, kindCase{kind: "projects", actor: officer}, rows, false)
	if rep.Rejected != 1 {
		t.Fatalf("import: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	var cols []string
	for _, e := range rep.Errors {
		cols = append(cols, e.Column)
	}
	slices.Sort(cols)
	if want := []string{"所属行业", "统一社会信用代码", "项目简介"}; !slices.Equal(cols, want) {
		t.Errorf("errors on columns %q, want %q: %+v", cols, want, rep.Errors)
	}
}

// A row's 负责人 must be a member of the project's unit, as on the form; a
// row naming none is the importing user's when a member, else nobody's.
func TestImportedOfficerIsAMember(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, unit string }{{"zp_gu", "zs-zp"}, {"kfq_li", "kfq"}} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, "officer", []string{u.unit}, "Demo@2025x"); err != nil {
			t.Fatal(err)
		}
	}
	rows := map[int][]any{
		1: {"项目名称", "项目类型", "所属区镇", "负责人"},
		2: {"本队负责人项目", "产业", "张浦镇", "zp_gu"},
		3: {"外单位负责人项目", "产业", "张浦镇", "kfq_li"},
		4: {"无负责人项目", "产业", "张浦镇", ""},
	}
	// zp_officer (the importing user) is no user here, so not a member.
	rep := runKind(t, a.P.Imports, kindCase{kind: "projects", actor: officer}, rows, false)
	if rep.Created != 2 || rep.Rejected != 1 || rep.Errors[0].Row != 3 || rep.Errors[0].Column != "负责人" ||
		!strings.Contains(rep.Errors[0].Message, "不是该项目责任单位的成员") {
		t.Fatalf("import: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	officers := map[string]string{}
	for _, p := range projectsIn(t, a, rep.BatchID) {
		officers[p.Name] = p.Officer
	}
	if officers["本队负责人项目"] != "zp_gu" || officers["无负责人项目"] != "" {
		t.Errorf("officers %v", officers)
	}
}
