package batch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
)

// Importer runs imports of the registered kinds.
type Importer struct {
	jobs, chunks *mongo.Collection
	kinds        []Kind
	// Dir holds uploaded files and rejected-rows workbooks (ZS_DATA/imports).
	Dir   string
	Audit core.Auditor
	Log   *slog.Logger
	// ChunkRows bounds the rows written per chunk (journal entry).
	ChunkRows int
	// recovery makes one instance at a time roll back dead commits.
	recovery *core.Lease
}

// New wires an importer over db for kinds.
func New(db *mongo.Database, dir string, audit core.Auditor, log *slog.Logger, kinds ...Kind) *Importer {
	if log == nil {
		log = slog.Default()
	}
	return &Importer{jobs: db.Collection(JobsCollection), chunks: db.Collection(ChunksCollection),
		kinds: kinds, Dir: dir, Audit: audit, Log: log, ChunkRows: 1000,
		recovery: core.NewLease(db, "imports-recover", core.NewHolder(), StaleAfter)}
}

// Kinds lists the importable kinds in registration order.
func (im *Importer) Kinds() []Kind { return im.kinds }

// Kind returns the kind with key.
func (im *Importer) Kind(key string) (Kind, bool) {
	for _, k := range im.kinds {
		if k.Key() == key {
			return k, true
		}
	}
	return nil, false
}

// Request is one preview (DryRun) or commit of a file.
type Request struct {
	Kind  string
	File  string // file name shown in reports and the history
	Book  *sheet.Book
	Actor core.Actor
	Scope core.Scope
	Unit  string // responsible unit of rows that name none
	// Mapping overrides the detected header: column (0-based) → field key;
	// "" leaves the column out.
	Mapping map[int]string
	// HeaderRow, if set, is the 1-based row the user chose as the header
	// (detection is skipped).
	HeaderRow int
	// Confirm lists review rows (spreadsheet row numbers) to write anyway.
	Confirm map[int]bool
	DryRun  bool
	// Rejected, if set, is the path of an .xlsx copy of the rejected and
	// review rows with an error column, written at the end.
	Rejected string
	// Job is the draft the commit belongs to; nil creates a new job.
	Job *Job
}

// instructionSheets are skipped without trying to find a header in them.
var instructionSheets = []string{"填写说明", "说明", "使用说明", "选项", "instructions", "readme"}

type ref struct {
	ID, Unit, Name string
	Version        int64
}

