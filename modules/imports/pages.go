package imports

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

const (
	rowsPerPage    = 50
	historyPerPage = 30
	errorsShown    = 200
)

// KindOption is an importable kind on the upload page.
type KindOption struct {
	Key, Label string
	Fields     []header.Field // visible fields, for the "which columns" hint
}

// NewView is the Data of the "imports_new" page.
type NewView struct {
	Kinds []KindOption
	Kind  string
	Units [][2]string
	Unit  string
	Error string
	Field string // the input the error is about
	MaxMB int
}

// HistoryView is the Data of the "imports" page.
type HistoryView struct {
	Items []jobState
	Kinds [][2]string
	Kind  string
	Page  int
	Pages int
	Total int
	Base  string
}

// ColumnView is one file column in the mapping table.
type ColumnView struct {
	Index   int
	Letter  string // A, B, ... as the spreadsheet names it
	Label   string // header text as written
	Key     string // mapped field ("" = 不导入)
	Samples []string
	Dup     bool // the field was also chosen for a column to its left (detected header)
}

// HeadRow is one of the first rows, offered as the header row.
type HeadRow struct {
	Num  int
	Text string
}

// Stat is a count tile.
type Stat struct {
	Key, Label, Class string
	N                 int
}

// Tab is a filter tab of the row table.
type Tab struct {
	Key, Label, URL string
	N               int
	Active          bool
}

// RowView is one row of the per-row table.
type RowView struct {
	batch.Outcome
	Label, Class, URL string
}

// ReviewView is a review row with its "仍然导入" checkbox.
type ReviewView struct {
	batch.Error
	URL     string
	Checked bool
}

// JobView is the Data of the "imports_job" page: a draft's preview, or a
// batch's result.
type JobView struct {
	J     jobState
	Draft bool
	// Preview (drafts).
	Problem   string
	Sheet     string
	HeaderRow int
	ParentRow int
	Columns   []ColumnView
	Fields    []header.Field
	HeadRows  []HeadRow
	Token     string
	Template  string // /imports/templates/<kind>.xlsx
	// Counts and rows.
	Report    *batch.Report
	Stats     []Stat
	Tabs      []Tab
	Tab       string
	Rows      []RowView
	Page      int
	Pages     int
	TabTotal  int
	Base      string
	Truncated bool // only the first batch.MaxOutcomes rows are listed
	Reviews   []ReviewView
	Confirmed int
	Errors    []batch.Error
	ErrorsAll int
	// Undo refused.
	Conflicts []conflictView
}

var actionClass = map[string]string{batch.ActCreate: "badge-ok", batch.ActUpdate: "badge-ok",
	batch.ActUnchanged: "", batch.ActReview: "badge-warn", batch.ActReject: "badge-danger"}

func (h *Handlers) kindOptions() []KindOption {
	var out []KindOption
	for _, k := range h.Svc.Imports.Kinds() {
		out = append(out, KindOption{Key: k.Key(), Label: k.Label(), Fields: header.Visible(k.Fields())})
	}
	return out
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	u := userOf(c)
	v := NewView{Kinds: h.kindOptions(), Kind: c.Query("kind"), Units: h.unitOptions(u), Unit: h.defaultUnit(u), MaxMB: MaxUpload >> 20}
	if _, ok := h.Svc.Imports.Kind(v.Kind); !ok && len(v.Kinds) > 0 {
		v.Kind = v.Kinds[0].Key
	}
	return web.Page(c, "imports_new", "新建导入", "imports", v)
}

