package server

import (
	"context"
	"fmt"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// links is the platform's projects.Links: a linked record must exist inside
// the caller's scope, a 负责人 must belong to the project's unit.
type links struct{ s *srv }

var _ projects.Links = links{}

func (l links) Visible(ctx context.Context, scope core.Scope, kind, id string) error {
	r := l.s.p.Records
	var unit string
	var err error
	switch kind {
	case "enterprises":
		unit, err = ownerOf(ctx, r.Enterprises, id)
	case "talents":
		unit, err = ownerOf(ctx, r.Talents, id)
	case "institutes":
		unit, err = ownerOf(ctx, r.Institutes, id)
	case "results":
		unit, err = ownerOf(ctx, r.Results, id)
	case "events":
		e, gerr := r.Events.Get(ctx, id)
		if gerr == nil {
			unit = e.Unit
		}
		err = gerr
	default:
		return fmt.Errorf("links: unknown kind %q: %w", kind, core.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if !scope.Allows(unit) {
		return fmt.Errorf("links: %s %s: %w", kind, id, core.ErrForbidden)
	}
	return nil
}

// ownerOf is the owning unit of a resource record.
func ownerOf[T any, P interface {
	*T
	core.Record
	OwnerUnit() string
}](ctx context.Context, r *core.Repo[T, P], id string) (string, error) {
	p, err := r.Get(ctx, id)
	if err != nil {
		return "", err
	}
	return p.OwnerUnit(), nil
}

func (l links) Member(ctx context.Context, unit, user string) bool {
	return l.s.p.Member(ctx, unit, user)
}
