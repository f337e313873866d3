package imports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/modules/web"
)

const (
	rowsPerPage = 50
	errorsShown = 200
)

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
