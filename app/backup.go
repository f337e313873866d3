package main

// zhaoshang backup --out F / zhaoshang restore --in F.
//
// A backup is one gzip'd tar file:
//
//	collections/<name>.bson   every document of the collection, raw BSON one after another
//	attachments/<project>/<id> the uploaded files under ZS_DATA/attachments
//	manifest.json             last: format, version, created_at, source, consistency,
//	                          per collection count/bytes/sha256/indexes, per file size/sha256
//
// Consistency. With the embedded store the backup is a point-in-time snapshot
// of the whole database: SQLite's `VACUUM INTO` copies the FerretDB database
// file inside one read transaction (WAL mode: the serving process keeps
// writing meanwhile, nothing waits), and the documents are then read out of
// that copy through a private FerretDB. Every write acknowledged before the
// snapshot is in the backup, none after it, across all collections.
// Attachments are copied after the snapshot; an attachment file is written
// before the project document lists it and is never changed afterwards, so
// every attachment the snapshot refers to is present (a few newer, unlisted
// files may come along; they are harmless). With MONGO_URI the documents are
// read in a snapshot session (MongoDB 5.0+ replica set: one point in time,
// within the server's snapshot window of 5 minutes by default); on a server
// without snapshot reads each document is read whole and the manifest says
// "per-document".
//
// Restore goes into an empty ZS_DATA only: it checks the whole file first
// (gzip CRC, sha256 and count of every entry against the manifest), takes
// the data dir's lock, loads it into a temporary directory inside ZS_DATA,
// rebuilds the search index there, and renames the parts into place, so a
// failure leaves nothing half-written (and a data dir it created removed).

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	_ "modernc.org/sqlite" // VACUUM INTO on the embedded store's file

	"zhaoshang/app/platform"
	"zhaoshang/app/storage"
	"zhaoshang/search"
)

const (
	backupFormat   = "zhaoshang-backup"
	backupVersion  = 1
	manifestEntry  = "manifest.json"
	maxManifest    = 64 << 20
	maxBSONDoc     = 16<<20 + 16<<10 // MongoDB's document limit plus slack
	insertBatch    = 1000
	insertMaxBytes = 8 << 20
)

type backupManifest struct {
	Format      string             `json:"format"`
	Version     int                `json:"version"`
	CreatedAt   time.Time          `json:"created_at"`
	Source      string             `json:"source"`      // embedded | mongodb
	Database    string             `json:"database"`    // MONGO_DB of the source
	Consistency string             `json:"consistency"` // snapshot | per-document
	Collections []backupCollection `json:"collections"`
	Files       []backupFile       `json:"files"`
}

type backupCollection struct {
	Name   string `json:"name"`
	Entry  string `json:"entry"`
	Count  int64  `json:"count"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Indexes other than _id, as listIndexes returns them (relaxed extended JSON).
	Indexes []json.RawMessage `json:"indexes,omitempty"`
}

type backupFile struct {
	Path   string `json:"path"` // slash separated, relative to ZS_DATA: attachments/<project>/<id>
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	collName   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$`)
	attachPath = regexp.MustCompile(`^attachments(/[A-Za-z0-9_.-]{1,100}){1,4}$`)
)

func cmdBackup(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "backup file to write (.tar.gz)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef("用法：zhaoshang backup --out 文件")
	}
	start := time.Now()
	m, err := writeBackup(ctx, platform.ConfigFromEnv(), *out, log)
	if err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	docs := int64(0)
	for _, c := range m.Collections {
		docs += c.Count
	}
	consistency := "整库快照"
	if m.Consistency != "snapshot" {
		consistency = "逐文档（该 MongoDB 不支持快照读）"
	}
	fmt.Printf("已备份 %d 个集合 %d 条文档、%d 个附件到 %s（%.1f MB，用时 %.1f 秒，一致性：%s）\n",
		len(m.Collections), docs, len(m.Files), *out, float64(st.Size())/(1<<20), time.Since(start).Seconds(), consistency)
	return nil
}

