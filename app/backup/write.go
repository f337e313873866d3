package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	_ "modernc.org/sqlite" // VACUUM INTO on the embedded store's file

	"zhaoshang/app/platform"
	"zhaoshang/app/storage"
)

// Write writes the backup of cfg's store and attachments to out
// (through a temporary file renamed into place) and returns its manifest.
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
func Write(ctx context.Context, cfg platform.Config, out string, log *slog.Logger) (*Manifest, error) {
	if log == nil {
		log = slog.Default()
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return nil, inputf("--out %s 是目录，请给出文件名", out)
	}
	if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
		return nil, inputf("--out %s：目录 %s 不存在", out, filepath.Dir(out))
	}
	dbFile := filepath.Join(cfg.DataDir, "store", cfg.DBName+".sqlite")
	if cfg.MongoURI == "" {
		if _, err := os.Stat(dbFile); err != nil {
			return nil, inputf("ZS_DATA=%s 中没有数据（找不到 %s）", cfg.DataDir, dbFile)
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

	m := &Manifest{Format: Format, Version: Version, CreatedAt: time.Now().UTC().Truncate(time.Second),
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
	if err := writeEntry(tw, ManifestEntry, int64(len(mb)), strings.NewReader(string(mb))); err != nil {
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

func dumpCollection(readCtx, ctx context.Context, coll *mongo.Collection, work string, tw *tar.Writer) (*Collection, error) {
	c := &Collection{Name: coll.Name(), Entry: "collections/" + coll.Name() + ".bson"}
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
	c.SHA256 = hexSum(h)
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return c, writeEntry(tw, c.Entry, c.Bytes, tmp)
}

func addAttachments(tw *tar.Writer, dir string) ([]File, error) {
	var files []File
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
		files = append(files, File{Path: name, Size: st.Size(), SHA256: hexSum(h)})
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
