package bleve

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

// FuzzTextQuery runs arbitrary user text (as typed in the search box, with
// and without as-you-type prefix matching) against the contract fixture:
// the text is never query syntax, so every input must answer without error,
// within the page size, with known records and HTML-safe, valid UTF-8
// highlights.
func FuzzTextQuery(f *testing.F) {
	x, err := Open(f.TempDir(), enginetest.Schema)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { x.Close() })
	known := map[string]bool{}
	docs := enginetest.Fixture()
	if err := x.Index(context.Background(), docs...); err != nil {
		f.Fatal(err)
	}
	for _, d := range docs {
		known[string(d.Kind)+"/"+d.ID] = true
	}
	for _, s := range []string{"智能装备", "新能源 项目", "kunshan", "ks", "IIoT", "iot plat", "<b>昆山</b>", `"精密" & 轴承`,
		"title:新能源", "+stage:push -zone:花桥", "新能源~2", "半导*", "/.*/", "\\", "", "   ", "昆", "2024", "a b c d e f g h",
		strings.Repeat("智能", 200), "\xff\xfe新能源", "新\x00能源"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, prefix bool) {
		res, err := x.Search(context.Background(), search.Query{Text: text, Prefix: prefix, Scope: search.Scope{All: true},
			Highlight: true, Facets: []string{"industry"}, Limit: 10})
		if err != nil {
			t.Fatalf("%q prefix=%v: %v", text, prefix, err)
		}
		if len(res.Hits) > 10 || res.Total < len(res.Hits) {
			t.Fatalf("%q: %d hits of total %d", text, len(res.Hits), res.Total)
		}
		for _, h := range res.Hits {
			if !known[string(h.Kind)+"/"+h.ID] {
				t.Fatalf("%q: unknown hit %s/%s", text, h.Kind, h.ID)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Highlight)
			if !utf8.ValidString(h.Highlight) || strings.ContainsAny(plain, "<>") {
				t.Fatalf("%q: highlight %q is not valid HTML-safe UTF-8", text, h.Highlight)
			}
		}
	})
}
