package events

import (
	"context"
	"fmt"
	"strings"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/matrix"
)

// The events kind of the import engine (importers/batch): the ledger's
// columns, how a row becomes an Input, its natural keys, and the record
// built through ImportBuild.

// LedgerFields are the columns of an events ledger (keys as the events
// export writes them).
var LedgerFields = header.Register(Kind, []header.Field{
	{Key: "title", Label: "活动名称", Synonyms: []string{"活动主题", "活动", "名称", "主题", "活动标题"}, Required: true},
	{Key: "type", Label: "活动类型", Synonyms: []string{"类型", "活动形式", "形式", "活动类别"}, Choices: header.ChoiceEventType},
	{Key: "status", Label: "状态", Synonyms: []string{"活动状态", "举办情况", "举办状态", "进展"}, Choices: header.ChoiceEventStatus},
	{Key: "date", Label: "活动日期", Synonyms: []string{"日期", "举办日期", "开始日期", "活动时间", "举办时间", "时间"}},
	{Key: "end_date", Label: "结束日期", Synonyms: []string{"结束时间", "截止日期"}},
	{Key: "place", Label: "地点", Synonyms: []string{"活动地点", "举办地点", "举办地", "地址"}},
	{Key: "unit", Label: "主办单位", Synonyms: []string{"组织单位", "责任单位", "牵头单位", "单位", "填报单位"}},
	{Key: "co_organisers", Label: "协办单位", Synonyms: []string{"合作单位", "协办方", "承办单位", "联合主办"}},
	{Key: "action_lines", Label: "“七个一”专项行动", Synonyms: []string{"七个一", "七个一行动", "专项行动", "所属行动"}},
	{Key: "industries", Label: "产业领域", Synonyms: []string{"产业", "行业", "所属产业", "行业领域", "对接产业"}},
	{Key: "attendees", Label: "参会人数", Synonyms: []string{"参加人数", "参与人数", "人数", "到会人数", "参会人员数"}},
	{Key: "enterprise_count", Label: "参与企业数", Synonyms: []string{"企业数", "参会企业数", "参加企业数", "企业数量"}},
	{Key: "talent_count", Label: "参与人才数", Synonyms: []string{"人才数", "参会人才数", "参加人才数", "人才数量"}},
	{Key: participantEnterprises, Label: "参与企业名单", Synonyms: []string{"参会企业", "参与企业", "参加企业", "企业名单",
		"参会企业名单", "参加企业名单", "参会企业名称", "对接企业"}, Format: participantsFormat("企业名称", "企业")},
	{Key: participantTalents, Label: "参与人才名单", Synonyms: []string{"参会人才", "参与人才", "参加人才", "人才名单",
		"参会人才名单", "嘉宾名单", "参会嘉宾", "参会专家", "专家名单"}, Format: participantsFormat("人才姓名", "人才")},
	{Key: "summary", Label: "活动纪要", Synonyms: []string{"活动内容", "内容", "活动简介", "简介", "成效", "活动成效", "备注"}},
})

// Keys of the participant list columns, and the pool kind each lists.
const (
	participantEnterprises = "participant_enterprises"
	participantTalents     = "participant_talents"
)

// participantKinds are the list columns with the pool kind each lists and
// the label of its count column.
var participantKinds = []struct{ key, kind, count string }{
	{participantEnterprises, KindEnterprises, "参与企业数"}, {participantTalents, KindTalents, "参与人才数"},
}

// participantsFormat is the 填写说明 line of a participant list column.
func participantsFormat(names, what string) string {
	return names + "，多个用“、”分隔（也可用逗号、分号或换行）；资源库中有唯一同名" + what +
		"时自动关联；空单元格表示清空名单，表中没有此列则保留原名单"
}

// ledgerStatuses maps what ledgers write in a 状态 column to status
// keys (the labels 筹备中/已举办/已取消 and the keys are accepted too).
var ledgerStatuses = map[string]string{
	"筹备中": StatusPlanned, "筹备": StatusPlanned, "计划": StatusPlanned, "计划中": StatusPlanned,
	"拟举办": StatusPlanned, "未举办": StatusPlanned, "待举办": StatusPlanned,
	"已举办": StatusHeld, "举办": StatusHeld, "已完成": StatusHeld, "完成": StatusHeld, "已开展": StatusHeld,
	"已取消": StatusCancelled, "取消": StatusCancelled,
	StatusPlanned: StatusPlanned, StatusHeld: StatusHeld, StatusCancelled: StatusCancelled,
}

