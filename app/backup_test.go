package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/app/backup"
	"zhaoshang/app/storage"
	"zhaoshang/app/testapp"
	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
)

// backupEnv points the commands at the embedded store of dir.
func backupEnv(t *testing.T, dir string) {
	t.Setenv("ZS_DATA", dir)
	t.Setenv("MONGO_URI", "")
	t.Setenv("MEILI_URL", "")
	t.Setenv("MONGO_DB", "")
	t.Setenv("ZS_ADMIN_PASSWORD", testapp.AdminPassword)
}

// runCmd runs the binary's entry point and returns the exit code and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var code int
	out, errOut := capture(t, func() { code = run(args) })
	return code, out, errOut
}

// dumpDB reads every collection: name → _id (extended JSON) → raw document.
func dumpDB(t *testing.T, db *mongo.Database) map[string]map[string]bson.Raw {
	t.Helper()
	ctx := context.Background()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]map[string]bson.Raw{}
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string]bson.Raw{}
		for cur.Next(ctx) {
			docs[cur.Current.Lookup("_id").String()] = append(bson.Raw(nil), cur.Current...)
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		cur.Close(ctx)
		all[n] = docs
	}
	return all
}

// openStore opens a data dir's embedded store (taking its lock).
func openStore(t *testing.T, dir string) *storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), storage.Config{DataDir: dir, Role: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Owner {
		t.Fatalf("%s: expected to own the restored data dir", dir)
	}
	return st
}

// restoreAndDump restores archive into dir with the restore command and
// reads every collection of the restored store.
func restoreAndDump(t *testing.T, archive, dir string) map[string]map[string]bson.Raw {
	t.Helper()
	backupEnv(t, dir)
	if code, _, errOut := runCmd(t, "restore", "--in", archive); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errOut)
	}
	st := openStore(t, dir)
	defer st.Close(context.Background())
	return dumpDB(t, st.DB)
}

// sameCollections fails on any collection or document that differs.
func sameCollections(t *testing.T, label string, want, got map[string]map[string]bson.Raw) {
	t.Helper()
	for name, docs := range want {
		have, ok := got[name]
		if !ok {
			t.Errorf("%s: collection %s missing", label, name)
			continue
		}
		if len(have) != len(docs) {
			t.Errorf("%s: collection %s has %d documents, want %d", label, name, len(have), len(docs))
		}
		bad := 0
		for id, d := range docs {
			if h, ok := have[id]; !ok || !bytes.Equal(h, d) {
				if bad++; bad <= 3 {
					t.Errorf("%s: %s %s differs:\n want %s\n got  %s", label, name, id, d, h)
				}
			}
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected collection %s", label, name)
		}
	}
}

func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	read := func(root string) map[string]string {
		m := map[string]string{}
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(root, p)
				m[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
			}
			return nil
		})
		return m
	}
	w, g := read(want), read(got)
	if len(w) == 0 || fmt.Sprint(w) != fmt.Sprint(g) {
		t.Errorf("attachments differ: %v vs %v", w, g)
	}
}

