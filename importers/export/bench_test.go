package export_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/app/testapp"
	"zhaoshang/bench/procstat"
	"zhaoshang/importers/export"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

// benchRows is the export target: 100,000 rows in under 10 s.
const benchRows = 100_000

var benchUnits = []string{"kfq", "gxq", "zzfd", "kjj"}

// benchProject builds the i-th project-like record (deterministic).
func benchProject(i int) *projects.Project {
	return &projects.Project{
		Meta: core.Meta{ID: fmt.Sprintf("bench%07d", i), Version: int64(1 + i%5),
			CreatedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)},
		Name: fmt.Sprintf("昆山智能制造项目%06d", i), Type: projects.Types[i%3], Industry: "新材料", Zone: "玉山镇",
		Unit: benchUnits[i%len(benchUnits)], Officer: "kfq_li", Stage: projects.Stages[i%6],
		Enterprise: "昆山瀚宇新材料科技有限公司", CreditCode: "91320583MA1N0K3X2T",
		Contacts:   []projects.Contact{{Name: "王经理", Phone: "13800000000"}},
		Investment: float64(i%5000) + 0.5, Summary: "新建智能制造产线，年产高性能复合材料 2 万吨",
		Milestones: projects.Milestones{Signed: core.NewDate(2024, 3, 5).AddDays(i % 300)},
	}
}

// peakRSS and rss return this process's peak and current resident set in MB.
func peakRSS() float64 { _, p := procstat.Memory(0); return p }
func rss() float64     { r, _ := procstat.Memory(0); return r }

// resetPeakRSS restarts VmHWM (Linux: "5" to clear_refs), so that a peak
// measures the step that follows, not the seeding before it.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkWrite100k writes 100,000 project rows (15 columns plus the
// hidden id and version) with the StreamWriter to a temp file; the rows are
// generated one at a time, as a collection scan yields them.
func BenchmarkWrite100k(b *testing.B) {
	sheet := projects.ExportSheet(func(u string) string { return "开发区招商局" + u })
	resetPeakRSS()
	var size int64
	start := time.Now()
	for range b.N {
		f, err := os.CreateTemp(b.TempDir(), "bench-*.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		n, err := export.Write(f, sheet, func(fn func(*projects.Project) error) error {
			for i := range benchRows {
				if err := fn(benchProject(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || n != benchRows {
			b.Fatalf("Write = %d, %v", n, err)
		}
		size, _ = f.Seek(0, io.SeekEnd)
		f.Close()
	}
	sec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(benchRows/sec, "rows/s")
	b.ReportMetric(sec, "s/100k")
	b.ReportMetric(peakRSS(), "peakRSS_MB")
	b.ReportMetric(float64(size)/1e6, "file_MB")
}

// BenchmarkExportEndToEnd seeds 100,000 projects into the embedded store and
// engine (ZS_BENCH_EXPORT=1 only: seeding takes about a minute) and then
// times GET /projects/export.xlsx through the real server: everything, a
// stage (a sixth), an officer's units (a quarter) and one record, all read
// from the records the engine keeps (core.Repo.EachKept). The floors
// printed first: the store's collection scan (what exports cost before)
// and the engine's id walk.
func BenchmarkExportEndToEnd(b *testing.B) {
	if os.Getenv("ZS_BENCH_EXPORT") == "" {
		b.Skip("set ZS_BENCH_EXPORT=1 (seeds 100,000 projects)")
	}
	n := benchRows
	if v, err := strconv.Atoi(os.Getenv("ZS_BENCH_EXPORT_ROWS")); err == nil && v > 0 {
		n = v
	}
	a := testapp.Start(b)
	ctx := context.Background()
	seedStart := time.Now()
	seed(b, ctx, a, n)
	b.Logf("seeded %d projects in %.1f s", n, time.Since(seedStart).Seconds())
	// Floors: the collection scan alone and the engine's id walk alone.
	b.Run("scan", func(b *testing.B) {
		start := time.Now()
		rows := 0
		for range b.N {
			rows = 0
			if err := a.P.Projects.Each(ctx, func(*projects.Project) error { rows++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		sec := time.Since(start).Seconds() / float64(b.N)
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(rows)/sec, "rows/s")
	})
	b.Run("ids", func(b *testing.B) {
		start := time.Now()
		rows := 0
		for range b.N {
			ids, err := search.MatchingIDs(ctx, a.P.Projects.Sync.Engine(), search.Query{Kinds: []string{projects.Kind},
				Scope: search.Scope{All: true}, Filters: []search.Filter{{Field: "stage", Values: []string{"attract"}}}})
			if err != nil {
				b.Fatal(err)
			}
			rows = len(ids)
		}
		sec := time.Since(start).Seconds() / float64(b.N)
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(rows)/sec, "rows/s")
	})
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_li", "李", "officer", []string{"kfq"}, pw); err != nil {
		b.Fatal(err)
	}
	admin, officer := a.Admin(b), a.Client(b).Login("kfq_li", pw)
	admin.HTTP.Timeout, officer.HTTP.Timeout = 20*time.Minute, 20*time.Minute // a loaded machine is slow
	for _, tc := range []struct {
		name string
		c    *testapp.Client
		url  string
	}{
		{"all", admin, "/projects/export.xlsx"},
		{"stage", admin, "/projects/export.xlsx?stage=attract"},
		{"officer", officer, "/projects/export.xlsx"},
		{"one", admin, "/projects/export.xlsx?q=" + url.QueryEscape("智能制造项目000042")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			runtime.GC()
			debug.FreeOSMemory()
			resetPeakRSS()
			base := rss()
			start := time.Now()
			rows := 0
			for range b.N {
				rows = fetch(b, tc.c, tc.url)
			}
			sec := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(sec, "s/op")
			b.ReportMetric(float64(rows)/sec, "rows/s")
			b.ReportMetric(peakRSS(), "peakRSS_MB")
			b.ReportMetric(base, "startRSS_MB")
		})
	}
}

// fetch downloads an export and returns its row count (X-Export-Rows):
// the body is only counted, so that the timing and the peak RSS are the
// server's, not a parse of the workbook.
func fetch(b *testing.B, c *testapp.Client, path string) int {
	req, err := http.NewRequest("GET", c.App.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != 200 || n == 0 {
		b.Fatalf("%s: %d, %d bytes, %v", path, resp.StatusCode, n, err)
	}
	rows, err := strconv.Atoi(resp.Header.Get("X-Export-Rows"))
	if err != nil {
		b.Fatalf("%s: no row count: %v", path, err)
	}
	return rows
}

// seed writes benchRows projects with plain driver InsertMany and engine
// batch indexing (the fastest way in; the importer is measured elsewhere).
func seed(b *testing.B, ctx context.Context, a *testapp.App, n int) {
	repo := a.P.Projects
	e := repo.Sync.Engine()
	const batch = 1000
	docs := make([]any, 0, batch)
	sdocs := make([]search.Doc, 0, batch)
	for i := range n {
		p := benchProject(i)
		docs, sdocs = append(docs, p), append(sdocs, repo.ToDoc(p))
		if len(docs) == batch || i == n-1 {
			if _, err := repo.C.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
				b.Fatal(err)
			}
			if err := e.Index(ctx, sdocs...); err != nil {
				b.Fatal(err)
			}
			docs, sdocs = docs[:0], sdocs[:0]
		}
	}
}
