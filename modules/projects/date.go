package projects

import "zhaoshang/modules/core"

// Date is a calendar day (core.Date); the name keeps the module's inputs
// readable.
type Date = core.Date

// ParseDate parses a typed day with the one date parser (core.ParseDate);
// "" is the zero Date.
func ParseDate(s string) (Date, error) { return core.ParseDate(s) }

// ParseDateField parses a form value, naming the field on error.
func ParseDateField(field, s string) (Date, error) { return core.ParseDateField(field, s) }
