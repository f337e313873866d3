// Package backup writes, checks and restores a zhaoshang backup file: one
// gzip'd tar of the whole store and the attachments, its manifest last.
//
//	collections/<name>.bson    every document of the collection, raw BSON one after another
//	attachments/<project>/<id> the uploaded files under ZS_DATA/attachments
//	manifest.json              last: format, version, created_at, source, consistency,
//	                           per collection count/bytes/sha256/indexes, per file size/sha256
//
// The commands `zhaoshang backup` and `zhaoshang restore` only parse flags
// and call Write and Restore.
package backup

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"regexp"
	"time"
)

const (
	// Format and Version are what a manifest must say for Restore to read it.
	Format  = "zhaoshang-backup"
	Version = 1
	// ManifestEntry is the name of the manifest inside the tar, written last.
	ManifestEntry = "manifest.json"

	maxManifest    = 64 << 20
	maxBSONDoc     = 16<<20 + 16<<10 // MongoDB's document limit plus slack
	insertBatch    = 1000
	insertMaxBytes = 8 << 20
)

// Manifest describes a backup file and lets every entry be checked.
type Manifest struct {
	Format      string       `json:"format"`
	Version     int          `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	Source      string       `json:"source"`      // embedded | mongodb
	Database    string       `json:"database"`    // MONGO_DB of the source
	Consistency string       `json:"consistency"` // snapshot | per-document
	Collections []Collection `json:"collections"`
	Files       []File       `json:"files"`
}

// Collection is one collection's entry in the manifest.
type Collection struct {
	Name   string `json:"name"`
	Entry  string `json:"entry"`
	Count  int64  `json:"count"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Indexes other than _id, as listIndexes returns them (relaxed extended JSON).
	Indexes []json.RawMessage `json:"indexes,omitempty"`
}

// File is one attachment's entry in the manifest.
type File struct {
	Path   string `json:"path"` // slash separated, relative to ZS_DATA: attachments/<project>/<id>
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	collName   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$`)
	attachPath = regexp.MustCompile(`^attachments(/[A-Za-z0-9_.-]{1,100}){1,4}$`)
)

// hexSum is the manifest's spelling of a finished hash.
func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// InputError is a problem with what the user gave (a path, the data dir,
// the backup file) rather than a failure while working: the command exits 2.
type InputError struct{ Msg string }

func (e InputError) Error() string { return e.Msg }

func inputf(format string, args ...any) error { return InputError{fmt.Sprintf(format, args...)} }

// corrupt is a bad backup file: exit 2 with the reason.
func corrupt(format string, args ...any) error {
	return inputf("备份文件不可用：%s", fmt.Sprintf(format, args...))
}