// Ledger is the events kind: natural key title + day + organiser unit;
// likely duplicates by title and month (the same event entered by two
// units, or with a mistyped day).
type Ledger struct {
	Repo   *Repo
	Matrix Matrix
	// Pool links the participant lists to the resource pool, as the event
	// form does; the zero Pool keeps every name unlinked.
	Pool Pool
}

func (k *Ledger) Key() string            { return Kind }
func (k *Ledger) Label() string          { return "活动" }
func (k *Ledger) Fields() []header.Field { return LedgerFields }
func (k *Ledger) Store() batch.Store     { return batch.StoreOf(k.Repo) }

// Open reads the catalog once for the run.
func (k *Ledger) Open(ctx context.Context, env batch.Env) (batch.Planner, error) {
	cat, err := k.Matrix.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	return &ledgerPlanner{ctx: ctx, k: k, env: env, cat: cat, present: batch.Present(env.Header)}, nil
}

type ledgerPlanner struct {
	ctx     context.Context // the run's: Build looks participants up in the pool
	k       *Ledger
	env     batch.Env
	cat     *matrix.Catalog
	present map[string]bool
}

type ledgerRow struct {
	in    Input
	unit  string              // named in the row
	names map[string][]string // participant list column → names
}

func ledgerKeys(title, day, unit string) []string {
	if n := cells.Norm(title); n != "" && day != "" {
		return []string{"e:" + n + "|" + day + "|" + unit}
	}
	return nil
}

func ledgerSimilar(title, day string) string {
	if n := cells.Norm(title); n != "" && len(day) >= 7 {
		return n + "|" + day[:7]
	}
	return ""
}

func (p *ledgerPlanner) Keys(rec core.Record) ([]string, string, string, string) {
	e := rec.(*Event)
	day := e.Date.String()
	return ledgerKeys(e.Title, day, e.Unit), e.Unit, e.Title, ledgerSimilar(e.Title, day)
}

func (p *ledgerPlanner) Parse(row map[string]string) (*batch.Candidate, []batch.FieldError) {
	var errs []batch.FieldError
	bad := func(key, msg string) { errs = append(errs, batch.FieldError{Field: key, Message: msg}) }
	r := &ledgerRow{names: map[string][]string{}}
	in := &r.in
	in.Title, in.Place, in.Summary = strings.TrimSpace(row["title"]), strings.TrimSpace(row["place"]), strings.TrimSpace(row["summary"])
	in.Type = batch.Choice(row["type"], p.cat.EventTypes, nil, true)
	if s := cells.Norm(row["status"]); s != "" {
		if in.Status = ledgerStatuses[s]; in.Status == "" {
			in.Status = cells.Fold(row["status"])
		}
	}
	for key, dst := range map[string]*string{"date": &in.Date, "end_date": &in.EndDate} {
		v, err := batch.DateText(row[key])
		if err != nil {
			bad(key, err.Error())
		}
		*dst = v
	}
	for key, dst := range map[string]*int{"attendees": &in.Attendees, "enterprise_count": &in.Participants.EnterpriseCount,
		"talent_count": &in.Participants.TalentCount} {
		n, err := batch.ParseCount(row[key])
		if err != nil {
			bad(key, err.Error())
		}
		*dst = n
	}
	in.CoOrganisers = batch.SplitList(row["co_organisers"])
	for _, pk := range participantKinds {
		names, err := participantNames(row[pk.key], pk.kind, pk.count)
		if err != nil {
			bad(pk.key, err.Error())
		}
		r.names[pk.key] = names
	}
	in.ActionLines = batch.Choices(row["action_lines"], p.cat.ActionLines, nil, true)
	in.Industries = batch.Choices(row["industries"], p.cat.List("industries"), nil, false)
	in.Unit = p.env.Unit
	if u := strings.TrimSpace(row["unit"]); u != "" {
		if r.unit = p.k.Matrix.UnitID(u); r.unit == "" {
			bad("unit", "未知主办单位 "+u)
		}
		in.Unit = r.unit
	}
	if len(errs) > 0 {
		return &batch.Candidate{Name: in.Title}, errs
	}
	return &batch.Candidate{Keys: ledgerKeys(in.Title, in.Date, in.Unit), Similar: ledgerSimilar(in.Title, in.Date),
		Unit: in.Unit, Name: in.Title, Value: r}, nil
}

