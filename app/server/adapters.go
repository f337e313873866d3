package server

import (
	"context"

	"zhaoshang/modules/projects"
)

// projects returns the pipeline service wired to the matrix vocabulary.
func (s *srv) projects() *projects.Service {
	svc := projects.NewService(s.p.Projects, vocab{s})
	svc.Links = links{s}
	return svc
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
