package search_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

// FuzzCheckQuery builds queries from arbitrary parts (text, one filter with
// any field, values, bounds and missing flag, paging, a facet and a sort)
// and checks the validator both engines share: it refuses only with
// ErrBadQuery, and what it accepts is normalised (valid UTF-8, no empty or
// repeated values, finite ordered bounds, bounded page) and stays the same
// when checked again.
func FuzzCheckQuery(f *testing.F) {
	f.Add("智能装备", "stage", "push|attract", 0.0, 0.0, int64(0), int64(0), uint8(0), 0, 20, "industry", "created")
	f.Add("", "amount", "", 100.0, 50.0, int64(0), int64(0), uint8(3), 0, 0, "stage", "amount")
	f.Add("x", "created", "", 0.0, 0.0, int64(1700000000), int64(1600000000), uint8(12), 10, 5000, "zone", "title")
	f.Add("\xff", "zone", "\xff|\xfe|花桥|花桥|", 0.0, 0.0, int64(0), int64(0), uint8(16), -1, 1, "units", "zone")
	f.Add("a", "units", "u1", 0.0, 0.0, int64(0), int64(0), uint8(16), 0, 0, "amount", "")
	f.Add("a", "contact", "张伟", math.NaN(), math.Inf(1), int64(0), int64(0), uint8(3), 0, 0, "contact", "contact")
	f.Fuzz(func(t *testing.T, text, field, values string, min, max float64, from, to int64, flags uint8, offset, limit int,
		facet, sort string) {
		flt := search.Filter{Field: field, Missing: flags&16 != 0}
		if values != "" {
			flt.Values = strings.Split(values, "|")
		}
		if flags&1 != 0 {
			flt.Min = &min
		}
		if flags&2 != 0 {
			flt.Max = &max
		}
		if flags&4 != 0 {
			flt.From = time.Unix(from%(1<<40), 0).UTC()
		}
		if flags&8 != 0 {
			flt.To = time.Unix(to%(1<<40), 0).UTC()
		}
		q := search.Query{Text: text, Filters: []search.Filter{flt}, Offset: offset, Limit: limit,
			Scope: search.Scope{Units: []string{values}}}
		if facet != "" {
			q.Facets = []string{facet}
		}
		if sort != "" {
			q.Sort = []search.Sort{{Field: sort}}
		}
		out, err := search.CheckQuery(enginetest.Schema, q)
		if err != nil {
			if !errors.Is(err, search.ErrBadQuery) {
				t.Fatalf("error %v is not ErrBadQuery", err)
			}
			return
		}
		if out.Limit < 1 || out.Limit > 1000 || out.Offset < 0 || !utf8.ValidString(out.Text) {
			t.Fatalf("accepted limit %d offset %d text %q", out.Limit, out.Offset, out.Text)
		}
		for _, u := range out.Scope.Units {
			if u == "" || !utf8.ValidString(u) {
				t.Fatalf("accepted unit %q", u)
			}
		}
		for _, fl := range out.Filters {
			seen := map[string]bool{}
			for _, v := range fl.Values {
				if v == "" || !utf8.ValidString(v) || seen[v] {
					t.Fatalf("filter %s: accepted value %q of %q", fl.Field, v, fl.Values)
				}
				seen[v] = true
			}
			for _, p := range []*float64{fl.Min, fl.Max} {
				if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
					t.Fatalf("filter %s: accepted bound %v", fl.Field, *p)
				}
			}
			if fl.Min != nil && fl.Max != nil && *fl.Min > *fl.Max {
				t.Fatalf("filter %s: accepted min %v > max %v", fl.Field, *fl.Min, *fl.Max)
			}
			if len(fl.Values) == 0 && fl.Min == nil && fl.Max == nil && fl.From.IsZero() && fl.To.IsZero() && !fl.Missing {
				t.Fatalf("filter %s: accepted with no condition", fl.Field)
			}
		}
		again, err := search.CheckQuery(enginetest.Schema, out)
		if err != nil || !reflect.DeepEqual(out, again) {
			t.Fatalf("not stable: %+v\nthen %+v (%v)", out, again, err)
		}
	})
}
