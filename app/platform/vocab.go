package platform

import (
	"context"

	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
)

// MatrixVocab adapts the matrix module to what the pipeline rules need
// (projects.Vocab): the pages, the API and the importer share it.
type MatrixVocab struct{ Matrix *matrix.Service }

// ProjectVocab is the platform's projects.Vocab.
func (p *Platform) ProjectVocab() MatrixVocab { return MatrixVocab{p.Matrix} }

// HasUnit reports whether id is a known unit.
func (v MatrixVocab) HasUnit(id string) bool { return v.Matrix.HasUnit(id) }

// ProjectCatalog is the configured project vocabulary.
func (v MatrixVocab) ProjectCatalog(ctx context.Context) (projects.Catalog, error) {
	c, err := v.Matrix.Catalog(ctx)
	if err != nil {
		return projects.Catalog{}, err
	}
	out := projects.Catalog{Zones: c.Zones, ActionLines: c.ActionLines, DisabledGates: c.DisabledGates, StaleDays: c.StaleDays}
	for _, i := range c.Industries {
		out.Industries = append(out.Industries, i.Name)
	}
	out.StageWords = make(map[string]string, len(c.StageWords))
	for _, w := range c.StageWords {
		out.StageWords[w.Word] = w.Stage
	}
	if out.StaleDays <= 0 {
		out.StaleDays = 30
	}
	return out, nil
}
