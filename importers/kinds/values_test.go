package kinds

import (
	"context"

	"zhaoshang/modules/matrix"
)

// fakeMatrix is the default catalog and units, without a store.
type fakeMatrix struct{}

func (fakeMatrix) Catalog(context.Context) (*matrix.Catalog, error) {
	return matrix.DefaultCatalog(), nil
}
func (fakeMatrix) Units() []*matrix.Unit { return matrix.DefaultUnits() }
func (fakeMatrix) HasUnit(id string) bool {
	for _, u := range matrix.DefaultUnits() {
		if u.ID == id {
			return true
		}
	}
	return false
}
func (fakeMatrix) UnitID(name string) string { return matrix.UnitIDIn(matrix.DefaultUnits(), name) }
func (fakeMatrix) Name(id string) string {
	for _, u := range matrix.DefaultUnits() {
		if u.ID == id {
			return u.Name
		}
	}
	return id
}
