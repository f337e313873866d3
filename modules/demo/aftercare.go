package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// requestTitles are typical service requests per type.
var requestTitles = map[string][]string{
	aftercare.TypePolicy:    {"申报高新技术企业认定", "申请科技型中小企业评价入库", "申报姑苏领军人才配套资金", "研发费用加计扣除辅导"},
	aftercare.TypeFinancing: {"对接科技贷款", "引荐天使投资机构", "申请贷款贴息", "知识产权质押融资"},
	aftercare.TypeTalent:    {"高管子女入学协调", "人才公寓入住申请", "外籍专家工作许可办理"},
	aftercare.TypeSpace:     {"扩租研发场地 2000 平方米", "中试车间选址", "申请孵化器工位"},
	aftercare.TypeApproval:  {"环评审批代办", "施工许可证办理", "排污许可申请"},
	aftercare.TypeProblem:   {"厂区周边道路施工协调", "用电扩容协调", "员工通勤班车协调"},
	aftercare.TypeOther:     {"参加产业对接活动", "申请展会补贴"},
}

// serviceRequests returns deterministic service requests (后道服务) for the
// landed projects among ps (stage process or aftercare): zero to three
// each, with ids ac-<project id>-N, due days around now (some overdue,
// some resolved). The same projects and now always give the same requests.
func serviceRequests(ps []*projects.Project, now time.Time) []*aftercare.Request {
	var out []*aftercare.Request
	today := core.Today(now).Time()
	for _, p := range ps {
		if !slices.Contains(aftercare.ProjectStages, p.Stage) {
			continue
		}
		// Each project has its own stream, seeded by its id: a project
		// added or dropped leaves the others' requests as they are.
		h := fnv.New64a()
		h.Write([]byte(p.ID))
		g := gen{rand.New(rand.NewPCG(h.Sum64(), 10))}
		n := g.n(4)
		for i := 0; i < n; i++ {
			typ := g.pick(aftercare.Types)
			created := today.AddDate(0, 0, -g.between(1, 120))
			q := &aftercare.Request{ProjectID: p.ID, ProjectName: p.Name, Unit: p.Unit, Type: typ,
				Title: g.pick(requestTitles[typ]), Owner: p.Officer,
				Due: core.DateOf(created.AddDate(0, 0, g.between(7, 66))), Status: aftercare.StatusPending}
			switch x := g.float(0, 1); {
			case x < 0.45:
				q.Status, q.Resolution, q.ResolvedAt = aftercare.StatusResolved, "已协调相关部门办结，企业确认满意。", created.AddDate(0, 0, g.between(1, 14))
			case x < 0.55:
				q.Status, q.Resolution, q.ResolvedAt = aftercare.StatusClosed, "企业撤回诉求。", created.AddDate(0, 0, g.between(1, 7))
			case x < 0.8:
				q.Status = aftercare.StatusInProgress
			}
			if typ == aftercare.TypePolicy && g.chance(0.5) {
				q.PolicyID, q.ClauseNo = "po-0001", "8" // demo policy: 科技保险保费补贴
			}
			if q.ResolvedAt.After(now) {
				q.ResolvedAt = now.UTC().Truncate(time.Millisecond)
			}
			updated := created
			if !q.ResolvedAt.IsZero() {
				updated = q.ResolvedAt
			}
			q.Meta = core.Meta{ID: fmt.Sprintf("ac-%s-%d", p.ID, i+1), Version: 1, CreatedAt: created, UpdatedAt: updated,
				CreatedBy: p.Officer, UpdatedBy: p.Officer}
			out = append(out, q)
		}
	}
	return out
}
