package storage

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
)

func TestEmbeddedStoreLockAndIDIndex(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: dir, Role: "serve", Serving: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if !s.Owner || !s.Embedded {
		t.Fatalf("owner=%v embedded=%v", s.Owner, s.Embedded)
	}
	if err := s.EnsureCollections(ctx, []string{"things"}, dir); err != nil {
		t.Fatal(err)
	}
	// Idempotent.
	if err := s.EnsureCollections(ctx, []string{"things"}, dir); err != nil {
		t.Fatal(err)
	}
	c := s.DB.Collection("things")
	for _, id := range []string{"a", "b", "c"} {
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "n", Value: len(id)}}); err != nil {
			t.Fatal(err)
		}
	}
	// SQLite answers the query FerretDB issues for {_id: X} from our index.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "store", "zhaoshang.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'things_%'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `"b"`)
	if err != nil {
		t.Fatal(err)
	}
	plan := ""
	for rows.Next() {
		var id, parent, notused int
		var detail string
		_ = rows.Scan(&id, &parent, &notused, &detail)
		plan += detail
	}
	rows.Close()
	if !strings.Contains(plan, "USING INDEX "+table+"_zs_id") {
		t.Fatalf("_id lookups do not use the index: %s", plan)
	}
	var got bson.M
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "b"}}).Decode(&got); err != nil || got["n"] != int32(1) {
		t.Fatalf("find b: %v %v", got, err)
	}

	// A second server is refused; a command attaches.
	if _, err := Open(ctx, Config{DataDir: dir, Role: "serve", Serving: true}); !errors.Is(err, ErrBusy) {
		t.Fatalf("second server: %v", err)
	}
	cmd, err := Open(ctx, Config{DataDir: dir, Role: "import"})
	if err != nil {
		t.Fatalf("command attach: %v", err)
	}
	if cmd.Owner {
		t.Fatal("attached command claims ownership")
	}
	n, err := cmd.DB.Collection("things").CountDocuments(ctx, bson.D{})
	if err != nil || n != 3 {
		t.Fatalf("attached count: %d %v", n, err)
	}
	cmd.Close(ctx)
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"mongodb://user:secret@db:27017/x": "mongodb://user:xxxxx@db:27017/x",
		"mongodb://db:27017":               "mongodb://db:27017",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
