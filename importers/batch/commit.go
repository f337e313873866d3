package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"zhaoshang/modules/core"
)

// A commit writes chunk after chunk. Before a chunk's records are written,
// its journal (created ids, updated ids with their previous documents) is
// stored by _id; after, the journal is marked done and the job's heartbeat
// and counts are saved. An interrupted commit therefore leaves a job in
// state committing with journals that say exactly what may have been
// written: Recover rolls it back, so a file is either imported whole (minus
// its rejected rows) or not at all.

// begin records the job as committing, owned by this process.
func (r *runner) begin(ctx context.Context) error {
	j := r.req.Job
	if j == nil {
		j = &Job{ID: r.batch, Kind: r.req.Kind, File: r.req.File, By: r.req.Actor.User,
			Unit: r.req.Unit, CreatedAt: r.now}
	} else if j.State != StateDraft {
		return fmt.Errorf("import %s is %s: %w", j.ID, j.State, core.ErrConflict)
	}
	j.State, j.Owner, j.Heartbeat, j.Started = StateCommitting, r.im.owner(), r.now, r.now
	r.rep.BatchID = j.ID
	j.Report = *r.rep
	if r.req.Job == nil {
		if _, err := r.im.jobs.InsertOne(ctx, j); err != nil {
			return fmt.Errorf("import: create job: %w", err)
		}
	} else {
		// Claim the draft: only one commit of it may run.
		res, err := r.im.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}, {Key: "state", Value: StateDraft}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: StateCommitting}, {Key: "owner", Value: j.Owner},
				{Key: "heartbeat", Value: j.Heartbeat}, {Key: "started", Value: j.Started}}}})
		if err != nil {
			return fmt.Errorf("import %s: claim: %w", j.ID, err)
		}
		if res.ModifiedCount == 0 {
			return fmt.Errorf("import %s is being or has been committed: %w", j.ID, core.ErrConflict)
		}
	}
	r.job = j
	return nil
}

// flush writes the pending chunk.
func (r *runner) flush(ctx context.Context) error {
	if len(r.creates) == 0 && len(r.updates) == 0 {
		return nil
	}
	r.seq++
	ch := chunk{ID: chunkID(r.job.ID, r.seq), Batch: r.job.ID, Seq: r.seq}
	for _, c := range r.creates {
		ch.Created = append(ch.Created, c.GetMeta().ID)
	}
	for _, u := range r.updates {
		ch.Updated = append(ch.Updated, update{ID: u.rec.GetMeta().ID, From: u.before.GetMeta().Version, Before: u.raw})
	}
	if _, err := r.im.chunks.InsertOne(ctx, ch); err != nil {
		return fmt.Errorf("import %s: journal: %w", r.job.ID, err)
	}
	// The job knows how many journals to read back before any is acted on.
	if err := r.im.setJob(ctx, r.job.ID, bson.D{{Key: "chunks", Value: r.seq}, {Key: "heartbeat", Value: time.Now().UTC()}}); err != nil {
		return err
	}
	store := r.k.Store()
	if err := store.Insert(ctx, r.req.Actor, r.creates); err != nil {
		return err
	}
	applied := ch.Updated[:0]
	for i, u := range r.updates {
		err := store.Update(ctx, r.req.Actor, u.rec, u.before)
		if errors.Is(err, core.ErrConflict) {
			// Edited by someone between planning and writing: not forced.
			r.rep.Updated--
			r.rep.Rejected++
			r.rep.reject(Error{Row: u.row, Message: "导入过程中该记录被他人修改，未覆盖；请重新导入该行"})
			continue
		}
		if err != nil {
			return err
		}
		applied = append(applied, ch.Updated[i])
	}
	_, err := r.im.chunks.UpdateOne(ctx, bson.D{{Key: "_id", Value: ch.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: true}, {Key: "updated", Value: applied}}}})
	if err != nil {
		return fmt.Errorf("import %s: journal: %w", r.job.ID, err)
	}
	r.creates, r.updates = r.creates[:0], r.updates[:0]
	return r.im.setJob(ctx, r.job.ID, bson.D{{Key: "heartbeat", Value: time.Now().UTC()},
		{Key: "report", Value: trimmed(*r.rep)}})
}

// trimmed is the report as stored in the job: the first errors only.
func trimmed(rep Report) Report {
	const keep = 500
	if len(rep.Errors) > keep {
		rep.Errors, rep.Truncated = rep.Errors[:keep], true
	}
	if len(rep.Reviews) > keep {
		rep.Reviews, rep.Truncated = rep.Reviews[:keep], true
	}
	return rep
}