// writeBackup writes the backup of cfg's store and attachments to out
// (through a temporary file renamed into place) and returns its manifest.
func writeBackup(ctx context.Context, cfg platform.Config, out string, log *slog.Logger) (*backupManifest, error) {
	if log == nil {
		log = slog.Default()
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return nil, usagef("--out %s 是目录，请给出文件名", out)
	}
	if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
		return nil, usagef("--out %s：目录 %s 不存在", out, filepath.Dir(out))
	}
	dbFile := filepath.Join(cfg.DataDir, "store", cfg.DBName+".sqlite")
	if cfg.MongoURI == "" {
		if _, err := os.Stat(dbFile); err != nil {
			return nil, usagef("ZS_DATA=%s 中没有数据（找不到 %s）", cfg.DataDir, dbFile)
		}
	}
	// Take the data dir (or attach to the serving process) so that no
	// other command, e.g. a restore or a second server, starts meanwhile.
	st, err := storage.Open(ctx, storage.Config{DataDir: cfg.DataDir, MongoURI: cfg.MongoURI, DBName: cfg.DBName,
		Role: "backup", Logger: log})
	if err != nil {
		return nil, err
	}
	defer st.Close(context.Background())

	work, err := os.MkdirTemp(filepath.Dir(out), ".zhaoshang-backup-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a work dir beside %s: %w", out, err)
	}
	defer os.RemoveAll(work)

	m := &backupManifest{Format: backupFormat, Version: backupVersion, CreatedAt: time.Now().UTC().Truncate(time.Second),
		Database: cfg.DBName, Consistency: "snapshot", Source: "mongodb"}
	src, readCtx := st.DB, ctx
	if st.Embedded {
		m.Source = "embedded"
		snapDir := filepath.Join(work, "snap")
		if err := snapshotSQLite(ctx, dbFile, filepath.Join(snapDir, "store", cfg.DBName+".sqlite")); err != nil {
			return nil, err
		}
		snap, err := storage.Open(ctx, storage.Config{DataDir: snapDir, DBName: cfg.DBName, Role: "backup", Logger: log})
		if err != nil {
			return nil, fmt.Errorf("cannot open the snapshot: %w", err)
		}
		defer snap.Close(context.Background())
		src = snap.DB
	} else {
		sess, err := st.Client.StartSession(options.Session().SetSnapshot(true))
		if err == nil {
			defer sess.EndSession(context.Background())
			readCtx = mongo.NewSessionContext(ctx, sess)
		}
		if err != nil || probeSnapshot(readCtx, ctx, src) != nil {
			log.Warn("this MongoDB does not offer snapshot reads; each document is read whole, collections at slightly different times")
			m.Consistency, readCtx = "per-document", ctx
		}
	}

	names, err := src.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("cannot list collections: %w", err)
	}
	sort.Strings(names)

	tmpOut := filepath.Join(work, "backup.tar.gz")
	f, err := os.OpenFile(tmpOut, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", out, err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)

	for _, name := range names {
		if strings.HasPrefix(name, "system.") {
			continue
		}
		if !collName.MatchString(name) {
			return nil, fmt.Errorf("collection name %q cannot be backed up", name)
		}
		c, err := dumpCollection(readCtx, ctx, src.Collection(name), work, tw)
		if err != nil {
			return nil, fmt.Errorf("collection %s: %w", name, err)
		}
		m.Collections = append(m.Collections, *c)
	}
	files, err := addAttachments(tw, cfg.Files("attachments"))
	if err != nil {
		return nil, err
	}
	m.Files = files
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeEntry(tw, manifestEntry, int64(len(mb)), strings.NewReader(string(mb))); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", out, err)
	}
	if err := os.Rename(tmpOut, out); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", out, err)
	}
	return m, nil
}

// snapshotSQLite copies the database file at one point in time. VACUUM
// INTO runs in a read transaction: in WAL mode the serving process keeps
// writing; the copy sees exactly the transactions committed before it began.
func snapshotSQLite(ctx context.Context, from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+from+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", from, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		return fmt.Errorf("cannot snapshot %s: %w", from, err)
	}
	return nil
}

// probeSnapshot fails when the server refuses snapshot reads (readCtx
// carries the snapshot session; listCollections runs outside it).
func probeSnapshot(readCtx, ctx context.Context, db *mongo.Database) error {
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil || len(names) == 0 {
		return err
	}
	cur, err := db.Collection(names[0]).Find(readCtx, bson.D{}, options.Find().SetLimit(1))
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	cur.Next(readCtx)
	return cur.Err()
}

