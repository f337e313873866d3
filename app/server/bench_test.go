package server_test

import (
	"context"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"zhaoshang/app/testapp"
)

// BenchmarkPipelinePages drives the real HTTP handlers (embedded store and
// index, demo data at ZS_BENCH_SCALE, default 1) and reports p50/p95 per
// page in ms. Run through bench/pipeline.sh.
func BenchmarkPipelinePages(b *testing.B) {
	scale := 1
	if s, err := strconv.Atoi(os.Getenv("ZS_BENCH_SCALE")); err == nil && s > 0 {
		scale = s
	}
	a := testapp.Start(b)
	start := time.Now()
	if _, err := a.P.SeedDemo(context.Background(), scale, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded demo scale %d in %.1f s", scale, time.Since(start).Seconds())
	admin := a.Admin(b)
	officer := a.Client(b).Login("gxq_gu", "Demo@2025")
	cases := []struct {
		name string
		c    *testapp.Client
		url  string
	}{
		{"list_admin", admin, "/projects?reset=1"},
		{"list_filtered", admin, "/projects?stage=attract&industry=" + urlq("新能源") + "&sort=-investment"},
		{"list_page50", admin, "/projects?page=50"},
		{"list_officer", officer, "/projects?reset=1"},
		{"kanban_admin", admin, "/projects/board?reset=1"},
		{"kanban_officer", officer, "/projects/board?reset=1"},
		{"api_list", admin, "/api/v1/projects?stage=process&per_page=50"},
		{"project_page", admin, "/projects/p-000100"},
	}
	for _, cs := range cases {
		b.Run(cs.name, func(b *testing.B) {
			lat := make([]float64, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				st, body := cs.c.Do("GET", cs.url, nil, nil)
				lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				if st != 200 {
					b.Fatalf("%s: %d %.200s", cs.url, st, body)
				}
			}
			sort.Float64s(lat)
			b.ReportMetric(lat[len(lat)/2], "p50_ms")
			b.ReportMetric(lat[(len(lat)*95)/100], "p95_ms")
		})
	}
}
