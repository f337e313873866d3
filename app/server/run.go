package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"zhaoshang/app/platform"
)

// Run runs the server until ctx ends, then shuts down gracefully: the
// listener closes, in-flight requests finish (up to 30 s), the outbox
// worker stops and the store closes. ready, if not nil, receives the
// bound address and the platform once the server accepts connections.
// Running is what Run reports once it accepts connections.
type Running struct {
	Addr     string
	Platform *platform.Platform
}

func Run(ctx context.Context, cfg platform.Config, log *slog.Logger, ready chan<- Running) error {
	start := time.Now()
	p, err := platform.Open(ctx, cfg, platform.Options{Role: "serve", Serving: true}, log)
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.EnsureAdmin(ctx, func(s string) { fmt.Fprintln(os.Stderr, s) }); err != nil {
		return err
	}
	if cfg.DemoScale > 0 {
		t := time.Now()
		if _, err := p.SeedDemo(ctx, cfg.DemoScale, func(s string) { log.Info("demo seed", "step", s) }); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		log.Info("demo data ready", "scale", cfg.DemoScale, "ms", time.Since(t).Milliseconds())
	}
	app, err := New(p)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	done := make(chan struct{})
	go func() {
		defer close(done)
		go p.Imports.RecoverEvery(workers, time.Minute)
		go p.ServeReindexRequests(workers, time.Second)
		go p.ServeExportRequests(workers, time.Second)
		pushed := make(chan struct{})
		go func() { defer close(pushed); p.Push.Run(workers, 30*time.Second) }()
		defer func() { <-pushed }() // the matcher's round ends before the store closes
		if n, err := p.Sync.CatchUp(workers); err != nil {
			log.Warn("search catch-up failed; outbox worker will retry", "err", err)
		} else if n > 0 {
			log.Info("search index caught up", "records", n)
		}
		p.Sync.Run(workers, 2*time.Second)
	}()
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	log.Info("zhaoshang serving", "addr", ln.Addr().String(), "data", cfg.DataDir, "embedded_store", p.Store.Embedded,
		"search", engineName(cfg), "startup_ms", time.Since(start).Milliseconds())
	if ready != nil {
		ready <- Running{Addr: ln.Addr().String(), Platform: p}
	}
	select {
	case err := <-errc:
		stopWorkers()
		<-done
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown", "err", err)
	}
	stopWorkers()
	<-done
	return nil
}

func engineName(cfg platform.Config) string {
	if cfg.MeiliURL != "" {
		return "meilisearch"
	}
	return "bleve"
}
