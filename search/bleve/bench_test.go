package bleve

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

// BenchmarkSearch indexes ZS_BENCH_DOCS (default 20000) project-like records
// and reports indexing docs/s and the p50/p95 latency of typical list queries:
//
//	ZS_BENCH_DOCS=100000 go test ./search/bleve -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("ZS_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	x, err := Open(b.TempDir(), enginetest.Schema)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	docs := bigDocs(n, 11)
	start := time.Now()
	for i := 0; i < len(docs); i += 1000 {
		if err := x.Index(ctx, docs[i:min(i+1000, len(docs))]...); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(n) / time.Since(start).Seconds()

	scope := search.Scope{Units: []string{"u1", "u2", "u3", "u4", "u5"}}
	kinds := []string{"projects"}
	facets := []string{"stage", "industry", "zone"}
	newest := []search.Sort{{Field: "created", Desc: true}}
	cases := []struct {
		name string
		q    search.Query
	}{
		{"filter_scope_sort", search.Query{Kinds: kinds, Scope: scope, Filters: []search.Filter{{Field: "stage", Values: []string{"push", "attract"}}},
			Sort: newest, Limit: 50}},
		{"filter_scope_sort_facets", search.Query{Kinds: kinds, Scope: scope, Filters: []search.Filter{{Field: "stage", Values: []string{"push", "attract"}}},
			Sort: newest, Limit: 50, Facets: facets}},
		{"cjk_text_facets", search.Query{Kinds: kinds, Scope: scope, Text: "智能装备", Limit: 20, Facets: facets, Highlight: true}},
		{"match_all_facets", search.Query{Scope: search.Scope{All: true}, Limit: 50, Facets: facets, Sort: newest}},
		{"sums_by_stage_all", search.Query{Scope: search.Scope{All: true}, Limit: 1, Sums: []string{"amount"}, GroupBy: "stage"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			total := 0
			for b.Loop() {
				t0 := time.Now()
				res, err := x.Search(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				total = res.Total
			}
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(rate, "index-docs/s")
			b.ReportMetric(float64(total), "hits")
		})
	}
}
