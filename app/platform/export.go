package platform

import (
	"context"
	"io"
	"slices"
	"strings"

	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// ExportKinds are the kinds `zhaoshang export` writes.
var ExportKinds = []string{"projects", "events", "talents", "enterprises", "institutes", "results", "policies"}

// Exporter validates the filters for kind (flag names, as the command
// takes them) and returns the export to run: the rows the kind's list shows
// for those filters in scope. Bad filters are *core.FieldError by flag.
func (p *Platform) Exporter(kind string, scope core.Scope, set map[string]string) (func(context.Context, io.Writer) (int, error), error) {
	allow := func(names ...string) error {
		for k := range set {
			if !slices.Contains(names, k) {
				return core.Invalid(k, "%s 不能按此筛选", kind)
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
		return nil, core.Invalid("kind", "须为 %s 之一", strings.Join(ExportKinds, "、"))
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
