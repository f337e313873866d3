package batch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhaoshang/app/platform"
	"zhaoshang/app/testapp"
	"zhaoshang/bench/procstat"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
	"zhaoshang/search/bleve"
)

// writeBig writes an n-row projects ledger the way a 区镇 team would: a
// title row, a header, text amounts and dates, a few bad rows.
func writeBig(b *testing.B, path string, n int) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	zones := []string{"张浦镇", "周市镇", "陆家镇", "千灯镇"}
	inds := []string{"新智造", "新能源", "新材料", "新医疗"}
	stages := []string{"在谈", "资源搜索", "推送", "洽谈中"}
	sw.SetRow("A1", []any{"2025年科技招商项目台账（压力测试）"})
	sw.SetRow("A2", []any{"序号", "项目名称", "项目类型", "投资方", "联系人", "手机", "总投资（万元）", "所属区镇", "阶段", "签约时间", "所属行业", "项目简介"})
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		date := fmt.Sprintf("2025年%d月%d日", i%12+1, i%28+1)
		if i%997 == 0 {
			date = "2025-02-30" // rejected
		}
		row := []any{i + 1, fmt.Sprintf("压测项目%06d", i), "产业", fmt.Sprintf("昆山某某%04d科技有限公司", i%5000),
			"张三", fmt.Sprintf("138%08d", i), fmt.Sprintf("%d,%03d", i%90+1, i%1000), zones[i%4], stages[i%4], date,
			inds[i%4], "年产智能装备项目，建设生产线与研发中心"}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// peak is this process's peak RSS in MB (the embedded store and engine
// run in it, as in production).
func peak() float64 { _, p := procstat.Memory(0); return p }

// traceMemory prints, every two seconds while an import runs and only with
// ZS_BENCH_TRACE set, the resident memory by kind and the Go heap: where
// the peak comes from.
func traceMemory(start time.Time) (stop func()) {
	if os.Getenv("ZS_BENCH_TRACE") == "" {
		return func() {}
	}
	done := make(chan struct{})
	top := 0.0
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				anon, file := procstat.Kinds(0)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Printf("trace %5.1f s: anon %4.0f MB, file %4.0f MB, heap in use %4.0f MB, heap sys %4.0f MB, next GC %4.0f MB\n",
					time.Since(start).Seconds(), anon, file, float64(ms.HeapInuse)/1e6, float64(ms.HeapSys-ms.HeapReleased)/1e6, float64(ms.NextGC)/1e6)
				if path := os.Getenv("ZS_BENCH_PEAKHEAP"); path != "" && anon+file > top {
					top = anon + file
					if f, err := os.Create(path); err == nil {
						pprof.WriteHeapProfile(f)
						f.Close()
					}
				}
			}
		}
	}()
	return func() { close(done) }
}

func openBook(b *testing.B, path string) *sheet.Book {
	fh, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { fh.Close() })
	st, _ := fh.Stat()
	bk, err := sheet.Open(filepath.Base(path), fh, st.Size(), sheet.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bk.Close() })
	return bk
}

// BenchmarkImport measures a ZS_BENCH_ROWS-row (default 100,000) projects
// import on the embedded store: dry run, then commit; then the floor of the
// same writes — a plain driver InsertMany of the same documents plus a
// plain engine batch index of them — and prints the ratio (issue 5: under
// 60 s, peak RSS under 300 MB, aim within 1.5× of the floor).
func BenchmarkImport(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ZS_BENCH_ROWS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "big.xlsx")
	t0 := time.Now()
	writeBig(b, path, n)
	fmt.Printf("ledger: %d rows written in %.1f s\n", n, time.Since(t0).Seconds())
	runtime.GC()

	for range b.N {
		a := testapp.Start(b)
		ctx := context.Background()
		req := batch.Request{Kind: "projects", File: "big.xlsx", Actor: core.Actor{User: "bench"},
			Scope: core.AllUnits, Unit: "zs-zp"}

		b.ResetTimer()
		start := time.Now()
		stopTrace := traceMemory(start)
		req.Book, req.DryRun = openBook(b, path), true
		pre, err := a.P.Imports.Run(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		dry := time.Since(start)
		req.Book, req.DryRun = openBook(b, path), false
		c0 := time.Now()
		rep, err := a.P.Imports.Run(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		commit := time.Since(c0)
		total := time.Since(start)
		b.StopTimer()
		stopTrace()
		if pre.Created != rep.Created || rep.Created+rep.Rejected != n {
			b.Fatalf("preview %d created, commit %d created + %d rejected of %d", pre.Created, rep.Created, rep.Rejected, n)
		}

		importPeak := peak()
		anon, file := procstat.Kinds(0)
		fmt.Printf("after the import: resident %.0f MB anonymous (Go heap, stacks, SQLite cache) + %.0f MB file-backed (mapped index segments, binary)\n", anon, file)
		if path := os.Getenv("ZS_BENCH_HEAP"); path != "" {
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			pprof.WriteHeapProfile(f)
			f.Close()
		}

		// The floor: the same documents, written by the plain driver and
		// indexed by a plain engine batch, in this process and store;
		// only the InsertMany and Index calls are timed.
		schema, err := platform.Schema()
		if err != nil {
			b.Fatal(err)
		}
		ix, err := bleve.Open(filepath.Join(b.TempDir(), "floor-index"), schema)
		if err != nil {
			b.Fatal(err)
		}
		floorColl := a.P.Store.DB.Collection("bench_floor")
		var insertFloor, indexFloor time.Duration
		var docs []any
		var sdocs []search.Doc
		flush := func() {
			if len(docs) == 0 {
				return
			}
			t0 := time.Now()
			if _, err := floorColl.InsertMany(ctx, docs); err != nil {
				b.Fatal(err)
			}
			insertFloor += time.Since(t0)
			t0 = time.Now()
			if err := ix.Index(ctx, sdocs...); err != nil {
				b.Fatal(err)
			}
			indexFloor += time.Since(t0)
			docs, sdocs = docs[:0], sdocs[:0]
		}
		if err := a.P.Projects.Each(ctx, func(p *projects.Project) error {
			docs = append(docs, p)
			sdocs = append(sdocs, a.P.Projects.ToDoc(p))
			if len(docs) == 1000 {
				flush()
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		flush()
		ix.Close()
		floor := insertFloor + indexFloor
		fmt.Printf("import: %d rows (%d created, %d rejected): dry run %.1f s, commit %.1f s, total %.1f s, %.0f rows/s\n",
			n, rep.Created, rep.Rejected, dry.Seconds(), commit.Seconds(), total.Seconds(), float64(n)/total.Seconds())
		fmt.Printf("floor: InsertMany %.1f s + engine batch index %.1f s = %.1f s; commit/floor %.2f×, (dry run + commit)/floor %.2f×\n",
			insertFloor.Seconds(), indexFloor.Seconds(), floor.Seconds(), commit.Seconds()/floor.Seconds(), total.Seconds()/floor.Seconds())
		fmt.Printf("peak RSS %.0f MB during the import (whole process: embedded store, engine, importer); %.0f MB after the floor run\n", importPeak, peak())
		b.ReportMetric(float64(n)/total.Seconds(), "rows/s")
		b.ReportMetric(total.Seconds()/floor.Seconds(), "x-floor")
		a.Stop()
	}
}
