package main

import (
	"context"
	"flag"
	"log/slog"

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
)

func cmdServe(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "", "listen address (default ZS_ADDR or 127.0.0.1:8080)")
	demo := fs.Bool("demo", false, "load the demo data set before serving (idempotent)")
	scale := fs.Int("scale", 1, "demo scale with --demo")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	cfg := platform.ConfigFromEnv()
	if *addr != "" {
		cfg.Addr = *addr
	}
	if *demo {
		if *scale < 1 || *scale > 100 {
			return usagef("--scale 须为 1–100 的整数，收到 %d", *scale)
		}
		cfg.DemoScale = *scale
	}
	return server.Run(ctx, cfg, log, nil)
}
