package bleve

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

func openTest(t *testing.T, schema search.Schema) search.Engine {
	t.Helper()
	x, err := Open(t.TempDir(), schema)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestContract(t *testing.T) {
	enginetest.Run(t, openTest)
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	x, err := Open(dir, enginetest.Schema)
	if err != nil {
		t.Fatal(err)
	}
	docs := enginetest.Fixture()
	if err := x.Index(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := x.Search(ctx, search.Query{Scope: search.Scope{All: true}}); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("Search after Close: %v, want ErrUnavailable", err)
	}
	if err := x.Health(ctx); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("Health after Close: %v, want ErrUnavailable", err)
	}
	if err := x.Index(ctx, docs[0]); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("Index after Close: %v, want ErrUnavailable", err)
	}

	x, err = Open(dir, maps.Clone(enginetest.Schema))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	res, err := x.Search(ctx, search.Query{Scope: search.Scope{All: true}, Text: "智能装备"})
	if err != nil || res.Total != 2 {
		t.Errorf("after reopen: total %d, %v", res.Total, err)
	}
	x.Close()

	other := maps.Clone(enginetest.Schema)
	other["score"] = search.Number
	if _, err := Open(dir, other); !errors.Is(err, ErrSchemaChanged) {
		t.Errorf("Open with another schema: %v, want ErrSchemaChanged", err)
	}
	if _, err := Open(dir, maps.Clone(enginetest.Schema), "projects:0011223344556677"); !errors.Is(err, ErrSchemaChanged) {
		t.Errorf("Open with other stamps (kept record formats): %v, want ErrSchemaChanged", err)
	}
	if _, err := Open(t.TempDir(), search.Schema{"title": search.Keyword}); err == nil {
		t.Error("a schema reusing a reserved name was accepted")
	}
}

// bigDocs returns n project-like records with random stages, units and amounts.
func bigDocs(n int, seed uint64) []search.Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	stages := []string{"search", "push", "attract", "decision", "process", "aftercare", "paused", "dropped"}
	inds := []string{"智能制造", "新能源", "生物医药", "电子信息", "新材料", "数字经济"}
	places := []string{"昆山", "苏州", "上海", "南京", "无锡"}
	things := []string{"智能装备", "新能源汽车", "小核酸药物", "集成电路", "精密模具", "工业软件", "储能系统"}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]search.Doc, n)
	for i := range docs {
		f := map[string]any{
			"stage":    stages[r.IntN(len(stages))],
			"industry": inds[r.IntN(len(inds))],
			"zone":     fmt.Sprintf("zone%02d", r.IntN(12)),
			"created":  base.Add(time.Duration(r.IntN(5*365*24)) * time.Hour),
		}
		if r.IntN(10) > 0 {
			f["amount"] = float64(r.IntN(2_000_000)) / 4 // quarter steps keep sums exact
		}
		docs[i] = search.Doc{
			Kind:    "projects",
			ID:      fmt.Sprintf("p%06d", i),
			Version: 1,
			Units:   []string{fmt.Sprintf("u%d", r.IntN(20))},
			Title:   places[r.IntN(len(places))] + "某某" + things[r.IntN(len(things))] + "项目",
			Body:    "项目简介：" + strings.Repeat(things[r.IntN(len(things))]+"，", 1+r.IntN(5)),
			Fields:  f,
		}
	}
	return docs
}

func TestSumsAndFacetsAtScale(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 1000
	}
	ctx := context.Background()
	x := openTest(t, enginetest.Schema)
	docs := bigDocs(n, 7)
	for start := 0; start < len(docs); start += 1000 {
		if err := x.Index(ctx, docs[start:min(start+1000, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	units := []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"}
	q := search.Query{Scope: search.Scope{Units: units}, Filters: []search.Filter{{Field: "stage", Values: []string{"push", "attract", "decision"}}},
		Facets: []string{"industry", "zone"}, Sums: []string{"amount"}, GroupBy: "industry"}
	res, err := x.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	wantSums, wantFacets, total := map[string]float64{}, map[string]int{}, 0
	for _, d := range docs {
		s := d.Fields["stage"].(string)
		if !strings.Contains(" u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 ", " "+d.Units[0]+" ") || (s != "push" && s != "attract" && s != "decision") {
			continue
		}
		total++
		ind := d.Fields["industry"].(string)
		wantFacets[ind]++
		a, _ := d.Fields["amount"].(float64)
		wantSums[ind] += a
	}
	if res.Total != total || !maps.Equal(res.Facets["industry"], wantFacets) || !maps.Equal(res.Sums["amount"], wantSums) {
		t.Errorf("total %d facets %v sums %v\nwant total %d facets %v sums %v", res.Total, res.Facets["industry"], res.Sums["amount"],
			total, wantFacets, wantSums)
	}
}

func TestSearchWhileIndexing(t *testing.T) {
	ctx := context.Background()
	x := openTest(t, enginetest.Schema)
	docs := bigDocs(3000, 3)
	if err := x.Index(ctx, docs[:1000]...); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := x.Search(ctx, search.Query{Scope: search.Scope{All: true}, Text: "昆山", Facets: []string{"stage"},
					Sums: []string{"amount"}, Highlight: true, Sort: []search.Sort{{Field: "created", Desc: true}}})
				if err != nil {
					errs <- err
					return
				}
				if res.Total < last {
					errs <- fmt.Errorf("total went down from %d to %d", last, res.Total)
					return
				}
				last = res.Total
			}
		}()
	}
	for start := 1000; start < len(docs); start += 250 {
		if err := x.Index(ctx, docs[start:start+250]...); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("前文", 100) + "智能装备" + strings.Repeat("后文", 100)
	at := strings.Index(long, "智能装备")
	cases := []struct {
		name  string
		s     string
		spans [][2]int
		want  string
	}{
		{"overlapping bigrams merge", "苏州智能装备", [][2]int{{6, 12}, {9, 15}, {12, 18}}, "苏州<mark>智能装备</mark>"},
		{"escapes around marks", `<b>昆山</b>&`, [][2]int{{3, 9}}, "&lt;b&gt;<mark>昆山</mark>&lt;/b&gt;&amp;"},
		{"spans off rune boundaries are dropped", "昆山", [][2]int{{1, 3}}, "昆山"},
		{"spans out of range are dropped", "ab", [][2]int{{1, 9}}, "ab"},
		{
			"long text is cut around the first match",
			long, [][2]int{{at, at + len("智能装备")}},
			"…" + strings.Repeat("前文", 15) + "<mark>智能装备</mark>" + strings.Repeat("后文", 43) + "…",
		},
	}
	for _, c := range cases {
		if got := snippet(c.s, c.spans); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
