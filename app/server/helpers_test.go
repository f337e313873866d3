package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"zhaoshang/app/platform"
	"zhaoshang/app/server"
	"zhaoshang/app/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func urlq(s string) string { return url.QueryEscape(s) }

// startSecond tries to run another server on dir and returns its error.
func startSecond(t *testing.T, dir string) error {
	cfg := platform.ConfigFromEnv()
	cfg.Addr, cfg.DataDir = "127.0.0.1:0", dir
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ready := make(chan server.Running, 1)
	errc := make(chan error, 1)
	go func() { errc <- server.Run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ready) }()
	select {
	case <-ready:
		cancel()
		<-errc
		return nil
	case err := <-errc:
		return err
	}
}
