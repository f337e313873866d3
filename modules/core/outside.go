package core

import "fmt"

// OutOfScope is a record outside the caller's scope that pages of the
// caller's own records link to (a project's talent of another unit, an
// event's participants, a deal's broker). It is ErrForbidden — the API
// answers 403 — but a page shows the record's name and owning unit, so
// the viewer knows whom to ask, instead of an error.
type OutOfScope struct {
	Kind string // search kind: talents, enterprises, events, brokers …
	ID   string
	Name string
	Unit string // owning unit id
}

func (e *OutOfScope) Error() string {
	return fmt.Sprintf("%s %s of unit %s: %v", e.Kind, e.ID, e.Unit, ErrForbidden)
}

func (e *OutOfScope) Unwrap() error { return ErrForbidden }

// Outside returns an *OutOfScope for a record the caller may not open.
func Outside(kind, id, name, unit string) error {
	return &OutOfScope{Kind: kind, ID: id, Name: name, Unit: unit}
}
