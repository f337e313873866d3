package push

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// ProjectTypes is the project type a pushed resource starts: a talent a
// talent project, an institute a platform project, the rest industry ones.
var ProjectTypes = map[string]string{
	resources.KindTalents: projects.TypeTalent, resources.KindEnterprises: projects.TypeIndustry,
	resources.KindInstitutes: projects.TypePlatform, resources.KindResults: projects.TypeIndustry,
}

// SendRequest is one push of a resource to a unit.
type SendRequest struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Unit string `json:"unit"`
	Note string `json:"note"`
}

// Send pushes a resource the caller may see (scope) to any unit: it creates
// a project in stage 资源推送 for that unit, linked to the resource, noting
// who pushed it (history, summary, audit), and puts the item in the unit's
// inbox. byName is the pusher's display name. A unit that already has a
// project linked to the resource gets a field error naming it.
func (s *Service) Send(ctx context.Context, a core.Actor, scope core.Scope, byName string, req SendRequest) (*projects.Project, error) {
	req.Kind, req.ID, req.Unit, req.Note = strings.TrimSpace(req.Kind), strings.TrimSpace(req.ID), strings.TrimSpace(req.Unit), strings.TrimSpace(req.Note)
	k := resources.KindOf(req.Kind)
	if k == nil {
		return nil, core.Invalid("kind", "未知资源类型 %q", req.Kind)
	}
	if req.Unit == "" || !s.Units.HasUnit(req.Unit) {
		return nil, core.Invalid("unit", "请选择要推送的单位")
	}
	if utf8.RuneCountInString(req.Note) > 500 {
		return nil, core.Invalid("note", "推送说明最多 500 字")
	}
	r, err := s.Resources.Get(ctx, scope, req.Kind, req.ID)
	if err != nil {
		return nil, err
	}
	// With the engine down the check is skipped: the push itself still works.
	if name, err := s.linkedIn(ctx, k, req.ID, req.Unit); err == nil && name != "" {
		return nil, core.Invalid("unit", "%s已有关联此资源的项目“%s”，无需重复推送", s.Units.Name(req.Unit), name)
	}
	in, err := s.projectInput(ctx, k, r, req, a.User, byName)
	if err != nil {
		return nil, err
	}
	p, err := s.Projects.Create(ctx, a, core.Scope{Units: []string{req.Unit}}, in)
	if err != nil {
		return nil, fmt.Errorf("push: %s %s to %s: %w", req.Kind, req.ID, req.Unit, err)
	}
	s.audit(ctx, a, "push", req.Kind, req.ID, fmt.Sprintf("推送给%s，新建项目 %s", s.Units.Name(req.Unit), p.ID))
	why := "由" + byName + "推送"
	if req.Note != "" {
		why += "：" + req.Note
	}
	_, err = s.add(ctx, req.Unit, []Item{{Kind: req.Kind, RecordID: req.ID, Version: r.GetMeta().Version, Title: r.DisplayName(),
		Why: why, Source: SourcePush, By: a.User, ProjectID: p.ID}})
	return p, err
}

// linkedIn returns the name of a project of unit linked to the resource.
func (s *Service) linkedIn(ctx context.Context, k *resources.Kind, id, unit string) (string, error) {
	if k.LinkField == "" {
		return "", nil
	}
	e, err := s.engine()
	if err != nil {
		return "", err
	}
	res, err := e.Search(ctx, search.Query{Kinds: []string{projects.Kind}, Scope: search.Scope{Units: []string{unit}},
		Filters: []search.Filter{{Field: k.LinkField, Values: []string{id}}}, Limit: 1})
	if err != nil {
		return "", fmt.Errorf("push: projects linked to %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return "", nil
	}
	return res.Hits[0].Title, nil
}

// projectInput is the new project of a pushed resource. Industry and zone
// are kept when the project vocabulary knows them.
func (s *Service) projectInput(ctx context.Context, k *resources.Kind, r resources.Resource, req SendRequest, user, byName string) (projects.Input, error) {
	cat, err := s.Units.Catalog(ctx)
	if err != nil {
		return projects.Input{}, err
	}
	in := projects.Input{Type: ProjectTypes[k.Key], Name: r.DisplayName(), Unit: req.Unit, Stage: projects.StagePush,
		ConfirmDuplicate: true}
	var industry, zone string
	switch x := r.(type) {
	case *resources.Talent:
		industry, zone, in.TalentID = x.Industry, x.IntendedZone, x.ID
		in.Name = x.Name + "人才项目"
	case *resources.Enterprise:
		industry, zone, in.EnterpriseID = x.Industry, x.Zone, x.ID
		in.Enterprise = x.Name
		if cells.ValidCreditCode(x.CreditCode) {
			in.CreditCode = x.CreditCode
		}
	case *resources.Institute:
		industry, zone, in.InstituteID = x.Industry, x.Zone, x.ID
	case *resources.TechResult:
		industry, in.ResultID = x.Industry, x.ID
		in.Enterprise = x.Owner
	}
	if cat.HasIndustry(industry) {
		in.Industry = industry
	}
	if cat.HasZone(zone) {
		in.Zone = zone
	}
	if utf8.RuneCountInString(in.Name) > 100 {
		in.Name = string([]rune(in.Name)[:100])
	}
	who := byName
	if who != user && user != "" {
		who += "（" + user + "）"
	}
	in.Note = "资源推送：由" + who + "推送" + k.Name() + "“" + r.DisplayName() + "”"
	in.Summary = in.Note
	if req.Note != "" {
		in.Summary += "。推送说明：" + req.Note
	}
	return in, nil
}

// Sendable lists the units a resource can be pushed to, in matrix order:
// every unit (push crosses units by design).
func (s *Service) Sendable() [][2]string {
	var out [][2]string
	for _, u := range s.Units.Units() {
		out = append(out, [2]string{u.ID, u.Name})
	}
	return slices.Clip(out)
}
