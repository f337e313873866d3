package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"zhaoshang/app/platform"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
)

// exitCode ends the command with a code and no further message (the output
// already says why), e.g. 3 for an import with rejected rows.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// cmdImport is
//
//	zhaoshang import --kind K --file F [--dry-run] [--json] [--as USER] [--unit U]
//	                 [--confirm 5,8] [--rejected OUT.xlsx]
//	zhaoshang import --undo BATCH [--as USER]
//
// It runs the same engine as the upload page (importers/batch).
func cmdImport(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	kind := fs.String("kind", "", "projects, events, talents, enterprises, institutes, policies")
	file := fs.String("file", "", "the .xlsx or .csv ledger")
	dry := fs.Bool("dry-run", false, "preview only, write nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	as := fs.String("as", "admin", "import as this user (their unit scope applies)")
	unit := fs.String("unit", "", "responsible unit of rows without a 责任单位 column (default: the user's first unit)")
	confirm := fs.String("confirm", "", "review rows (spreadsheet row numbers, comma separated) to write anyway")
	rejected := fs.String("rejected", "", "write the rejected and review rows to this .xlsx")
	undo := fs.String("undo", "", "undo the import batch with this id")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *undo != "" {
		return importUndo(ctx, *undo, *as, log)
	}
	switch {
	case *kind == "":
		return usagef("--kind 必填（projects、events、talents、enterprises、institutes、policies）")
	case *file == "":
		return usagef("--file 必填")
	}
	rows, err := parseRows(*confirm)
	if err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return usagef("无法打开文件 %s：%v", *file, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return usagef("无法读取文件 %s：%v", *file, err)
	}
	book, err := sheet.Open(filepath.Base(*file), f, st.Size(), sheet.DefaultLimits)
	if err != nil {
		return fileError(err)
	}
	defer book.Close()

	p, err := openFor(ctx, "import", log)
	if err != nil {
		return err
	}
	defer p.Close()
	if _, ok := p.Imports.Kind(*kind); !ok {
		return usagef("未知导入类型 %q（可选：%s）", *kind, kindKeys(p.Imports))
	}
	u, scope, err := importUser(ctx, p, *as)
	if err != nil {
		return err
	}
	def := *unit
	if def == "" {
		def = defaultUnit(p, u)
	} else if !p.Matrix.HasUnit(def) || !scope.Allows(def) {
		return usagef("--unit %s 不是该用户可用的单位", def)
	}
	if !*dry {
		// A commit that died in this data dir is rolled back first.
		if _, err := p.Imports.Recover(ctx); err != nil {
			return err
		}
	}
	rep, err := p.Imports.Run(ctx, batch.Request{Kind: *kind, File: *file, Book: book, Actor: core.Actor{User: u.ID, Role: u.Role}, Scope: scope,
		Unit: def, Confirm: rows, DryRun: *dry, Rejected: *rejected})
	if err != nil {
		return fileError(err)
	}
	if !*dry && *rejected == "" {
		*rejected = p.Imports.RejectedPath(rep.BatchID)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(rep, *rejected)
	}
	if rep.Problems() > 0 {
		return exitCode(3)
	}
	return nil
}

func importUndo(ctx context.Context, id, as string, log *slog.Logger) error {
	p, err := openFor(ctx, "import", log)
	if err != nil {
		return err
	}
	defer p.Close()
	u, scope, err := importUser(ctx, p, as)
	if err != nil {
		return err
	}
	j, err := p.Imports.Job(ctx, id)
	if errors.Is(err, core.ErrNotFound) {
		return usagef("没有导入批次 %s", id)
	}
	if err != nil {
		return err
	}
	if !batch.MayUndo(j, u.ID, web.May(u.Role, web.Manager), scope) {
		return usagef("只有导入人本人或该单位的管理者可以撤销批次 %s", id)
	}
	if _, err := p.Imports.Undo(ctx, core.Actor{User: u.ID}, id); err != nil {
		var ce *batch.ConflictError
		if errors.As(err, &ce) {
			fmt.Fprintf(os.Stderr, "zhaoshang: 无法撤销：%d 条记录在导入后被修改\n", len(ce.Conflicts))
			for _, c := range ce.Conflicts {
				fmt.Fprintf(os.Stderr, "  %s %s（%s %s 修改）\n", c.ID, c.Name, c.By, c.At.Format("2006-01-02 15:04"))
			}
			return exitCode(1)
		}
		if fe, ok := core.AsFieldError(err); ok {
			return usagef("%s", fe.Message)
		}
		return err
	}
	fmt.Printf("已撤销导入批次 %s：新建的 %d 条已删除，更新的 %d 条已恢复原值\n", id, j.Report.Created, j.Report.Updated)
	return nil
}

func importUser(ctx context.Context, p *platform.Platform, as string) (*users.User, core.Scope, error) {
	u, err := p.Users.Get(ctx, as)
	if errors.Is(err, core.ErrNotFound) {
		return nil, core.Scope{}, usagef("未知用户 %q（--as）", as)
	}
	if err != nil {
		return nil, core.Scope{}, err
	}
	return u, users.ScopeOf(u, p.Matrix), nil
}

func kindKeys(im *batch.Importer) string {
	var ks []string
	for _, k := range im.Kinds() {
		ks = append(ks, k.Key())
	}
	return strings.Join(ks, "、")
}

func parseRows(s string) (map[int]bool, error) {
	out := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 {
			return nil, usagef("--confirm 应为行号列表，如 5,8（%q 不是行号）", part)
		}
		out[n] = true
	}
	return out, nil
}

// fileError turns a refusal of the file (*sheet.Error) into exit code 2.
func fileError(err error) error {
	var se *sheet.Error
	if errors.As(err, &se) {
		return usagef("%s", se.Message)
	}
	return err
}

// defaultUnit is the responsible unit of imported rows: the user's first
// unit, or for a user without units (admin) the first top-level unit.
func defaultUnit(p *platform.Platform, u *users.User) string {
	if len(u.Units) > 0 {
		return u.Units[0]
	}
	for _, x := range p.Matrix.Units() {
		if x.Parent == "" {
			return x.ID
		}
	}
	return ""
}

func printReport(r *batch.Report, rejected string) {
	if r.DryRun {
		fmt.Printf("预览 %s（未写入任何数据）：", r.File)
	} else {
		fmt.Printf("已导入 %s（批次 %s）：", r.File, r.BatchID)
	}
	fmt.Printf("共 %d 行，新建 %d，更新 %d，未变 %d，跳过 %d，待确认 %d，拒绝 %d\n",
		r.Rows, r.Created, r.Updated, r.Unchanged, r.Skipped, r.Review, r.Rejected)
	for _, e := range r.Errors {
		if e.Column == "" {
			fmt.Printf("  第 %d 行：%s\n", e.Row, e.Message)
			continue
		}
		fmt.Printf("  第 %d 行 %s「%s」：%s\n", e.Row, e.Column, e.Value, e.Message)
	}
	for _, e := range r.Reviews {
		fmt.Printf("  第 %d 行 待确认：%s\n", e.Row, e.Message)
	}
	if r.Review > 0 {
		fmt.Println("待确认的行未写入；核对后可用 --confirm 行号,行号 仍然导入。")
	}
	if rejected != "" && r.Problems() > 0 {
		fmt.Printf("未导入的行已另存为 %s，修改后可再次导入。\n", rejected)
	}
	if !r.DryRun && r.Created+r.Updated > 0 {
		fmt.Printf("如需撤销：zhaoshang import --undo %s\n", r.BatchID)
	}
}
