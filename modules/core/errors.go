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

// AsFieldError unwraps a *FieldError from err.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
