// Package core holds what every domain module shares: record metadata,
// access scope, the errors handlers map to HTTP statuses, and the generic
// repository that keeps Mongo and the search engine in step.
package core

import (
	"errors"
	"fmt"
)

var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("version conflict")
	ErrForbidden = errors.New("forbidden")
	ErrDuplicate = errors.New("duplicate")
)

// FieldError is bad input in one named field; pages show it next to the
// field and the API returns it as {"error":{"code":"invalid","field":...}}.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Invalid returns a *FieldError.
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Change is one field on which a stale update and the stored record
// disagree: what the user typed and what is stored now, as text.
type Change struct {
	Field  string `json:"field"`
	Label  string `json:"label"`
	Mine   string `json:"mine"`
	Stored string `json:"stored"`
}

// ConflictError is a stale update of a T: the record as stored now and what
// changed meanwhile. It is ErrConflict (409); pages show the changes next
// to the user's input, which they keep.
type ConflictError[T any] struct {
	Current *T
	Changes []Change
}

func (e *ConflictError[T]) Error() string { return fmt.Sprintf("%T: version conflict", e.Current) }
func (e *ConflictError[T]) Unwrap() error { return ErrConflict }

// StaleChanges lists what changed meanwhile (Stale).
func (e *ConflictError[T]) StaleChanges() []Change { return e.Changes }

// StoredVersion is the version of the record as stored now (Stale); 0 when
// the current record is unknown or T carries no Meta.
func (e *ConflictError[T]) StoredVersion() int64 {
	if e.Current == nil {
		return 0
	}
	if r, ok := any(e.Current).(Record); ok {
		return r.GetMeta().Version
	}
	return 0
}

// Stale is a stale update of any kind of record: every *ConflictError[T]
// is one, so handlers can answer it without knowing T.
type Stale interface {
	error
	StaleChanges() []Change
	StoredVersion() int64
}

// AsStale unwraps a Stale from err.
func AsStale(err error) (Stale, bool) {
	var s Stale
	ok := errors.As(err, &s)
	return s, ok
}

// AsFieldError unwraps a *FieldError from err.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
