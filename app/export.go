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

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
	"zhaoshang/search"
	"zhaoshang/templates"
)

// exportKinds are the kinds `zhaoshang export` writes.
var exportKinds = []string{"projects", "events", "talents", "enterprises", "institutes", "results", "policies"}

// cmdExport is `zhaoshang export --kind K --out F [--q ..] [--stage ..]
// [--unit ..] [...] [--as USER]`: the same rows the kind's list shows for
// those filters to that user, as .xlsx (see importers/export). With
// --template it writes the kind's import template instead.
func cmdExport(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	kind := fs.String("kind", "", strings.Join(exportKinds, ", "))
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
		return usagef("--kind 必填（%s）", strings.Join(exportKinds, "、"))
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
	scope := users.ScopeOf(u, p.Matrix)
	if p.Engine == nil && (len(set) > 0 || !scope.All) {
		// Beside a serving process the command has the store but not the
		// index, and filters and unit scopes are engine queries.
		return errors.New("服务进程正在使用搜索索引：带筛选条件或按用户单位范围的导出请在页面上点“导出 Excel”，或停止服务后再运行本命令")
	}
	write, err := exporter(p, *kind, scope, set)
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
		return usagef("没有“%s”的导入模板（--kind 须为 %s 之一）", kind, strings.Join(exportKinds, "、"))
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

// exporter validates the filters for kind and returns the export to run.
func exporter(p *platform.Platform, kind string, scope core.Scope, set map[string]string) (func(context.Context, io.Writer) (int, error), error) {
	allow := func(names ...string) error {
		for k := range set {
			if !slices.Contains(names, k) {
				return usagef("--kind %s 不能按 --%s 筛选", kind, k)
			}
		}
		return nil
	}
	type run = func(context.Context, io.Writer) (int, error)
	switch kind {
	case "projects":
		if err := allow("q", "stage", "unit", "industry", "zone", "type"); err != nil {
			return nil, err
		}
		svc := projects.NewService(p.Projects, p.ProjectVocab())
		q := projects.ListQuery{Text: set["q"], Stage: set["stage"], Unit: set["unit"], Industry: set["industry"], Zone: set["zone"], Type: set["type"]}
		sq, ok, err := svc.SearchQuery(scope, &q)
		if err != nil {
			return nil, err
		}
		return recordsOf(p.Projects, projects.ExportSheet(p.Matrix.Name), sq, ok), nil
	case "events":
		if err := allow("q", "unit", "industry", "type", "status", "year"); err != nil {
			return nil, err
		}
		svc := events.NewService(p.Records.Events, p.Matrix)
		q := events.ListQuery{Text: set["q"], Unit: set["unit"], Industry: set["industry"], Type: set["type"], Status: set["status"], Year: set["year"]}
		sq, ok, err := svc.SearchQuery(scope, &q)
		if err != nil {
			return nil, err
		}
		return recordsOf(p.Records.Events, events.ExportSheet(p.Matrix.Name), sq, ok), nil
	case "policies":
		if err := allow("q", "industry", "status", "year", "level"); err != nil {
			return nil, err
		}
		svc := policies.NewService(p.Records.Policies, p.Matrix)
		q := policies.ListQuery{Text: set["q"], Industry: set["industry"], Status: set["status"], Year: set["year"], Level: set["level"]}
		sq, err := svc.SearchQuery(&q)
		if err != nil {
			return nil, err
		}
		return recordsOf(p.Records.Policies, policies.ExportSheet(p.Matrix.Name), sq, true), nil
	}
	k := resources.KindOf(kind)
	if k == nil {
		return nil, usagef("--kind 须为 %s 之一", strings.Join(exportKinds, "、"))
	}
	names := []string{"q", "unit"}
	q := resources.ListQuery{Kind: kind, Text: set["q"], Unit: set["unit"], Filters: map[string]string{}}
	for _, f := range k.Filters {
		names = append(names, f.Param)
		q.Filters[f.Param] = set[f.Param]
	}
	if err := allow(names...); err != nil {
		return nil, err
	}
	svc := resources.NewService(p.Records.Talents, p.Records.Enterprises, p.Records.Institutes, p.Records.Results, p.Matrix)
	sq, ok, err := svc.SearchQuery(scope, &q)
	if err != nil {
		return nil, err
	}
	var r run
	switch kind {
	case resources.KindTalents:
		r = recordsOf(p.Records.Talents, resources.ExportSheet[*resources.Talent](k, p.Matrix.Name), sq, ok)
	case resources.KindEnterprises:
		r = recordsOf(p.Records.Enterprises, resources.ExportSheet[*resources.Enterprise](k, p.Matrix.Name), sq, ok)
	case resources.KindInstitutes:
		r = recordsOf(p.Records.Institutes, resources.ExportSheet[*resources.Institute](k, p.Matrix.Name), sq, ok)
	default:
		r = recordsOf(p.Records.Results, resources.ExportSheet[*resources.TechResult](k, p.Matrix.Name), sq, ok)
	}
	return r, nil
}

func recordsOf[T any, P interface {
	*T
	core.Record
}](repo *core.Repo[T, P], sh export.Sheet[P], q search.Query, ok bool) func(context.Context, io.Writer) (int, error) {
	return func(ctx context.Context, w io.Writer) (int, error) {
		if !ok {
			return export.Write(w, sh, func(func(P) error) error { return nil })
		}
		return export.Records(ctx, w, sh, repo, q)
	}
}
