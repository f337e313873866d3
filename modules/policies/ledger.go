package policies

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

// The policies kind of the import engine (importers/batch): the ledger's
// columns, how a row becomes an Input, its natural keys, and the record
// built through ImportBuild by a Writer.

// LedgerFields are the columns of a policy library ledger (keys as the
// policies export writes them). Clauses are not a column.
var LedgerFields = header.Register(Kind, []header.Field{
	{Key: "title", Label: "标题", Synonyms: []string{"政策名称", "政策标题", "文件名称", "名称", "政策文件", "文件标题"}, Required: true},
	{Key: "doc_no", Label: "文号", Synonyms: []string{"发文字号", "文件编号", "政策文号", "发文文号", "文件文号"}},
	{Key: "issuer", Label: "发文单位", Synonyms: []string{"发文机关", "发布单位", "发布机关", "制定机关", "发文部门"}},
	{Key: "level", Label: "级别", Synonyms: []string{"政策级别", "层级", "政策层级"}, Choices: header.ChoicePolicyLevel},
	{Key: "status", Label: "状态", Synonyms: []string{"有效性", "政策状态", "是否有效", "效力"}, Choices: header.ChoicePolicyStatus},
	{Key: "categories", Label: "分类", Synonyms: []string{"政策分类", "类别", "政策类别", "政策类型"}},
	{Key: "support_modes", Label: "支持方式", Synonyms: []string{"扶持方式", "支持类型", "扶持类型"}},
	{Key: "industries", Label: "支持产业", Synonyms: []string{"适用产业", "产业领域", "产业", "适用行业", "行业"}},
	{Key: "issued_on", Label: "发布日期", Synonyms: []string{"发文日期", "印发日期", "发布时间", "发文时间", "成文日期"}},
	{Key: "effective_from", Label: "生效日期", Synonyms: []string{"施行日期", "实施日期", "执行日期", "生效时间", "有效期起"}},
	{Key: "effective_to", Label: "失效日期", Synonyms: []string{"有效期至", "截止日期", "废止日期", "失效时间", "有效期止"}},
	{Key: "unit", Label: "维护单位", Synonyms: []string{"所属单位", "责任单位", "填报单位"}},
	{Key: "body", Label: "正文", Synonyms: []string{"政策内容", "主要内容", "内容", "摘要", "政策摘要", "政策要点"}},
})

var levelSynonyms = map[string]string{
	"国家": "国家级", "部级": "国家级", "省": "省级", "江苏省": "省级", "江苏省级": "省级",
	"市": "市级", "昆山市": "市级", "昆山市级": "市级", "县级市": "市级",
	"区": "区级", "区镇": "区级", "区镇级": "区级", "镇级": "区级",
}

var statusSynonyms = map[string]string{
	"现行有效": StatusValid, "有效": StatusValid, "是": StatusValid,
	"废止": StatusExpired, "已废止": StatusExpired, "已失效": StatusExpired, "过期": StatusExpired,
	"已过期": StatusExpired, "否": StatusExpired,
}

// Ledger is the policy library kind: natural key 文号 (DocNoKey),
// else (no 文号 in the row) the title; likely duplicates by title. Every
// signed-in user reads every policy, but only managers and admins write
// them, and only policies of units in their scope.
type Ledger struct {
	Repo   *Repo
	Matrix Matrix
	// Role returns the role of a user ("" when unknown): only managers
	// and admins write policies.
	Role func(ctx context.Context, user string) string
}

func (k *Ledger) Key() string            { return Kind }
func (k *Ledger) Label() string          { return "政策" }
func (k *Ledger) Fields() []header.Field { return LedgerFields }
func (k *Ledger) Store() batch.Store     { return batch.StoreOf(k.Repo) }

// Open refuses an importer who may not write policies (the whole file,
// before any row), and reads the catalog once for the run.
func (k *Ledger) Open(ctx context.Context, env batch.Env) (batch.Planner, error) {
	role := k.Role(ctx, env.Actor.User)
	if !CanWrite(role) {
		return nil, fmt.Errorf("只有单位负责人和管理员可以导入政策：%w", core.ErrForbidden)
	}
	cat, err := k.Matrix.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	w := Writer{Actor: env.Actor, Role: role, Scope: env.Scope}
	return &ledgerPlanner{k: k, env: env, cat: cat, w: w, present: batch.Present(env.Header)}, nil
}

type ledgerPlanner struct {
	k       *Ledger
	env     batch.Env
	cat     *matrix.Catalog
	w       Writer
	present map[string]bool
}

