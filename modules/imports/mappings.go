package imports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
)

// MappingsCollection holds the column mappings units saved as templates
// ("保存为本单位模板"), addressed by _id = hash of (unit, kind, header).
const MappingsCollection = "import_mappings"

// Stored declares the module's collection to the platform.
var Stored = core.Stored{Collections: []string{MappingsCollection}}

// Mapping is a unit's saved column mapping for one header layout: the next
// file of that kind from that unit whose header row reads the same gets it
// applied on upload.
type Mapping struct {
	ID     string   `bson:"_id"`
	Unit   string   `bson:"unit"`
	Kind   string   `bson:"kind"`
	Labels []string `bson:"labels"` // header cells as written when saved
	// Columns maps the column index to a field key ("" = 不导入).
	Columns map[string]string `bson:"columns"`
	// Manual is set when the header row was chosen by hand (detection
	// missed it); the row is then chosen again on apply.
	Manual bool      `bson:"manual"`
	By     string    `bson:"by"`
	At     time.Time `bson:"at"`
}

// Mappings stores saved mappings. Every read is by _id.
type Mappings struct {
	c     *mongo.Collection
	audit core.Auditor
}

// NewMappings opens the saved-mapping store of db.
func NewMappings(db *mongo.Database, audit core.Auditor) *Mappings {
	return &Mappings{c: db.Collection(MappingsCollection), audit: audit}
}

// Signature is a header row's layout key: its cells normalized the way
// header matching folds them (width, case, spaces, units), so the same
// ledger re-typed in WPS or Excel still matches. "" for a blank row.
func Signature(cells []string) string {
	norm := make([]string, len(cells))
	for i, c := range cells {
		norm[i] = header.Normalize(c)
	}
	for len(norm) > 0 && norm[len(norm)-1] == "" {
		norm = norm[:len(norm)-1]
	}
	return strings.Join(norm, "\x1f")
}

func mappingID(unit, kind, sig string) string {
	sum := sha256.Sum256([]byte(unit + "\x00" + kind + "\x00" + sig))
	return hex.EncodeToString(sum[:16])
}

// Save stores m (ID derived from unit, kind and the header cells).
func (s *Mappings) Save(ctx context.Context, a core.Actor, m *Mapping) error {
	m.ID = mappingID(m.Unit, m.Kind, Signature(m.Labels))
	m.By, m.At = a.User, time.Now().UTC().Truncate(time.Millisecond)
	_, err := s.c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, m, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("imports: save mapping: %w", err)
	}
	if s.audit != nil {
		s.audit.Audit(ctx, a, core.AuditEntry{Action: "save", Kind: MappingsCollection, RecordID: m.ID, After: m})
	}
	return nil
}

// Match returns the unit's saved mapping for the first of rows whose cells
// read like a saved header, with that row; nil when none does.
func (s *Mappings) Match(ctx context.Context, unit, kind string, rows []sheet.Row) (*Mapping, int, error) {
	for _, r := range rows {
		sig := Signature(r.Cells)
		if sig == "" {
			continue
		}
		var m Mapping
		err := s.c.FindOne(ctx, bson.D{{Key: "_id", Value: mappingID(unit, kind, sig)}}).Decode(&m)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("imports: load mapping: %w", err)
		}
		return &m, r.Num, nil
	}
	return nil, 0, nil
}

// columnsOf converts a mapping by column number to the stored form.
func columnsOf(m map[int]string) map[string]string {
	out := make(map[string]string, len(m))
	for c, k := range m {
		out[strconv.Itoa(c)] = k
	}
	return out
}

// mappingOf is the inverse of columnsOf (bad keys are dropped).
func mappingOf(m map[string]string) map[int]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[int]string, len(m))
	for c, k := range m {
		if n, err := strconv.Atoi(c); err == nil && n >= 0 {
			out[n] = k
		}
	}
	return out
}