// Run previews or commits req. File-level problems (unreadable file, no
// header, missing required column, unknown mapping) are *sheet.Error and
// nothing is written; row problems go into the report. A commit that
// fails part-way is rolled back before Run returns.
func (im *Importer) Run(ctx context.Context, req Request) (*Report, error) {
	k, ok := im.Kind(req.Kind)
	if !ok {
		return nil, &sheet.Error{Code: "unknown_kind", Message: fmt.Sprintf("未知导入类型 %q", req.Kind)}
	}
	rep := &Report{File: req.File, Kind: req.Kind, DryRun: req.DryRun, Errors: []Error{}, Reviews: []Error{}}
	rs, head, res, err := findHeader(req.Book, k.Fields(), req.HeaderRow, req.Mapping, rep)
	if err != nil {
		return rep, err
	}
	defer rs.Close()

	now := time.Now().UTC().Truncate(time.Millisecond)
	batchID := ""
	switch {
	case req.Job != nil:
		batchID = req.Job.ID
	case !req.DryRun:
		batchID = NewBatchID(now)
	}
	pl, err := k.Open(ctx, Env{Actor: req.Actor, Scope: req.Scope, Unit: req.Unit, Header: res, Now: now, Batch: batchID})
	if err != nil {
		return rep, err
	}
	r := &runner{im: im, k: k, pl: pl, req: req, rep: rep, res: res, now: now, batch: batchID,
		byKey: map[string]*ref{}, byID: map[string]*ref{}, bySimilar: map[string]*ref{},
		seen: map[string]int{}, seenID: map[string]int{}}
	if err := r.index(ctx); err != nil {
		return rep, err
	}
	if !req.DryRun {
		if err := r.begin(ctx); err != nil {
			return rep, err
		}
		if r.req.Rejected == "" {
			// A commit always keeps its rejected rows for the history page.
			r.req.Rejected = im.RejectedPath(r.job.ID)
		}
	}
	if r.req.Rejected != "" {
		if r.rej, err = newRejectedWriter(r.req.Rejected, res.Labels); err != nil {
			if !req.DryRun {
				r.abort(ctx, err)
			}
			return rep, err
		}
		defer r.rej.discard()
	}
	err = r.rows(ctx, rs, head[res.Index+1:])
	if err == nil && !req.DryRun {
		err = r.flush(ctx)
	}
	if err != nil {
		if !req.DryRun {
			r.abort(ctx, err)
		}
		return rep, err
	}
	if r.rej != nil {
		if err := r.rej.close(); err != nil {
			return rep, err
		}
	}
	if !req.DryRun {
		if err := r.finish(ctx); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// findHeader picks the data sheet (skipping instruction and header-less
// sheets before it), detects its header and applies the mapping overrides.
func findHeader(book *sheet.Book, fields []header.Field, headerRow int, mapping map[int]string, rep *Report) (*sheet.Rows, []sheet.Row, header.Result, error) {
	var firstErr error
	for _, name := range book.Sheets() {
		if slices.Contains(instructionSheets, strings.ToLower(strings.TrimSpace(name))) {
			rep.SkippedSheets = append(rep.SkippedSheets, name)
			continue
		}
		rs, err := book.Rows(name)
		if err != nil {
			return nil, nil, header.Result{}, err
		}
		var head []sheet.Row
		for len(head) < header.ScanRows && rs.Next() {
			head = append(head, rs.Row())
		}
		if err := rs.Err(); err != nil && !errors.Is(err, sheet.ErrEmpty) {
			rs.Close()
			return nil, nil, header.Result{}, err
		}
		detect := header.Detect
		if headerRow > 0 {
			detect = func(rows []sheet.Row, fields []header.Field) (header.Result, error) {
				return header.At(rows, headerRow, fields)
			}
		}
		res, err := detect(head, fields)
		if err != nil {
			rs.Close()
			if firstErr == nil {
				firstErr = err
			}
			rep.SkippedSheets = append(rep.SkippedSheets, name)
			continue
		}
		rep.Header = res
		if err := remap(&res, fields, mapping); err != nil {
			rs.Close()
			return nil, nil, res, err
		}
		rep.Header = res
		if len(res.Missing) > 0 {
			rs.Close()
			var names []string
			for _, k := range res.Missing {
				names = append(names, labelOf(res, fields, k))
			}
			return nil, nil, res, &sheet.Error{Code: "missing_column", Row: res.HeaderRow,
				Message: fmt.Sprintf("第 %d 行表头缺少必填列：%s", res.HeaderRow, strings.Join(names, "、"))}
		}
		rep.Sheet, rep.HeaderRow = name, res.HeaderRow
		return rs, head, res, nil
	}
	if firstErr == nil {
		firstErr = sheet.ErrEmpty
	}
	rep.SkippedSheets = nil
	return nil, nil, header.Result{}, firstErr
}

// remap applies the user's column → field choices to a detected header.
func remap(res *header.Result, fields []header.Field, mapping map[int]string) error {
	if len(mapping) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Key] = true
	}
	for col, key := range mapping {
		if col < 0 || col >= len(res.Labels) {
			return &sheet.Error{Code: "bad_mapping", Message: fmt.Sprintf("列映射无效：文件没有第 %d 列", col+1)}
		}
		if key != "" && !known[key] {
			return &sheet.Error{Code: "bad_mapping", Message: fmt.Sprintf("列映射无效：未知字段 %q", key)}
		}
	}
	for col, key := range mapping {
		delete(res.Columns, col)
		delete(res.Duplicate, col)
		if key == "" {
			continue
		}
		for c, k := range res.Columns {
			if k == key {
				delete(res.Columns, c)
			}
		}
		res.Columns[col] = key
	}
	res.Unmapped = res.Unmapped[:0]
	for col, l := range res.Labels {
		if _, ok := res.Columns[col]; !ok && strings.TrimSpace(l) != "" {
			res.Unmapped = append(res.Unmapped, col)
		}
	}
	res.Missing = nil
	for _, f := range fields {
		if f.Required && res.Field(f.Key) < 0 {
			res.Missing = append(res.Missing, f.Key)
		}
	}
	return nil
}

// labelOf is the header label of key's column as written in the file, or
// the field's standard label.
func labelOf(res header.Result, fields []header.Field, key string) string {
	if c := res.Field(key); c >= 0 && c < len(res.Labels) {
		return res.Labels[c]
	}
	for _, f := range fields {
		if f.Key == key {
			return f.Label
		}
	}
	return key
}

