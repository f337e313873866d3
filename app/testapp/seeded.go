package testapp

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Seeded runs a server on the demo data (scale 1) until the test ends. The
// demo is seeded once per test binary into a template data dir (store and
// search index); each test runs on its own copy of it, so it may write
// like on a freshly seeded app. The demo is deterministic (fixed seed and
// calendar), so a copy holds what a fresh seed would. On an outside store
// or index (ZS_TEST_MONGO_URI, MEILI_URL, ZS_FILES), where a data dir
// holds not all of it, each test seeds its own app instead.
//
// Seeding takes a while: in -short runs Seeded skips the test. A package
// whose tests call Seeded runs them through Main, which removes the
// template at the end.
func Seeded(t testing.TB) *App {
	t.Helper()
	if testing.Short() {
		t.Skip("seeds the demo data")
	}
	if cfg := config(""); cfg.MongoURI != "" || cfg.MeiliURL != "" || cfg.FilesDir != "" {
		a := Start(t)
		if _, err := a.P.SeedDemo(context.Background(), 1, nil); err != nil {
			t.Fatal(err)
		}
		return a
	}
	if !mainRuns {
		t.Fatal("testapp.Seeded needs the package's TestMain to call testapp.Main")
	}
	demo.once.Do(seedTemplate)
	if demo.err != nil {
		t.Fatalf("demo template: %v", demo.err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	start := time.Now()
	if err := copyDir(demo.dir, dir); err != nil {
		t.Fatalf("copy the demo template: %v", err)
	}
	t.Logf("demo data copied in %.1f s (seeded once in %.1f s)", time.Since(start).Seconds(), demo.took.Seconds())
	return StartIn(t, dir)
}

// Main runs a package's tests (from its TestMain) and then removes the
// demo template Seeded made.
func Main(m *testing.M) {
	mainRuns = true
	code := m.Run()
	if demo.dir != "" {
		_ = os.RemoveAll(filepath.Dir(demo.dir))
	}
	os.Exit(code)
}

var (
	mainRuns bool
	demo     struct {
		once sync.Once
		dir  string // the template data dir, quiet once seeded
		took time.Duration
		err  error
	}
)

// seedTemplate seeds the demo into a fresh data dir on a server of its own
// and stops that server, so that nothing writes the template any more.
func seedTemplate() {
	root, err := os.MkdirTemp("", "zhaoshang-demo-")
	if err != nil {
		demo.err = err
		return
	}
	demo.dir = filepath.Join(root, "data")
	start := time.Now()
	a, err := launch(demo.dir, "demo")
	if err != nil {
		demo.err = err
		return
	}
	_, err = a.P.SeedDemo(context.Background(), 1, nil)
	if !a.stop(2 * time.Minute) {
		err = fmt.Errorf("the seeding server did not stop (seed: %v)", err)
	}
	demo.took, demo.err = time.Since(start), err
}

// copyDir copies the files and directories under src to dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm())
		case d.Type().IsRegular():
			return copyFile(path, to, info.Mode().Perm())
		}
		return fmt.Errorf("%s: not a file or directory", path)
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
