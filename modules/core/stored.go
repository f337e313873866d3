package core

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/search"
)

// Stored is what a module keeps in the store and the engine: its
// collections, the indexes they need and the structured fields of its search
// documents. Each module declares its own (a package variable Stored); the
// platform lists the modules and creates what they declare, so no other
// package names a module's collections.
type Stored struct {
	Collections []string
	Indexes     []Index
	Search      search.Schema
}

// Index is one index a module needs on one of its collections; the model
// must carry a name (options.Index().SetName), which errors report.
type Index struct {
	Collection string
	Model      mongo.IndexModel
}

// EnsureIndexes creates every index the modules declare, idempotently. On
// the embedded store only uniqueness matters (it scans anyway); on MongoDB
// they also serve the few by-field queries.
func EnsureIndexes(ctx context.Context, db *mongo.Database, modules ...Stored) error {
	for _, m := range modules {
		for _, ix := range m.Indexes {
			if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, ix.Model); err != nil {
				return fmt.Errorf("cannot create index %s on %s: %w", *ix.Model.Options.Name, ix.Collection, err)
			}
		}
	}
	return nil
}
