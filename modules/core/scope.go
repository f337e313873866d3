package core

import (
	"slices"

	"zhaoshang/search"
)

// Scope is the set of matrix units whose records a caller may see and change.
// Every list and load takes one; the zero Scope sees nothing.
type Scope struct {
	All   bool
	Units []string
}

// AllUnits is the scope of admins and system jobs (seed, reindex).
var AllUnits = Scope{All: true}

// Allows reports whether a record owned by unit is inside the scope.
func (s Scope) Allows(unit string) bool {
	return s.All || (unit != "" && slices.Contains(s.Units, unit))
}

// AllowsAny reports whether any of units is inside the scope.
func (s Scope) AllowsAny(units []string) bool {
	if s.All {
		return true
	}
	for _, u := range units {
		if s.Allows(u) {
			return true
		}
	}
	return false
}

// To narrows the scope to one unit a list asks for ("" keeps it). ok is
// false when the unit is outside the scope: the list then matches nothing.
func (s Scope) To(unit string) (narrowed Scope, ok bool) {
	switch {
	case unit == "":
		return s, true
	case !s.Allows(unit):
		return Scope{}, false
	}
	return Scope{Units: []string{unit}}, true
}

// Search converts the scope to the engine's filter.
func (s Scope) Search() search.Scope {
	return search.Scope{All: s.All, Units: slices.Clone(s.Units)}
}

// UnitLookup resolves what a ledger cell names as a unit (its id, full
// name or short name) to the unit's id; modules/matrix answers it, so a
// module that reads unit names needs no more of the matrix than this.
type UnitLookup interface {
	UnitID(name string) string // "" when no unit matches
}