// uploadForm stores an uploaded ledger as a draft and opens its preview; a
// refused file is answered on the form with its one-line reason.
func (h *Handlers) uploadForm(c *fiber.Ctx) error {
	u := userOf(c)
	v := NewView{Kinds: h.kindOptions(), Kind: c.FormValue("kind"), Units: h.unitOptions(u), Unit: c.FormValue("unit"),
		MaxMB: MaxUpload >> 20}
	if v.Unit == "" {
		v.Unit = h.defaultUnit(u)
	}
	again := func(status int, field, msg string) error {
		v.Error, v.Field = msg, field
		return web.Page(c.Status(status), "imports_new", "新建导入", "imports", v)
	}
	if _, ok := h.Svc.Imports.Kind(v.Kind); !ok {
		return again(400, "kind", "请选择导入类型")
	}
	name, data, err := readUpload(c)
	if err != nil {
		var bi *web.BadInput
		var fe *fiber.Error
		switch {
		case errors.As(err, &bi):
			return again(400, bi.Field, bi.Message)
		case errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge:
			return again(413, "file", fe.Message)
		}
		return web.Fail(c, err)
	}
	j, _, err := h.Svc.Upload(c.UserContext(), u, v.Kind, v.Unit, name, data)
	if err != nil {
		if se, ok := FileError(err); ok {
			return again(422, "file", name+"："+se.Message)
		}
		if fe, ok := core.AsFieldError(err); ok {
			return again(422, fe.Field, fe.Message)
		}
		return web.Fail(c, err)
	}
	return c.Redirect("/imports/"+j.ID, fiber.StatusSeeOther)
}

func (h *Handlers) historyPage(c *fiber.Ctx) error {
	u := userOf(c)
	kind := c.Query("kind")
	if _, ok := h.Svc.Imports.Kind(kind); !ok {
		kind = ""
	}
	page, _, err := web.Paging(c)
	if err != nil {
		page = 1
	}
	page = max(page, 1)
	jobs, err := h.Svc.List(c.UserContext(), u, kind)
	if err != nil {
		return web.Fail(c, err)
	}
	v := HistoryView{Kind: kind, Total: len(jobs), Page: page, Pages: (len(jobs) + historyPerPage - 1) / historyPerPage,
		Base: "/imports"}
	if kind != "" {
		v.Base += "?kind=" + url.QueryEscape(kind)
	}
	for _, k := range h.Svc.Imports.Kinds() {
		v.Kinds = append(v.Kinds, [2]string{k.Key(), k.Label()})
	}
	for i := (page - 1) * historyPerPage; i < len(jobs) && i < page*historyPerPage; i++ {
		v.Items = append(v.Items, h.state(u, &jobs[i], false))
	}
	return web.Page(c, "imports", "导入导出", "imports", v)
}

// load reads the job of the route for u (403 audited, 404).
func (h *Handlers) load(c *fiber.Ctx, u User) (*batch.Job, error) {
	j, err := h.Svc.Job(c.UserContext(), u, c.Params("id"))
	if err != nil {
		h.auditDenied(c, err)
	}
	return j, err
}

func (h *Handlers) jobPage(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.load(c, u)
	if err != nil {
		return web.Fail(c, err)
	}
	v, err := h.jobView(c, u, j)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "imports_job", h.title(j), "imports", v)
}

func (h *Handlers) title(j *batch.Job) string {
	if j.State == batch.StateDraft {
		return "导入预览"
	}
	return "导入批次"
}

// jobView builds the page of a job: a draft is previewed again (dry run).
func (h *Handlers) jobView(c *fiber.Ctx, u User, j *batch.Job) (*JobView, error) {
	v := &JobView{J: h.state(u, j, false), Draft: j.State == batch.StateDraft, Report: &j.Report,
		Template: "/imports/templates/" + url.PathEscape(j.Kind) + ".xlsx"}
	if v.Draft {
		p, err := h.Svc.Preview(c.UserContext(), u, j)
		if err != nil {
			return nil, err
		}
		v.Report = p.Report
		h.previewView(v, j, p)
	}
	rep := v.Report
	v.Stats = []Stat{
		{Key: "rows", Label: "数据行", N: rep.Rows},
		{Key: batch.ActCreate, Label: "新建", N: rep.Created, Class: "stat-good"},
		{Key: batch.ActUpdate, Label: "更新", N: rep.Updated, Class: "stat-good"},
		{Key: batch.ActUnchanged, Label: "未变", N: rep.Unchanged},
		{Key: batch.ActReview, Label: "待确认", N: rep.Review, Class: warnIf(rep.Review)},
		{Key: batch.ActReject, Label: "拒绝", N: rep.Rejected, Class: badIf(rep.Rejected)},
		{Key: "skipped", Label: "跳过（空行/合计）", N: rep.Skipped},
	}
	confirmed := map[int]bool{}
	for _, r := range j.Confirm {
		confirmed[r] = true
	}
	for _, e := range rep.Reviews {
		rv := ReviewView{Error: e, URL: RecordURL(j.Kind, e.ID), Checked: confirmed[e.Row]}
		if rv.Checked {
			v.Confirmed++
		}
		v.Reviews = append(v.Reviews, rv)
	}
	v.ErrorsAll = len(rep.Errors)
	v.Errors = rep.Errors[:min(len(rep.Errors), errorsShown)]
	if v.Draft {
		h.rowsView(c, v, j)
	}
	return v, nil
}

