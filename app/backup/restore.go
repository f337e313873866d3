package backup

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/app/platform"
	"zhaoshang/app/storage"
	"zhaoshang/search"
)

// Restore restores the backup file in into cfg's store and data dir, which
// must be empty. It checks the whole file first (gzip CRC, sha256 and count
// of every entry against the manifest), takes the data dir's lock, loads it
// into a temporary directory inside ZS_DATA, rebuilds the search index there,
// and renames the parts into place, so a failure leaves nothing half-written
// (and a data dir it created removed). progress gets terminal progress text.
func Restore(ctx context.Context, cfg platform.Config, in string, log *slog.Logger, progress func(string)) (*Manifest, error) {
	if log == nil {
		log = slog.Default()
	}
	if progress == nil {
		progress = func(string) {}
	}
	if err := requireEmptyDir(cfg.DataDir); err != nil {
		return nil, err
	}
	m, err := Verify(in)
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
		return nil, inputf("ZS_DATA=%s 正被另一个 zhaoshang 进程使用", cfg.DataDir)
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
		return inputf("ZS_DATA=%s 不是空目录（已有 %s 等 %d 项）；恢复只写入空的数据目录，请换一个目录或先移走现有数据",
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
			return inputf("MONGO_DB=%s 中集合 %s 已有数据；恢复只写入空的数据库", db.Name(), n)
		}
	}
	return nil
}

// loadBackup is the second pass: documents into db, attachments under
// dataDir, then the indexes. Every entry is hashed again (the file could
// have changed since the check).
func loadBackup(ctx context.Context, in string, m *Manifest, db *mongo.Database, dataDir string, progress func(string)) error {
	colls := map[string]Collection{}
	for _, c := range m.Collections {
		colls[c.Entry] = c
	}
	files := map[string]File{}
	for _, f := range m.Files {
		files[f.Path] = f
	}
	loaded := int64(0)
	err := Walk(in, func(name string, r io.Reader) error {
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
			_, _, err := ReadBSON(r, h, func(doc bson.Raw) error {
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
			if hexSum(h) != c.SHA256 {
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
			if hexSum(h) != f.SHA256 {
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
