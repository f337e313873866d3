package platform

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/imports"
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

// Collections lists every collection the platform uses; they are created at
// start so that the embedded store's _id index fix covers all of them.
var Collections = []string{"units", "settings", "targets", users.Kind, "sessions", "login_guard", "audit",
	search.OutboxCollection, projects.Kind, events.Kind, resources.KindTalents, resources.KindEnterprises,
	resources.KindInstitutes, resources.KindResults, policies.Kind, aftercare.Kind, transfers.KindDeals,
	transfers.KindBrokers, batch.JobsCollection, batch.ChunksCollection, SearchJobsCollection, imports.MappingsCollection,
	core.LeasesCollection, ExportJobsCollection, push.SavedCollection, push.UnitsCollection, push.InboxCollection, push.ReadsCollection}

func schemas() []search.Schema {
	return []search.Schema{projects.SearchSchema, users.SearchSchema, events.SearchSchema, resources.SearchSchema,
		policies.SearchSchema, aftercare.SearchSchema, transfers.SearchSchema}
}

// ensureIndexes creates the indexes the domain needs, idempotently. On the
// embedded store only uniqueness matters (it scans anyway); on MongoDB they
// also serve the few by-field queries (sessions by user, audit by time).
func (p *Platform) ensureIndexes(ctx context.Context) error {
	specs := []struct {
		coll  string
		model mongo.IndexModel
	}{
		{"sessions", mongo.IndexModel{Keys: bson.D{{Key: "user", Value: 1}}, Options: options.Index().SetName("user")}},
		{"audit", mongo.IndexModel{Keys: bson.D{{Key: "at", Value: -1}}, Options: options.Index().SetName("at")}},
	}
	if err := resources.EnsureIndexes(ctx, p.Store.DB); err != nil {
		return err
	}
	for _, s := range specs {
		if _, err := p.Store.DB.Collection(s.coll).Indexes().CreateOne(ctx, s.model); err != nil {
			return fmt.Errorf("cannot create index %s on %s: %w", *s.model.Options.Name, s.coll, err)
		}
	}
	return nil
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
