// Package matrixtest is the matrix of tests without a store: the default
// catalog and units.
package matrixtest

import (
	"context"

	"zhaoshang/modules/matrix"
)

// Defaults answers what the modules ask of the matrix (catalog, units,
// unit names) from matrix.DefaultCatalog and matrix.DefaultUnits.
type Defaults struct{}

func (Defaults) Catalog(context.Context) (*matrix.Catalog, error) {
	return matrix.DefaultCatalog(), nil
}
func (Defaults) Units() []*matrix.Unit { return matrix.DefaultUnits() }
func (Defaults) HasUnit(id string) bool {
	for _, u := range matrix.DefaultUnits() {
		if u.ID == id {
			return true
		}
	}
	return false
}
func (Defaults) UnitID(name string) string { return matrix.UnitIDIn(matrix.DefaultUnits(), name) }
func (Defaults) Name(id string) string {
	for _, u := range matrix.DefaultUnits() {
		if u.ID == id {
			return u.Name
		}
	}
	return id
}
