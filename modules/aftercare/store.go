package aftercare

import (
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repo is the aftercare collection with its search sync.
type Repo = core.Repo[Request, *Request]

// NewRepo wires the aftercare collection.
func NewRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *Repo {
	return core.NewRepo[Request](db, Kind, sync, audit, ToDoc)
}
