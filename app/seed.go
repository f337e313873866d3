package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"
)

func cmdSeed(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demoFlag := fs.Bool("demo", false, "load the demo data set")
	scale := fs.Int("scale", 1, "demo scale (1 = 3000+ projects)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if !*demoFlag {
		return usagef("用法：zhaoshang seed --demo [--scale N]")
	}
	if *scale < 1 || *scale > 100 {
		return usagef("--scale 须为 1–100 的整数，收到 %d", *scale)
	}
	p, err := openFor(ctx, "seed", log)
	if err != nil {
		return err
	}
	defer p.Close()
	start := time.Now()
	rep, err := p.SeedDemo(ctx, *scale, func(s string) { fmt.Fprintln(os.Stderr, s) })
	if err != nil {
		return err
	}
	kinds := make([]string, 0, len(rep.Created))
	for k := range rep.Created {
		kinds = append(kinds, k)
	}
	for k := range rep.Existing {
		if _, ok := rep.Created[k]; !ok {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("%-12s 新建 %6d  已有 %6d\n", k, rep.Created[k], rep.Existing[k])
	}
	if !p.Store.Owner && p.Engine == nil {
		fmt.Println("服务正在运行：搜索索引将在数秒内由服务进程补齐。")
	}
	fmt.Printf("演示数据就绪，用时 %.1f 秒。演示用户密码见 README。\n", time.Since(start).Seconds())
	return nil
}
