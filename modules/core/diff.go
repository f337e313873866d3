package core

import (
	"context"
	"errors"
)

// Differences lists the fields on which a stale update and the stored
// record disagree. Each row is {field, label, mine, stored}, the values as
// text; they are compared as CleanLine leaves them, and an empty side
// reads （空）.
func Differences(rows [][4]string) []Change {
	var out []Change
	for _, r := range rows {
		if CleanLine(r[2]) != CleanLine(r[3]) {
			out = append(out, Change{Field: r[0], Label: r[1], Mine: OrEmpty(r[2]), Stored: OrEmpty(r[3])})
		}
	}
	return out
}

// OrEmpty is a value as a change shows it: （空） when blank.
func OrEmpty(s string) string {
	if CleanLine(s) == "" {
		return "（空）"
	}
	return s
}

// DayText is a date as typed ("2024/3/5") as the day it names
// ("2024-03-05"), so a diff compares days; other text is unchanged.
func DayText(s string) string {
	if d, err := ParseDate(s); err == nil && !d.IsZero() {
		return d.String()
	}
	return s
}

// Save is Update for an edit whose input the caller can compare: when
// someone saved the record since before was read, the error is a
// *ConflictError with the record as stored now and what differs from it
// (changes of that record).
func (r *Repo[T, P]) Save(ctx context.Context, a Actor, p, before P, changes func(stored P) []Change) error {
	err := r.Update(ctx, a, p, before)
	if errors.Is(err, ErrConflict) {
		if cur, gerr := r.Get(ctx, p.GetMeta().ID); gerr == nil {
			return &ConflictError[T]{Current: cur, Changes: changes(cur)}
		}
	}
	return err
}

// Current checks that the caller read p, the record as stored, at
// version: another version is a *ConflictError with p and what differs
// from it (changes of p; nil lists nothing).
func Current[T any, P interface {
	*T
	Record
}](p P, version int64, changes func(stored P) []Change) error {
	if version == p.GetMeta().Version {
		return nil
	}
	c := &ConflictError[T]{Current: (*T)(p)}
	if changes != nil {
		c.Changes = changes(p)
	}
	return c
}

// Edit stores an edit of p, the record as stored, that the caller read at
// version: a stale version is a *ConflictError (Current); else change
// checks the edit and makes it on p (before is p as it was), and Save
// stores it, changes listing what differs from a record saved meanwhile.
func (r *Repo[T, P]) Edit(ctx context.Context, a Actor, p P, version int64, changes func(stored P) []Change, change func(before P) error) error {
	if err := Current(p, version, changes); err != nil {
		return err
	}
	before := *p
	if err := change(&before); err != nil {
		return err
	}
	return r.Save(ctx, a, p, &before, changes)
}

// Add stores a new record that set fills (Create) and returns it.
func (r *Repo[T, P]) Add(ctx context.Context, a Actor, set func(p P)) (P, error) {
	p := P(new(T))
	set(p)
	if err := r.Create(ctx, a, p); err != nil {
		return nil, err
	}
	return p, nil
}