func dumpCollection(readCtx, ctx context.Context, coll *mongo.Collection, work string, tw *tar.Writer) (*backupCollection, error) {
	c := &backupCollection{Name: coll.Name(), Entry: "collections/" + coll.Name() + ".bson"}
	specs, err := coll.Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot list indexes: %w", err)
	}
	for specs.Next(ctx) {
		if name, _ := specs.Current.Lookup("name").StringValueOK(); name == "_id_" {
			continue
		}
		j, err := bson.MarshalExtJSON(specs.Current, false, false)
		if err != nil {
			specs.Close(ctx)
			return nil, err
		}
		c.Indexes = append(c.Indexes, j)
	}
	specs.Close(ctx)

	tmp, err := os.CreateTemp(work, "coll-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(tmp, h), 1<<20)
	cur, err := coll.Find(readCtx, bson.D{})
	if err != nil {
		return nil, err
	}
	for cur.Next(readCtx) {
		if _, err := bw.Write(cur.Current); err != nil {
			cur.Close(ctx)
			return nil, err
		}
		c.Count++
		c.Bytes += int64(len(cur.Current))
	}
	if err := cur.Err(); err != nil {
		cur.Close(ctx)
		return nil, err
	}
	cur.Close(ctx)
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	c.SHA256 = hex.EncodeToString(h.Sum(nil))
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return c, writeEntry(tw, c.Entry, c.Bytes, tmp)
}

func addAttachments(tw *tar.Writer, dir string) ([]backupFile, error) {
	var files []backupFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir
			}
			return err
		}
		if !d.Type().IsRegular() || strings.HasSuffix(p, ".part") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := "attachments/" + filepath.ToSlash(rel)
		if !attachPath.MatchString(name) {
			return nil // not something the app wrote
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		st, err := fh.Stat()
		if err != nil {
			return err
		}
		h := sha256.New()
		if err := writeEntry(tw, name, st.Size(), io.TeeReader(fh, h)); err != nil {
			return fmt.Errorf("attachment %s: %w", rel, err)
		}
		files = append(files, backupFile{Path: name, Size: st.Size(), SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot back up attachments: %w", err)
	}
	return files, nil
}

func writeEntry(tw *tar.Writer, name string, size int64, r io.Reader) error {
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now().UTC().Truncate(time.Second),
		Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.CopyN(tw, r, size)
	if err != nil {
		return fmt.Errorf("%s: wrote %d of %d bytes: %w", name, n, size, err)
	}
	return nil
}

// ---- restore ----

func cmdRestore(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	in := fs.String("in", "", "backup file written by zhaoshang backup")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *in == "" || fs.NArg() > 0 {
		return usagef("用法：zhaoshang restore --in 文件（恢复到空的 ZS_DATA）")
	}
	start := time.Now()
	m, err := restoreBackup(ctx, platform.ConfigFromEnv(), *in, log, func(s string) { fmt.Fprint(os.Stderr, s) })
	if err != nil {
		return err
	}
	docs := int64(0)
	for _, c := range m.Collections {
		docs += c.Count
	}
	fmt.Printf("已恢复 %d 个集合 %d 条文档、%d 个附件（备份时间 %s），搜索索引已重建，用时 %.1f 秒\n",
		len(m.Collections), docs, len(m.Files), m.CreatedAt.Local().Format("2006-01-02 15:04:05"), time.Since(start).Seconds())
	return nil
}

// restoreBackup checks in completely, then loads it into a temporary
// directory inside cfg.DataDir (locked) and renames its parts into place.
func restoreBackup(ctx context.Context, cfg platform.Config, in string, log *slog.Logger, progress func(string)) (*backupManifest, error) {
	if log == nil {
		log = slog.Default()
	}
	if progress == nil {
		progress = func(string) {}
	}
	if err := requireEmptyDir(cfg.DataDir); err != nil {
		return nil, err
	}
	m, err := verifyBackup(in)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	// Work inside ZS_DATA itself (same file system, so the final moves are
	// renames, also when ZS_DATA is a mounted volume), holding its lock so
	// that no server starts on it meanwhile.
	_, statErr := os.Stat(abs)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create ZS_DATA=%s: %w", cfg.DataDir, err)
	}
	lockPath := filepath.Join(abs, "zhaoshang.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", lockPath, err)
	}
	defer lock.Close() // also releases the lock
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil, usagef("ZS_DATA=%s 正被另一个 zhaoshang 进程使用", cfg.DataDir)
	}
	tmp, err := os.MkdirTemp(abs, ".restore-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a work dir in %s: %w", abs, err)
	}
	done := false
	var moved []string
	var dropDB *mongo.Database // a MONGO_URI database this restore has written to
	defer func() {
		if done {
			return
		}
		if dropDB != nil {
			_ = dropDB.Drop(context.Background())
			_ = dropDB.Client().Disconnect(context.Background())
		}
		_ = os.RemoveAll(tmp)
		for _, name := range moved {
			_ = os.RemoveAll(filepath.Join(abs, name))
		}
		if created {
			_ = os.RemoveAll(abs)
		} else {
			_ = os.Remove(lockPath)
		}
	}()

	st, err := storage.Open(ctx, storage.Config{DataDir: tmp, MongoURI: cfg.MongoURI, DBName: cfg.DBName,
		Role: "restore", Logger: log})
	if err != nil {
		return nil, err
	}
	if !st.Embedded {
		if err := requireEmptyDB(ctx, st.DB); err != nil {
			st.Close(context.Background())
			return nil, err
		}
		// Keep a connection of our own to drop what we wrote if we fail.
		if c, err := mongo.Connect(ctx, options.Client().ApplyURI(cfg.MongoURI)); err == nil {
			dropDB = c.Database(cfg.DBName)
		}
	}
	err = loadBackup(ctx, in, m, st.DB, tmp, progress)
	st.Close(context.Background())
	if err != nil {
		return nil, err
	}

	// Open the restored store like a command would (collections, the _id
	// lookup index, the domain's indexes) and rebuild the search index.
	rcfg := cfg
	rcfg.DataDir = tmp
	p, err := platform.Open(ctx, rcfg, platform.Options{Role: "restore"}, log)
	if err != nil {
		return nil, fmt.Errorf("cannot open the restored data: %w", err)
	}
	err = p.Sync.Rebuild(ctx, func(kind search.Kind, n int) {
		progress(fmt.Sprintf("\r重建索引 %-12s %7d 条", kind, n))
	})
	progress("\n")
	p.Close()
	if err != nil {
		return nil, fmt.Errorf("cannot rebuild the search index: %w", err)
	}

	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == "zhaoshang.lock" {
			continue
		}
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(abs, e.Name())); err != nil {
			return nil, fmt.Errorf("cannot move the restored data into %s: %w", abs, err)
		}
		moved = append(moved, e.Name())
	}
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	if dropDB != nil {
		_ = dropDB.Client().Disconnect(context.Background())
	}
	done = true
	return m, nil
}

func requireEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read ZS_DATA=%s: %w", dir, err)
	}
	if len(entries) > 0 {
		return usagef("ZS_DATA=%s 不是空目录（已有 %s 等 %d 项）；恢复只写入空的数据目录，请换一个目录或先移走现有数据",
			dir, entries[0].Name(), len(entries))
	}
	return nil
}

func requireEmptyDB(ctx context.Context, db *mongo.Database) error {
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("cannot list collections: %w", err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "system.") {
			continue
		}
		k, err := db.Collection(n).CountDocuments(ctx, bson.D{}, options.Count().SetLimit(1))
		if err != nil {
			return err
		}
		if k > 0 {
			return usagef("MONGO_DB=%s 中集合 %s 已有数据；恢复只写入空的数据库", db.Name(), n)
		}
	}
	return nil
}

// corrupt is a bad backup file: exit 2 with the reason.
func corrupt(format string, args ...any) error {
	return usagef("备份文件不可用：%s", fmt.Sprintf(format, args...))
}

// entryCheck is what one pass saw of one tar entry.
type entryCheck struct {
	size  int64
	sum   string
	count int64
}

// verifyBackup reads the whole file: gzip CRC, tar structure, every
// collection entry parsed as BSON, every entry hashed and compared with the
// manifest. It changes nothing.
func verifyBackup(in string) (*backupManifest, error) {
	var m *backupManifest
	seen := map[string]entryCheck{}
	err := walkBackup(in, func(name string, r io.Reader) error {
		if _, dup := seen[name]; dup {
			return corrupt("条目 %s 重复", name)
		}
		switch {
		case name == manifestEntry:
			b, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
			if err != nil {
				return err
			}
			if len(b) > maxManifest {
				return corrupt("manifest.json 过大")
			}
			m = &backupManifest{}
			if err := json.Unmarshal(b, m); err != nil {
				return corrupt("manifest.json 无法解析：%v", err)
			}
			seen[name] = entryCheck{}
			return nil
		case strings.HasPrefix(name, "collections/"):
			h := sha256.New()
			n, size, err := readBSONStream(r, h, nil)
			if err != nil {
				return corrupt("%s：%v", name, err)
			}
			seen[name] = entryCheck{size: size, sum: hex.EncodeToString(h.Sum(nil)), count: n}
			return nil
		case attachPath.MatchString(name):
			h := sha256.New()
			n, err := io.Copy(h, r)
			if err != nil {
				return err
			}
			seen[name] = entryCheck{size: n, sum: hex.EncodeToString(h.Sum(nil))}
			return nil
		}
		return corrupt("不认识的条目 %q", name)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, corrupt("缺少 manifest.json（文件不完整？）")
	}
	if m.Format != backupFormat {
		return nil, corrupt("不是 zhaoshang 备份（format=%q）", m.Format)
	}
	if m.Version != backupVersion {
		return nil, corrupt("备份格式版本 %d，本程序只认 %d", m.Version, backupVersion)
	}
	want := map[string]bool{manifestEntry: true}
	for _, c := range m.Collections {
		if !collName.MatchString(c.Name) || c.Entry != "collections/"+c.Name+".bson" || want[c.Entry] {
			return nil, corrupt("清单中的集合名 %q 无效", c.Name)
		}
		want[c.Entry] = true
		got, ok := seen[c.Entry]
		switch {
		case !ok:
			return nil, corrupt("缺少集合 %s 的数据", c.Name)
		case got.sum != c.SHA256 || got.size != c.Bytes:
			return nil, corrupt("集合 %s 的校验和不符", c.Name)
		case got.count != c.Count:
			return nil, corrupt("集合 %s 应有 %d 条文档，实有 %d 条", c.Name, c.Count, got.count)
		}
	}
	for _, f := range m.Files {
		if !attachPath.MatchString(f.Path) || want[f.Path] {
			return nil, corrupt("清单中的附件路径 %q 无效", f.Path)
		}
		want[f.Path] = true
		got, ok := seen[f.Path]
		switch {
		case !ok:
			return nil, corrupt("缺少附件 %s", f.Path)
		case got.sum != f.SHA256 || got.size != f.Size:
			return nil, corrupt("附件 %s 的校验和不符", f.Path)
		}
	}
	for name := range seen {
		if !want[name] {
			return nil, corrupt("条目 %s 不在清单中", name)
		}
	}
	return m, nil
}

// walkBackup calls fn for every regular entry and reads the gzip stream to
// its end, so that a bad CRC or a truncated file is an error.
func walkBackup(in string, fn func(name string, r io.Reader) error) error {
	f, err := os.Open(in)
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("找不到备份文件 %s", in)
	}
	if err != nil {
		return usagef("无法读取备份文件 %s：%v", in, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return corrupt("不是 gzip 文件（%v）", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return corrupt("读取失败（文件损坏或被截断）：%v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return corrupt("条目 %q 不是普通文件", hdr.Name)
		}
		if path.Clean(hdr.Name) != hdr.Name || strings.HasPrefix(hdr.Name, "/") || strings.Contains(hdr.Name, "..") {
			return corrupt("条目名 %q 不安全", hdr.Name)
		}
		if err := fn(hdr.Name, tr); err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				return err
			}
			return corrupt("读取 %s 失败（文件损坏或被截断）：%v", hdr.Name, err)
		}
	}
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return corrupt("读取失败（文件损坏或被截断）：%v", err)
	}
	return nil
}

