// Package imports is the import wizard and API over the import engine
// (importers/batch): upload a ledger as a draft, preview it (re-run as a dry
// run on every view), fix the header row and column mapping, save the
// mapping as the unit's template, commit, and see or undo batches in the
// history. The engine does the work; this package keeps drafts, access and
// the pages.
package imports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// MaxUpload is the largest ledger accepted (bigger uploads get 413).
const MaxUpload = 20 << 20

// Service runs the wizard's steps on the engine.
type Service struct {
	Imports  *batch.Importer
	Mappings *Mappings
	Limits   sheet.Limits
	// CommitTimeout bounds a commit. Commits run detached from the request:
	// a closed browser tab must not roll back a good import.
	CommitTimeout time.Duration
}

// User is who acts: name, role and data scope.
type User struct {
	Name  string
	Role  string
	Units []string
	Scope core.Scope
	Actor core.Actor
}

// Manager reports whether u manages units (or is admin).
func (u User) Manager() bool { return web.May(u.Role, web.Manager) }

// Settings are the user's choices for a file: the header row (0 = as
// detected), the column mapping (column → field key, "" = 不导入; nil = as
// detected) and the review rows to write anyway.
type Settings struct {
	HeaderRow int
	Mapping   map[int]string
	Confirm   map[int]bool
}

func settingsOf(j *batch.Job) Settings {
	s := Settings{HeaderRow: j.HeaderRow, Mapping: mappingOf(j.Mapping), Confirm: map[int]bool{}}
	for _, r := range j.Confirm {
		s.Confirm[r] = true
	}
	return s
}

func (s Settings) apply(j *batch.Job) {
	j.HeaderRow = s.HeaderRow
	j.Mapping = nil
	if s.Mapping != nil {
		j.Mapping = columnsOf(s.Mapping)
	}
	j.Confirm = nil
	for r, ok := range s.Confirm {
		if ok {
			j.Confirm = append(j.Confirm, r)
		}
	}
	slices.Sort(j.Confirm)
}

// fixable file problems keep the draft: the user fixes them in the preview
// by choosing the header row or mapping a column.
func fixable(err error) bool {
	var se *sheet.Error
	return errors.As(err, &se) && (se.Code == "missing_column" || se.Code == "bad_mapping")
}

// FileError returns the one-line refusal of a file, if err is one.
func FileError(err error) (*sheet.Error, bool) {
	var se *sheet.Error
	ok := errors.As(err, &se)
	return se, ok
}

// opened is a workbook and what holds its bytes.
type opened struct {
	*sheet.Book
	f *os.File
}

func (o *opened) Close() {
	o.Book.Close()
	if o.f != nil {
		o.f.Close()
	}
}

func (s *Service) openBytes(name string, data []byte) (*opened, error) {
	b, err := sheet.Open(name, bytes.NewReader(data), int64(len(data)), s.Limits)
	if err != nil {
		return nil, err
	}
	return &opened{Book: b}, nil
}