type pendingUpdate struct {
	row         int
	rec, before core.Record
	raw         bson.Raw
}

// runner is the state of one Run.
type runner struct {
	im  *Importer
	k   Kind
	pl  Planner
	req Request
	rep *Report
	res header.Result
	now time.Time
	job *Job
	rej *rejectedWriter
	// batch is the id of the commit's job (Env.Batch).
	batch string

	byKey, byID, bySimilar map[string]*ref
	seen, seenID           map[string]int // key / record id → first row using it

	creates []core.Record
	updates []pendingUpdate
	seq     int
}

// index reads the natural keys of every stored record of the kind: one
// scan per run, then every row is matched in memory.
func (r *runner) index(ctx context.Context) error {
	return r.k.Store().Scan(ctx, func(rec core.Record) error {
		keys, unit, name, similar := r.pl.Keys(rec)
		m := rec.GetMeta()
		x := &ref{ID: m.ID, Unit: unit, Name: name, Version: m.Version}
		r.byID[m.ID] = x
		for _, k := range keys {
			if _, ok := r.byKey[k]; !ok {
				r.byKey[k] = x
			}
		}
		if similar != "" {
			if _, ok := r.bySimilar[similar]; !ok {
				r.bySimilar[similar] = x
			}
		}
		return nil
	})
}

func (r *runner) label(key string) string { return labelOf(r.res, r.k.Fields(), key) }

