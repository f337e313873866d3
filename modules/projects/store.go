package projects

import (
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repo is the projects collection with its search sync.
type Repo = core.Repo[Project, *Project]

// NewRepo wires the projects collection.
func NewRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *Repo {
	return core.NewRepo[Project](db, Kind, sync, audit, ToDoc)
}
