package search

// This file validates schemas, documents and queries for both engines (Bleve
// and Meilisearch), so that they refuse and normalise exactly the same inputs.

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

const (
	defaultLimit = 20
	maxLimit     = 1000
)

var (
	IDPattern    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	kindPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	fieldPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
)

// reserved names are used for the record envelope; a schema may not reuse them.
var reserved = map[string]bool{
	"kind": true, "id": true, "uid": true, "version": true,
	"units": true, "title": true, "body": true,
	PinyinField: true, InitialsField: true,
}

// UnitsField is the envelope field Doc.Units. Queries may filter on it by
// value and count it as a facet, like a Keyword field of the schema.
const UnitsField = "units"

// TypeOf returns the type of a field a query may filter or facet on: a
// schema field, or UnitsField (Keyword).
func TypeOf(schema Schema, name string) (FieldType, bool) {
	if name == UnitsField {
		return Keyword, true
	}
	t, ok := schema[name]
	return t, ok
}

// CheckSchema refuses reserved, malformed or untyped field names.
func CheckSchema(s Schema) error {
	for name, t := range s {
		if !fieldPattern.MatchString(name) || reserved[name] {
			return fmt.Errorf("schema: field name %q is not allowed", name)
		}
		if t < Keyword || t > Text {
			return fmt.Errorf("schema: field %q has unknown type %d", name, t)
		}
	}
	return nil
}

func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadQuery}, args...)...)
}

// NormalizeDoc checks d against the schema and returns a copy whose Fields
// hold exactly the types Search gives back: Keyword string (one value) or
// []string (several), Number float64, Date time.Time (UTC, whole seconds),
// Text string. Empty values are dropped, so they count as missing.
func NormalizeDoc(schema Schema, d Doc) (Doc, error) {
	if !kindPattern.MatchString(d.Kind) {
		return d, badQuery("doc kind %q is not [A-Za-z0-9_-]{1,64}", d.Kind)
	}
	if !IDPattern.MatchString(d.ID) {
		return d, badQuery("doc id %q is not [A-Za-z0-9_-]{1,100}", d.ID)
	}
	out := d
	out.Title, out.Body = validUTF8(d.Title), validUTF8(d.Body)
	out.Units = cleanStrings(d.Units)
	out.Fields = make(map[string]any, len(d.Fields))
	for name, v := range d.Fields {
		t, ok := schema[name]
		if !ok {
			return d, badQuery("doc %s/%s: unknown field %q", d.Kind, d.ID, name)
		}
		nv, err := normalizeValue(t, v)
		if err != nil {
			return d, badQuery("doc %s/%s: field %q: %v", d.Kind, d.ID, name, err)
		}
		if nv != nil {
			out.Fields[name] = nv
		}
	}
	return out, nil
}

// normalizeValue returns nil for an empty value.
func normalizeValue(t FieldType, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case Keyword:
		var vals []string
		switch x := v.(type) {
		case string:
			vals = []string{x}
		case []string:
			vals = x
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("keyword value %v (%T) is not a string", e, e)
				}
				vals = append(vals, s)
			}
		default:
			return nil, fmt.Errorf("keyword value has type %T, want string or []string", v)
		}
		vals = cleanStrings(vals)
		switch len(vals) {
		case 0:
			return nil, nil
		case 1:
			return vals[0], nil
		}
		return vals, nil
	case Number:
		f, err := toFloat(v)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %v is not finite", f)
		}
		return f, nil
	case Date:
		var tm time.Time
		switch x := v.(type) {
		case time.Time:
			tm = x
		case *time.Time:
			if x == nil {
				return nil, nil
			}
			tm = *x
		default:
			return nil, fmt.Errorf("date value has type %T, want time.Time", v)
		}
		if tm.IsZero() {
			return nil, nil
		}
		tm = tm.UTC().Truncate(time.Second)
		// Bleve stores dates as int64 nanoseconds.
		if tm.Year() < 1678 || tm.Year() > 2261 {
			return nil, fmt.Errorf("date %s is outside 1678..2261", tm.Format(time.RFC3339))
		}
		return tm, nil
	case Text:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("text value has type %T, want string", v)
		}
		if s == "" {
			return nil, nil
		}
		return validUTF8(s), nil
	}
	return nil, fmt.Errorf("unknown field type %d", t)
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int8:
		return float64(x), nil
	case int16:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint:
		return float64(x), nil
	case uint8:
		return float64(x), nil
	case uint16:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case json.Number:
		return x.Float64()
	}
	return 0, fmt.Errorf("number value has type %T, want float64 or int", v)
}

