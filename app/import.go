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

	"zhaoshang/app/platform"
	"zhaoshang/importers/dryrun"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
)

// exitCode ends the command with a code and no further message (the output
// already says why), e.g. 3 for an import with rejected rows.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// cmdImport is `zhaoshang import --kind projects --file F --dry-run [--json]
// [--as USER]`. This version previews projects only; commit comes next.
func cmdImport(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	kind := fs.String("kind", "", "projects (events, talents, … later)")
	file := fs.String("file", "", "the .xlsx or .csv ledger")
	dry := fs.Bool("dry-run", false, "preview only, write nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	as := fs.String("as", "admin", "import as this user (their unit scope applies)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	switch {
	case *kind != "projects":
		return usagef("暂只支持 --kind projects 的预览")
	case *file == "":
		return usagef("--file 必填")
	case !*dry:
		return usagef("本版本暂不支持正式导入，请加 --dry-run 预览")
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
	u, err := p.Users.Get(ctx, *as)
	if errors.Is(err, core.ErrNotFound) {
		return usagef("未知用户 %q（--as）", *as)
	}
	if err != nil {
		return err
	}
	vocab := p.ProjectVocab()
	cat, err := vocab.ProjectCatalog(ctx)
	if err != nil {
		return err
	}
	rep, err := dryrun.Projects(ctx, book, cat, vocab, users.ScopeOf(u, p.Matrix), defaultUnit(p, u))
	if err != nil {
		return fileError(err)
	}
	rep.File = *file
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(rep)
	}
	if rep.Rejected > 0 {
		return exitCode(3)
	}
	return nil
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

func printReport(r dryrun.Report) {
	fmt.Printf("预览 %s（未写入任何数据）：共 %d 行，新建 %d，更新 %d，未变 %d，跳过 %d，拒绝 %d\n",
		r.File, r.Rows, r.Created, r.Updated, r.Unchanged, r.Skipped, r.Rejected)
	for _, e := range r.Errors {
		if e.Column == "" {
			fmt.Printf("  第 %d 行：%s\n", e.Row, e.Message)
			continue
		}
		fmt.Printf("  第 %d 行 %s「%s」：%s\n", e.Row, e.Column, e.Value, e.Message)
	}
}
