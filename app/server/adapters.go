package server

import (
	"context"
	"sync"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// projects returns the pipeline service wired to the matrix vocabulary.
func (s *srv) projects() *projects.Service {
	return projects.NewService(s.p.Projects, vocab{s})
}

// vocab is the platform's projects.Vocab (platform.MatrixVocab, shared with
// the importer).
type vocab struct{ s *srv }

func (v vocab) HasUnit(id string) bool { return v.s.p.ProjectVocab().HasUnit(id) }

func (v vocab) ProjectCatalog(ctx context.Context) (projects.Catalog, error) {
	return v.s.p.ProjectVocab().ProjectCatalog(ctx)
}

func (s *srv) unitOptions() [][2]string {
	var out [][2]string
	for _, u := range s.p.Matrix.Units() {
		out = append(out, [2]string{u.ID, u.Name})
	}
	return out
}

// peopleCache holds user display names for pages (refreshed every minute);
// it belongs to one server, so several servers in one process (tests)
// never see each other's users.
type peopleCache struct {
	sync.Mutex
	at    time.Time
	names map[string]string
}

func (s *srv) personName(username string) string {
	people := &s.people
	people.Lock()
	defer people.Unlock()
	if people.names == nil || time.Since(people.at) > time.Minute {
		names := map[string]string{}
		if us, _, err := s.p.Users.List(context.Background(), core.AllUnits, "", 0, 1000); err == nil {
			for _, u := range us {
				names[u.ID] = u.Name
			}
		}
		people.names, people.at = names, time.Now()
	}
	if n, ok := people.names[username]; ok {
		return n
	}
	return username
}
