package platform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"zhaoshang/app/platform"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search/bleve"
)

// An index kept by a build whose records had another shape (a field became
// a core.Date) is rebuilt at open; a command that is not the server then
// fills it before reading it, so its first export or import sees every
// record.
func TestCommandRebuildsAnIndexOfAnotherShape(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := platform.Open(ctx, cfgFor(dir), platform.Options{Role: "seed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"r1", "r2"} {
		if err := p.Projects.Create(ctx, core.System, &projects.Project{Meta: core.Meta{ID: id}, Name: "重建索引项目" + id,
			Unit: "gxq", Stage: "search"}); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	// The index as an older build left it: stamped with other record shapes.
	schema, err := platform.Schema()
	if err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, "search")
	if err := os.RemoveAll(idx); err != nil {
		t.Fatal(err)
	}
	old, err := bleve.Open(idx, schema, "projects:0011223344556677")
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	p, err = platform.Open(ctx, cfgFor(dir), platform.Options{Role: "export"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := countProjects(t, p.Engine, ""); got != 2 {
		t.Fatalf("the rebuilt index holds %d projects, want 2", got)
	}
}
