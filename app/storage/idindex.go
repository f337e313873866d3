package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"

	"go.mongodb.org/mongo-driver/mongo"
	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

// FerretDB v1.24 (SQLite backend) creates each collection's unique _id index
// on the expression _ferretdb_sjson->"_id" but queries by
// _ferretdb_sjson->'$._id', so SQLite never uses the index and every lookup
// by _id scans the table (~20 ms at 3,000 projects instead of ~0.5 ms).
// EnsureCollections creates the named collections and adds, to every
// FerretDB table, a second index on exactly the queried expression.

var tableName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// EnsureCollections creates missing collections (so their tables exist) and,
// on the embedded store, adds the _id lookup index FerretDB's queries use.
func (s *Store) EnsureCollections(ctx context.Context, names []string, dataDir string) error {
	have, err := s.DB.ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		return fmt.Errorf("cannot list collections: %w", err)
	}
	exists := map[string]bool{}
	for _, n := range have {
		exists[n] = true
	}
	for _, n := range names {
		if exists[n] {
			continue
		}
		var ce mongo.CommandError
		if err := s.DB.CreateCollection(ctx, n); err != nil && !(errors.As(err, &ce) && ce.Code == 48) {
			return fmt.Errorf("cannot create collection %s: %w", n, err)
		}
	}
	if !s.Embedded || !s.Owner {
		return nil
	}
	return fixIDIndexes(ctx, filepath.Join(dataDir, "store", s.DB.Name()+".sqlite"))
}

func fixIDIndexes(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("cannot open %s for index maintenance: %w", file, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return fmt.Errorf("cannot list tables of %s: %w", file, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		if tableName.MatchString(t) {
			tables = append(tables, t)
		}
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS "%s_zs_id" ON "%s" (_ferretdb_sjson->'$._id')`, t, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("cannot add _id index to %s: %w", t, err)
		}
	}
	return nil
}