// finish marks the job done and audits the batch.
func (r *runner) finish(ctx context.Context) error {
	fin := time.Now().UTC()
	set := bson.D{{Key: "state", Value: StateDone}, {Key: "finished", Value: fin}, {Key: "report", Value: trimmed(*r.rep)},
		{Key: "chunks", Value: r.seq}}
	if r.req.Rejected != "" && r.rep.Problems() > 0 {
		set = append(set, bson.E{Key: "rejected_file", Value: r.req.Rejected})
	}
	if err := r.im.setJob(ctx, r.job.ID, set); err != nil {
		return err
	}
	r.job.State, r.job.Finished = StateDone, fin
	r.im.audit(ctx, r.req.Actor, "import", r.k.Key(), r.job.ID, map[string]int{"rows": r.rep.Rows,
		"created": r.rep.Created, "updated": r.rep.Updated, "rejected": r.rep.Rejected, "review": r.rep.Review})
	return nil
}

// abort rolls back what a failed commit wrote.
func (r *runner) abort(ctx context.Context, cause error) {
	// The request's context may be the reason: clean up regardless.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	if _, err := r.im.rollback(bg, r.job, r.req.Actor, false); err != nil {
		r.im.Log.Error("import rollback failed; Recover will retry", "batch", r.job.ID, "err", err)
		return
	}
	_ = r.im.setJob(bg, r.job.ID, bson.D{{Key: "state", Value: StateRolledBack},
		{Key: "message", Value: "导入中断，已回滚：" + cause.Error()}, {Key: "finished", Value: time.Now().UTC()}})
	r.job.State = StateRolledBack
}

func (im *Importer) audit(ctx context.Context, a core.Actor, action, kind, batch string, after any) {
	if im.Audit != nil {
		im.Audit.Audit(ctx, a, core.AuditEntry{Action: action, Kind: kind, RecordID: batch, After: after})
	}
}

// Conflict is a record of a batch edited after the import.
type Conflict struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

// ConflictError refuses an undo: the listed records changed since.
type ConflictError struct{ Conflicts []Conflict }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d 条记录在导入后被修改，无法撤销", len(e.Conflicts))
}
func (e *ConflictError) Unwrap() error { return core.ErrConflict }

// rollback walks the batch's journals newest first. With check, it only
// lists conflicts (records edited since the import) and changes nothing;
// without, it removes created records and restores updated ones, skipping
// what was never written or was edited since.
func (im *Importer) rollback(ctx context.Context, j *Job, a core.Actor, check bool) ([]Conflict, error) {
	k, ok := im.Kind(j.Kind)
	if !ok {
		return nil, fmt.Errorf("import %s: unknown kind %q", j.ID, j.Kind)
	}
	store := k.Store()
	var conflicts []Conflict
	edited := func(rec core.Record, msg string) {
		m := rec.GetMeta()
		conflicts = append(conflicts, Conflict{ID: m.ID, Name: displayName(rec), By: m.UpdatedBy, At: m.UpdatedAt, Message: msg})
	}
	n := j.Chunks
	for seq := n + 1; ; seq++ { // a journal may exist whose count was not saved
		var ch chunk
		if err := im.chunks.FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(j.ID, seq)}}).Decode(&ch); err != nil {
			break
		}
		n = seq
	}
	for seq := n; seq >= 1; seq-- {
		var ch chunk
		err := im.chunks.FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(j.ID, seq)}}).Decode(&ch)
		if err != nil {
			continue // never stored: nothing of it was written
		}
		for i := len(ch.Updated) - 1; i >= 0; i-- {
			u := ch.Updated[i]
			cur, err := store.Get(ctx, u.ID)
			if errors.Is(err, core.ErrNotFound) {
				if check {
					conflicts = append(conflicts, Conflict{ID: u.ID, Message: "导入后已被删除"})
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			m := cur.GetMeta()
			switch {
			case m.Batch == j.ID && m.Version == u.From+1:
				if !check {
					if err := store.Restore(ctx, a, u.Before, m.Version); err != nil && !errors.Is(err, core.ErrConflict) {
						return nil, err
					}
				}
			case m.Version == u.From && !ch.Done:
				// Never written (interrupted before this update).
			default:
				if check {
					edited(cur, "导入后已被修改")
				}
			}
		}
		for _, id := range ch.Created {
			cur, err := store.Get(ctx, id)
			if errors.Is(err, core.ErrNotFound) {
				continue // never written, or deleted since
			}
			if err != nil {
				return nil, err
			}
			m := cur.GetMeta()
			if m.Batch != j.ID || m.Version != 1 {
				if check {
					edited(cur, "导入后已被修改")
				}
				continue
			}
			if !check {
				if err := store.Delete(ctx, id, 1); err != nil && !errors.Is(err, core.ErrConflict) && !errors.Is(err, core.ErrNotFound) {
					return nil, err
				}
			}
		}
	}
	return conflicts, nil
}

func displayName(rec core.Record) string {
	if n, ok := rec.(interface{ DisplayName() string }); ok {
		return n.DisplayName()
	}
	return rec.GetMeta().ID
}

