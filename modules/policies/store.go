package policies

import (
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repo is the policies collection with its search sync.
type Repo = core.Repo[Policy, *Policy]

// NewRepo wires the policies collection.
func NewRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *Repo {
	return core.NewRepo[Policy](db, Kind, sync, audit, core.KeepRecord[Policy](ToDoc, nil))
}