// rows walks the data rows: head holds those already read for detection.
func (r *runner) rows(ctx context.Context, rs *sheet.Rows, head []sheet.Row) error {
	prev := r.res.HeaderRow
	one := func(row sheet.Row) error {
		gap := max(row.Num-prev-1, 0) // blank rows between non-blank ones
		prev = row.Num
		r.rep.Rows += gap + 1
		r.rep.Skipped += gap
		if header.IsSubtotal(row) {
			r.rep.Skipped++
			return nil
		}
		if err := r.row(ctx, row); err != nil {
			return err
		}
		if !r.req.DryRun && len(r.creates)+len(r.updates) >= r.im.ChunkRows {
			return r.flush(ctx)
		}
		return nil
	}
	for _, row := range head {
		if err := one(row); err != nil {
			return err
		}
	}
	for n := 0; rs.Next(); n++ {
		if n%200 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := one(rs.Row()); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil && !errors.Is(err, sheet.ErrEmpty) {
		return err
	}
	return nil
}

// row plans one data row and, when committing, queues its write.
func (r *runner) row(ctx context.Context, row sheet.Row) error {
	vals := r.res.Record(row)
	for k, v := range vals {
		vals[k] = cells.RestoreCell(v) // an exported ledger's neutralised formulas are text again
	}
	c, ferrs := r.pl.Parse(vals)
	if len(ferrs) > 0 {
		var es []Error
		for _, fe := range ferrs {
			es = append(es, Error{Row: row.Num, Column: r.columnOf(fe.Field), Value: vals[fe.Field], Message: fe.Message})
		}
		r.rejectRow(row, name(c, vals), es...)
		return nil
	}
	confirmed := r.req.Confirm[row.Num]
	review := func(msg, id string) {
		r.rep.Review++
		e := Error{Row: row.Num, Message: msg, ID: id}
		r.rep.review(e)
		r.rep.outcome(Outcome{Row: row.Num, Action: ActReview, ID: id, Name: c.Name, Message: msg})
		r.rej.add(row, "待确认："+msg)
	}

	// Match: the export's hidden id first, else the natural keys.
	var match *ref
	if id := strings.TrimSpace(vals[header.KeyID]); id != "" {
		match = r.byID[id]
		if match == nil {
			r.rejectRow(row, c.Name, Error{Row: row.Num, Column: r.label(header.KeyID), Value: id,
				Message: "记录ID 不存在（记录可能已被删除）；如要作为新记录导入，请清空该单元格"})
			return nil
		}
		if v := strings.TrimSpace(vals[header.KeyVersion]); v != "" && !confirmed {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n != match.Version {
				review(fmt.Sprintf("导出后该记录已被修改（导出时第 %d 版，现为第 %d 版），确认后以表格内容覆盖", n, match.Version), match.ID)
				return nil
			}
		}
	} else {
		for _, k := range c.Keys {
			if x, ok := r.byKey[k]; ok {
				match = x
				break
			}
		}
	}
	// A row the hidden id matched is that record, however many stored
	// records share its keys (one enterprise's several projects): only a
	// second row for the same record is a duplicate.
	byID := strings.TrimSpace(vals[header.KeyID]) != ""
	if !confirmed {
		for _, k := range c.Keys {
			if first, ok := r.seen[k]; ok && !byID {
				review(fmt.Sprintf("与第 %d 行是同一%s（%s）", first, r.k.Label(), c.Name), "")
				return nil
			}
		}
		if match != nil {
			if first, ok := r.seenID[match.ID]; ok {
				review(fmt.Sprintf("与第 %d 行指向同一条已有记录「%s」", first, match.Name), match.ID)
				return nil
			}
		}
	}
	for _, k := range c.Keys {
		if _, ok := r.seen[k]; !ok {
			r.seen[k] = row.Num
		}
	}
	if match != nil {
		if _, ok := r.seenID[match.ID]; !ok {
			r.seenID[match.ID] = row.Num
		}
		if !r.req.Scope.Allows(match.Unit) {
			r.rejectRow(row, c.Name, Error{Row: row.Num, Message: fmt.Sprintf("与其他单位的已有记录「%s」重复，无权修改；请与该单位联系", match.Name)})
			return nil
		}
	} else if c.Similar != "" && !confirmed {
		if x, ok := r.bySimilar[c.Similar]; ok {
			review(fmt.Sprintf("疑似与已有记录「%s」重复；确认是不同的%s后可仍然新建", x.Name, r.k.Label()), x.ID)
			return nil
		}
	}

	var cur core.Record
	var raw bson.Raw
	if match != nil {
		var err error
		if raw, err = r.k.Store().GetRaw(ctx, match.ID); err != nil {
			return err
		}
		if cur, err = r.k.Store().Decode(raw); err != nil {
			return err
		}
	}
	rec, same, err := r.pl.Build(c, cur)
	if rv := (*Review)(nil); errors.As(err, &rv) {
		id := ""
		if match != nil {
			id = match.ID
		}
		review(rv.Message, id)
		return nil
	}
	if err != nil {
		// Every problem of the row at once, each on its column.
		var es []Error
		for _, fe := range core.FieldErrors(err) {
			es = append(es, Error{Row: row.Num, Column: r.columnOf(fe.Field), Value: vals[fe.Field], Message: fe.Message})
		}
		if len(es) == 0 {
			es = []Error{{Row: row.Num, Message: err.Error()}}
		}
		r.rejectRow(row, c.Name, es...)
		return nil
	}
	switch {
	case cur == nil:
		r.rep.Created++
		m := rec.GetMeta()
		if m.ID == "" {
			m.ID = core.NewID()
		}
		r.rep.outcome(Outcome{Row: row.Num, Action: ActCreate, ID: m.ID, Name: c.Name})
		if !r.req.DryRun {
			m.Batch = r.job.ID
			r.creates = append(r.creates, rec)
		}
	case same:
		r.rep.Unchanged++
		r.rep.outcome(Outcome{Row: row.Num, Action: ActUnchanged, ID: match.ID, Name: c.Name})
	default:
		r.rep.Updated++
		r.rep.outcome(Outcome{Row: row.Num, Action: ActUpdate, ID: match.ID, Name: c.Name})
		if !r.req.DryRun {
			rec.GetMeta().Batch = r.job.ID
			r.updates = append(r.updates, pendingUpdate{row: row.Num, rec: rec, before: cur, raw: raw})
		}
	}
	return nil
}

func name(c *Candidate, vals map[string]string) string {
	if c != nil && c.Name != "" {
		return c.Name
	}
	return strings.TrimSpace(vals["name"])
}

// columnOf is the file's label for a field key ("" for row-level errors).
func (r *runner) columnOf(key string) string {
	if key == "" {
		return ""
	}
	return r.label(key)
}

func (r *runner) rejectRow(row sheet.Row, name string, es ...Error) {
	r.rep.Rejected++
	r.rep.reject(es...)
	var msgs []string
	for _, e := range es {
		if e.Column != "" {
			msgs = append(msgs, e.Column+"："+e.Message)
		} else {
			msgs = append(msgs, e.Message)
		}
	}
	o := Outcome{Row: row.Num, Action: ActReject, Name: name, Message: strings.Join(msgs, "；")}
	if len(es) > 0 {
		o.Column = es[0].Column
	}
	r.rep.outcome(o)
	r.rej.add(row, o.Message)
}
