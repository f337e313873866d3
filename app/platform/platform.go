// Package platform wires the process: configuration, the document store,
// the search engine, the outbox sync and every module's service. Commands,
// the HTTP server and tests all start from Open.
package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zhaoshang/app/storage"
	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/push"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
	"zhaoshang/search"
	"zhaoshang/search/bleve"
	"zhaoshang/search/meili"
)

// Config is read from the environment (ARCHITECTURE.md lists the variables).
type Config struct {
	Addr          string // ZS_ADDR
	DataDir       string // ZS_DATA
	MongoURI      string // MONGO_URI
	DBName        string // MONGO_DB
	MeiliURL      string // MEILI_URL
	MeiliKey      string // MEILI_KEY
	MeiliIndex    string // ZS_MEILI_INDEX (default zhaoshang)
	AdminPassword string // ZS_ADMIN_PASSWORD
	SecureCookies bool   // ZS_SECURE_COOKIES
	// FilesDir holds uploaded files: attachments/ and imports/ (ZS_FILES,
	// default ZS_DATA). Several instances on one MongoDB each keep their
	// own ZS_DATA (lock, local index) and share FilesDir on one volume.
	FilesDir string
	// LoginPerMinute bounds login attempts per client IP and minute
	// (ZS_LOGIN_PER_MINUTE, default 10; the load benchmark raises it).
	LoginPerMinute int
	// DemoScale > 0 loads the demo data set at start (serve --demo N).
	DemoScale int
}

// ConfigFromEnv reads Config with defaults.
func ConfigFromEnv() Config {
	get := func(k, def string) string {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			return v
		}
		return def
	}
	sc := strings.ToLower(get("ZS_SECURE_COOKIES", ""))
	return Config{
		Addr:           get("ZS_ADDR", "127.0.0.1:8080"),
		DataDir:        get("ZS_DATA", "./data"),
		MongoURI:       get("MONGO_URI", ""),
		DBName:         get("MONGO_DB", "zhaoshang"),
		MeiliURL:       get("MEILI_URL", ""),
		MeiliKey:       get("MEILI_KEY", ""),
		MeiliIndex:     get("ZS_MEILI_INDEX", "zhaoshang"),
		AdminPassword:  os.Getenv("ZS_ADMIN_PASSWORD"),
		SecureCookies:  sc == "1" || sc == "true" || sc == "yes",
		LoginPerMinute: atoiOr(get("ZS_LOGIN_PER_MINUTE", ""), 10),
		FilesDir:       get("ZS_FILES", ""),
	}
}

// Files is the directory of uploaded files of one kind (attachments,
// imports): under ZS_FILES when set, else under ZS_DATA.
func (c Config) Files(sub string) string {
	if c.FilesDir != "" {
		return filepath.Join(c.FilesDir, sub)
	}
	return filepath.Join(c.DataDir, sub)
}

// Platform is one wired process.
type Platform struct {
	Cfg    Config
	Log    *slog.Logger
	Store  *storage.Store
	Engine search.Engine // nil when attached to a serving process with the embedded index
	// Swap is Engine, replaceable while serving (rebuild aside, then swap).
	Swap *search.Swappable
	Sync *search.Sync

	Matrix   *matrix.Service
	Users    *users.Service
	Projects *projects.Repo
	Records  *Records
	Imports  *batch.Importer
	// Push is 资源推送: saved searches, subscriptions, inboxes, the matcher.
	Push *push.Service

	// rebuilt is set when the embedded index was recreated empty at open
	// (a new schema or kept-record shape).
	rebuilt bool
}

// Options say what the process is.
type Options struct {
	Role    string // serve, seed, import, export, reindex, user, backup
	Serving bool
}

