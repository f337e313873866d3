package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/search"
	"zhaoshang/search/bleve"
	"zhaoshang/search/meili"
)

// The embedded index lives in a directory under ZS_DATA named by the file
// search.current ("search" when absent): a rebuild fills a new directory
// aside while the old one serves, then the pointer moves and the old
// directory is removed.
const searchCurrent = "search.current"

// searchDir is the embedded index directory in use.
func (p *Platform) searchDir() string {
	name := "search"
	if b, err := os.ReadFile(filepath.Join(p.Cfg.DataDir, searchCurrent)); err == nil {
		if n := strings.TrimSpace(string(b)); n != "" && !strings.ContainsAny(n, "/\\") && n != "." && n != ".." {
			name = n
		}
	}
	return filepath.Join(p.Cfg.DataDir, name)
}

// removeStaleIndexes deletes rebuild directories left by a rebuild that
// was interrupted (process killed) before its swap: the pointer still names
// the old index, which serves on.
func (p *Platform) removeStaleIndexes(current string) {
	dirs, _ := filepath.Glob(filepath.Join(p.Cfg.DataDir, "search-*"))
	for _, d := range dirs {
		if d != current {
			p.Log.Info("removing an interrupted rebuild's index", "dir", d)
			os.RemoveAll(d)
		}
	}
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Reindex rebuilds the search index from Mongo aside while the current one
// keeps serving, then swaps (see search.Sync.RebuildAside). It needs the
// engine in this process: the server, a command on a stopped data dir, or
// any process with MEILI_URL.
func (p *Platform) Reindex(ctx context.Context, progress func(kind search.Kind, done int)) error {
	if p.Swap == nil {
		return errors.New("search: the running server owns the embedded index; ask it to rebuild (zhaoshang reindex does)")
	}
	schema, err := Schema()
	if err != nil {
		return err
	}
	if p.Cfg.MeiliURL != "" {
		tmp := p.Cfg.MeiliIndex + "_rebuild"
		fresh, err := meili.New(ctx, p.Cfg.MeiliURL, p.Cfg.MeiliKey, tmp, schema)
		if err != nil {
			return fmt.Errorf("cannot create the rebuild index %s: %v", tmp, err)
		}
		_ = fresh.DropIndex(ctx) // a leftover of an interrupted rebuild
		if fresh, err = meili.New(ctx, p.Cfg.MeiliURL, p.Cfg.MeiliKey, tmp, schema); err != nil {
			return fmt.Errorf("cannot create the rebuild index %s: %v", tmp, err)
		}
		return p.Sync.RebuildAside(ctx, p.Swap, fresh, func(ctx context.Context, old, fresh search.Engine) (search.Engine, search.Engine, error) {
			o, f := old.(*meili.Engine), fresh.(*meili.Engine)
			if err := o.SwapWith(ctx, f); err != nil {
				return nil, nil, err
			}
			_ = f.DropIndex(ctx) // now holds the old documents
			return o, f, nil
		}, progress)
	}
	oldDir := p.searchDir()
	name := "search-" + time.Now().UTC().Format("20060102T150405.000")
	newDir := filepath.Join(p.Cfg.DataDir, name)
	fresh, err := bleve.Open(newDir, schema, KeptFormats()...)
	if err != nil {
		return fmt.Errorf("cannot create the rebuild index in %s: %v", newDir, err)
	}
	err = p.Sync.RebuildAside(ctx, p.Swap, fresh, func(_ context.Context, old, fresh search.Engine) (search.Engine, search.Engine, error) {
		if err := writeFileAtomic(filepath.Join(p.Cfg.DataDir, searchCurrent), []byte(name+"\n")); err != nil {
			return nil, nil, err
		}
		return fresh, old, nil
	}, progress)
	if err != nil {
		os.RemoveAll(newDir)
		return err
	}
	if err := os.RemoveAll(oldDir); err != nil {
		p.Log.Warn("old search index not removed", "dir", oldDir, "err", err)
	}
	return nil
}

// ReindexJob is the state of a rebuild requested through the store (by
// `zhaoshang reindex` while a server owns the embedded index), in the
// document search_jobs/reindex.
type ReindexJob struct {
	ID        string         `bson:"_id"`
	State     string         `bson:"state"` // requested, running, done, failed
	By        string         `bson:"by,omitempty"`
	Requested time.Time      `bson:"requested"`
	Started   time.Time      `bson:"started,omitempty"`
	Finished  time.Time      `bson:"finished,omitempty"`
	Kind      string         `bson:"kind,omitempty"` // kind being indexed
	Done      map[string]int `bson:"done,omitempty"` // records indexed per kind
	Error     string         `bson:"error,omitempty"`
}

// SearchJobsCollection holds ReindexJob.
const SearchJobsCollection = "search_jobs"

func (p *Platform) reindexJobs() *mongo.Collection {
	return p.Store.DB.Collection(SearchJobsCollection)
}

// RequestReindex asks the serving process for a rebuild; it refuses while
// one is running.
func (p *Platform) RequestReindex(ctx context.Context, by string) error {
	var j ReindexJob
	err := p.reindexJobs().FindOne(ctx, bson.D{{Key: "_id", Value: "reindex"}}).Decode(&j)
	if err == nil && (j.State == "requested" || j.State == "running") {
		return search.ErrRebuildRunning
	}
	_, err = p.reindexJobs().ReplaceOne(ctx, bson.D{{Key: "_id", Value: "reindex"}},
		ReindexJob{ID: "reindex", State: "requested", By: by, Requested: time.Now().UTC()}, options.Replace().SetUpsert(true))
	return err
}

// ReindexStatus reads the requested rebuild's state (nil if none).
func (p *Platform) ReindexStatus(ctx context.Context) (*ReindexJob, error) {
	var j ReindexJob
	err := p.reindexJobs().FindOne(ctx, bson.D{{Key: "_id", Value: "reindex"}}).Decode(&j)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	return &j, err
}

// ServeReindexRequests runs requested rebuilds until ctx ends (the server
// starts it; the engine lives in the serving process).
func (p *Platform) ServeReindexRequests(ctx context.Context, every time.Duration) {
	poll(ctx, every, func() {
		j, err := p.ReindexStatus(ctx)
		if err != nil || j == nil || j.State != "requested" || p.Swap == nil {
			return
		}
		set := func(fields bson.D) {
			_, _ = p.reindexJobs().UpdateOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: "reindex"}}, bson.D{{Key: "$set", Value: fields}})
		}
		set(bson.D{{Key: "state", Value: "running"}, {Key: "started", Value: time.Now().UTC()}})
		done, last := map[string]int{}, time.Time{}
		err = p.Reindex(ctx, func(kind search.Kind, n int) {
			done[kind] = n
			if time.Since(last) > 500*time.Millisecond {
				last = time.Now()
				set(bson.D{{Key: "kind", Value: kind}, {Key: "done", Value: done}})
			}
		})
		if err != nil {
			p.Log.Error("requested reindex failed; the old index keeps serving", "err", err)
			set(bson.D{{Key: "state", Value: "failed"}, {Key: "error", Value: err.Error()}, {Key: "finished", Value: time.Now().UTC()}})
			return
		}
		p.Log.Info("search index rebuilt aside and swapped", "records", done)
		set(bson.D{{Key: "state", Value: "done"}, {Key: "done", Value: done}, {Key: "finished", Value: time.Now().UTC()}})
	})
}

// poll runs round every interval until ctx ends: the serving process's
// loops over requests that commands leave in the store.
func poll(ctx context.Context, every time.Duration, round func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		round()
	}
}
