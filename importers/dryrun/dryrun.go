// Package dryrun previews an import: it reads a ledger, maps its header,
// parses every data row into the module's input and runs the same validation
// the pages use, without writing anything. The report it returns is the
// `zhaoshang import --json` contract of ARCHITECTURE.md.
//
// This slice covers projects only. Every valid row counts as "created":
// matching existing records by natural key (credit code; else name + type +
// unit) to report "updated"/"unchanged" is the next step.
package dryrun

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"zhaoshang/importers/cells"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// Error is one rejected cell (or row) of the report.
type Error struct {
	Row     int    `json:"row"`    // 1-based row number as the spreadsheet shows it
	Column  string `json:"column"` // header label as written in the file ("" when about the whole row)
	Value   string `json:"value"`
	Message string `json:"message"`
}

// Report is the outcome of an import (here: of a dry run).
type Report struct {
	File      string  `json:"file"`
	Kind      string  `json:"kind"`
	DryRun    bool    `json:"dry_run"`
	Rows      int     `json:"rows"` // data rows below the header, skipped ones included
	Created   int     `json:"created"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	Skipped   int     `json:"skipped"` // blank and 合计/小计 rows
	Rejected  int     `json:"rejected"`
	BatchID   string  `json:"batch_id"`
	Errors    []Error `json:"errors"`
}

// ErrMissingColumn refuses a file whose header lacks a required column.
var ErrMissingColumn = &sheet.Error{Code: "missing_column", Message: "缺少必填列"}

// StageSynonyms maps what field staff write in a 阶段 column to stage keys.
// Stage keys and the labels the pages show are accepted as well.
var StageSynonyms = map[string]string{
	"资源搜索": projects.StageSearch, "搜索": projects.StageSearch,
	"资源推送": projects.StagePush, "推送": projects.StagePush,
	"资源招引": projects.StageAttract, "招引": projects.StageAttract, "在谈": projects.StageAttract,
	"洽谈中": projects.StageAttract, "洽谈": projects.StageAttract, "接洽": projects.StageAttract,
	"评估决策": projects.StageDecision, "评估": projects.StageDecision, "评审": projects.StageDecision,
	"过程管理": projects.StageProcess, "已签约": projects.StageProcess, "签约": projects.StageProcess,
	"落地": projects.StageProcess, "已落地": projects.StageProcess, "已投产": projects.StageProcess, "投产": projects.StageProcess,
	"后道服务": projects.StageAftercare, "后道": projects.StageAftercare, "服务": projects.StageAftercare,
	"暂缓": projects.StagePaused, "终止": projects.StageDropped, "已终止": projects.StageDropped,
}

// TypeSynonyms maps 项目类型 cells to type keys.
var TypeSynonyms = map[string]string{
	"人才": projects.TypeTalent, "人才项目": projects.TypeTalent,
	"产业": projects.TypeIndustry, "产业项目": projects.TypeIndustry,
	"平台": projects.TypePlatform, "平台项目": projects.TypePlatform,
}

func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(cells.Fold(s)), ""))
}

// Stage returns the stage key a cell names, or the folded cell itself when
// it names none (validation then rejects it).
func Stage(s string) string {
	n := norm(s)
	if projects.ValidStage(n) {
		return n
	}
	if k, ok := StageSynonyms[n]; ok {
		return k
	}
	return cells.Fold(s)
}

// Type returns the project type key a cell names, or the folded cell itself.
func Type(s string) string {
	n := norm(s)
	if k, ok := TypeSynonyms[n]; ok {
		return k
	}
	for _, t := range projects.Types {
		if n == t {
			return t
		}
	}
	return cells.Fold(s)
}

// fieldLabels are the labels used for fields without a column in the file.
var fieldLabels = map[string]string{"unit": "责任单位", "contacts": "对接人", "milestones": "签约时间"}

// Projects previews importing the first sheet of book as projects. Rows are
// validated with (*projects.Input).Validate under scope; defaultUnit is the
// responsible unit of every row (the ledger has no unit column). File-level
// problems (unreadable file, no header, missing required column) are
// returned as *sheet.Error; row problems go into the report.
func Projects(ctx context.Context, book *sheet.Book, cat projects.Catalog, vocab projects.Vocab, scope core.Scope, defaultUnit string) (Report, error) {
	rep := Report{Kind: "projects", DryRun: true, Errors: []Error{}}
	rs, err := book.Rows("")
	if err != nil {
		return rep, err
	}
	defer rs.Close()

	var head []sheet.Row
	for len(head) < header.ScanRows && rs.Next() {
		head = append(head, rs.Row())
	}
	if err := rs.Err(); err != nil {
		return rep, err
	}
	res, err := header.Detect(head, header.ProjectFields)
	if err != nil {
		return rep, err
	}
	if len(res.Missing) > 0 {
		var names []string
		for _, k := range res.Missing {
			names = append(names, fieldLabel(header.Result{}, k))
		}
		return rep, &sheet.Error{Code: ErrMissingColumn.Code, Row: res.HeaderRow,
			Message: fmt.Sprintf("第 %d 行表头缺少必填列：%s", res.HeaderRow, strings.Join(names, "、"))}
	}

	prev := res.HeaderRow
	row := func(r sheet.Row) {
		gap := max(r.Num-prev-1, 0) // blank rows between non-blank ones
		prev = r.Num
		rep.Rows += gap + 1
		rep.Skipped += gap
		if header.IsSubtotal(r) {
			rep.Skipped++
			return
		}
		if errs := projectRow(res, r, cat, vocab, scope, defaultUnit); len(errs) > 0 {
			rep.Rejected++
			rep.Errors = append(rep.Errors, errs...)
			return
		}
		// Next step: look the row up by natural key and count it as
		// updated/unchanged instead.
		rep.Created++
	}
	for _, r := range head[res.Index+1:] {
		row(r)
	}
	for n := 0; rs.Next(); n++ {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
		}
		row(rs.Row())
	}
	if err := rs.Err(); err != nil && !errors.Is(err, sheet.ErrEmpty) {
		return rep, err
	}
	return rep, nil
}

// fieldLabel is the header label of key's column as written in the file, or
// the field's standard label when the file has no such column.
func fieldLabel(res header.Result, key string) string {
	if c := res.Field(key); c >= 0 && c < len(res.Labels) {
		return res.Labels[c]
	}
	for _, f := range header.ProjectFields {
		if f.Key == key {
			return f.Label
		}
	}
	if l, ok := fieldLabels[key]; ok {
		return l
	}
	return key
}

// projectRow parses and validates one data row; nil when it is valid.
func projectRow(res header.Result, r sheet.Row, cat projects.Catalog, vocab projects.Vocab, scope core.Scope, defaultUnit string) []Error {
	rec := res.Record(r)
	var errs []Error
	bad := func(key, msg string) {
		errs = append(errs, Error{Row: r.Num, Column: fieldLabel(res, key), Value: rec[key], Message: msg})
	}
	in := projects.Input{
		Type:       Type(rec["type"]),
		Name:       rec["name"],
		Industry:   cells.Fold(rec["industry"]),
		Zone:       cells.Fold(rec["zone"]),
		Unit:       defaultUnit,
		Officer:    rec["officer"],
		Summary:    rec["summary"],
		Enterprise: rec["enterprise"],
		CreditCode: cells.Fold(rec["credit_code"]),
	}
	if u, ok := rec["unit"]; ok && strings.TrimSpace(u) != "" {
		in.Unit = strings.TrimSpace(u)
	}
	if s := strings.TrimSpace(rec["stage"]); s != "" {
		in.Stage = Stage(s)
	}
	if name, phone := strings.TrimSpace(rec["contact_name"]), strings.TrimSpace(rec["contact_phone"]); name != "" || phone != "" {
		in.Contacts = []projects.Contact{{Name: name, Phone: cells.NormalizePhone(phone)}}
	}
	if v := rec["investment"]; strings.TrimSpace(v) != "" {
		wan, _, err := cells.ParseAmount(withUnit(v, res.Units[res.Field("investment")]))
		if err != nil {
			bad("investment", err.Error())
		}
		in.Investment = wan
	}
	if v := rec["signed_at"]; strings.TrimSpace(v) != "" {
		t, err := cells.ParseDate(v)
		if err != nil {
			bad("signed_at", err.Error())
		}
		in.Milestones.Signed = projects.Date{Time: t}
	}
	if len(errs) > 0 {
		return errs
	}
	if err := in.Validate(cat, vocab, scope); err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			key := fe.Field
			switch key {
			case "contacts":
				key = "contact_name"
			case "milestones":
				key = "signed_at"
			}
			bad(key, fe.Message)
		} else {
			errs = append(errs, Error{Row: r.Num, Message: err.Error()})
		}
	}
	return errs
}

// withUnit appends the header's money unit (亿元, 元) to a bare number, so
// that "1.2" under "总投资（亿元）" reads as 12000 万元; a cell with its own
// unit keeps it.
func withUnit(v, unit string) string {
	if unit == "" || unit == "万元" {
		return v
	}
	bare := strings.NewReplacer(",", "", "，", "").Replace(cells.Fold(v))
	if _, err := strconv.ParseFloat(bare, 64); err != nil {
		return v
	}
	return bare + unit
}