func warnIf(n int) string {
	if n > 0 {
		return "stat-warn"
	}
	return ""
}

func badIf(n int) string {
	if n > 0 {
		return "stat-bad"
	}
	return ""
}

// previewView fills the header, mapping and header-row choices.
func (h *Handlers) previewView(v *JobView, j *batch.Job, p *Preview) {
	if p.Problem != nil {
		v.Problem = p.Problem.Message
	}
	res := p.Report.Header
	v.Sheet, v.HeaderRow, v.ParentRow = p.Sheet, res.HeaderRow, res.ParentRow
	if k, ok := h.Svc.Imports.Kind(j.Kind); ok {
		v.Fields = k.Fields()
	}
	for _, r := range p.Head {
		v.HeadRows = append(v.HeadRows, HeadRow{Num: r.Num, Text: rowText(r.Cells)})
	}
	for col, label := range res.Labels {
		cv := ColumnView{Index: col, Letter: colLetter(col), Label: label, Key: res.Columns[col]}
		if _, dup := res.Duplicate[col]; dup {
			cv.Dup = true
		}
		for _, r := range p.Head {
			if r.Num > res.HeaderRow && len(cv.Samples) < 2 {
				if s := strings.TrimSpace(r.Cell(col)); s != "" {
					cv.Samples = append(cv.Samples, clip(s, 24))
				}
			}
		}
		v.Columns = append(v.Columns, cv)
	}
	v.Token = token(v.HeaderRow, effective(res))
}

// effective is the mapping of every header column as previewed.
func effective(res header.Result) map[int]string {
	m := map[int]string{}
	for col := range res.Labels {
		m[col] = res.Columns[col]
	}
	return m
}

// token fingerprints the header row and mapping a preview showed, so that
// a commit of changed, not yet previewed choices is caught.
func token(headerRow int, mapping map[int]string) string {
	cols := make([]int, 0, len(mapping))
	for c := range mapping {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	var b strings.Builder
	fmt.Fprintf(&b, "h%d", headerRow)
	for _, c := range cols {
		fmt.Fprintf(&b, "|%d=%s", c, mapping[c])
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// rowsView fills the per-row table for the chosen tab and page.
func (h *Handlers) rowsView(c *fiber.Ctx, v *JobView, j *batch.Job) {
	rep := v.Report
	v.Tab = c.Query("tab")
	if _, ok := batch.ActionLabels[v.Tab]; !ok {
		v.Tab = ""
	}
	n := map[string]int{"": len(rep.Outcomes)}
	for _, o := range rep.Outcomes {
		n[o.Action]++
	}
	base := "/imports/" + j.ID
	for _, t := range []struct{ key, label string }{{"", "全部"}, {batch.ActCreate, "新建"}, {batch.ActUpdate, "更新"},
		{batch.ActUnchanged, "未变"}, {batch.ActReview, "待确认"}, {batch.ActReject, "拒绝"}} {
		u := base + "#rows"
		if t.key != "" {
			u = base + "?tab=" + t.key + "#rows"
		}
		v.Tabs = append(v.Tabs, Tab{Key: t.key, Label: t.label, URL: u, N: n[t.key], Active: t.key == v.Tab})
	}
	var rows []batch.Outcome
	for _, o := range rep.Outcomes {
		if v.Tab == "" || o.Action == v.Tab {
			rows = append(rows, o)
		}
	}
	v.TabTotal = len(rows)
	v.Pages = (len(rows) + rowsPerPage - 1) / rowsPerPage
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = min(max(v.Page, 1), max(v.Pages, 1))
	v.Base = base
	if v.Tab != "" {
		v.Base += "?tab=" + v.Tab
	}
	v.Base += "#rows"
	for _, o := range rows[min((v.Page-1)*rowsPerPage, len(rows)):min(v.Page*rowsPerPage, len(rows))] {
		rv := RowView{Outcome: o, Label: batch.ActionLabels[o.Action], Class: actionClass[o.Action]}
		if o.Action == batch.ActUpdate || o.Action == batch.ActUnchanged || o.Action == batch.ActReview {
			rv.URL = RecordURL(j.Kind, o.ID)
		}
		v.Rows = append(v.Rows, rv)
	}
	v.Truncated = rep.Rows-rep.Skipped > len(rep.Outcomes) && len(rep.Outcomes) >= batch.MaxOutcomes
}

func colLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func rowText(cells []string) string {
	var parts []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, clip(c, 12))
		}
		if len(parts) == 6 {
			break
		}
	}
	return strings.Join(parts, " | ")
}

