// Package schematest holds the checks every module's tests make of its
// search documents against its search schema (like net/http/httptest, a
// package for tests).
package schematest

import (
	"testing"
	"time"

	"zhaoshang/search"
)

// CheckDoc fails t for every field of d that schema does not declare or
// whose value is not of the declared type: a Keyword holds a string or
// []string, a Text a string, a Number a float64 or int, a Date a time.Time.
func CheckDoc(t testing.TB, schema search.Schema, d search.Doc) {
	t.Helper()
	for name, v := range d.Fields {
		typ, ok := schema[name]
		if !ok {
			t.Errorf("%s: field %q is not in SearchSchema", d.Kind, name)
			continue
		}
		switch v.(type) {
		case string:
			ok = typ == search.Keyword || typ == search.Text
		case []string:
			ok = typ == search.Keyword
		case float64, int:
			ok = typ == search.Number
		case time.Time:
			ok = typ == search.Date
		default:
			ok = false
		}
		if !ok {
			t.Errorf("%s: field %q holds %T, schema type %d", d.Kind, name, v, typ)
		}
	}
}

// Agrees fails t when schema uses a name the engine reserves for the
// envelope or declares a field of other with another type (kinds share
// one index, so a field name has one type across kinds).
func Agrees(t testing.TB, schema, other search.Schema) {
	t.Helper()
	if err := search.CheckSchema(schema); err != nil {
		t.Error(err)
	}
	for name, typ := range schema {
		if have, ok := other[name]; ok && have != typ {
			t.Errorf("field %q is type %d here, %d in the other kind", name, typ, have)
		}
	}
}
