package events

import (
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repo is the events collection with its search sync.
type Repo = core.Repo[Event, *Event]

// NewRepo wires the events collection.
func NewRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *Repo {
	return core.NewRepo[Event](db, Kind, sync, audit, core.KeepRecord[Event](ToDoc, nil))
}
