package projects

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

func (h *Handlers) stageForm(c *fiber.Ctx) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if c.FormValue("to") == "" {
		// The page offers no stage by default: pressing 变更阶段 without
		// choosing one must not move the project back to the first.
		return back(c, c.Params("id"), "error", "请选择要转入的阶段")
	}
	p, err := h.move(c, c.Params("id"), stageRequest{To: c.FormValue("to"), Version: version, Note: c.FormValue("note")})
	if err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, p.ID, "ok", "已转入“"+stageName(p.Stage)+"”")
}

func (h *Handlers) followUpForm(c *fiber.Ctx) error {
	due, err := core.ParseDateField("next_due", c.FormValue("next_due"))
	if err == nil {
		_, err = h.Svc.AddFollowUp(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"),
			FollowUp{Kind: c.FormValue("kind"), Text: c.FormValue("text")}, c.FormValue("next_action"), due)
	}
	if err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已记录跟进")
}

func (h *Handlers) instructionForm(c *fiber.Ctx) error {
	me := web.Me(c)
	if _, err := h.Svc.AddInstruction(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), c.FormValue("text")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已添加批示")
}

// DefaultCriteria is the default assessment score sheet.
var DefaultCriteria = []ScoreItem{{Criterion: "技术先进性", Max: 25}, {Criterion: "团队与人才", Max: 20},
	{Criterion: "产业匹配度", Max: 20}, {Criterion: "投资规模与效益", Max: 20}, {Criterion: "落地可行性", Max: 15}}

func (h *Handlers) assessmentForm(c *fiber.Ctx) error {
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	var items []ScoreItem
	for i, d := range DefaultCriteria {
		s := strings.TrimSpace(c.FormValue(fmt.Sprintf("score_%d", i)))
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return back(c, c.Params("id"), "error", "请为“"+d.Criterion+"”填写 0–"+strconv.Itoa(int(d.Max))+" 的分数")
		}
		items = append(items, ScoreItem{Criterion: d.Criterion, Score: f, Max: d.Max})
	}
	if _, err := h.Svc.SetAssessment(c.UserContext(), web.Actor(c), web.Me(c).Scope, c.Params("id"), version, items); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已保存评估打分表")
}

func (h *Handlers) decisionForm(c *fiber.Ctx) error {
	me := web.Me(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	approved := c.FormValue("decision") == "approve"
	if _, err := h.Svc.Decide(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), version, approved,
		c.FormValue("veto"), c.FormValue("note")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", map[bool]string{true: "已审批通过", false: "已记录不予通过"}[approved])
}

func (h *Handlers) withdrawForm(c *fiber.Ctx) error {
	me := web.Me(c)
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if _, err := h.Svc.Withdraw(c.UserContext(), web.Actor(c), me.Scope, me.Role, c.Params("id"), version, c.FormValue("note")); err != nil {
		return h.formError(c, c.Params("id"), err)
	}
	return back(c, c.Params("id"), "ok", "已撤回审批决定")
}