func (s *Service) openSource(j *batch.Job) (*opened, error) {
	f, err := os.Open(j.Source)
	if err != nil {
		return nil, fmt.Errorf("import %s: source file: %w", j.ID, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	b, err := sheet.Open(j.File, f, st.Size(), s.Limits)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &opened{Book: b, f: f}, nil
}

// head returns the first header.ScanRows non-blank rows of a sheet ("" =
// the first sheet that has any).
func head(b *sheet.Book, name string) (string, []sheet.Row, error) {
	for _, sh := range b.Sheets() {
		if name != "" && sh != name {
			continue
		}
		rs, err := b.Rows(sh)
		if err != nil {
			return "", nil, err
		}
		var rows []sheet.Row
		for len(rows) < header.ScanRows && rs.Next() {
			rows = append(rows, rs.Row())
		}
		err = rs.Err()
		rs.Close()
		if err != nil && !errors.Is(err, sheet.ErrEmpty) {
			return "", nil, err
		}
		if len(rows) > 0 || name != "" {
			return sh, rows, nil
		}
	}
	return "", nil, nil
}

// counts is a report without its row lists (a draft keeps the counts).
func counts(r *batch.Report) batch.Report {
	c := *r
	c.Errors, c.Reviews, c.Outcomes = nil, nil, nil
	c.Header = header.Result{}
	return c
}

func (s *Service) run(ctx context.Context, u User, j *batch.Job, b *sheet.Book, set Settings, dry bool, rejected string) (*batch.Report, error) {
	req := batch.Request{Kind: j.Kind, File: j.File, Book: b, Actor: u.Actor, Scope: u.Scope, Unit: j.Unit,
		Mapping: set.Mapping, HeaderRow: set.HeaderRow, Confirm: set.Confirm, DryRun: dry, Rejected: rejected}
	if !dry {
		req.Job = j
	}
	return s.Imports.Run(ctx, req)
}

// Upload checks a ledger and stores it as a draft owned by u: the file is
// read whole (dry run) first, so a file the engine refuses is answered
// with its one-line reason (a *sheet.Error) and nothing is stored. A
// mapping the unit saved for the same header is applied.
func (s *Service) Upload(ctx context.Context, u User, kind, unit, name string, data []byte) (*batch.Job, *batch.Report, error) {
	if _, ok := s.Imports.Kind(kind); !ok {
		return nil, nil, core.Invalid("kind", "未知导入类型 %q", kind)
	}
	if !u.Scope.Allows(unit) {
		return nil, nil, core.Invalid("unit", "不能为该单位导入")
	}
	b, err := s.openBytes(name, data)
	if err != nil {
		return nil, nil, err
	}
	defer b.Close()
	j := &batch.Job{ID: batch.NewBatchID(time.Now()), Kind: kind, File: filepath.Base(name), Size: int64(len(data)),
		By: u.Name, Unit: unit}
	set, err := s.prepare(ctx, b.Book, unit, kind, Settings{})
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.run(ctx, u, j, b.Book, set, true, "")
	if err != nil && !fixable(err) {
		return nil, nil, err
	}
	if j.Source, err = s.Imports.SaveSource(j.ID, j.File, data); err != nil {
		return nil, nil, fmt.Errorf("import %s: save file: %w", j.ID, err)
	}
	set.apply(j)
	j.Report = counts(rep)
	if err := s.Imports.CreateDraft(ctx, j); err != nil {
		return nil, nil, err
	}
	return j, rep, nil
}

// prepare refuses a book without any data and, when set names no header
// row or mapping, applies the one the unit saved for a header row among
// the first rows of the book's sheets.
func (s *Service) prepare(ctx context.Context, b *sheet.Book, unit, kind string, set Settings) (Settings, error) {
	explicit := set.HeaderRow > 0 || set.Mapping != nil
	rowsSeen := false
	for i, sh := range b.Sheets() {
		if i >= 5 {
			break
		}
		_, rows, err := head(b, sh)
		if err != nil {
			return Settings{}, err
		}
		rowsSeen = rowsSeen || len(rows) > 0
		if explicit {
			if rowsSeen {
				break
			}
			continue
		}
		m, row, err := s.Mappings.Match(ctx, unit, kind, rows)
		if err != nil {
			return set, err
		}
		if m == nil {
			continue
		}
		set.Mapping = mappingOf(m.Columns)
		if m.Manual {
			set.HeaderRow = row
		}
		return set, nil
	}
	if !rowsSeen && len(b.Sheets()) <= 5 {
		return set, sheet.ErrEmpty
	}
	return set, nil
}

// Preview is a dry run of a draft as the user set it up.
type Preview struct {
	Report *batch.Report
	// Problem is the file-level refusal (missing column, bad mapping, ...)
	// the user must fix before the rows can be planned.
	Problem *sheet.Error
	Sheet   string
	Head    []sheet.Row // first rows of the sheet, for choosing the header row
}

// Preview re-runs the draft's file as a dry run. Review rows are shown
// unconfirmed (the user ticks them for the commit).
func (s *Service) Preview(ctx context.Context, u User, j *batch.Job) (*Preview, error) {
	b, err := s.openSource(j)
	if err != nil {
		if se, ok := FileError(err); ok {
			return &Preview{Report: &batch.Report{}, Problem: se}, nil
		}
		return nil, err
	}
	defer b.Close()
	set := settingsOf(j)
	set.Confirm = nil
	rep, err := s.run(ctx, u, j, b.Book, set, true, "")
	p := &Preview{Report: rep}
	if err != nil {
		se, ok := FileError(err)
		if !ok {
			return nil, err
		}
		p.Problem = se
	}
	if rep == nil {
		p.Report = &batch.Report{}
	}
	if p.Sheet, p.Head, err = head(b.Book, p.Report.Sheet); err != nil {
		return nil, err
	}
	return p, nil
}

// SaveSettings stores the user's choices on a draft of theirs.
func (s *Service) SaveSettings(ctx context.Context, u User, j *batch.Job, set Settings) error {
	if err := mine(u, j); err != nil {
		return err
	}
	set.apply(j)
	return s.Imports.SaveDraft(ctx, j)
}

// SaveMapping stores the draft's current header and mapping as the unit's
// template for files with the same header.
func (s *Service) SaveMapping(ctx context.Context, u User, j *batch.Job) (*Mapping, error) {
	if err := mine(u, j); err != nil {
		return nil, err
	}
	p, err := s.Preview(ctx, u, j)
	if err != nil {
		return nil, err
	}
	res := p.Report.Header
	if len(res.Labels) == 0 {
		return nil, core.Invalid("mapping", "尚未识别出表头，无法保存为模板")
	}
	var labels []string
	for _, r := range p.Head {
		if r.Num == res.HeaderRow {
			labels = r.Cells
		}
	}
	if Signature(labels) == "" {
		return nil, core.Invalid("mapping", "表头行为空，无法保存为模板")
	}
	cols := map[int]string{}
	for c := range res.Labels {
		cols[c] = res.Columns[c]
	}
	m := &Mapping{Unit: j.Unit, Kind: j.Kind, Labels: labels, Columns: columnsOf(cols), Manual: j.HeaderRow > 0}
	if err := s.Mappings.Save(ctx, u.Actor, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Commit writes a draft of u's as it is set up. It runs on a context
// detached from ctx's cancellation (bounded by CommitTimeout): the engine
// rolls a cancelled commit back, and a closed tab is no reason to.
func (s *Service) Commit(ctx context.Context, u User, j *batch.Job) (*batch.Report, error) {
	if err := mine(u, j); err != nil {
		return nil, err
	}
	if j.State != batch.StateDraft {
		return nil, fmt.Errorf("import %s is %s: %w", j.ID, j.State, core.ErrConflict)
	}
	return s.commitDraft(ctx, u, j, func() (*opened, error) { return s.openSource(j) })
}

// commitDraft runs the stored draft j on the workbook open reads, on a
// context detached from ctx's cancellation (see Commit).
func (s *Service) commitDraft(ctx context.Context, u User, j *batch.Job, open func() (*opened, error)) (*batch.Report, error) {
	b, err := open()
	if err != nil {
		return nil, err
	}
	defer b.Close()
	cctx, cancel := s.detached(ctx)
	defer cancel()
	return s.run(cctx, u, j, b.Book, settingsOf(j), false, "")
}

func (s *Service) detached(ctx context.Context) (context.Context, context.CancelFunc) {
	d := s.CommitTimeout
	if d <= 0 {
		d = 30 * time.Minute
	}
	return context.WithTimeout(context.WithoutCancel(ctx), d)
}

// RunFile previews (dry) or imports a file in one call (the API): a commit
// is checked whole by a dry run first, then stored and committed as a
// draft, so that it leaves the same trace as the wizard.
func (s *Service) RunFile(ctx context.Context, u User, kind, unit, name string, data []byte, set Settings, dry bool) (*batch.Report, error) {
	if _, ok := s.Imports.Kind(kind); !ok {
		return nil, core.Invalid("kind", "未知导入类型 %q", kind)
	}
	if !u.Scope.Allows(unit) {
		return nil, core.Invalid("unit", "不能为该单位导入")
	}
	b, err := s.openBytes(name, data)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	j := &batch.Job{Kind: kind, File: filepath.Base(name), Size: int64(len(data)), By: u.Name, Unit: unit}
	if set, err = s.prepare(ctx, b.Book, unit, kind, set); err != nil {
		return nil, err
	}
	rep, err := s.run(ctx, u, j, b.Book, set, true, "")
	if err != nil || dry {
		return rep, err
	}
	j.ID = batch.NewBatchID(time.Now())
	if j.Source, err = s.Imports.SaveSource(j.ID, j.File, data); err != nil {
		return nil, fmt.Errorf("import %s: save file: %w", j.ID, err)
	}
	set.apply(j)
	j.Report = counts(rep)
	if err := s.Imports.CreateDraft(ctx, j); err != nil {
		return nil, err
	}
	return s.commitDraft(ctx, u, j, func() (*opened, error) { return s.openBytes(name, data) })
}

// Job loads a job u may see: a draft only by its uploader, a batch by its
// importer or anyone whose scope covers its unit (core.ErrForbidden else).
func (s *Service) Job(ctx context.Context, u User, id string) (*batch.Job, error) {
	j, err := s.Imports.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(u, j) {
		return nil, fmt.Errorf("import %s: %w", id, core.ErrForbidden)
	}
	return j, nil
}

func canSee(u User, j *batch.Job) bool {
	if j.State == batch.StateDraft {
		return j.By == u.Name
	}
	return batch.Visible(j, u.Name, u.Scope)
}

func mine(u User, j *batch.Job) error {
	if j.By != u.Name {
		return fmt.Errorf("import %s belongs to %s: %w", j.ID, j.By, core.ErrForbidden)
	}
	return nil
}

// List returns the batches u may see (and u's own drafts), newest first.
func (s *Service) List(ctx context.Context, u User, kind string) ([]batch.Job, error) {
	all, err := s.Imports.List(ctx, u.Name, u.Scope, kind)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, j := range all {
		if canSee(u, &j) {
			out = append(out, j)
		}
	}
	return out, nil
}

// MayUndo reports whether u may undo j now.
func MayUndo(u User, j *batch.Job) bool {
	return j.State == batch.StateDone && batch.MayUndo(j, u.Name, u.Manager(), u.Scope)
}

// Undo reverts batch id for u (its importer, or a manager over its unit).
// A *batch.ConflictError lists the records edited since; nothing changed.
func (s *Service) Undo(ctx context.Context, u User, id string) (*batch.Job, error) {
	j, err := s.Job(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !batch.MayUndo(j, u.Name, u.Manager(), u.Scope) {
		return nil, fmt.Errorf("import %s: undo: %w", id, core.ErrForbidden)
	}
	cctx, cancel := s.detached(ctx)
	defer cancel()
	return s.Imports.Undo(cctx, u.Actor, id)
}

// Rejected opens the rejected-rows workbook of a job: a committed batch's
// kept file, or for a draft a fresh one from a dry run. The caller closes
// the file (a draft's temporary file is removed then).
func (s *Service) Rejected(ctx context.Context, u User, j *batch.Job) (io.ReadCloser, int64, error) {
	path := j.RejectedFile
	var tmp string
	if j.State == batch.StateDraft {
		dir, err := os.MkdirTemp("", "zs-rejected-")
		if err != nil {
			return nil, 0, err
		}
		tmp = dir
		path = filepath.Join(dir, "rejected.xlsx")
		b, err := s.openSource(j)
		if err != nil {
			os.RemoveAll(dir)
			return nil, 0, err
		}
		set := settingsOf(j)
		set.Confirm = nil
		_, err = s.run(ctx, u, j, b.Book, set, true, path)
		b.Close()
		if err != nil {
			os.RemoveAll(dir)
			return nil, 0, err
		}
	}
	if path == "" {
		return nil, 0, fmt.Errorf("import %s: no rejected rows: %w", j.ID, core.ErrNotFound)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		os.RemoveAll(tmp)
		return nil, 0, fmt.Errorf("import %s: no rejected rows: %w", j.ID, core.ErrNotFound)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		os.RemoveAll(tmp)
		return nil, 0, err
	}
	return &removing{File: f, dir: tmp}, st.Size(), nil
}

// removing is a file that removes its temporary directory when closed.
type removing struct {
	*os.File
	dir string
}

func (r *removing) Close() error {
	err := r.File.Close()
	if r.dir != "" {
		os.RemoveAll(r.dir)
	}
	return err
}

// RejectedName is the download name of a job's rejected rows.
func RejectedName(j *batch.Job) string {
	base := strings.TrimSuffix(j.File, filepath.Ext(j.File))
	return base + "-未导入的行.xlsx"
}
