package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
)

// Collections of the importer (listed in app/platform Collections so that
// the embedded store indexes their _id).
const (
	JobsCollection   = "import_jobs"
	ChunksCollection = "import_chunks"
)

// Job states.
const (
	StateDraft      = "draft"       // uploaded, previewed, not written
	StateCommitting = "committing"  // chunks being written
	StateDone       = "done"        // committed
	StateRolledBack = "rolled_back" // interrupted or failed, every written chunk undone
	StateUndone     = "undone"      // undone on request
)

// StateLabels are the Chinese names of the states.
var StateLabels = map[string]string{StateDraft: "待导入", StateCommitting: "导入中", StateDone: "已导入",
	StateRolledBack: "已回滚", StateUndone: "已撤销"}

// Owner is the process that commits a job (crash detection).
type Owner struct {
	Host string `bson:"host" json:"host"`
	PID  int    `bson:"pid" json:"pid"`
}

// Job is one import batch: its file, who, when, state and counts. Its id is
// the batch id every written record carries in Meta.Batch.
type Job struct {
	ID     string `bson:"_id" json:"id"`
	Kind   string `bson:"kind" json:"kind"`
	File   string `bson:"file" json:"file"` // name as uploaded
	Size   int64  `bson:"size" json:"size"`
	Source string `bson:"source,omitempty" json:"-"` // stored copy under Dir
	// RejectedFile is the workbook of the rows not written, if any.
	RejectedFile string            `bson:"rejected_file,omitempty" json:"-"`
	By           string            `bson:"by" json:"by"`
	Unit         string            `bson:"unit" json:"unit"` // default unit of the rows
	State        string            `bson:"state" json:"state"`
	Message      string            `bson:"message,omitempty" json:"message,omitempty"`
	Mapping      map[string]string `bson:"mapping,omitempty" json:"mapping,omitempty"`       // column index → field key
	HeaderRow    int               `bson:"header_row,omitempty" json:"header_row,omitempty"` // 1-based row chosen as the header (0: detected)
	Confirm      []int             `bson:"confirm,omitempty" json:"confirm,omitempty"`       // review rows to write anyway
	Report       Report            `bson:"report" json:"report"`
	Chunks       int               `bson:"chunks" json:"chunks"`
	Owner        Owner             `bson:"owner" json:"-"`
	Heartbeat    time.Time         `bson:"heartbeat" json:"-"`
	CreatedAt    time.Time         `bson:"created_at" json:"created_at"`
	Started      time.Time         `bson:"started,omitempty" json:"started,omitzero"`
	Finished     time.Time         `bson:"finished,omitempty" json:"finished,omitzero"`
	UndoneBy     string            `bson:"undone_by,omitempty" json:"undone_by,omitempty"`
	UndoneAt     time.Time         `bson:"undone_at,omitempty" json:"undone_at,omitzero"`
}

// StateLabel is the job's state in Chinese.
func (j *Job) StateLabel() string { return StateLabels[j.State] }

// chunk is the journal of one written chunk, stored before its records are
// written: rollback and undo read it back by _id (batch/000001, ...).
type chunk struct {
	ID      string   `bson:"_id"`
	Batch   string   `bson:"batch"`
	Seq     int      `bson:"seq"`
	Created []string `bson:"created"`
	Updated []update `bson:"updated"`
	Done    bool     `bson:"done"`
}

type update struct {
	ID     string   `bson:"id"`
	From   int64    `bson:"from"` // version before the import
	Before bson.Raw `bson:"before"`
}

func chunkID(batch string, seq int) string { return fmt.Sprintf("%s/%06d", batch, seq) }

// NewBatchID is a sortable batch id: imp-20261125-153000-<random>.
func NewBatchID(now time.Time) string {
	return "imp-" + now.In(core.Zone()).Format("20060102-150405") + "-" + core.NewID()[:6]
}

// Job loads a job by id.
func (im *Importer) Job(ctx context.Context, id string) (*Job, error) {
	var j Job
	err := im.jobs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&j)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("import %s: %w", id, core.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", id, err)
	}
	return &j, nil
}

// Visible reports whether scope may see (and a manager undo) job j: its
// importer, or anyone whose scope covers the job's unit.
func Visible(j *Job, user string, scope core.Scope) bool {
	return j.By == user || scope.Allows(j.Unit)
}

// List returns the jobs user may see, newest first. Jobs are few (one per
// file imported), so the collection is read whole.
func (im *Importer) List(ctx context.Context, user string, scope core.Scope, kind string) ([]Job, error) {
	cur, err := im.jobs.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("imports: list: %w", err)
	}
	defer cur.Close(ctx)
	var out []Job
	for cur.Next(ctx) {
		var j Job
		if err := cur.Decode(&j); err != nil {
			return nil, fmt.Errorf("imports: list: %w", err)
		}
		if Visible(&j, user, scope) && (kind == "" || j.Kind == kind) {
			out = append(out, j)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].CreatedAt.After(out[b].CreatedAt) })
	return out, cur.Err()
}

func (im *Importer) setJob(ctx context.Context, id string, set bson.D) error {
	_, err := im.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("import %s: save: %w", id, err)
	}
	return nil
}

func (im *Importer) owner() Owner {
	h, _ := os.Hostname()
	return Owner{Host: h, PID: os.Getpid()}
}

// MayUndo reports whether user may undo job j: its importer, or a manager
// (admin) whose scope covers the job's unit.
func MayUndo(j *Job, user string, manager bool, scope core.Scope) bool {
	return j.By == user || (manager && scope.Allows(j.Unit))
}

// CreateDraft stores j as an uploaded, not yet committed job (state draft;
// id and creation time filled in when empty). The upload page saves its
// file with SaveSource first; the commit claims the draft (Request.Job).
func (im *Importer) CreateDraft(ctx context.Context, j *Job) error {
	if j.ID == "" {
		j.ID = NewBatchID(time.Now())
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	}
	j.State = StateDraft
	if _, err := im.jobs.InsertOne(ctx, j); err != nil {
		return fmt.Errorf("import %s: create draft: %w", j.ID, err)
	}
	return nil
}

// SaveDraft stores a draft's choices (mapping, header row, rows to confirm)
// and its latest preview counts; core.ErrConflict once it is no longer a
// draft (being or already committed).
func (im *Importer) SaveDraft(ctx context.Context, j *Job) error {
	res, err := im.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}, {Key: "state", Value: StateDraft}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "mapping", Value: j.Mapping}, {Key: "header_row", Value: j.HeaderRow},
			{Key: "confirm", Value: j.Confirm}, {Key: "report", Value: trimmed(j.Report)}}}})
	if err != nil {
		return fmt.Errorf("import %s: save draft: %w", j.ID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("import %s is no longer a draft: %w", j.ID, core.ErrConflict)
	}
	return nil
}
