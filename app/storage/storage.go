// Package storage opens the data directory: it takes the directory lock,
// starts the embedded MongoDB-wire-compatible store (FerretDB, SQLite
// backend) unless MONGO_URI is set, and connects the official driver.
// A command started while a server holds the directory attaches to that
// server's store instead of opening the SQLite files a second time.
package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readpref"
)

// Config says where the data lives.
type Config struct {
	DataDir  string // ZS_DATA
	MongoURI string // MONGO_URI; empty = embedded store
	DBName   string // MONGO_DB
	// Role names the process in the lock file: "serve", "seed", "import" ...
	Role string
	// Serving processes refuse to share a data dir; commands attach.
	Serving bool
	Logger  *slog.Logger
}

// Store is an open connection to the document store.
type Store struct {
	Client *mongo.Client
	DB     *mongo.Database
	// Owner is true when this process holds the data dir lock; false when it
	// attached to a serving process (which then owns the search index files).
	Owner bool
	// Embedded is true when the store is the in-process FerretDB.
	Embedded bool
	// Holder describes the serving process this one attached to.
	Holder *LockInfo

	lock   *os.File
	cancel context.CancelFunc
	done   chan struct{}
}

// LockInfo is written to <data>/zhaoshang.pid by the process holding the lock.
type LockInfo struct {
	PID      int       `json:"pid"`
	Role     string    `json:"role"`
	MongoURI string    `json:"mongo_uri,omitempty"` // only for the embedded store (loopback)
	Started  time.Time `json:"started"`
}

// ErrBusy means another process holds the data dir and this one may not share it.
var ErrBusy = errors.New("data dir busy")

const lockName = "zhaoshang.lock"
const infoName = "zhaoshang.pid"

// Open takes the lock (or attaches) and connects.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.DBName == "" {
		cfg.DBName = "zhaoshang"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create data dir %s: %w", cfg.DataDir, err)
	}
	lockPath := filepath.Join(cfg.DataDir, lockName)
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("cannot open lock file %s: %w", lockPath, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("cannot lock data dir %s: %w", cfg.DataDir, err)
		}
		return attach(ctx, cfg)
	}
	s := &Store{Owner: true, lock: f}
	uri := cfg.MongoURI
	if uri == "" {
		uri, err = s.startEmbedded(cfg)
		if err != nil {
			s.Close(context.Background())
			return nil, err
		}
	}
	if err := s.connect(ctx, uri, cfg.DBName); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	info := LockInfo{PID: os.Getpid(), Role: cfg.Role, Started: time.Now().UTC()}
	if s.Embedded {
		info.MongoURI = uri
	}
	b, _ := json.Marshal(info)
	if err := os.WriteFile(filepath.Join(cfg.DataDir, infoName), b, 0o640); err != nil {
		s.Close(context.Background())
		return nil, fmt.Errorf("cannot write %s: %w", infoName, err)
	}
	return s, nil
}

func attach(ctx context.Context, cfg Config) (*Store, error) {
	b, err := os.ReadFile(filepath.Join(cfg.DataDir, infoName))
	var info LockInfo
	if err == nil {
		err = json.Unmarshal(b, &info)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s is locked by another zhaoshang process", ErrBusy, cfg.DataDir)
	}
	if cfg.Serving {
		return nil, fmt.Errorf("%w: %s is in use by zhaoshang %s (pid %d); stop it or choose another ZS_DATA",
			ErrBusy, cfg.DataDir, info.Role, info.PID)
	}
	if info.Role != "serve" {
		return nil, fmt.Errorf("%w: %s is in use by zhaoshang %s (pid %d); wait for it to finish",
			ErrBusy, cfg.DataDir, info.Role, info.PID)
	}
	uri := cfg.MongoURI
	if uri == "" {
		uri = info.MongoURI
	}
	if uri == "" {
		return nil, fmt.Errorf("%w: the server using %s did not publish its store address", ErrBusy, cfg.DataDir)
	}
	s := &Store{Holder: &info, Embedded: cfg.MongoURI == ""}
	if err := s.connect(ctx, uri, cfg.DBName); err != nil {
		return nil, err
	}
	cfg.Logger.Info("attached to the running server's store", "pid", info.PID)
	return s, nil
}

func (s *Store) startEmbedded(cfg Config) (string, error) {
	dir := filepath.Join(cfg.DataDir, "store")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	// FerretDB logs every error reply at Warn/Info; only real failures matter here.
	quiet := slog.New(cfg.Logger.Handler()).With("component", "ferretdb")
	quiet = slog.New(levelFilter{h: quiet.Handler(), min: slog.LevelError})
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    quiet,
	})
	if err != nil {
		return "", fmt.Errorf("cannot start embedded store in %s: %w", dir, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done, s.Embedded = cancel, make(chan struct{}), true
	go func() {
		defer close(s.done)
		if err := f.Run(ctx); err != nil && ctx.Err() == nil {
			cfg.Logger.Error("embedded store stopped", "err", err)
		}
	}()
	return f.MongoDBURI(), nil
}

func (s *Store) connect(ctx context.Context, uri, db string) error {
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(5 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetMaxPoolSize(64)
	c, err := mongo.Connect(ctx, opts)
	if err != nil {
		return fmt.Errorf("cannot connect to MongoDB: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	if err := c.Ping(pctx, readpref.Primary()); err != nil {
		_ = c.Disconnect(context.Background())
		return fmt.Errorf("MongoDB at %s does not answer: %v", redact(uri), oneLine(err))
	}
	s.Client, s.DB = c, c.Database(db)
	return nil
}

// Ping checks the store answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.Client.Ping(ctx, readpref.Primary())
}

// Close disconnects, stops the embedded store and releases the lock.
func (s *Store) Close(ctx context.Context) {
	if s.Client != nil {
		_ = s.Client.Disconnect(ctx)
	}
	if s.cancel != nil {
		s.cancel()
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
		}
	}
	if s.lock != nil {
		_ = os.Remove(filepath.Join(filepath.Dir(s.lock.Name()), infoName))
		_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		_ = s.lock.Close()
		s.lock = nil
	}
}
