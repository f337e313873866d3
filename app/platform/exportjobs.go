package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/modules/users"
)

// ExportJob is an export run by the serving process for `zhaoshang export`
// beside it: the command has the store but not the embedded index, which
// exports read (filters, unit scopes and the kept records). The workbook
// is written under the shared files dir and taken by the command.
type ExportJob struct {
	ID        string            `bson:"_id"`
	State     string            `bson:"state"` // requested, running, done, failed
	Kind      string            `bson:"kind"`
	Filters   map[string]string `bson:"filters,omitempty"`
	As        string            `bson:"as"`
	File      string            `bson:"file,omitempty"` // the workbook, when done
	Rows      int               `bson:"rows,omitempty"`
	Error     string            `bson:"error,omitempty"`
	Field     string            `bson:"field,omitempty"` // the bad filter, for a refused request
	Requested time.Time         `bson:"requested"`
	Finished  time.Time         `bson:"finished,omitempty"`
}

// ExportJobsCollection holds ExportJob documents.
const ExportJobsCollection = "export_jobs"

func (p *Platform) exportJobs() *mongo.Collection { return p.Store.DB.Collection(ExportJobsCollection) }

// RequestExport asks the serving process for an export and returns the job id.
func (p *Platform) RequestExport(ctx context.Context, kind, as string, filters map[string]string) (string, error) {
	j := ExportJob{ID: core.NewID(), State: "requested", Kind: kind, As: as, Filters: filters, Requested: time.Now().UTC()}
	if _, err := p.exportJobs().InsertOne(ctx, j); err != nil {
		return "", fmt.Errorf("request export: %w", err)
	}
	return j.ID, nil
}

// ExportStatus reads an export job by id.
func (p *Platform) ExportStatus(ctx context.Context, id string) (*ExportJob, error) {
	var j ExportJob
	if err := p.exportJobs().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&j); err != nil {
		return nil, err
	}
	return &j, nil
}

// ForgetExport removes a finished job and its workbook.
func (p *Platform) ForgetExport(ctx context.Context, j *ExportJob) {
	if j.File != "" {
		_ = os.Remove(j.File)
	}
	_, _ = p.exportJobs().DeleteOne(ctx, bson.D{{Key: "_id", Value: j.ID}})
}

// ServeExportRequests runs requested exports until ctx ends (the server
// starts it: the engine lives in the serving process). The collection only
// ever holds the few jobs of commands waiting right now.
func (p *Platform) ServeExportRequests(ctx context.Context, every time.Duration) {
	poll(ctx, every, func() {
		cur, err := p.exportJobs().Find(ctx, bson.D{{Key: "state", Value: "requested"}})
		if err != nil {
			return
		}
		var jobs []ExportJob
		if cur.All(ctx, &jobs) != nil {
			return
		}
		for _, j := range jobs {
			p.runExport(ctx, j)
		}
	})
}

func (p *Platform) runExport(ctx context.Context, j ExportJob) {
	set := func(fields bson.D) {
		_, _ = p.exportJobs().UpdateOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: j.ID}}, bson.D{{Key: "$set", Value: fields}})
	}
	// Claim the job, so that a second serving process never runs it too.
	res, err := p.exportJobs().UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}, {Key: "state", Value: "requested"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: "running"}}}})
	if err != nil || res.ModifiedCount != 1 {
		return
	}
	file, rows, err := p.exportFile(ctx, j)
	now := time.Now().UTC()
	if err != nil {
		msg, field := err.Error(), ""
		if fe, ok := core.AsFieldError(err); ok {
			msg, field = fe.Message, fe.Field
		}
		set(bson.D{{Key: "state", Value: "failed"}, {Key: "error", Value: msg}, {Key: "field", Value: field}, {Key: "finished", Value: now}})
		return
	}
	set(bson.D{{Key: "state", Value: "done"}, {Key: "file", Value: file}, {Key: "rows", Value: rows}, {Key: "finished", Value: now}})
}

// exportFile writes the job's workbook under the shared files dir, as the
// job's user (their unit scope), audited as an export.
func (p *Platform) exportFile(ctx context.Context, j ExportJob) (string, int, error) {
	u, err := p.Users.Get(ctx, j.As)
	if errors.Is(err, core.ErrNotFound) {
		return "", 0, core.Invalid("as", "未知用户 %q", j.As)
	}
	if err != nil {
		return "", 0, err
	}
	write, err := p.Exporter(j.Kind, users.ScopeOf(u, p.Matrix), j.Filters)
	if err != nil {
		return "", 0, err
	}
	dir := p.Cfg.Files("exports")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, err
	}
	path := filepath.Join(dir, j.ID+".xlsx")
	f, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	rows, err := write(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", 0, err
	}
	p.Users.Audit(ctx, core.Actor{User: u.Username()}, core.AuditEntry{Action: "export", Kind: j.Kind,
		Note: fmt.Sprintf("%d 行 zhaoshang export（由服务进程执行）", rows)})
	return path, rows, nil
}