// readBSONStream reads documents one after another until EOF, hashing
// every byte into h and handing each document to fn (if not nil).
func readBSONStream(r io.Reader, h hash.Hash, fn func(bson.Raw) error) (count, size int64, err error) {
	br := bufio.NewReaderSize(io.TeeReader(r, h), 1<<20)
	var head [4]byte
	for {
		if _, err := io.ReadFull(br, head[:]); err == io.EOF {
			return count, size, nil
		} else if err != nil {
			return count, size, fmt.Errorf("第 %d 条文档不完整", count+1)
		}
		n := int64(binary.LittleEndian.Uint32(head[:]))
		if n < 5 || n > maxBSONDoc {
			return count, size, fmt.Errorf("第 %d 条文档长度 %d 无效", count+1, n)
		}
		doc := make([]byte, n)
		copy(doc, head[:])
		if _, err := io.ReadFull(br, doc[4:]); err != nil {
			return count, size, fmt.Errorf("第 %d 条文档不完整", count+1)
		}
		raw := bson.Raw(doc)
		if err := raw.Validate(); err != nil {
			return count, size, fmt.Errorf("第 %d 条文档无效：%v", count+1, err)
		}
		count++
		size += n
		if fn != nil {
			if err := fn(raw); err != nil {
				return count, size, err
			}
		}
	}
}

