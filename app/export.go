package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
	"zhaoshang/templates"
)

// cmdExport is `zhaoshang export --kind K --out F [--q ..] [--stage ..]
// [--unit ..] [...] [--as USER]`: the same rows the kind's list shows for
// those filters to that user, as .xlsx (see importers/export). With
// --template it writes the kind's import template instead.
func cmdExport(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	kind := fs.String("kind", "", strings.Join(platform.ExportKinds, ", "))
	out := fs.String("out", "", "the .xlsx file to write")
	as := fs.String("as", "admin", "export as this user (their unit scope applies)")
	tmpl := fs.Bool("template", false, "write the kind's import template (as /imports/templates/<kind>.xlsx) instead of records")
	f := map[string]*string{}
	for name, help := range map[string]string{"q": "search text", "stage": "projects: stage key", "unit": "unit id",
		"industry": "industry", "zone": "zone", "type": "projects/events: type", "status": "events/policies/results: status",
		"year": "events/policies: year", "level": "talents/institutes/policies: level"} {
		f[name] = fs.String(name, "", help)
	}
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	switch {
	case *kind == "":
		return usagef("--kind 必填（%s）", strings.Join(platform.ExportKinds, "、"))
	case *out == "":
		return usagef("--out 必填")
	}
	set := map[string]string{}
	for name, v := range f {
		if s := strings.TrimSpace(*v); s != "" {
			set[name] = s
		}
	}
	if *tmpl {
		return writeTemplate(ctx, *kind, *out, set, log)
	}

	p, err := openFor(ctx, "export", log)
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
	if p.Engine == nil {
		// Beside a serving process the command has the store but not the
		// index, which filters, unit scopes and the kept records need.
		return exportViaServer(ctx, p, *kind, *as, set, *out)
	}
	scope := users.ScopeOf(u, p.Matrix)
	write, err := p.Exporter(*kind, scope, set)
	if err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			return usagef("--%s：%s", fe.Field, fe.Message)
		}
		return err
	}

	var n int
	if err := writeFile(*out, func(w io.Writer) (err error) { n, err = write(ctx, w); return err }); err != nil {
		return err
	}
	p.Users.Audit(ctx, core.Actor{User: u.Username()}, core.AuditEntry{Action: "export", Kind: *kind,
		Note: fmt.Sprintf("%d 行 zhaoshang export %s", n, strings.Join(args, " "))})
	fmt.Printf("已导出 %d 条记录（%s）到 %s\n", n, *kind, *out)
	return nil
}

// exportViaServer has the serving process run the export (it owns the
// index) and moves the workbook it wrote to out.
func exportViaServer(ctx context.Context, p *platform.Platform, kind, as string, set map[string]string, out string) error {
	id, err := p.RequestExport(ctx, kind, as, set)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(exportWait)
	for {
		j, err := p.ExportStatus(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case j.State == "done":
			defer p.ForgetExport(context.WithoutCancel(ctx), j)
			if err := writeFile(out, func(w io.Writer) error { return copyFile(w, j.File) }); err != nil {
				return err
			}
			fmt.Printf("已导出 %d 条记录（%s）到 %s（由服务进程执行）\n", j.Rows, kind, out)
			return nil
		case j.State == "failed":
			p.ForgetExport(context.WithoutCancel(ctx), j)
			if j.Field != "" {
				return usagef("--%s：%s", j.Field, j.Error)
			}
			return errors.New(j.Error)
		case time.Now().After(deadline.Add(exportRunWait)):
			return errors.New("服务进程的导出超时；请在页面上点“导出 Excel”")
		case j.State == "requested" && time.Now().After(deadline):
			p.ForgetExport(context.WithoutCancel(ctx), j)
			return errors.New("服务进程没有接手导出请求；请在页面上点“导出 Excel”，或停止服务后再运行本命令")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// exportWait is how long a command waits for the server to take its
// export, exportRunWait how long then for the workbook.
const (
	exportWait    = 30 * time.Second
	exportRunWait = 10 * time.Minute
)

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// writeFile writes out through a temporary file in its directory, renamed
// into place once write succeeded.
func writeFile(out string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".export-*.xlsx")
	if err != nil {
		return usagef("无法写入 %s：%v", out, err)
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// writeTemplate is `zhaoshang export --template --kind K --out F`: the
// import template the page offers at /imports/templates/<kind>.xlsx (same
// vocabularies, same export.Template).
func writeTemplate(ctx context.Context, kind, out string, set map[string]string, log *slog.Logger) error {
	if len(header.FieldsFor(kind)) == 0 {
		return usagef("没有“%s”的导入模板（--kind 须为 %s 之一）", kind, strings.Join(platform.ExportKinds, "、"))
	}
	if len(set) > 0 {
		return usagef("--template 不能与筛选条件同用（--%s）", strings.Join(slices.Sorted(maps.Keys(set)), "、--"))
	}
	p, err := openFor(ctx, "export", log)
	if err != nil {
		return err
	}
	defer p.Close()
	vocab, err := server.ImportVocab(ctx, p.Matrix)
	if err != nil {
		return err
	}
	if err := writeFile(out, func(w io.Writer) error { return export.Template(w, kind, vocab) }); err != nil {
		return err
	}
	fmt.Printf("已写出%s导入模板（%s）到 %s\n", templates.Label("kind", kind), kind, out)
	return nil
}
