package resources

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

// The importer (ledger.go) writes pool records in bulk, but through
// the same Check as the forms and the API: the rules live here only.

// Importer builds records from imported rows for one import run: the
// catalog is read once, the clock is fixed.
type Importer struct {
	svc *Service
	cat *matrix.Catalog
}

// fixedCatalog answers Catalog with the run's catalog.
type fixedCatalog struct {
	Vocab
	cat *matrix.Catalog
}

func (f fixedCatalog) Catalog(context.Context) (*matrix.Catalog, error) { return f.cat, nil }

// cloners copy a record of each kind (Check works on a copy); they need no
// repository.
var cloners = map[string]store{
	KindTalents: repoStore[Talent, *Talent]{}, KindEnterprises: repoStore[Enterprise, *Enterprise]{},
	KindInstitutes: repoStore[Institute, *Institute]{}, KindResults: repoStore[TechResult, *TechResult]{},
}

// NewImporter reads the catalog for a run starting at now.
func NewImporter(ctx context.Context, v Vocab, now time.Time) (*Importer, error) {
	cat, err := v.Catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("resources: catalog: %w", err)
	}
	return &Importer{cat: cat, svc: &Service{stores: cloners, Vocab: fixedCatalog{v, cat}, Now: func() time.Time { return now }}}, nil
}

// Catalog is the run's catalog (choice values of the import's drop-downs).
func (im *Importer) Catalog() *matrix.Catalog { return im.cat }

// Build returns the record an imported row describes. in.Values holds only
// the columns the file has: for a new record (cur nil) the others are
// blank; for cur they keep their stored values, while a blank cell in a
// column the file has clears that value (a required one is an error).
// in.Unit "" keeps cur's unit (a new record needs one). A new record, or a
// move to another unit, must be in a unit of scope. same reports that the
// row leaves cur as it was. Errors are *core.FieldError by field key (the
// first one of the row, when there are several).
func (im *Importer) Build(kind string, in Input, cur Resource, scope core.Scope) (rec Resource, same bool, err error) {
	k := KindOf(kind)
	if k == nil {
		return nil, false, fmt.Errorf("resources: kind %q: %w", kind, core.ErrNotFound)
	}
	unit := strings.TrimSpace(in.Unit)
	full := Input{Values: map[string]string{}, Unit: unit}
	if cur != nil {
		full = InputOf(k, cur)
		if unit != "" {
			full.Unit = unit
		}
	}
	maps.Copy(full.Values, in.Values)
	if u := full.Unit; u != "" && im.svc.Vocab.HasUnit(u) && (cur == nil || u != cur.OwnerUnit()) && !scope.Allows(u) {
		return nil, false, core.Invalid("unit", "无权在单位「%s」登记%s", im.svc.Vocab.Name(u), k.Name())
	}
	r, err := im.svc.Check(context.Background(), kind, full, cur)
	if err != nil {
		if fes := FieldErrors(err); len(fes) > 0 {
			return nil, false, fes[0]
		}
		return nil, false, err
	}
	if cur == nil {
		return r, false, nil
	}
	return r, Same(k, r, cur), nil
}

// Same reports whether a and b hold the same values in every field of k
// and the same unit (as forms show them).
func Same(k *Kind, a, b Resource) bool {
	for _, f := range k.Fields {
		if f.Text(a) != f.Text(b) {
			return false
		}
	}
	return a.OwnerUnit() == b.OwnerUnit()
}