// validUTF8 replaces invalid bytes with U+FFFD, as JSON encoding would, so
// that both engines store and compare the same text.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// cleanStrings drops empty and repeated values, keeping the first order, and
// makes each valid UTF-8.
func cleanStrings(in []string) []string {
	var out []string
	for _, s := range in {
		s = validUTF8(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// CheckQuery validates q against the schema and returns it with Limit and
// the filter lists normalised.
func CheckQuery(schema Schema, q Query) (Query, error) {
	if q.Offset < 0 {
		return q, badQuery("negative offset %d", q.Offset)
	}
	if q.Limit <= 0 {
		q.Limit = defaultLimit
	}
	if q.Limit > maxLimit {
		q.Limit = maxLimit
	}
	for _, k := range q.Kinds {
		if !kindPattern.MatchString(k) {
			return q, badQuery("kind %q is not [A-Za-z0-9_-]{1,64}", k)
		}
	}
	q.Text = validUTF8(q.Text)
	q.Scope.Units = cleanStrings(q.Scope.Units)
	filters := make([]Filter, len(q.Filters))
	for i, f := range q.Filters {
		t, ok := TypeOf(schema, f.Field)
		if !ok {
			return q, badQuery("filter on unknown field %q", f.Field)
		}
		if f.Field == UnitsField && f.Missing {
			return q, badQuery("filter on %q cannot ask for missing values", f.Field)
		}
		f.Values = cleanStrings(f.Values)
		hasRange := f.Min != nil || f.Max != nil || !f.From.IsZero() || !f.To.IsZero()
		switch t {
		case Keyword:
			if hasRange {
				return q, badQuery("filter on keyword field %q takes values, not a range", f.Field)
			}
			if len(f.Values) == 0 && !f.Missing {
				return q, badQuery("filter on %q has no values", f.Field)
			}
		case Number:
			if len(f.Values) > 0 || !f.From.IsZero() || !f.To.IsZero() {
				return q, badQuery("filter on number field %q takes Min/Max", f.Field)
			}
			if f.Min == nil && f.Max == nil && !f.Missing {
				return q, badQuery("filter on %q has no bound", f.Field)
			}
			for _, p := range []*float64{f.Min, f.Max} {
				if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
					return q, badQuery("filter on %q has a bound that is not finite", f.Field)
				}
			}
			if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
				return q, badQuery("filter on %q: min %v > max %v", f.Field, *f.Min, *f.Max)
			}
		case Date:
			if len(f.Values) > 0 || f.Min != nil || f.Max != nil {
				return q, badQuery("filter on date field %q takes From/To", f.Field)
			}
			if f.From.IsZero() && f.To.IsZero() && !f.Missing {
				return q, badQuery("filter on %q has no bound", f.Field)
			}
			if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
				return q, badQuery("filter on %q: from %s is not before to %s", f.Field,
					f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
			}
		default:
			return q, badQuery("field %q is full text, not filterable", f.Field)
		}
		filters[i] = f
	}
	q.Filters = filters
	for _, name := range q.Facets {
		if t, _ := TypeOf(schema, name); t != Keyword {
			return q, badQuery("facet on %q: not a keyword field of the schema", name)
		}
	}
	for _, name := range q.Sums {
		if schema[name] != Number {
			return q, badQuery("sum of %q: not a number field of the schema", name)
		}
	}
	if q.GroupBy != "" && schema[q.GroupBy] != Keyword {
		return q, badQuery("group by %q: not a keyword field of the schema", q.GroupBy)
	}
	for _, s := range q.Sort {
		switch schema[s.Field] {
		case Keyword, Number, Date:
		default:
			return q, badQuery("sort by %q: not a keyword, number or date field of the schema", s.Field)
		}
	}
	return q, nil
}

// EmptyResult is the answer for a query that matches nothing.
func EmptyResult(q Query) Result {
	res := Result{Hits: []Hit{}}
	if len(q.Facets) > 0 {
		res.Facets = make(map[string]map[string]int, len(q.Facets))
		for _, f := range q.Facets {
			res.Facets[f] = map[string]int{}
		}
	}
	if len(q.Sums) > 0 {
		res.Sums = make(map[string]map[string]float64, len(q.Sums))
		for _, f := range q.Sums {
			res.Sums[f] = map[string]float64{}
			if q.GroupBy == "" {
				res.Sums[f][""] = 0
			}
		}
	}
	return res
}

// DateBound turns a filter bound into whole seconds: stored dates are whole
// seconds, so d >= t and d < t are the same as d >= ceil(t) and d < ceil(t).
func DateBound(t time.Time) time.Time {
	t = t.UTC()
	if c := t.Truncate(time.Second); !c.Equal(t) {
		return c.Add(time.Second)
	}
	return t
}

// summer accumulates sums with Neumaier compensation so that the result does
// not depend on the order in which records are visited.
type summer struct{ sum, c float64 }

func (s *summer) add(x float64) {
	t := s.sum + x
	if math.Abs(s.sum) >= math.Abs(x) {
		s.c += (s.sum - t) + x
	} else {
		s.c += (x - t) + s.sum
	}
	s.sum = t
}

func (s *summer) value() float64 { return s.sum + s.c }

// Sums collects Query.Sums over visited records.
type Sums struct {
	fields  []string
	grouped bool
	acc     map[string]map[string]*summer
}

// NewSums starts the sums a query asks for.
func NewSums(q Query) *Sums {
	s := &Sums{fields: q.Sums, grouped: q.GroupBy != "", acc: map[string]map[string]*summer{}}
	for _, f := range q.Sums {
		s.acc[f] = map[string]*summer{}
	}
	return s
}

// Add records one matching record: its group values (none → group "") and
// the values of the summed fields it has.
func (s *Sums) Add(groups []string, values map[string]float64) {
	if !s.grouped || len(groups) == 0 {
		groups = []string{""}
	}
	for _, f := range s.fields {
		v, ok := values[f]
		for _, g := range groups {
			a := s.acc[f][g]
			if a == nil {
				a = &summer{}
				s.acc[f][g] = a
			}
			if ok {
				a.add(v)
			}
		}
	}
}

func (s *Sums) Result() map[string]map[string]float64 {
	out := make(map[string]map[string]float64, len(s.fields))
	for _, f := range s.fields {
		m := make(map[string]float64, len(s.acc[f]))
		for g, a := range s.acc[f] {
			m[g] = a.value()
		}
		if !s.grouped {
			m[""] += 0
		}
		out[f] = m
	}
	return out
}
