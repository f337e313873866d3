package platform

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/imports"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/push"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/transfers"
	"zhaoshang/modules/users"
	"zhaoshang/search"
)

// KeptFormats are the shapes of the records the embedded index keeps for
// exports (core.KeepRecord): the index is stamped with them, so a release
// that changes one rebuilds the index at start instead of reading every
// such record back from the store (checked by importers/export
// TestKeptRecordsExportLikeTheStore).
func KeptFormats() []string {
	return []string{
		"projects:" + core.RecordFormat[projects.Project](),
		"events:" + core.RecordFormat[events.Event](),
		"policies:" + core.RecordFormat[policies.Policy](),
		"talents:" + core.RecordFormat[resources.Talent](),
		"enterprises:" + core.RecordFormat[resources.Enterprise](),
		"institutes:" + core.RecordFormat[resources.Institute](),
		"results:" + core.RecordFormat[resources.TechResult](),
	}
}

// Records holds the repositories of the resource, event and policy kinds.
type Records struct {
	Events      *events.Repo
	Talents     *resources.TalentRepo
	Enterprises *resources.EnterpriseRepo
	Institutes  *resources.InstituteRepo
	Results     *resources.ResultRepo
	Policies    *policies.Repo
	Aftercare   *aftercare.Repo
	Deals       *transfers.DealRepo
	Brokers     *transfers.BrokerRepo
}

func newRecords(db *mongo.Database, sync *search.Sync, audit core.Auditor) *Records {
	return &Records{
		Events:      events.NewRepo(db, sync, audit),
		Talents:     resources.NewTalentRepo(db, sync, audit),
		Enterprises: resources.NewEnterpriseRepo(db, sync, audit),
		Institutes:  resources.NewInstituteRepo(db, sync, audit),
		Results:     resources.NewResultRepo(db, sync, audit),
		Policies:    policies.NewRepo(db, sync, audit),
		Aftercare:   aftercare.NewRepo(db, sync, audit),
		Deals:       transfers.NewDealRepo(db, sync, audit),
		Brokers:     transfers.NewBrokerRepo(db, sync, audit),
	}
}

// modules lists what each module keeps in the store and the engine; the
// modules declare their own collections, indexes and search fields.
var modules = []core.Stored{matrix.Stored, users.Stored, projects.Stored, events.Stored, resources.Stored,
	policies.Stored, aftercare.Stored, transfers.Stored, imports.Stored, push.Stored}

// engineCollections are the platform's own: the search outbox and rebuild
// jobs, the import engine's jobs and chunks, leases and export jobs.
var engineCollections = []string{search.OutboxCollection, SearchJobsCollection, batch.JobsCollection,
	batch.ChunksCollection, core.LeasesCollection, ExportJobsCollection}

// Collections lists every collection the platform uses; they are created at
// start so that the embedded store's _id index fix covers all of them.
var Collections = func() []string {
	names := slices.Clone(engineCollections)
	for _, m := range modules {
		names = append(names, m.Collections...)
	}
	return names
}()

// schemas are the search fields of every module that indexes records.
func schemas() []search.Schema {
	var out []search.Schema
	for _, m := range modules {
		if m.Search != nil {
			out = append(out, m.Search)
		}
	}
	return out
}

// ensureIndexes creates the indexes the modules declare, idempotently.
func (p *Platform) ensureIndexes(ctx context.Context) error {
	return core.EnsureIndexes(ctx, p.Store.DB, modules...)
}

// newImporter wires the import engine with every importable kind; files
// live under ZS_DATA/imports.
func (p *Platform) newImporter() *batch.Importer {
	return batch.New(p.Store.DB, p.Cfg.Files("imports"), p.Users, p.Log,
		&projects.Ledger{Repo: p.Projects, Vocab: p.ProjectVocab(), Units: p.Matrix, Member: p.Member},
		&events.Ledger{Repo: p.Records.Events, Matrix: p.Matrix, Pool: events.Pool{Engine: p.Sync.Engine}},
		resources.TalentLedger(p.Records.Talents, p.Matrix, p.Matrix),
		resources.EnterpriseLedger(p.Records.Enterprises, p.Matrix, p.Matrix),
		resources.InstituteLedger(p.Records.Institutes, p.Matrix, p.Matrix),
		&policies.Ledger{Repo: p.Records.Policies, Matrix: p.Matrix, Role: p.UserRole},
		resources.ResultLedger(p.Records.Results, p.Matrix, p.Matrix),
	)
}

// UserRole returns a user's role, "" when there is no such user.
func (p *Platform) UserRole(ctx context.Context, user string) string {
	if u, err := p.Users.Get(ctx, user); err == nil {
		return u.Role
	}
	return ""
}

// Member tells whether user is an enabled member of unit (a 负责人 must be one).
func (p *Platform) Member(ctx context.Context, unit, user string) bool {
	u, err := p.Users.Get(ctx, user)
	return err == nil && !u.Disabled && slices.Contains(u.Units, unit)
}
