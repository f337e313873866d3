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
	return core.NewRepo[Project](db, Kind, sync, audit, core.KeepRecord(ToDoc, exportTrim))
}

// exportTrim is the project as kept in the engine for exports: without the
// stage history, follow-ups, 批示, score sheet, decision record and
// attachments, which no export column reads and which make up most of a
// worked project's size.
func exportTrim(p *Project) *Project {
	c := *p
	c.History, c.FollowUps, c.Instructions, c.Assessment, c.Attachments, c.Decisions = nil, nil, nil, nil, nil, nil
	return &c
}
