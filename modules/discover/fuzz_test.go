package discover_test

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"zhaoshang/modules/core"
	"zhaoshang/modules/discover"
)

// FuzzParseQuery feeds arbitrary query strings to the search API's parser:
// it must not panic, must name an offending parameter when it refuses, and
// must only accept a query that the engine may run as is.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "q=智能装备", "q=x&industry=a&industry=b&kind=talents,projects&page=2",
		"q=%E6%99%BA&kind=&page=&per_page=100", "page=51", "per_page=0", "kind=widgets", "colour=red",
		"q=" + strings.Repeat("智", 201), "q=+a+&zone=+&zone=花桥&zone=花桥", "unit=kfq&year=2024&stage=push&level=A",
		"q=%ff%fe", "page=10&per_page=100", "page=9999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, _ := url.ParseQuery(raw) // keeps what parses, like the server's query args
		q, err := discover.ParseQuery(vals)
		if err != nil {
			fe, ok := core.AsFieldError(err)
			if !ok {
				t.Fatalf("%q: error %v is not a field error", raw, err)
			}
			if _, named := vals[fe.Field]; !named {
				t.Fatalf("%q: error names %q, which is not a parameter (%v)", raw, fe.Field, err)
			}
			return
		}
		if q.Page < 1 || q.PerPage < 1 || q.PerPage > discover.MaxPerPage || q.Page*q.PerPage > discover.MaxWindow {
			t.Fatalf("%q: accepted page %d per_page %d", raw, q.Page, q.PerPage)
		}
		if utf8.RuneCountInString(q.Text) > discover.MaxText || q.Text != strings.TrimSpace(q.Text) {
			t.Fatalf("%q: accepted text %q", raw, q.Text)
		}
		if !slices.IsSorted(q.Kinds) || len(slices.Compact(slices.Clone(q.Kinds))) != len(q.Kinds) {
			t.Fatalf("%q: kinds %v not sorted and unique", raw, q.Kinds)
		}
		for _, k := range q.Kinds {
			if _, ok := discover.KindLabels[k]; !ok {
				t.Fatalf("%q: unknown kind %q accepted", raw, k)
			}
		}
		for field, vs := range q.Filters {
			if !slices.Contains(discover.Facets, field) || len(vs) == 0 {
				t.Fatalf("%q: filter %q %v accepted", raw, field, vs)
			}
			for i, v := range vs {
				if v == "" || v != strings.TrimSpace(v) || slices.Index(vs, v) != i || utf8.RuneCountInString(v) > discover.MaxText {
					t.Fatalf("%q: filter %s value %q accepted", raw, field, v)
				}
			}
		}
		again, err := discover.ParseQuery(vals)
		if err != nil || !reflect.DeepEqual(q, again) {
			t.Fatalf("%q: second parse differs: %+v / %+v (%v)", raw, q, again, err)
		}
	})
}
