package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Limits of a participant list, the same on the form, the API and imports.
const (
	MaxParticipants    = 300 // entries per list (enterprises, talents)
	MaxParticipantName = 100 // characters per name
)

// Pool links event participants to the resource pool. The form (Create,
// Update) and the importer go through it, so that a name links the same
// way everywhere. Names are found through the search engine only.
type Pool struct {
	// Engine finds pool records by name; nil: names are not linked.
	Engine func() search.Engine
	// Lookup names a pool record by id with its unit: kind is KindTalents
	// or KindEnterprises, a missing record is core.ErrNotFound. Nil: an id
	// the stored event does not already list is kept unchecked.
	Lookup func(ctx context.Context, kind, id string) (name, unit string, err error)
}

// Pool is the resource pool the service links participants to: none
// without Participant.
func (s *Service) Pool() Pool {
	if s.Participant == nil {
		return Pool{}
	}
	return Pool{Engine: s.Engine, Lookup: s.Participant}
}

// what names a participant kind for users.
func what(kind string) string {
	if kind == KindTalents {
		return "人才"
	}
	return "企业"
}

// checkRefs cleans one participant list of kind in place and checks it
// against the limits. The error is a message for users.
func checkRefs(kind string, refs []Ref) error {
	if len(refs) > MaxParticipants {
		return fmt.Errorf("参与%s最多登记 %d 个（现有 %d 个）", what(kind), MaxParticipants, len(refs))
	}
	for i := range refs {
		r := &refs[i]
		r.ID, r.Name = clean(r.ID), clean(r.Name)
		switch {
		case r.ID != "" && !idRE.MatchString(r.ID):
			return fmt.Errorf("资源编号 %q 格式不正确", r.ID)
		case r.ID == "" && r.Name == "":
			return fmt.Errorf("第 %d 个参与%s缺少名称", i+1, what(kind))
		case utf8.RuneCountInString(r.Name) > MaxParticipantName:
			return fmt.Errorf("参与%s名称最多 %d 字：%.20s…", what(kind), MaxParticipantName, r.Name)
		}
	}
	return nil
}

// CheckNames checks a list of participant names of kind (as a ledger
// cell lists them) against the limits of the form. The error is a message
// for users.
func CheckNames(kind string, names []string) error {
	refs := make([]Ref, len(names))
	for i, n := range names {
		refs[i].Name = n
	}
	return checkRefs(kind, refs)
}

// listed raises the counts to at least the number of participants listed.
func (p *Participants) listed() {
	p.EnterpriseCount = max(p.EnterpriseCount, len(p.Enterprises))
	p.TalentCount = max(p.TalentCount, len(p.Talents))
}

// knownIDs maps the pool ids the stored event lists to their names.
func knownIDs(stored *Event) map[string]string {
	known := map[string]string{}
	if stored != nil {
		for _, r := range append(slices.Clone(stored.Participants.Enterprises), stored.Participants.Talents...) {
			if r.ID != "" {
				known[r.ID] = r.Name
			}
		}
	}
	return known
}

// uniqueRefs drops repeated participants: the same pool id, or the same
// name without one.
func uniqueRefs(refs []Ref) []Ref {
	var out []Ref
	seen := map[string]bool{}
	for _, r := range refs {
		key := r.ID
		if key == "" {
			key = "name:" + r.Name
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, r)
		}
	}
	return out
}

// link links one participant of kind to the pool: an id already on the
// stored event (known) stays as it is; another id must name a record in
// scope; a bare name is linked to the one pool record of exactly that
// name in scope (FindByName), else kept by name.
func (p Pool) link(ctx context.Context, scope core.Scope, kind string, r Ref, known map[string]string) (Ref, error) {
	switch {
	case r.ID != "" && known[r.ID] != "":
		if r.Name == "" {
			r.Name = known[r.ID]
		}
	case r.ID != "" && p.Lookup != nil:
		name, unit, err := p.Lookup(ctx, kind, r.ID)
		if errors.Is(err, core.ErrNotFound) || (err == nil && !scope.Allows(unit)) {
			return r, core.Invalid("participants", "资源库中没有编号为 %s 的%s（或不在您的权限范围内）", r.ID, what(kind))
		}
		if err != nil {
			return r, err
		}
		r.Name = name
	case r.ID == "":
		id, err := p.FindByName(ctx, scope, kind, r.Name)
		if err != nil {
			return r, err
		}
		r.ID = id
	}
	return r, nil
}

// resolve links every participant of one list (see link), without repeats.
func (p Pool) resolve(ctx context.Context, scope core.Scope, kind string, refs []Ref, known map[string]string) ([]Ref, error) {
	out := make([]Ref, 0, len(refs))
	for _, r := range refs {
		r, err := p.link(ctx, scope, kind, r, known)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return uniqueRefs(out), nil
}

// Resolve links the participants of in to the pool, as the form saves
// them (ids already on stored stay as they are; see link). Duplicates are
// dropped; counts never fall below the number listed.
func (p Pool) Resolve(ctx context.Context, scope core.Scope, in *Input, stored *Event) error {
	known := knownIDs(stored)
	var err error
	ps := &in.Participants
	if ps.Enterprises, err = p.resolve(ctx, scope, KindEnterprises, ps.Enterprises, known); err != nil {
		return err
	}
	if ps.Talents, err = p.resolve(ctx, scope, KindTalents, ps.Talents, known); err != nil {
		return err
	}
	ps.listed()
	return nil
}

// ImportRefs returns the list of kind a ledger cell names: a name the
// stored list already has keeps its stored ref (with its pool id, if
// any); any other name is linked as the form links it (link), else kept by
// name. Duplicates are dropped.
func (p Pool) ImportRefs(ctx context.Context, scope core.Scope, kind string, names []string, stored []Ref) ([]Ref, error) {
	byName := make(map[string]Ref, len(stored))
	for _, r := range stored {
		if _, ok := byName[r.Name]; !ok {
			byName[r.Name] = r
		}
	}
	out := make([]Ref, 0, len(names))
	for _, n := range names {
		r, ok := byName[n]
		if !ok {
			var err error
			if r, err = p.link(ctx, scope, kind, Ref{Name: n}, nil); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return uniqueRefs(out), nil
}

// FindByName returns the id of the one pool record of kind titled exactly
// name in scope, "" when there is none or more than one.
func (p Pool) FindByName(ctx context.Context, scope core.Scope, kind, name string) (string, error) {
	if p.Engine == nil || name == "" {
		return "", nil
	}
	e := p.Engine()
	if e == nil { // a command beside a serving process has no index
		return "", nil
	}
	res, err := e.Search(ctx, search.Query{Kinds: []string{kind}, Text: name, Scope: scope.Search(), Limit: 10})
	if err != nil {
		return "", fmt.Errorf("events: find %s %q: %w", kind, name, err)
	}
	id := ""
	for _, h := range res.Hits {
		if h.Title == name {
			if id != "" {
				return "", nil
			}
			id = h.ID
		}
	}
	return id, nil
}
