package batch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/batch/batchtest"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// book builds a workbook whose first sheet has rows at the given 1-based
// row numbers (missing numbers are blank rows).
func book(t *testing.T, rows map[int][]any) *sheet.Book {
	t.Helper()
	data := batchtest.XLSX(t, rows)
	b, err := sheet.Open("台账.xlsx", bytes.NewReader(data), int64(len(data)), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

var zp = core.Scope{Units: []string{"zs-zp"}}

var officer = core.Actor{User: "zp_officer"}

// ledgerImporter imports the shared ledger with a manager's role, so that
// its legacy rows past 评估决策 (已签约) land with an out-of-system approval;
// an officer's go to the review list (projects TestImportLegacyStages).
var ledgerImporter = core.Actor{User: officer.User, Role: "manager"}

func ledger() map[int][]any {
	return map[int][]any{
		1:  {"2024年张浦镇重点科技招商项目台账"},
		2:  {"填报单位：张浦镇", "", "", "", "日期：2024-05-01"},
		3:  {"序号", "项目名称", "项目类型", "企业名称", "统一社会信用代码", "联系人", "手机", "总投资（万元）", "所属区镇", "项目进展", "签约日期", "行业"},
		4:  {1, "智能传感器项目", "产业", "昆山某某传感科技有限公司", "", "张三", "138 1234 5678", "1,200", "张浦镇", "在谈", "2024年3月5日", "新智造"},
		5:  {2, "医疗器械项目", "产业", "某医疗公司", "", "李四", "13912345678", "800", "张浦镇", "已签约", "2024-02-30", "新医疗"},
		6:  {3, "储能电池项目", "产业", "某能源公司", "", "", "", "1.2亿", "张浦镇", "已签约", "2024/03/05", "新能源"},
		7:  {4, "氢能装备项目", "产业", "某氢能公司", "", "", "", "500万元", "张浦镇", "已签约", "", "新能源"},
		8:  {5, "智能传感器项目", "产业", "重复一行", "", "", "", "100", "张浦镇", "在谈", "", "新智造"},
		10: {6, "院士工作站", "人才", "", "", "王五", "+86 139-0000-1111", "", "", "推送", "", ""},
		11: {"", "合计", "", "", "", "", "", "3500"},
	}
}

func run(t *testing.T, im *batch.Importer, rows map[int][]any, dry bool, tweak ...func(*batch.Request)) *batch.Report {
	t.Helper()
	req := batch.Request{Kind: "projects", File: "台账.xlsx", Book: book(t, rows), Actor: ledgerImporter, Scope: zp,
		Unit: "zs-zp", DryRun: dry}
	for _, f := range tweak {
		f(&req)
	}
	rep, err := im.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

type counts struct{ rows, created, updated, unchanged, skipped, rejected, review int }

func countsOf(r *batch.Report) counts {
	return counts{r.Rows, r.Created, r.Updated, r.Unchanged, r.Skipped, r.Rejected, r.Review}
}

func projectsIn(t *testing.T, a *testapp.App, batchID string) []*projects.Project {
	t.Helper()
	var out []*projects.Project
	err := a.P.Projects.Each(context.Background(), func(p *projects.Project) error {
		if batchID == "" || p.Batch == batchID {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func indexed(t *testing.T, a *testapp.App, text string) int {
	t.Helper()
	res, err := a.P.Engine.Search(context.Background(), search.Query{Kinds: []string{projects.Kind}, Text: text, Scope: search.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestPreviewCommitReimportUndo(t *testing.T) {
	a := testapp.Start(t)
	im := a.P.Imports
	ctx := context.Background()
	// The importing officer is a member of the town team, so rows naming no
	// 负责人 are theirs.
	if _, err := a.P.Users.EnsureUser(ctx, officer.User, "张浦招商员", "officer", []string{"zs-zp"}, "Demo@2025x"); err != nil {
		t.Fatal(err)
	}

	// Preview: every row classified, nothing written.
	pre := run(t, im, ledger(), true)
	want := counts{rows: 8, created: 3, skipped: 2, rejected: 2, review: 1}
	if got := countsOf(pre); got != want {
		t.Fatalf("preview counts %+v, want %+v\nerrors %+v\nreviews %+v", got, want, pre.Errors, pre.Reviews)
	}
	wantErr := map[int]string{5: "签约日期", 7: "项目进展"} // impossible date; 已签约 without 签约日期 (stage gate)
	for _, e := range pre.Errors {
		if wantErr[e.Row] != e.Column || e.Message == "" {
			t.Errorf("unexpected error %+v", e)
		}
	}
	if len(pre.Reviews) != 1 || pre.Reviews[0].Row != 8 || !strings.Contains(pre.Reviews[0].Message, "第 4 行") {
		t.Errorf("reviews %+v, want row 8 as a twin of row 4", pre.Reviews)
	}
	if n := len(projectsIn(t, a, "")); n != 0 {
		t.Fatalf("preview wrote %d projects", n)
	}

	// Commit: the same plan, written with the batch id, indexed, journaled.
	rej := im.RejectedPath("test")
	com := run(t, im, ledger(), false, func(r *batch.Request) { r.Rejected = rej })
	if got := countsOf(com); got != want {
		t.Fatalf("commit counts %+v, want %+v", got, want)
	}
	if com.BatchID == "" {
		t.Fatal("no batch id")
	}
	got := projectsIn(t, a, com.BatchID)
	if len(got) != 3 {
		t.Fatalf("batch holds %d projects, want 3", len(got))
	}
	byName := map[string]*projects.Project{}
	for _, p := range got {
		byName[p.Name] = p
	}
	if p := byName["储能电池项目"]; p == nil || p.Stage != projects.StageProcess || p.Investment != 12000 || len(p.History) != 2 {
		t.Errorf("储能电池项目 = %+v (want 过程管理 via 资源招引, 12000 万元)", p)
	}
	if p := byName["智能传感器项目"]; p == nil || p.Contacts[0].Phone != "13812345678" || p.Unit != "zs-zp" || p.Officer != officer.User {
		t.Errorf("智能传感器项目 = %+v", p)
	}
	if n := indexed(t, a, "储能电池"); n != 1 {
		t.Errorf("engine finds %d 储能电池 projects, want 1", n)
	}
	j, err := im.Job(ctx, com.BatchID)
	if err != nil || j.State != batch.StateDone || j.By != officer.User || j.Report.Created != 3 {
		t.Fatalf("job %+v, %v", j, err)
	}
	if _, err := os.Stat(rej); err != nil {
		t.Errorf("rejected rows workbook: %v", err)
	} else {
		f, err := excelize.OpenFile(rej)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("未导入的行")
		f.Close()
		if len(rows) != 4 || !strings.Contains(rows[1][0], "日期") || rows[1][2] != "医疗器械项目" {
			t.Errorf("rejected workbook rows = %q", rows)
		}
	}

	// The same file again: matched by natural key, nothing changes.
	again := run(t, im, ledger(), false)
	if got := countsOf(again); got != (counts{rows: 8, unchanged: 3, skipped: 2, rejected: 2, review: 1}) {
		t.Fatalf("re-import counts %+v, errors %+v", got, again.Errors)
	}

	// A changed amount updates that record only; undo restores it.
	changed := ledger()
	changed[4][7] = "1,500"
	upd := run(t, im, changed, false)
	if upd.Updated != 1 || upd.Unchanged != 2 || upd.Created != 0 {
		t.Fatalf("update counts %+v", countsOf(upd))
	}
	sensor, _ := a.P.Projects.Get(ctx, byName["智能传感器项目"].ID)
	if sensor.Investment != 1500 || sensor.Batch != upd.BatchID || sensor.Version != 2 {
		t.Fatalf("updated project %+v", sensor)
	}
	if _, err := im.Undo(ctx, officer, upd.BatchID); err != nil {
		t.Fatalf("undo update batch: %v", err)
	}
	sensor, _ = a.P.Projects.Get(ctx, sensor.ID)
	if sensor.Investment != 1200 || sensor.Version != 3 || sensor.Batch != com.BatchID {
		t.Fatalf("after undo %+v", sensor)
	}

	// Undo of the first batch is refused while one of its records was
	// edited since; nothing changes. After that edit is gone it succeeds.
	edited, _ := a.P.Projects.Get(ctx, byName["院士工作站"].ID)
	before := *edited
	edited.Summary = "手工补充的简介"
	if err := a.P.Projects.Update(ctx, core.Actor{User: "zp_other"}, edited, &before); err != nil {
		t.Fatal(err)
	}
	_, err = im.Undo(ctx, officer, com.BatchID)
	var ce *batch.ConflictError
	if !errors.As(err, &ce) || len(ce.Conflicts) != 2 {
		t.Fatalf("undo with edits: err %v, want 2 conflicts (edited + restored-by-undo)", err)
	}
	if n := len(projectsIn(t, a, "")); n != 3 {
		t.Fatalf("refused undo changed data: %d projects", n)
	}
	if err := a.P.Projects.Delete(ctx, core.System, edited.ID, edited.Version); err != nil {
		t.Fatal(err)
	}
	if err := a.P.Projects.Delete(ctx, core.System, sensor.ID, sensor.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Undo(ctx, officer, com.BatchID); err != nil {
		t.Fatalf("undo: %v", err)
	}
	if n := len(projectsIn(t, a, "")); n != 0 {
		t.Fatalf("after undo %d projects remain", n)
	}
	if n := indexed(t, a, "储能电池"); n != 0 {
		t.Errorf("engine still finds %d undone projects", n)
	}
	if _, err := im.Undo(ctx, officer, com.BatchID); err == nil {
		t.Error("a second undo must be refused")
	}
}

func TestMatchingRules(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	cc := validCode(t)
	other := &projects.Project{Meta: core.Meta{ID: "other1"}, Type: "industry", Name: "别人的项目", Unit: "kfq",
		Stage: "search", CreditCode: cc}
	mine := &projects.Project{Meta: core.Meta{ID: "mine1"}, Type: "industry", Name: "智能传感器项目", Unit: "zs-zp",
		Stage: "attract", Industry: "新智造"}
	for _, p := range []*projects.Project{other, mine} {
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	rows := map[int][]any{
		1: {"项目名称", "项目类型", "统一社会信用代码", "阶段", "记录ID", "记录版本", "行业"},
		2: {"换了名字", "产业", cc, "在谈", "", "", ""},          // other unit's credit code: refused
		3: {"智能传感器项目（二期）", "产业", "", "在谈", "", "", ""},   // similar name: review
		4: {"随便改名", "产业", "", "在谈", "mine1", "7", "新智造"}, // export id, stale version: review
		5: {"智能传感器项目", "产业", "", "已签约", "", "", "新智造"},   // stage gate: no 签约日期
		6: {"不存在的记录", "产业", "", "", "nosuchid", "1", ""}, // unknown id
		7: {"智能传感器项目", "产业", "", "暂缓", "", "", "新智造"},    // no reason: gate
		8: {"新项目", "人才", "", "终止", "", "", ""},           // new and dropped without reason
	}
	rep := run(t, a.P.Imports, rows, true)
	got := map[int]string{}
	for _, e := range rep.Errors {
		got[e.Row] = "rejected:" + e.Column
	}
	for _, e := range rep.Reviews {
		got[e.Row] = "review:" + e.ID
	}
	want := map[int]string{2: "rejected:", 3: "review:mine1", 4: "review:mine1", 5: "rejected:阶段",
		6: "rejected:记录ID", 7: "review:", 8: "rejected:阶段"} // 7: the same project as row 5
	for row, w := range want {
		if got[row] != w {
			t.Errorf("row %d: %q, want %q", row, got[row], w)
		}
	}
	// Confirmed review rows are written: the similar name as a new
	// project, the stale export row as an update (rows 5 and 7 now name
	// the record row 4 updates: review).
	rep = run(t, a.P.Imports, rows, false, func(r *batch.Request) { r.Confirm = map[int]bool{3: true, 4: true} })
	if rep.Created != 1 || rep.Updated != 1 || rep.Review != 2 || rep.Rejected != 3 {
		t.Fatalf("confirmed run: %+v, errors %+v", countsOf(rep), rep.Errors)
	}
	m, _ := a.P.Projects.Get(ctx, "mine1")
	if m.Name != "随便改名" || m.Batch != rep.BatchID {
		t.Errorf("mine1 after confirmed update: %+v", m)
	}
}

func validCode(t *testing.T) string {
	t.Helper()
	const first17 = "91320583MA1M9XY4P"
	c, ok := cells.CreditCodeCheckChar(first17)
	if !ok {
		t.Fatal("no check character")
	}
	return first17 + string(c)
}

// A commit whose process dies part-way leaves a committing job; Recover
// rolls it back whole. Simulated: a finished commit is made to look
// interrupted (owner a dead process, last journal not done).
func TestRecoverRollsBackInterruptedCommit(t *testing.T) {
	a := testapp.Start(t)
	ctx := context.Background()
	im := a.P.Imports
	im.ChunkRows = 2
	rows := map[int][]any{1: {"项目名称", "项目类型"}}
	for i := 0; i < 7; i++ {
		rows[i+2] = []any{fmt.Sprintf("批量项目%02d", i), "产业"}
	}
	rep := run(t, im, rows, false)
	if rep.Created != 7 {
		t.Fatalf("created %d", rep.Created)
	}
	j, _ := im.Job(ctx, rep.BatchID)
	if j.Chunks != 4 {
		t.Fatalf("chunks = %d, want 4", j.Chunks)
	}
	db := a.P.Store.DB
	if _, err := db.Collection(batch.JobsCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: batch.StateCommitting},
			{Key: "owner", Value: batch.Owner{Host: "elsewhere", PID: 1}}, {Key: "heartbeat", Value: time.Now().Add(-time.Hour)},
			{Key: "chunks", Value: 3}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Collection(batch.ChunksCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID + "/000004"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: false}}}}); err != nil {
		t.Fatal(err)
	}
	done, err := im.Recover(ctx)
	if err != nil || len(done) != 1 || done[0] != j.ID {
		t.Fatalf("recover = %v, %v", done, err)
	}
	if n := len(projectsIn(t, a, "")); n != 0 {
		t.Fatalf("%d projects left after rollback", n)
	}
	j, _ = im.Job(ctx, j.ID)
	if j.State != batch.StateRolledBack || j.Message == "" {
		t.Fatalf("job after recover %+v", j)
	}
	// A live committing job (fresh heartbeat, this process) is left alone.
	if done, _ := im.Recover(ctx); len(done) != 0 {
		t.Fatalf("second recover rolled back %v", done)
	}
}

// A cancelled commit rolls back what it wrote before returning.
func TestCancelledCommitRollsBack(t *testing.T) {
	a := testapp.Start(t)
	im := a.P.Imports
	im.ChunkRows = 1
	rows := map[int][]any{1: {"项目名称", "项目类型"}}
	for i := 0; i < 500; i++ {
		rows[i+2] = []any{fmt.Sprintf("取消项目%03d", i), "产业"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(projectsIn(t, a, "")) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := im.Run(ctx, batch.Request{Kind: "projects", File: "x.xlsx", Book: book(t, rows), Actor: officer,
		Scope: zp, Unit: "zs-zp"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(projectsIn(t, a, "")); n != 0 {
		t.Fatalf("%d projects left after a cancelled commit", n)
	}
	jobs, _ := im.List(context.Background(), officer.User, zp, "")
	if len(jobs) != 1 || jobs[0].State != batch.StateRolledBack {
		t.Fatalf("jobs %+v", jobs)
	}
}

func TestFileProblems(t *testing.T) {
	a := testapp.Start(t)
	cases := []struct {
		name string
		rows map[int][]any
		map_ map[int]string
		code string
	}{
		{"no 项目名称 column", map[int][]any{1: {"投资方", "总投资", "阶段"}, 2: {"某公司", "100", "在谈"}}, nil, "missing_column"},
		{"header matches nothing", map[int][]any{1: {"甲", "乙"}, 2: {"1", "2"}}, nil, "no_header"},
		{"mapping to an unknown field", map[int][]any{1: {"项目名称", "类型"}, 2: {"x", "产业"}}, map[int]string{1: "colour"}, "bad_mapping"},
		{"mapping past the last column", map[int][]any{1: {"项目名称", "类型"}, 2: {"x", "产业"}}, map[int]string{9: "name"}, "bad_mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := a.P.Imports.Run(context.Background(), batch.Request{Kind: "projects", Book: book(t, c.rows),
				Actor: officer, Scope: zp, Unit: "zs-zp", Mapping: c.map_})
			var se *sheet.Error
			if !errors.As(err, &se) || se.Code != c.code || se.Message == "" {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
		})
	}
	// A mapping fix makes an unrecognised column count.
	rows := map[int][]any{1: {"台账"}, 2: {"项目名称", "项目种类"}, 3: {"映射项目", "产业"}}
	rep := run(t, a.P.Imports, rows, true, func(r *batch.Request) {
		r.HeaderRow, r.Mapping = 2, map[int]string{1: "type"}
	})
	if rep.Created != 1 || rep.Rejected != 0 || rep.HeaderRow != 2 {
		t.Fatalf("with mapping: %+v %+v", countsOf(rep), rep.Errors)
	}
	// Without the chosen header row the file has no recognisable header.
	_, err := a.P.Imports.Run(context.Background(), batch.Request{Kind: "projects", Book: book(t, rows),
		Actor: officer, Scope: zp, Unit: "zs-zp", Mapping: map[int]string{1: "type"}})
	if !errors.Is(err, header.ErrNoHeader) {
		t.Fatalf("err = %v, want no header", err)
	}
}
