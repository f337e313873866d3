package core

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Meta is embedded in every stored record. Version starts at 1 and grows by
// one on every write; an update that carries an older version is refused.
type Meta struct {
	ID        string    `bson:"_id" json:"id"`
	Version   int64     `bson:"version" json:"version"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	CreatedBy string    `bson:"created_by,omitempty" json:"created_by,omitempty"`
	UpdatedAt time.Time `bson:"updated_at" json:"updated_at"`
	UpdatedBy string    `bson:"updated_by,omitempty" json:"updated_by,omitempty"`
	// Batch is the import batch that last wrote the record, if any.
	Batch string `bson:"batch,omitempty" json:"batch,omitempty"`
}

// GetMeta lets the generic repository reach the embedded Meta.
func (m *Meta) GetMeta() *Meta { return m }

// NewID returns a random 24-hex-digit id (the shape of a Mongo ObjectID,
// and safe as a search engine id).
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