// formSettings reads the preview form: header row, column mapping
// (col_<n>), the review rows ticked (confirm) and the previewed token. A
// changed header row drops the mapping (its columns are another row's).
func (h *Handlers) formSettings(c *fiber.Ctx, j *batch.Job) (Settings, string, error) {
	set := Settings{}
	prevHeader, _ := strconv.Atoi(c.FormValue("previewed_header"))
	hr, err := strconv.Atoi(c.FormValue("header_row"))
	if err != nil || hr < 0 {
		hr = prevHeader
	}
	confirm := map[int]bool{}
	for _, b := range c.Request().PostArgs().PeekMulti("confirm") {
		if n, err := strconv.Atoi(string(b)); err == nil && n > 0 {
			confirm[n] = true
		}
	}
	set.Confirm = confirm
	if hr != prevHeader {
		set.HeaderRow = hr
		return set, "", nil
	}
	set.HeaderRow = j.HeaderRow
	known := map[string]string{}
	if k, ok := h.Svc.Imports.Kind(j.Kind); ok {
		for _, f := range k.Fields() {
			known[f.Key] = f.Label
		}
	}
	set.Mapping = map[int]string{}
	used := map[string]int{}
	ncols, _ := strconv.Atoi(c.FormValue("columns"))
	for col := 0; col < min(ncols, 2000); col++ {
		key := c.FormValue("col_" + strconv.Itoa(col))
		if key != "" {
			if _, ok := known[key]; !ok {
				return set, "", core.Invalid("mapping", "第 %s 列选择了未知字段", colLetter(col))
			}
			if first, ok := used[key]; ok {
				return set, "", core.Invalid("mapping", "「%s」同时选给了第 %s 列和第 %s 列，每个字段只能对应一列",
					known[key], colLetter(first), colLetter(col))
			}
			used[key] = col
		}
		set.Mapping[col] = key
	}
	if ncols == 0 {
		set.Mapping = mappingOf(j.Mapping)
	}
	return set, token(prevHeader, set.Mapping), nil
}

// back returns to a draft's preview with a flash.
func back(c *fiber.Ctx, id, kind, msg string) error {
	web.Flash(c, kind, msg)
	return c.Redirect("/imports/"+id, fiber.StatusSeeOther)
}

// draft loads a draft of the user's own for a form post.
func (h *Handlers) draft(c *fiber.Ctx, u User) (*batch.Job, error) {
	j, err := h.load(c, u)
	if err != nil {
		return nil, err
	}
	if err := mine(u, j); err != nil {
		h.auditDenied(c, err)
		return nil, err
	}
	return j, nil
}

func (h *Handlers) notDraft(c *fiber.Ctx, j *batch.Job) error {
	return back(c, j.ID, "error", "该导入当前为“"+j.StateLabel()+"”，不能再修改或提交")
}

