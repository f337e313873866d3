package core

import "slices"

// KeepOrder is next, but in stored's order when both hold the same values:
// a form lists a choice of values (industries, support modes, action
// lines) in the catalog's order, so saving a record whose list was stored
// in another order must not reorder it — that would be a change nobody
// made. A list whose values changed is next as submitted.
func KeepOrder(stored, next []string) []string {
	if len(stored) != len(next) {
		return next
	}
	a, b := slices.Clone(stored), slices.Clone(next)
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		return stored
	}
	return next
}