func TestBackupRestoreWhileServing(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	backupEnv(t, src)
	a := testapp.StartIn(t, src)
	ctx := context.Background()

	const nProjects = 40
	for i := range nProjects {
		p := &projects.Project{Meta: core.Meta{ID: fmt.Sprintf("bk%02d", i)}, Type: "industry", Name: fmt.Sprintf("备份测试项目%d", i),
			Industry: "新能源", Zone: "张浦镇", Unit: "kfq", Stage: "search"}
		if err := a.P.Projects.Create(ctx, core.System, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.P.Users.EnsureUser(ctx, "kfq_bk", "备份", "officer", []string{"kfq"}, "Demo-2025x"); err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"%PDF-1.4 test", "第二个附件", "third"} {
		dir := filepath.Join(src, "attachments", fmt.Sprintf("bk%02d", i))
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("att%d", i)), []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}

	// Writers while the backup runs: project edits through the repo (outbox,
	// record, audit), and a pair of collections written in order a then b,
	// so that a point-in-time copy has every b in a and at most one a more.
	var pairs, edits atomic.Int64
	db := a.P.Store.DB
	busy := testapp.KeepBusy(func(i int) bool {
		if _, err := db.Collection("bk_a").InsertOne(ctx, bson.D{{Key: "_id", Value: i}}); err != nil {
			t.Error(err)
			return false
		}
		if _, err := db.Collection("bk_b").InsertOne(ctx, bson.D{{Key: "_id", Value: i}}); err != nil {
			t.Error(err)
			return false
		}
		pairs.Add(1)
		return true
	}, func(i int) bool {
		p, err := a.P.Projects.Get(ctx, fmt.Sprintf("bk%02d", i%nProjects))
		if err != nil {
			t.Error(err)
			return false
		}
		before := *p
		p.Name = fmt.Sprintf("备份测试项目%d 第%d次修改", i%nProjects, i)
		if err := a.P.Projects.Update(ctx, core.System, p, &before); err != nil {
			t.Error(err)
			return false
		}
		edits.Add(1)
		return true
	})
	testapp.WaitUntil(func() bool { return pairs.Load() >= 50 && edits.Load() >= 20 })
	live := filepath.Join(root, "live.tar.gz")
	code, out, errOut := runCmd(t, "backup", "--out", live)
	before := pairs.Load()
	testapp.WaitUntil(func() bool { return pairs.Load() > before })
	busy.Stop()
	if code != 0 {
		t.Fatalf("backup while serving: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "一致性：整库快照") {
		t.Errorf("backup output: %q", out)
	}
	if pairs.Load() == before {
		t.Error("writers did not keep writing across the backup")
	}
	t.Logf("writes during the test: %d pairs, %d project edits; %s", pairs.Load(), edits.Load(), strings.TrimSpace(out))

	// Restore the backup taken under writes: it is one point in time.
	got := restoreAndDump(t, live, filepath.Join(root, "restored1"))
	as, bs := got["bk_a"], got["bk_b"]
	for id := range bs {
		if _, ok := as[id]; !ok {
			t.Errorf("bk_b %s without bk_a %s: not a point-in-time snapshot", id, id)
		}
	}
	if d := len(as) - len(bs); d < 0 || d > 1 || len(as) < 50 {
		t.Errorf("bk_a %d, bk_b %d documents: want equal or one more a, at least 50", len(as), len(bs))
	}
	// The restored store holds exactly what the file holds.
	fromFile := map[string]map[string]bson.Raw{}
	if _, err := backup.Verify(live); err != nil {
		t.Fatal(err)
	}
	if err := backup.Walk(live, func(name string, r io.Reader) error {
		if !strings.HasPrefix(name, "collections/") {
			_, err := io.Copy(io.Discard, r)
			return err
		}
		docs := map[string]bson.Raw{}
		fromFile[strings.TrimSuffix(strings.TrimPrefix(name, "collections/"), ".bson")] = docs
		_, _, err := backup.ReadBSON(r, sha256.New(), func(d bson.Raw) error {
			docs[d.Lookup("_id").String()] = d
			return nil
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sameCollections(t, "restored vs file", fromFile, got)

	// Quiet now: a second backup of the serving store, restored, equals the
	// live store document by document, and its attachments byte by byte.
	quiet := filepath.Join(root, "quiet.tar.gz")
	backupEnv(t, src)
	if code, _, errOut := runCmd(t, "backup", "--out", quiet); code != 0 {
		t.Fatalf("second backup: exit %d: %s", code, errOut)
	}
	want := dumpDB(t, db)
	dst2 := filepath.Join(root, "restored2")
	got = restoreAndDump(t, quiet, dst2)
	if len(want["projects"]) != nProjects || len(want["users"]) < 2 {
		t.Fatalf("source has %d projects, %d users", len(want["projects"]), len(want["users"]))
	}
	sameCollections(t, "restored vs live", want, got)
	sameFiles(t, filepath.Join(src, "attachments"), filepath.Join(dst2, "attachments"))

	// The restored dir serves, search index included.
	b := testapp.StartIn(t, dst2)
	testapp.Run(t, b, []testapp.Scenario{
		{Name: "projects listed from the rebuilt index", As: b.Admin(t), URL: "/api/v1/projects?per_page=5", Status: 200,
			Expect: []string{fmt.Sprintf(`"total":%d`, nProjects), "备份测试项目"}},
	})
}

func TestRestoreRefusesBadInput(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	backupEnv(t, src)
	p, err := openFor(context.Background(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Projects.Create(context.Background(), core.System, &projects.Project{Meta: core.Meta{ID: "r1"}, Type: "industry",
		Name: "恢复测试项目", Industry: "新能源", Zone: "张浦镇", Unit: "kfq", Stage: "search"}); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := os.MkdirAll(filepath.Join(src, "attachments", "r1"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "attachments", "r1", "a1"), []byte("hello"), 0o640); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(root, "good.tar.gz")
	if code, _, errOut := runCmd(t, "backup", "--out", good); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	// rewrite rebuilds the archive with edit applied to each entry's bytes
	// (a valid gzip and tar: only the manifest's checksums can tell).
	rewrite := func(edit func(name string, b []byte) (string, []byte)) []byte {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(zr)
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(tr)
			name, b := edit(h.Name, b)
			if name == "" {
				continue
			}
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
				t.Fatal(err)
			}
			tw.Write(b)
		}
		tw.Close()
		zw.Close()
		return buf.Bytes()
	}
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)/2] ^= 0x55
	tampered := rewrite(func(name string, b []byte) (string, []byte) {
		if name == "collections/projects.bson" {
			b = bytes.Replace(b, []byte("恢复测试项目"), []byte("篡改测试项目"), 1)
		}
		return name, b
	})
	traversal := rewrite(func(name string, b []byte) (string, []byte) {
		if strings.HasPrefix(name, "attachments/") {
			return "attachments/../../evil", b
		}
		return name, b
	})
	// Two copies of every project, with a manifest that agrees: checksums
	// pass, the load fails half way and must leave nothing behind.
	var projBytes []byte
	rewrite(func(name string, b []byte) (string, []byte) {
		if name == "collections/projects.bson" {
			projBytes = b
		}
		return name, b
	})
	duplicated := rewrite(func(name string, b []byte) (string, []byte) {
		switch name {
		case "collections/projects.bson":
			return name, append(append([]byte(nil), b...), b...)
		case backup.ManifestEntry:
			var m backup.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			for i, c := range m.Collections {
				if c.Name == "projects" {
					twice := append(append([]byte(nil), projBytes...), projBytes...)
					m.Collections[i].Count, m.Collections[i].Bytes = c.Count*2, int64(len(twice))
					m.Collections[i].SHA256 = fmt.Sprintf("%x", sha256.Sum256(twice))
				}
			}
			b, _ = json.Marshal(m)
		}
		return name, b
	})
	noManifest := rewrite(func(name string, b []byte) (string, []byte) {
		if name == backup.ManifestEntry {
			return "", nil
		}
		return name, b
	})

	cases := []struct {
		name   string
		data   []byte // nil: no file at all
		target func(dir string)
		reason string
	}{
		{"non-empty target", raw, func(dir string) {
			os.MkdirAll(dir, 0o750)
			os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o640)
		}, "不是空目录"},
		{"byte flipped", flipped, nil, "备份文件不可用"},
		{"truncated", raw[:len(raw)*2/3], nil, "备份文件不可用"},
		{"truncated at the end", raw[:len(raw)-10], nil, "备份文件不可用"},
		{"not gzip", []byte("这不是备份文件\n"), nil, "不是 gzip"},
		{"checksum mismatch", tampered, nil, "校验和不符"},
		{"path traversal", traversal, nil, "不安全"},
		{"no manifest", noManifest, nil, "缺少 manifest.json"},
		{"duplicate ids", duplicated, nil, "重复的 _id"},
		{"missing file", nil, nil, "找不到备份文件"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := filepath.Join(root, fmt.Sprintf("case%d.tar.gz", i))
			if c.data != nil {
				if err := os.WriteFile(in, c.data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			parent := filepath.Join(root, fmt.Sprintf("t%d", i))
			dst := filepath.Join(parent, "data")
			if c.target != nil {
				c.target(dst)
			}
			backupEnv(t, dst)
			code, _, errOut := runCmd(t, "restore", "--in", in)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			last := lines[len(lines)-1]
			if code != 2 || !strings.HasPrefix(last, "zhaoshang: ") || !strings.Contains(last, c.reason) || strings.Count(errOut, "zhaoshang: ") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, errOut, c.reason)
			}
			entries, _ := os.ReadDir(parent)
			switch {
			case c.target == nil && len(entries) != 0:
				t.Errorf("restore left %v beside the target", entries)
			case c.target != nil:
				left, _ := os.ReadDir(dst)
				if len(entries) != 1 || len(left) != 1 || left[0].Name() != "keep.txt" {
					t.Errorf("target touched: %v / %v", entries, left)
				}
			}
		})
	}

	// And the good file restores, into an existing empty dir (e.g. a volume).
	dst := filepath.Join(root, "ok", "data")
	if err := os.MkdirAll(dst, 0o750); err != nil {
		t.Fatal(err)
	}
	backupEnv(t, dst)
	if code, _, errOut := runCmd(t, "restore", "--in", good); code != 0 {
		t.Fatalf("restore of the good file: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "attachments", "r1", "a1")); err != nil || string(b) != "hello" {
		t.Errorf("attachment after restore: %q %v", b, err)
	}
	entries, _ := os.ReadDir(dst)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "attachments search store zhaoshang.lock" {
		t.Errorf("restored data dir holds %v", names)
	}
	if code, _, errOut := runCmd(t, "backup", "--out", filepath.Join(root, "no", "such", "dir", "b.tar.gz")); code != 2 || !strings.Contains(errOut, "不存在") {
		t.Errorf("backup into a missing dir: exit %d %q", code, errOut)
	}
}