// mappingForm applies a changed header row or mapping and shows the new
// preview.
func (h *Handlers) mappingForm(c *fiber.Ctx) error {
	_, j, _, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	return back(c, j.ID, "ok", "已按新的列映射重新预览")
}

// postedDraft loads the caller's draft and saves the header row, mapping
// and choices the form posted (re-previewing it), returning the preview
// token those settings had when the page was drawn. When the request is
// already answered (not found, no longer a draft, bad settings) j is nil
// and done is the answer.
func (h *Handlers) postedDraft(c *fiber.Ctx) (u User, j *batch.Job, tok string, done error) {
	u = userOf(c)
	j, err := h.draft(c, u)
	if err != nil {
		return u, nil, "", web.Fail(c, err)
	}
	if j.State != batch.StateDraft {
		return u, nil, "", h.notDraft(c, j)
	}
	set, tok, err := h.formSettings(c, j)
	if err == nil {
		err = h.Svc.SaveSettings(c.UserContext(), u, j, set)
	}
	if err != nil {
		return u, nil, "", h.formFail(c, j, err)
	}
	return u, j, tok, nil
}

// templateForm saves the draft's header mapping as the unit's template.
func (h *Handlers) templateForm(c *fiber.Ctx) error {
	u, j, _, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	if _, err := h.Svc.SaveMapping(c.UserContext(), u, j); err != nil {
		return h.formFail(c, j, err)
	}
	return back(c, j.ID, "ok", fmt.Sprintf("已保存为%s的%s导入模板：以后本单位上传表头相同的文件时自动套用这套列映射",
		h.unitName(j.Unit), h.kindLabel(j.Kind)))
}

func (h *Handlers) formFail(c *fiber.Ctx, j *batch.Job, err error) error {
	if fe, ok := core.AsFieldError(err); ok {
		return back(c, j.ID, "error", fe.Message)
	}
	if se, ok := FileError(err); ok {
		return back(c, j.ID, "error", se.Message)
	}
	if errors.Is(err, core.ErrConflict) {
		return back(c, j.ID, "error", "该导入已提交或正在提交，不能再修改")
	}
	h.auditDenied(c, err)
	return web.Fail(c, err)
}

// commitForm writes the draft as previewed. Choices changed since the
// preview are saved and previewed first instead.
func (h *Handlers) commitForm(c *fiber.Ctx) error {
	u, j, tok, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	if tok != c.FormValue("previewed") {
		return back(c, j.ID, "error", "表头或列映射已更改，已按新设置重新预览；请核对后再点“确认导入”")
	}
	rep, err := h.Svc.Commit(c.UserContext(), u, j)
	if err != nil {
		return h.formFail(c, j, err)
	}
	msg := fmt.Sprintf("已导入 %s（批次 %s）：新建 %d，更新 %d，未变 %d，待确认 %d，拒绝 %d，跳过 %d", j.File, rep.BatchID,
		rep.Created, rep.Updated, rep.Unchanged, rep.Review, rep.Rejected, rep.Skipped)
	return back(c, j.ID, "ok", msg)
}

// undoForm reverts a batch; with conflicts the page lists them (409).
func (h *Handlers) undoForm(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.load(c, u)
	if err != nil {
		return web.Fail(c, err)
	}
	_, err = h.Svc.Undo(c.UserContext(), u, j.ID)
	var ce *batch.ConflictError
	if errors.As(err, &ce) {
		v, verr := h.jobView(c, u, j)
		if verr != nil {
			return web.Fail(c, verr)
		}
		v.Conflicts = h.conflicts(j.Kind, ce)
		return web.Page(c.Status(409), "imports_job", h.title(j), "imports", v)
	}
	if err != nil {
		h.auditDenied(c, err)
		if fe, ok := core.AsFieldError(err); ok {
			return back(c, j.ID, "error", fe.Message)
		}
		return web.Fail(c, err)
	}
	web.Flash(c, "ok", fmt.Sprintf("已撤销批次 %s：新建的 %d 条已删除，更新的 %d 条已恢复原值", j.ID, j.Report.Created, j.Report.Updated))
	return c.Redirect("/imports/"+j.ID, fiber.StatusSeeOther)
}