// loadBackup is the second pass: documents into db, attachments under
// dataDir, then the indexes. Every entry is hashed again (the file could
// have changed since the check).
func loadBackup(ctx context.Context, in string, m *backupManifest, db *mongo.Database, dataDir string, progress func(string)) error {
	colls := map[string]backupCollection{}
	for _, c := range m.Collections {
		colls[c.Entry] = c
	}
	files := map[string]backupFile{}
	for _, f := range m.Files {
		files[f.Path] = f
	}
	loaded := int64(0)
	err := walkBackup(in, func(name string, r io.Reader) error {
		h := sha256.New()
		if c, ok := colls[name]; ok {
			coll := db.Collection(c.Name)
			if err := db.CreateCollection(ctx, c.Name); err != nil {
				var ce mongo.CommandError
				if !errors.As(err, &ce) || ce.Code != 48 {
					return fmt.Errorf("cannot create collection %s: %w", c.Name, err)
				}
			}
			var batch []any
			bytes := 0
			flush := func() error {
				if len(batch) == 0 {
					return nil
				}
				if _, err := coll.InsertMany(ctx, batch); mongo.IsDuplicateKeyError(err) {
					return corrupt("集合 %s 中有重复的 _id", c.Name)
				} else if err != nil {
					return fmt.Errorf("cannot insert into %s: %w", c.Name, err)
				}
				loaded += int64(len(batch))
				progress(fmt.Sprintf("\r写入文档 %8d 条", loaded))
				batch, bytes = batch[:0], 0
				return nil
			}
			_, _, err := readBSONStream(r, h, func(doc bson.Raw) error {
				batch = append(batch, doc)
				bytes += len(doc)
				if len(batch) >= insertBatch || bytes >= insertMaxBytes {
					return flush()
				}
				return nil
			})
			if err == nil {
				err = flush()
			}
			if err != nil {
				return err
			}
			if hex.EncodeToString(h.Sum(nil)) != c.SHA256 {
				return corrupt("集合 %s 的校验和不符", c.Name)
			}
			return nil
		}
		if f, ok := files[name]; ok {
			dst := filepath.Join(dataDir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
				return err
			}
			out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.MultiWriter(out, h), r)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
				return corrupt("附件 %s 的校验和不符", name)
			}
			return nil
		}
		return nil // manifest.json
	})
	progress("\n")
	if err != nil {
		return err
	}
	for _, c := range m.Collections {
		for _, ix := range c.Indexes {
			if err := createIndex(ctx, db, c.Name, ix); err != nil {
				return err
			}
		}
	}
	return nil
}

// createIndex recreates one index from its listIndexes description.
func createIndex(ctx context.Context, db *mongo.Database, coll string, spec json.RawMessage) error {
	var d bson.D
	if err := bson.UnmarshalExtJSON(spec, false, &d); err != nil {
		return corrupt("集合 %s 的索引说明无法解析：%v", coll, err)
	}
	clean := bson.D{}
	for _, e := range d {
		if e.Key != "v" && e.Key != "ns" {
			clean = append(clean, e)
		}
	}
	cmd := bson.D{{Key: "createIndexes", Value: coll}, {Key: "indexes", Value: bson.A{clean}}}
	if err := db.RunCommand(ctx, cmd).Err(); err != nil {
		return fmt.Errorf("cannot recreate an index on %s: %w", coll, err)
	}
	return nil
}
