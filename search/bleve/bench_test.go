package bleve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

// benchDocs is ZS_BENCH_DOCS when it is a positive number, else def.
func benchDocs(def int) int {
	if v, err := strconv.Atoi(os.Getenv("ZS_BENCH_DOCS")); err == nil && v > 0 {
		return v
	}
	return def
}

// benchIndex opens an index in a temporary folder, closed when the
// benchmark ends, and indexes docs in batches of 1000; took is the time the
// indexing took.
func benchIndex(b *testing.B, docs []search.Doc) (x *Index, took time.Duration) {
	b.Helper()
	x, err := Open(b.TempDir(), enginetest.Schema)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { x.Close() })
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < len(docs); i += 1000 {
		if err := x.Index(ctx, docs[i:min(i+1000, len(docs))]...); err != nil {
			b.Fatal(err)
		}
	}
	return x, time.Since(start)
}

// timedSearches runs q once per benchmark iteration: each run's latency
// and the last run's total.
func timedSearches(b *testing.B, x *Index, q search.Query) (lat []time.Duration, total int) {
	b.Helper()
	ctx := context.Background()
	for b.Loop() {
		t0 := time.Now()
		res, err := x.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		total = res.Total
	}
	return lat, total
}

// reportLatency sorts lat and reports its p50 and p95 in milliseconds.
func reportLatency(b *testing.B, lat []time.Duration) {
	b.Helper()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// BenchmarkSearch indexes ZS_BENCH_DOCS (default 20000) project-like records
// and reports indexing docs/s and the p50/p95 latency of typical list queries:
//
//	ZS_BENCH_DOCS=100000 go test ./search/bleve -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	n := benchDocs(20000)
	x, took := benchIndex(b, bigDocs(n, 11))
	rate := float64(n) / took.Seconds()

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
		{"global_search_text_4facets", search.Query{Scope: scope, Text: "智能装备", Limit: 20, Highlight: true,
			Facets: []string{"stage", "industry", "zone", search.UnitsField}}},
		{"match_all_facets", search.Query{Scope: search.Scope{All: true}, Limit: 50, Facets: facets, Sort: newest}},
		{"sums_by_stage_all", search.Query{Scope: search.Scope{All: true}, Limit: 1, Sums: []string{"amount"}, GroupBy: "stage"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			lat, total := timedSearches(b, x, c.q)
			reportLatency(b, lat)
			b.ReportMetric(rate, "index-docs/s")
			b.ReportMetric(float64(total), "hits")
		})
	}
}

// BenchmarkSuggest indexes ZS_BENCH_DOCS (default 10000) records with varied
// Chinese and Latin names and reports the p50/p95 latency of as-you-type
// queries (Prefix, TitleOnly, 8 hits, an officer's scope): Chinese, Latin and pinyin
// prefixes, initials and a typo. The target is p95 under 100 ms:
//
//	go test ./search/bleve -run '^$' -bench Suggest -benchtime 200x
func BenchmarkSuggest(b *testing.B) {
	n := benchDocs(10000)
	x, _ := benchIndex(b, nameDocs(n, 5))
	scope := search.Scope{Units: []string{"u1", "u2", "u3"}}
	var all []time.Duration
	for _, text := range []string{"苏", "苏州", "苏州某", "智能装备", "z", "zh", "zhi", "zho", "zhin", "zhineng", "znzb", "sz", "kun", "sie",
		"Siemans", "robo", "Tech"} {
		b.Run(text, func(b *testing.B) {
			lat, total := timedSearches(b, x, search.Query{Text: text, Prefix: true, TitleOnly: true, Scope: scope, Limit: 8})
			all = append(all, lat...)
			reportLatency(b, lat)
			b.ReportMetric(float64(total), "hits")
		})
	}
	if len(all) > 0 {
		slices.Sort(all)
		b.Logf("suggest over %d docs: p95 of all queries %.1f ms (max %.1f ms)", n,
			float64(all[int(0.95*float64(len(all)))].Microseconds())/1000, float64(all[len(all)-1].Microseconds())/1000)
	}
}

// nameDocs are enterprise-like records with varied names: a place, two
// characters from a pool, an industry word and a company suffix; one in ten
// carries a Latin brand, four in ten are long project-like titles and one in
// ten a person's name.
func nameDocs(n int, seed uint64) []search.Doc {
	r := rand.New(rand.NewPCG(seed, 2))
	pool := []rune("华中国天海科创新宏达盛源恒泰信德安和瑞丰明光金鑫晶博远东方长江苏州昆山嘉兴锦程立讯富士康精工微纳睿智云图星辰汇通联众" +
		"鼎力卓越合力飞越腾龙启明凯普润生康宁永安佳禾众诚万达同舟海纳晨曦朗润思源")
	places := []string{"昆山", "苏州", "上海", "南京", "无锡", "杭州", "深圳", "合肥"}
	things := []string{"智能装备", "新能源", "生物医药", "电子信息", "新材料", "精密机械", "半导体", "软件", "光电", "汽车零部件"}
	suffix := []string{"有限公司", "科技有限公司", "股份有限公司", "研究院", "项目"}
	brands := []string{"Siemens", "Bosch", "Philips", "Robotics", "TechLab", "Nano", "Quantum", "Vision", "Omron", "Schneider"}
	docs := make([]search.Doc, n)
	for i := range docs {
		name := places[r.IntN(len(places))] + string(pool[r.IntN(len(pool))]) + string(pool[r.IntN(len(pool))]) +
			things[r.IntN(len(things))] + suffix[r.IntN(len(suffix))]
		switch r.IntN(10) {
		case 0:
			name = brands[r.IntN(len(brands))] + " " + name
		case 1, 2, 3: // project- and policy-like long titles
			name += things[r.IntN(len(things))] + string(pool[r.IntN(len(pool))]) + string(pool[r.IntN(len(pool))]) +
				"产线建设及研发中心扩产项目"
		case 4: // people
			name = string(pool[r.IntN(len(pool))]) + string(pool[r.IntN(len(pool))]) + string(pool[r.IntN(len(pool))])
		}
		docs[i] = search.Doc{
			Kind:    []string{"projects", "enterprises", "events"}[r.IntN(3)],
			ID:      fmt.Sprintf("n%06d", i),
			Version: 1,
			Units:   []string{fmt.Sprintf("u%d", r.IntN(20))},
			Title:   name,
			Body:    "简介：" + things[r.IntN(len(things))] + "，" + things[r.IntN(len(things))] + "。",
			Fields:  map[string]any{"industry": things[r.IntN(len(things))], "contact": string(pool[r.IntN(len(pool))]) + "经理"},
		}
	}
	return docs
}