type ledgerRow struct {
	in   Input
	unit string // named in the row
}

func ledgerKeys(docNo, title string, stored bool) []string {
	var keys []string
	if d := DocNoKey(cells.Fold(docNo)); d != "" {
		keys = append(keys, "doc:"+d)
		if !stored {
			return keys
		}
	}
	if t := cells.Norm(title); t != "" {
		keys = append(keys, "title:"+t)
	}
	return keys
}

func (p *ledgerPlanner) Keys(rec core.Record) ([]string, string, string, string) {
	x := rec.(*Policy)
	return ledgerKeys(x.DocNo, x.Title, true), x.Unit, x.Title, cells.Norm(x.Title)
}

func (p *ledgerPlanner) Parse(row map[string]string) (*batch.Candidate, []batch.FieldError) {
	var errs []batch.FieldError
	bad := func(key, msg string) { errs = append(errs, batch.FieldError{Field: key, Message: msg}) }
	r := &ledgerRow{}
	in := &r.in
	in.Title, in.DocNo, in.Issuer = strings.TrimSpace(row["title"]), cells.Fold(row["doc_no"]), strings.TrimSpace(row["issuer"])
	in.Body = strings.TrimSpace(row["body"])
	in.Level = batch.Choice(row["level"], Levels, levelSynonyms, false)
	in.Status = batch.Choice(row["status"], Statuses, statusSynonyms, false)
	in.Categories = batch.Choices(row["categories"], Categories, nil, true)
	in.SupportModes = batch.Choices(row["support_modes"], SupportModes, nil, true)
	in.Industries = batch.Choices(row["industries"], append(p.cat.List("industries"), OtherIndustry), nil, false)
	for key, dst := range map[string]*string{"issued_on": &in.IssuedOn, "effective_from": &in.EffectiveFrom, "effective_to": &in.EffectiveTo} {
		v, err := batch.DateText(row[key])
		if err != nil {
			bad(key, err.Error())
		}
		*dst = v
	}
	in.Unit = p.env.Unit
	if u := strings.TrimSpace(row["unit"]); u != "" {
		if r.unit = p.k.Matrix.UnitID(u); r.unit == "" {
			bad("unit", "未知维护单位 "+u)
		}
		in.Unit = r.unit
	}
	if len(errs) > 0 {
		return &batch.Candidate{Name: in.Title}, errs
	}
	return &batch.Candidate{Keys: ledgerKeys(in.DocNo, in.Title, false), Similar: cells.Norm(in.Title), Unit: in.Unit,
		Name: in.Title, Value: r}, nil
}

func (p *ledgerPlanner) Build(c *batch.Candidate, cur core.Record) (core.Record, bool, error) {
	r := c.Value.(*ledgerRow)
	if cur == nil {
		out, _, err := ImportBuild(r.in, nil, p.cat, p.k.Matrix, p.w, p.env.Now)
		if err != nil {
			return nil, false, err
		}
		return out, false, nil
	}
	x := cur.(*Policy)
	in := InputOf(x)
	p.overlay(&in, r)
	out, changed, err := ImportBuild(in, x, p.cat, p.k.Matrix, p.w, p.env.Now)
	if err != nil {
		return nil, false, err
	}
	return out, !changed, nil
}

// overlay copies the columns the ledger has onto the stored input (a blank
// 维护单位 keeps the unit; clauses are kept).
func (p *ledgerPlanner) overlay(in *Input, r *ledgerRow) {
	row, has := &r.in, p.present
	for key, f := range map[string][2]*string{
		"title": {&in.Title, &row.Title}, "doc_no": {&in.DocNo, &row.DocNo}, "issuer": {&in.Issuer, &row.Issuer},
		"level": {&in.Level, &row.Level}, "status": {&in.Status, &row.Status}, "body": {&in.Body, &row.Body},
		"issued_on": {&in.IssuedOn, &row.IssuedOn}, "effective_from": {&in.EffectiveFrom, &row.EffectiveFrom},
		"effective_to": {&in.EffectiveTo, &row.EffectiveTo},
	} {
		if has[key] {
			*f[0] = *f[1]
		}
	}
	for key, f := range map[string][2]*[]string{"categories": {&in.Categories, &row.Categories},
		"support_modes": {&in.SupportModes, &row.SupportModes}, "industries": {&in.Industries, &row.Industries}} {
		if has[key] {
			*f[0] = *f[1]
		}
	}
	if has["unit"] && r.unit != "" {
		in.Unit = r.unit
	}
}
