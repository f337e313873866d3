package projects

import (
	"context"
	"errors"
	"fmt"

	"zhaoshang/modules/core"
)

// Links answers whether the records a project links to may be linked by
// the caller: the pages, the API and bulk assignments check every id a
// user submits through it.
type Links interface {
	// Visible is nil when the record of kind (enterprises, talents,
	// institutes, results, events) exists inside scope; else an error that
	// is core.ErrNotFound or core.ErrForbidden.
	Visible(ctx context.Context, scope core.Scope, kind, id string) error
	// Member reports whether user may be the 负责人 of a project of unit:
	// a user whose units include it.
	Member(ctx context.Context, unit, user string) bool
}

// linkFields are the project's links to other records, by input field.
var linkFields = []struct {
	field, kind, label string
	get                func(*Input) string
}{
	{"enterprise_id", "enterprises", "关联企业", func(in *Input) string { return in.EnterpriseID }},
	{"talent_id", "talents", "关联人才", func(in *Input) string { return in.TalentID }},
	{"institute_id", "institutes", "关联院所", func(in *Input) string { return in.InstituteID }},
	{"result_id", "results", "关联科技成果", func(in *Input) string { return in.ResultID }},
	{"source_event", "events", "来源活动", func(in *Input) string { return in.SourceEvent }},
}

// checkLinks refuses a link or 负责人 the caller may not set. Only what the
// input changes is checked (before nil: everything), so a project whose
// linked record later moved out of the caller's units still saves as it
// is. The error names the field.
func (s *Service) checkLinks(ctx context.Context, scope core.Scope, in *Input, before *Input) error {
	if s.Links == nil {
		return nil
	}
	var ps core.Problems
	for _, l := range linkFields {
		id := clean(l.get(in))
		if id == "" || (before != nil && clean(l.get(before)) == id) {
			continue
		}
		if len(id) > 64 {
			ps.Add(l.field, "%s编号无效", l.label)
			continue
		}
		if err := s.Links.Visible(ctx, scope, l.kind, id); err != nil {
			if errors.Is(err, core.ErrForbidden) {
				ps.Add(l.field, "%s %s 属于其他单位，无权关联", l.label, id)
			} else {
				ps.Add(l.field, "%s %s 不存在", l.label, id)
			}
		}
	}
	if in.Officer != "" && (before == nil || before.Officer != in.Officer || before.Unit != in.Unit) &&
		!s.Links.Member(ctx, in.Unit, in.Officer) {
		ps.Add("officer", "负责人 %s 不是该项目责任单位的成员", in.Officer)
	}
	return ps.Err()
}

// checkOfficer is checkLinks for a bulk assignment of p to officer.
func (s *Service) checkOfficer(ctx context.Context, p *Project, officer string) error {
	if s.Links == nil || s.Links.Member(ctx, p.Unit, officer) {
		return nil
	}
	return core.Invalid("officer", "%s", fmt.Sprintf("负责人 %s 不是该项目责任单位的成员", officer))
}
