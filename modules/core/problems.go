package core

import (
	"errors"
	"fmt"
	"strings"
)

// Problems collects every problem of one input — a form, an API body, an
// import row — so the user sees all of them at once instead of fixing one,
// submitting and meeting the next. The zero value is empty and ready.
type Problems []*FieldError

// Add records a problem of field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Check records err's field errors (every one, if it joins several); any
// other error is recorded under field.
func (p *Problems) Check(field string, err error) {
	if err == nil {
		return
	}
	if fes := FieldErrors(err); len(fes) > 0 {
		*p = append(*p, fes...)
		return
	}
	p.Add(field, "%v", err)
}

// Err is nil without problems, else an error joining them: errors.As finds
// the first *FieldError, FieldErrors lists them all.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	errs := make([]error, len(p))
	for i, fe := range p {
		errs[i] = fe
	}
	return errors.Join(errs...)
}

// On is the message of field's first problem ("" when it has none), for a
// form to show next to the field.
func (p Problems) On(field string) string {
	for _, fe := range p {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Summary is one line naming every problem, for the top of a form.
func (p Problems) Summary() string {
	if len(p) == 1 {
		return p[0].Message
	}
	msgs := make([]string, len(p))
	for i, fe := range p {
		msgs[i] = fe.Message
	}
	return fmt.Sprintf("有 %d 处需要修改：%s", len(p), strings.Join(msgs, "；"))
}

// FieldErrors returns every *FieldError in err (Problems.Err joins them).
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*FieldError); ok {
			out = append(out, fe)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// AllProblems joins the field errors of several checks into one answer
// (every problem at once); a check that failed otherwise (a store error,
// a refused access) is returned alone.
func AllProblems(errs ...error) error {
	var ps Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		fes := FieldErrors(err)
		if len(fes) == 0 {
			return err
		}
		ps = append(ps, fes...)
	}
	return ps.Err()
}