// Open connects everything. Errors are one-line reasons fit for stderr.
func Open(ctx context.Context, cfg Config, opt Options, log *slog.Logger) (*Platform, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := core.CheckZone(); err != nil {
		return nil, err
	}
	st, err := storage.Open(ctx, storage.Config{DataDir: cfg.DataDir, MongoURI: cfg.MongoURI, DBName: cfg.DBName,
		Role: opt.Role, Serving: opt.Serving, Logger: log})
	if err != nil {
		return nil, err
	}
	core.UseIDOnlyFilters(st.Embedded)
	p := &Platform{Cfg: cfg, Log: log, Store: st}
	if err := p.openEngine(ctx); err != nil {
		st.Close(context.Background())
		return nil, err
	}
	p.Sync = search.NewSync(st.DB, p.Engine, p.Engine == nil, log)
	p.Users = users.New(st.DB, p.Sync, log)
	p.Matrix = matrix.New(st.DB, p.Users)
	p.Projects = projects.NewRepo(st.DB, p.Sync, p.Users)
	p.Records = newRecords(st.DB, p.Sync, p.Users)
	p.Imports = p.newImporter()
	p.Push = push.New(st.DB, p.Sync.Engine, p.Matrix, resources.NewService(p.Records.Talents, p.Records.Enterprises,
		p.Records.Institutes, p.Records.Results, p.Matrix), projects.NewService(p.Projects, p.ProjectVocab()), p.Users, log)
	if err := st.EnsureCollections(ctx, Collections, cfg.DataDir); err != nil {
		p.Close()
		return nil, err
	}
	if err := p.ensureIndexes(ctx); err != nil {
		p.Close()
		return nil, err
	}
	if err := p.Matrix.EnsureDefaults(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("cannot prepare default units: %w", err)
	}
	if p.rebuilt && opt.Role != "serve" {
		// A command reads the index (export, import matching) right away;
		// the server catches up in the background instead.
		start := time.Now()
		n, err := p.Sync.CatchUp(ctx)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("cannot rebuild the search index: %w", err)
		}
		log.Info("search index rebuilt", "records", n, "ms", time.Since(start).Milliseconds())
	}
	return p, nil
}

// Schema is the union of every module's search fields.
func Schema() (search.Schema, error) {
	all := search.Schema{}
	for _, s := range schemas() {
		for k, t := range s {
			if have, ok := all[k]; ok && have != t {
				return nil, fmt.Errorf("search field %q declared with two types", k)
			}
			all[k] = t
		}
	}
	return all, nil
}

func (p *Platform) openEngine(ctx context.Context) error {
	schema, err := Schema()
	if err != nil {
		return err
	}
	if p.Cfg.MeiliURL != "" {
		mctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		e, err := meili.New(mctx, p.Cfg.MeiliURL, p.Cfg.MeiliKey, p.Cfg.MeiliIndex, schema)
		if err != nil {
			return fmt.Errorf("cannot use Meilisearch at %s: %v", p.Cfg.MeiliURL, err)
		}
		p.Swap = search.NewSwappable(e)
		p.Engine = p.Swap
		return nil
	}
	if !p.Store.Owner {
		// The serving process owns the Bleve files; our writes wait in the
		// outbox and the server indexes them within seconds.
		return nil
	}
	dir := p.searchDir()
	p.removeStaleIndexes(dir)
	e, err := bleve.Open(dir, schema, KeptFormats()...)
	if errors.Is(err, bleve.ErrSchemaChanged) {
		// A new release indexes new fields or keeps records of a new shape:
		// rebuild the derived index from Mongo (CatchUp at start reindexes
		// everything that is missing).
		p.Log.Info("search schema changed; rebuilding the embedded index", "dir", dir)
		if err = os.RemoveAll(dir); err == nil {
			e, err = bleve.Open(dir, schema, KeptFormats()...)
			p.rebuilt = err == nil
		}
	}
	if err != nil {
		return fmt.Errorf("cannot open search index in %s: %v", dir, err)
	}
	p.Swap = search.NewSwappable(e)
	p.Engine = p.Swap
	return nil
}

// Ready reports the first failing part, or nil.
func (p *Platform) Ready(ctx context.Context) (part string, err error) {
	if err := p.Store.Ping(ctx); err != nil {
		return "mongo", err
	}
	if err := p.Sync.Health(ctx); err != nil {
		return "search", err
	}
	return "", nil
}

// EnsureAdmin creates the admin account on first start and prints a
// generated password once.
func (p *Platform) EnsureAdmin(ctx context.Context, out func(string)) error {
	created, generated, err := p.Users.EnsureAdmin(ctx, p.Cfg.AdminPassword)
	if err != nil {
		return err
	}
	if created && generated != "" && out != nil {
		out(fmt.Sprintf("已创建管理员账户 admin，初始密码（只显示这一次）：%s", generated))
	}
	return nil
}

// Scope returns the data scope of a user.
func (p *Platform) Scope(u *users.User) core.Scope { return users.ScopeOf(u, p.Matrix) }

// Close releases the engine and the store.
func (p *Platform) Close() {
	if p.Engine != nil {
		if err := p.Engine.Close(); err != nil {
			p.Log.Warn("closing search engine", "err", err)
		}
	}
	p.Store.Close(context.Background())
}

// IsBusy reports whether err means the data dir is held by another process.
func IsBusy(err error) bool { return errors.Is(err, storage.ErrBusy) }

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n
	}
	return def
}