// Undo reverts a committed batch: created records are removed, updated
// ones get their previous values back. It is refused with a
// *ConflictError (and changes nothing) when any record was edited since.
// Callers check who may undo (the importer, a manager of the unit, admin).
func (im *Importer) Undo(ctx context.Context, a core.Actor, id string) (*Job, error) {
	j, err := im.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.State != StateDone {
		return nil, core.Invalid("state", "只有已完成的导入可以撤销（当前：%s）", j.StateLabel())
	}
	conflicts, err := im.rollback(ctx, j, a, true)
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 {
		return nil, &ConflictError{Conflicts: conflicts}
	}
	// Claim the job so that two undos cannot interleave.
	res, err := im.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}, {Key: "state", Value: StateDone}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: StateCommitting}, {Key: "owner", Value: im.owner()},
			{Key: "heartbeat", Value: time.Now().UTC()}, {Key: "message", Value: undoing}}}})
	if err != nil {
		return nil, err
	}
	if res.ModifiedCount == 0 {
		return nil, fmt.Errorf("import %s: %w", j.ID, core.ErrConflict)
	}
	if _, err := im.rollback(ctx, j, a, false); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if err := im.setJob(ctx, j.ID, bson.D{{Key: "state", Value: StateUndone}, {Key: "undone_by", Value: a.User},
		{Key: "undone_at", Value: now}, {Key: "message", Value: ""}}); err != nil {
		return nil, err
	}
	j.State, j.UndoneBy, j.UndoneAt = StateUndone, a.User, now
	im.audit(ctx, a, "undo", j.Kind, j.ID, map[string]int{"created": j.Report.Created, "updated": j.Report.Updated})
	return j, nil
}

// undoing marks a job in state committing that is being undone (an undo
// that dies half-way is finished by Recover, not rolled back).
const undoing = "正在撤销"

// StaleAfter is how long a committing job may go without a heartbeat
// before another process considers its owner dead.
var StaleAfter = 2 * time.Minute

// Recover rolls back every commit (or undo) whose process died: a job in
// state committing whose owner is a dead process on this host, or whose
// heartbeat is older than StaleAfter. It returns the jobs rolled back.
func (im *Importer) Recover(ctx context.Context) ([]string, error) {
	// Several instances sharing a store: one recovers at a time.
	if ok, err := im.recovery.Acquire(ctx); err != nil || !ok {
		return nil, err
	}
	defer im.recovery.Release(context.WithoutCancel(ctx))
	cur, err := im.jobs.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("imports: recover: %w", err)
	}
	var stuck []Job
	for cur.Next(ctx) {
		var j Job
		if err := cur.Decode(&j); err != nil {
			cur.Close(ctx)
			return nil, err
		}
		if j.State == StateCommitting && im.dead(j) {
			stuck = append(stuck, j)
		}
	}
	cur.Close(ctx)
	var done []string
	for _, j := range stuck {
		if _, err := im.rollback(ctx, &j, core.System, false); err != nil {
			return done, fmt.Errorf("import %s: rollback: %w", j.ID, err)
		}
		state, msg := StateRolledBack, "导入进程中断，已自动回滚，未留下部分数据"
		if j.Message == undoing {
			state, msg = StateUndone, "撤销进程中断，已完成撤销"
		}
		if err := im.setJob(ctx, j.ID, bson.D{{Key: "state", Value: state},
			{Key: "message", Value: msg}, {Key: "finished", Value: time.Now().UTC()}}); err != nil {
			return done, err
		}
		im.Log.Warn("import rolled back after its process died", "batch", j.ID, "owner_pid", j.Owner.PID)
		im.audit(ctx, core.System, "rollback", j.Kind, j.ID, nil)
		done = append(done, j.ID)
	}
	return done, nil
}

func (im *Importer) dead(j Job) bool {
	me := im.owner()
	if j.Owner.Host == me.Host {
		if j.Owner.PID == me.PID {
			return false // ours: still running in this process
		}
		if err := syscall.Kill(j.Owner.PID, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
	}
	return time.Since(j.Heartbeat) > StaleAfter
}

// SaveSource stores an uploaded file for a draft job and returns its path.
func (im *Importer) SaveSource(id, name string, data []byte) (string, error) {
	dir := filepath.Join(im.Dir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	p := filepath.Join(dir, "source"+filepath.Ext(name))
	if err := os.WriteFile(p, data, 0o640); err != nil {
		return "", err
	}
	return p, nil
}

// RejectedPath is where a job's rejected-rows workbook is written.
func (im *Importer) RejectedPath(id string) string {
	return filepath.Join(im.Dir, id, "rejected.xlsx")
}

// RecoverEvery runs Recover now and then every interval until ctx ends
// (serve starts it: a crashed commit is rolled back at the next start, and
// one crashed in another process sharing the store within StaleAfter).
func (im *Importer) RecoverEvery(ctx context.Context, interval time.Duration) {
	for {
		if ids, err := im.Recover(ctx); err != nil && ctx.Err() == nil {
			im.Log.Warn("import recovery failed; will retry", "err", err)
		} else if len(ids) > 0 {
			im.Log.Info("interrupted imports rolled back", "batches", ids)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
