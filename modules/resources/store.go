package resources

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repositories of the four kinds, each with its search sync.
type (
	TalentRepo     = core.Repo[Talent, *Talent]
	EnterpriseRepo = core.Repo[Enterprise, *Enterprise]
	InstituteRepo  = core.Repo[Institute, *Institute]
	ResultRepo     = core.Repo[TechResult, *TechResult]
)

// NewTalentRepo wires the talents collection.
func NewTalentRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *TalentRepo {
	return core.NewRepo[Talent](db, KindTalents, sync, audit, TalentToDoc)
}

// NewEnterpriseRepo wires the enterprises collection.
func NewEnterpriseRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *EnterpriseRepo {
	return core.NewRepo[Enterprise](db, KindEnterprises, sync, audit, EnterpriseToDoc)
}

// NewInstituteRepo wires the institutes collection.
func NewInstituteRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *InstituteRepo {
	return core.NewRepo[Institute](db, KindInstitutes, sync, audit, InstituteToDoc)
}

// NewResultRepo wires the tech results collection.
func NewResultRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *ResultRepo {
	return core.NewRepo[TechResult](db, KindResults, sync, audit, ResultToDoc)
}

// EnsureIndexes makes 统一社会信用代码 unique among enterprises (idempotent).
// Every enterprise carries a code, so a plain unique index suffices.
func EnsureIndexes(ctx context.Context, db *mongo.Database) error {
	m := mongo.IndexModel{Keys: bson.D{{Key: "credit_code", Value: 1}},
		Options: options.Index().SetName("credit_code").SetUnique(true)}
	if _, err := db.Collection(KindEnterprises).Indexes().CreateOne(ctx, m); err != nil {
		return fmt.Errorf("resources: index enterprises.credit_code: %w", err)
	}
	return nil
}
