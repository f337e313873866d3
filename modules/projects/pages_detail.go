package projects

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// DetailView is the Data of the "project" page.
type DetailView struct {
	P           *Project
	UnitName    string
	Person      func(string) string
	Timeline    []TimelineItem
	Targets     []string
	TimeInStage string
	Stale       bool
	Overdue     bool
	IsManager   bool
	// MayDecide: a decision may be recorded now (MayDecide); MayWithdraw:
	// withdrawing the standing one keeps the stage's conditions.
	MayDecide, MayWithdraw bool
	// Decisions is the decision record, newest first.
	Decisions []TimelineItem
	Error     string
	Extra     []Section
	Criteria  []ScoreItem
	// Names are the linked records' names by id (source event, talent …).
	Names map[string]string
}

// Section is a block another module adds to the project page (aftercare).
type Section struct {
	Title string
	Rows  [][]string
	Link  string
}

// TimelineItem merges history, follow-ups and 批示 in time order.
type TimelineItem struct {
	At   time.Time
	Kind string // stage, followup, instruction, decision, attachment
	By   string
	Text string
	From string
	To   string
}

func (h *Handlers) detailPage(c *fiber.Ctx) error {
	p, err := h.load(c)
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	cat, _ := h.Svc.Vocab.ProjectCatalog(c.UserContext())
	v := DetailView{P: p, UnitName: h.Names.Name(p.Unit), Person: h.person, Timeline: Timeline(p),
		IsManager: me.May(web.Manager), Error: c.Query("err")}
	now := time.Now()
	v.TimeInStage = humanDuration(now.Sub(p.StageSince))
	v.MayDecide = MayDecide(p)
	if p.Approval != nil {
		cp := *p
		cp.Approval = nil
		v.MayWithdraw = CheckState(p, &cp, cat.DisabledGates) == nil
	}
	v.Decisions = decisionItems(p)
	slices.Reverse(v.Decisions)
	v.Stale = slicesContains(ActiveStages, p.Stage) && (p.LastFollowUp.IsZero() || now.Sub(p.LastFollowUp) > time.Duration(max(cat.StaleDays, 1))*24*time.Hour)
	v.Overdue = slicesContains(ActiveStages, p.Stage) && !p.NextDue.IsZero() && p.NextDue.Before(core.Today(now))
	for _, s := range Stages {
		if s != p.Stage {
			v.Targets = append(v.Targets, s)
		}
	}
	if h.Sections != nil {
		v.Extra = h.Sections(c, p)
	}
	v.Names = map[string]string{}
	for kind, id := range map[string]string{"events": p.SourceEvent, "talents": p.TalentID, "institutes": p.InstituteID, "results": p.ResultID} {
		if n := web.RecordName(c, kind, id); n != "" {
			v.Names[id] = n
		}
	}
	for _, d := range DefaultCriteria {
		for _, a := range p.Assessment {
			if a.Criterion == d.Criterion {
				d.Score = a.Score
			}
		}
		v.Criteria = append(v.Criteria, d)
	}
	return web.Page(c, "project", p.Name, "projects", v)
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func humanDuration(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days >= 1:
		return fmt.Sprintf("%d 天", days)
	case d >= time.Hour:
		return fmt.Sprintf("%d 小时", int(d.Hours()))
	}
	return "不足 1 小时"
}

// decisionItems are the project's decision record as timeline entries.
func decisionItems(p *Project) []TimelineItem {
	out := make([]TimelineItem, 0, len(p.Decisions))
	for _, d := range p.Decisions {
		out = append(out, TimelineItem{At: d.At, Kind: "decision", By: d.By, Text: DecisionText(d)})
	}
	return out
}

// DecisionText says what a decision record entry was, in the page's words.
func DecisionText(d Decision) string {
	var t string
	switch d.Kind {
	case DecisionScore:
		t = fmt.Sprintf("填写评估打分表，合计 %s 分", strconv.FormatFloat(d.Score, 'f', -1, 64))
	case DecisionApprove:
		t = "审批通过"
	case DecisionReject:
		t = "审批不予通过"
	case DecisionVeto:
		t = "一票否决（" + d.Veto + "）"
	case DecisionWithdraw:
		t = "撤回审批决定"
	case DecisionExternal:
		t = "记录系统外审批"
	default:
		t = d.Kind
	}
	if d.Note != "" {
		t += "：" + d.Note
	}
	return t
}

// Timeline merges a project's history, follow-ups, 批示 and attachments, newest first.
func Timeline(p *Project) []TimelineItem {
	var out []TimelineItem
	for _, h := range p.History {
		out = append(out, TimelineItem{At: h.At, Kind: "stage", By: h.By, Text: h.Note, From: h.From, To: h.To})
	}
	for _, f := range p.FollowUps {
		t := f.Text
		if f.Kind != "" {
			t = "【" + f.Kind + "】" + t
		}
		out = append(out, TimelineItem{At: f.At, Kind: "followup", By: f.By, Text: t})
	}
	for _, i := range p.Instructions {
		out = append(out, TimelineItem{At: i.At, Kind: "instruction", By: i.By, Text: i.Text})
	}
	for _, a := range p.Attachments {
		out = append(out, TimelineItem{At: a.At, Kind: "attachment", By: a.By, Text: a.Name})
	}
	out = append(out, decisionItems(p)...)
	// newest first, stable for equal times
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].At.After(out[j-1].At); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
