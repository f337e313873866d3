package server

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/transfers"
	"zhaoshang/modules/users"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// peopleCache holds the accounts pages name and list (refreshed every
// minute); it belongs to one server, so several servers in one process
// (tests) never see each other's users.
type peopleCache struct {
	sync.Mutex
	at    time.Time
	users []*users.User
	names map[string]*users.User
}

// accounts returns every account, at most a minute old.
func (s *srv) accounts() ([]*users.User, map[string]*users.User) {
	people := &s.people
	people.Lock()
	defer people.Unlock()
	if people.names == nil || time.Since(people.at) > time.Minute {
		if us, err := s.allUsers(); err == nil {
			people.users, people.names = us, make(map[string]*users.User, len(us))
			for _, u := range us {
				people.names[u.ID] = u
			}
		} else if people.names == nil {
			return nil, nil
		}
		people.at = time.Now()
	}
	return people.users, people.names
}

// allUsers pages through every account (the engine answers at most 1,000
// hits a query).
func (s *srv) allUsers() ([]*users.User, error) {
	const page = 1000
	var out []*users.User
	for {
		us, total, err := s.p.Users.List(context.Background(), core.AllUnits, "", len(out), page)
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
		if len(us) < page || len(out) >= total {
			return out, nil
		}
	}
}

// directory is the server's web.Directory, installed on every request.
func (s *srv) directory(c *fiber.Ctx) error {
	web.SetDirectory(c, s)
	return c.Next()
}

func (s *srv) personName(username string) string { return s.PersonName(username) }

// PersonName is a user's display name (the user name when unknown).
func (s *srv) PersonName(username string) string {
	if _, names := s.accounts(); names[username] != nil && names[username].Name != "" {
		return names[username].Name
	}
	return username
}

// UnitReach names a unit and its managers; a unit without one is reached
// through the nearest parent unit's managers (they see its records).
func (s *srv) UnitReach(_ context.Context, unit string) templates.UnitReach {
	r := templates.UnitReach{ID: unit, Name: s.p.Matrix.Name(unit)}
	all, _ := s.accounts()
	seen := map[string]bool{}
	for id := unit; id != "" && !seen[id]; {
		seen[id] = true
		for _, u := range all {
			if u.Role == users.RoleManager && !u.Disabled && slices.Contains(u.Units, id) {
				r.People = append(r.People, member(u, s.p.Matrix.Name(id)))
			}
		}
		if len(r.People) > 0 {
			if id != unit {
				r.Via = "由上级单位" + s.p.Matrix.Name(id) + "管理"
			}
			break
		}
		u := s.p.Matrix.Unit(id)
		if u == nil {
			break
		}
		id = u.Parent
	}
	return r
}

// Members are the enabled managers and officers of units: who may be a
// project's 负责人 (区镇填报员 only keep ledgers).
func (s *srv) Members(units []string) []templates.Member {
	all, _ := s.accounts()
	var out []templates.Member
	for _, id := range units {
		for _, u := range all {
			if (u.Role == users.RoleManager || u.Role == users.RoleOfficer) && !u.Disabled && slices.Contains(u.Units, id) {
				out = append(out, member(u, s.p.Matrix.Name(id)))
			}
		}
	}
	return out
}

func member(u *users.User, unitName string) templates.Member {
	return templates.Member{Username: u.ID, Name: u.Name, Role: u.Role, Phone: u.Phone, Unit: unitName}
}

// RecordName is the name or title of a record pages link to, by id.
func (s *srv) RecordName(ctx context.Context, kind, id string) string {
	r := s.p.Records
	switch kind {
	case events.Kind:
		return nameOf(ctx, r.Events, id, func(e *events.Event) string { return e.Title })
	case projects.Kind:
		return nameOf(ctx, s.p.Projects, id, (*projects.Project).DisplayName)
	case resources.KindTalents:
		return nameOf(ctx, r.Talents, id, (*resources.Talent).DisplayName)
	case resources.KindEnterprises:
		return nameOf(ctx, r.Enterprises, id, (*resources.Enterprise).DisplayName)
	case resources.KindInstitutes:
		return nameOf(ctx, r.Institutes, id, (*resources.Institute).DisplayName)
	case resources.KindResults:
		return nameOf(ctx, r.Results, id, (*resources.TechResult).DisplayName)
	case transfers.KindBrokers:
		return nameOf(ctx, r.Brokers, id, func(b *transfers.Broker) string { return b.Name })
	}
	return ""
}

// nameOf is name of the record id in repo; "" when it cannot be read.
func nameOf[T any, P interface {
	*T
	core.Record
}](ctx context.Context, repo *core.Repo[T, P], id string, name func(P) string) string {
	if x, err := repo.Get(ctx, id); err == nil {
		return name(x)
	}
	return ""
}
