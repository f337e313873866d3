package projects_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// A project state the gate table starts from.
type gateState struct {
	name string
	p    func() projects.Project
}

const validCode = "91320583MA1MXXXX05"

func gateStates() []gateState {
	signed := core.Date{}
	signed, _ = core.ParseDate("2025-02-01")
	approved := func() *projects.Approval { return &projects.Approval{By: "kjj_boss", Approved: true} }
	vetoed := func() *projects.Approval { return &projects.Approval{By: "kjj_boss", Veto: "能耗"} }
	return []gateState{
		{"search with code", func() projects.Project {
			return projects.Project{Stage: projects.StageSearch, CreditCode: validCode}
		}},
		{"attract signed, no score", func() projects.Project {
			return projects.Project{Stage: projects.StageAttract, CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"decision scored, no approval", func() projects.Project {
			return projects.Project{Stage: projects.StageDecision, Score: 80, CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"decision vetoed", func() projects.Project {
			return projects.Project{Stage: projects.StageDecision, Score: 80, Approval: vetoed(), CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"paused after veto", func() projects.Project {
			return projects.Project{Stage: projects.StagePaused, Reason: "一票否决", Score: 80, Approval: vetoed(), CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"paused, never assessed", func() projects.Project {
			return projects.Project{Stage: projects.StagePaused, Reason: "资金未到位", CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"decision approved signed", func() projects.Project {
			return projects.Project{Stage: projects.StageDecision, Score: 80, Approval: approved(), CreditCode: validCode, Milestones: projects.Milestones{Signed: signed}}
		}},
		{"attract after approval", func() projects.Project {
			return projects.Project{Stage: projects.StageAttract, Score: 80, Approval: approved(), Milestones: projects.Milestones{Signed: signed}}
		}},
	}
}

// gateCases: state × target → allowed. Written out by hand from the rule
// (not computed by it).
var gateCases = []struct {
	state, to string
	ok        bool
}{
	{"search with code", projects.StageAftercare, false},
	{"search with code", projects.StageProcess, false},
	{"search with code", projects.StageDecision, false},
	{"search with code", projects.StageAttract, true}, // skipping early stages stays allowed
	{"attract signed, no score", projects.StageProcess, false},
	{"attract signed, no score", projects.StageAftercare, false},
	{"decision scored, no approval", projects.StageProcess, false},
	{"decision scored, no approval", projects.StageAttract, true},
	{"decision vetoed", projects.StageProcess, false},
	{"decision vetoed", projects.StageAttract, false},
	{"decision vetoed", projects.StagePaused, true},
	{"decision vetoed", projects.StageDropped, true},
	{"paused after veto", projects.StageProcess, false},
	{"paused after veto", projects.StageDecision, false},
	{"paused after veto", projects.StageAttract, false},
	{"paused after veto", projects.StageDropped, true},
	{"paused, never assessed", projects.StageProcess, false},
	{"paused, never assessed", projects.StageAttract, true},
	{"decision approved signed", projects.StageProcess, true},
	{"decision approved signed", projects.StageAftercare, true},
	{"attract after approval", projects.StageProcess, true},
	{"attract after approval", projects.StageAftercare, false}, // no credit code
}

// TestStageGatesEveryPath runs the gate table through every path a move
// can take: the page's stage form, the kanban drag (the stage API), the
// list's bulk form, the bulk API, and a ledger import updating the stage.
func TestStageGatesEveryPath(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	states := map[string]gateState{}
	for _, s := range gateStates() {
		states[s.name] = s
	}
	n := 0
	seed := func(s gateState) *projects.Project {
		n++
		p := s.p()
		p.ID = fmt.Sprintf("gate-%03d", n)
		p.Type, p.Name, p.Unit, p.Officer = projects.TypeIndustry, fmt.Sprintf("闸门测试项目%03d", n), "kfq", "kfq_li"
		p.StageSince = time.Now().UTC()
		p.History = []projects.StageChange{{To: p.Stage, By: "kfq_li", At: p.StageSince}}
		if err := e.a.P.Projects.Create(ctx, core.Actor{User: "kfq_li"}, &p); err != nil {
			t.Fatal(err)
		}
		return &p
	}
	note := func(to string) string {
		if to == projects.StagePaused || to == projects.StageDropped {
			return "测试原因"
		}
		return ""
	}
	paths := map[string]func(p *projects.Project, to string) (int, string){
		"page form": func(p *projects.Project, to string) (int, string) {
			form := url.Values{"to": {to}, "version": {fmt.Sprint(p.Version)}, "note": {note(to)}}
			return e.officer.Do("POST", "/projects/"+p.ID+"/stage", []byte(form.Encode()), formType)
		},
		"kanban drag": func(p *projects.Project, to string) (int, string) {
			return e.officer.Do("POST", "/api/v1/projects/"+p.ID+"/stage", map[string]any{"to": to, "version": p.Version, "note": note(to)}, nil)
		},
		"bulk form": func(p *projects.Project, to string) (int, string) {
			form := url.Values{"action": {"move"}, "to": {to}, "ids": {p.ID}, "note": {note(to)}}
			return e.officer.Do("POST", "/projects/bulk", []byte(form.Encode()), formType)
		},
		"bulk api": func(p *projects.Project, to string) (int, string) {
			return e.officer.Do("POST", "/api/v1/projects/bulk", map[string]any{"action": "move", "to": to, "ids": []string{p.ID}, "note": note(to)}, nil)
		},
		"import update": func(p *projects.Project, to string) (int, string) {
			csv := "项目名称,项目类型,责任单位,阶段,原因\n" + p.Name + ",产业项目,开发区分队," + stageLabel(to) + "," + note(to) + "\n"
			return importCSV(t, e.officer, csv, false)
		},
	}
	for _, c := range gateCases {
		for path, do := range paths {
			t.Run(c.state+" → "+c.to+" by "+path, func(t *testing.T) {
				p := seed(states[c.state])
				st, body := do(p, c.to)
				if st >= 500 {
					t.Fatalf("status %d: %.300s", st, body)
				}
				got, err := e.a.P.Projects.Get(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				moved := got.Stage == c.to
				if moved != c.ok {
					t.Fatalf("%s → %s: stage now %s (status %d %.300s), want allowed=%v", c.state, c.to, got.Stage, st, body, c.ok)
				}
				if !moved && got.Version != p.Version {
					t.Fatalf("refused move changed the record: version %d → %d", p.Version, got.Version)
				}
				if path == "kanban drag" && !c.ok && st != 422 {
					t.Fatalf("refused API move: status %d, want 422: %s", st, body)
				}
			})
		}
	}
}

var formType = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

func stageLabel(s string) string {
	return map[string]string{projects.StageSearch: "资源搜索", projects.StagePush: "资源推送", projects.StageAttract: "资源招引",
		projects.StageDecision: "评估决策", projects.StageProcess: "过程管理", projects.StageAftercare: "后道服务",
		projects.StagePaused: "暂缓", projects.StageDropped: "终止"}[s]
}

// importCSV uploads a ledger through the imports API (commit unless dry).
func importCSV(t *testing.T, c *testapp.Client, csv string, dry bool) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", "ledger.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(csv))
	w.Close()
	q := "?kind=projects"
	if dry {
		q += "&dry_run=1"
	}
	return c.Do("POST", "/api/v1/imports"+q, buf.Bytes(), map[string]string{"Content-Type": w.FormDataContentType()})
}

// TestImportLegacyStages: a ledger row past 评估决策 is landed by a
// manager's import with its approval recorded as taken outside the system,
// and goes to the review list when an officer imports it.
func TestImportLegacyStages(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	if _, err := e.a.P.Users.EnsureUser(ctx, "kfq_boss", "开发区负责人", "manager", []string{"kfq"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	mgr := e.a.Client(t).Login("kfq_boss", "Test-2025x")
	csv := "项目名称,项目类型,责任单位,阶段,签约日期\n" +
		"老台账签约项目,产业项目,开发区分队,已签约,2024-05-16\n" +
		"老台账未签项目,产业项目,开发区分队,过程管理,\n"
	st, body := importCSV(t, e.officer, csv, false)
	var rep struct {
		Created, Review, Rejected int
		BatchID                   string `json:"batch_id"`
	}
	json.Unmarshal([]byte(body), &rep)
	if st >= 300 && st != 422 || rep.Created != 0 || rep.Review != 1 || rep.Rejected != 1 {
		t.Fatalf("officer's legacy ledger: %d %s", st, body)
	}
	if !strings.Contains(body, "须由管理者导入") || !strings.Contains(body, "签约日期") {
		t.Fatalf("officer's legacy ledger: messages %s", body)
	}
	st, body = importCSV(t, mgr, csv, false)
	json.Unmarshal([]byte(body), &rep)
	if rep.Created != 1 || rep.Rejected != 1 || rep.BatchID == "" {
		t.Fatalf("manager's legacy ledger: %d %s", st, body)
	}
	var found *projects.Project
	e.a.P.Projects.Each(ctx, func(p *projects.Project) error {
		if p.Name == "老台账签约项目" {
			found = p
		}
		return nil
	})
	if found == nil || found.Stage != projects.StageProcess || !found.Approval.External() ||
		!strings.Contains(found.History[len(found.History)-1].Note, "审批于系统外（台账导入，批次 "+rep.BatchID+"）") {
		t.Fatalf("landed: %+v", found)
	}
	if len(found.Decisions) != 1 || found.Decisions[0].Kind != projects.DecisionExternal {
		t.Fatalf("decision record: %+v", found.Decisions)
	}
	if err := projects.Holds(found, nil); err != nil {
		t.Fatalf("landed project fails its stage: %v", err)
	}
}

// TestDecisionRecord: score sheets, approvals, vetoes, withdrawals and
// re-decisions are kept in order and shown in the timeline; the current
// decision is the latest; a vetoed project only pauses or drops until a
// manager decides again.
func TestDecisionRecord(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	if _, err := e.a.P.Users.EnsureUser(ctx, "kfq_boss", "开发区负责人", "manager", []string{"kfq"}, "Test-2025x"); err != nil {
		t.Fatal(err)
	}
	mgr := e.a.Client(t).Login("kfq_boss", "Test-2025x")
	p := create(t, e.officer, map[string]any{"type": "industry", "name": "决策记录项目", "unit": "kfq", "stage": "attract",
		"credit_code": validCode, "milestones": map[string]any{"signed": "2025-02-01"}})
	id := p["id"].(string)
	version := func() int64 {
		got, err := e.a.P.Projects.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return got.Version
	}
	post := func(c *testapp.Client, path string, body map[string]any) (int, string) {
		body["version"] = version()
		return c.Do("POST", "/api/v1/projects/"+id+path, body, nil)
	}
	score := []map[string]any{{"criterion": "技术先进性", "score": 20, "max": 25}}
	steps := []struct {
		c      *testapp.Client
		path   string
		body   map[string]any
		status int
	}{
		{e.officer, "/stage", map[string]any{"to": "decision"}, 422}, // no score sheet
		{e.officer, "/assessment", map[string]any{"items": score}, 200},
		{e.officer, "/stage", map[string]any{"to": "decision"}, 200},
		{e.officer, "/decision", map[string]any{"approved": true}, 403}, // managers only
		{mgr, "/decision", map[string]any{"approved": false, "veto": "能耗"}, 200},
		{e.officer, "/stage", map[string]any{"to": "attract"}, 422},
		{e.officer, "/stage", map[string]any{"to": "process"}, 422},
		{e.officer, "/stage", map[string]any{"to": "paused", "note": "待能评整改"}, 200},
		{e.officer, "/stage", map[string]any{"to": "decision"}, 422},
		{mgr, "/decision", map[string]any{"approved": true, "note": "整改后复审通过"}, 200},
		{e.officer, "/stage", map[string]any{"to": "process"}, 200},
		{mgr, "/decision/withdraw", map[string]any{"note": "误批"}, 422}, // past 评估决策: move back first
		{e.officer, "/stage", map[string]any{"to": "decision"}, 200},
		{mgr, "/decision/withdraw", map[string]any{"note": "误批"}, 200},
		{e.officer, "/stage", map[string]any{"to": "process"}, 422},
	}
	for i, s := range steps {
		if st, body := post(s.c, s.path, s.body); st != s.status {
			t.Fatalf("step %d %s %v: %d, want %d: %.300s", i, s.path, s.body, st, s.status, body)
		}
	}
	got, _ := e.a.P.Projects.Get(ctx, id)
	var kinds []string
	for _, d := range got.Decisions {
		kinds = append(kinds, d.Kind)
	}
	if strings.Join(kinds, ",") != "score,veto,approve,withdraw" || got.Approval != nil || got.Stage != projects.StageDecision {
		t.Fatalf("decision record %v, approval %+v, stage %s", kinds, got.Approval, got.Stage)
	}
	st, page := mgr.Do("GET", "/projects/"+id, nil, nil)
	for _, want := range []string{"一票否决（能耗）", "审批通过：整改后复审通过", "撤回审批决定：误批", "填写评估打分表，合计 20 分", `id="decision-record"`} {
		if st != 200 || !strings.Contains(page, want) {
			t.Errorf("project page lacks %q (status %d)", want, st)
		}
	}
}