// ledgerColumns maps the module's validation fields to import columns.
var ledgerColumns = map[string]string{"participants": "enterprise_count"}

func (p *ledgerPlanner) Build(c *batch.Candidate, cur core.Record) (core.Record, bool, error) {
	r := c.Value.(*ledgerRow)
	in, stored := r.in, (*Event)(nil)
	if cur != nil {
		stored = cur.(*Event)
		in = InputOf(stored)
		p.overlay(&in, r)
	}
	if err := p.participants(&in, r); err != nil {
		return nil, false, err
	}
	out, changed, err := ImportBuild(in, stored, p.cat, p.k.Matrix, p.env.Scope, p.env.Now)
	if err != nil {
		return nil, false, batch.OnColumns(err, ledgerColumns)
	}
	return out, !changed, nil
}

// participantNames reads a participant list cell: names split as other
// list cells are, within the form's limits. A bare number is refused: the
// count has a column of its own (count names it).
func participantNames(cell, kind, count string) ([]string, error) {
	names := batch.SplitList(cell)
	if len(names) == 1 {
		if _, err := batch.ParseCount(names[0]); err == nil {
			return nil, fmt.Errorf("请填写名称而不是数量 %q（数量请填在“%s”列）", names[0], count)
		}
	}
	if err := CheckNames(kind, names); err != nil {
		return nil, err
	}
	return names, nil
}

// participants replaces each participant list the ledger has a column for
// (in holds the stored lists): a stored name keeps its ref, another is
// linked to the pool as the form links it (Pool.ImportRefs). A list
// the file lacks stays as stored.
func (p *ledgerPlanner) participants(in *Input, r *ledgerRow) error {
	for _, pk := range participantKinds {
		if !p.present[pk.key] {
			continue
		}
		dst := &in.Participants.Enterprises
		if pk.kind == KindTalents {
			dst = &in.Participants.Talents
		}
		refs, err := p.k.Pool.ImportRefs(p.ctx, p.env.Scope, pk.kind, r.names[pk.key], *dst)
		if err != nil {
			return err
		}
		*dst = refs
	}
	return nil
}

// overlay copies the columns the ledger has onto the stored input: a
// column the file lacks never clears a stored value, a blank cell in a
// column it has does (a blank 主办单位 keeps the organiser).
func (p *ledgerPlanner) overlay(in *Input, r *ledgerRow) {
	row, has := &r.in, p.present
	batch.Pick(has, "title", &in.Title, row.Title)
	batch.Pick(has, "type", &in.Type, row.Type)
	batch.Pick(has, "status", &in.Status, row.Status)
	batch.Pick(has, "date", &in.Date, row.Date)
	batch.Pick(has, "end_date", &in.EndDate, row.EndDate)
	batch.Pick(has, "place", &in.Place, row.Place)
	batch.Pick(has, "summary", &in.Summary, row.Summary)
	if has["unit"] && r.unit != "" {
		in.Unit = r.unit
	}
	batch.Pick(has, "co_organisers", &in.CoOrganisers, row.CoOrganisers)
	batch.Pick(has, "action_lines", &in.ActionLines, row.ActionLines)
	batch.Pick(has, "industries", &in.Industries, row.Industries)
	batch.Pick(has, "attendees", &in.Attendees, row.Attendees)
	batch.Pick(has, "enterprise_count", &in.Participants.EnterpriseCount, row.Participants.EnterpriseCount)
	batch.Pick(has, "talent_count", &in.Participants.TalentCount, row.Participants.TalentCount)
}
