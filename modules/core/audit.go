package core

import (
	"context"
	"time"
)

// Actor is who performs a change: the signed-in user (or a command's --as
// user, or "system"), with the request's address and id for the audit log.
type Actor struct {
	User string
	// Role is the user's role (users.Role*) where a rule depends on it
	// (an import landing a legacy project past 评估决策); "" for system.
	Role      string
	IP        string
	RequestID string
}

// System is the actor of seed, migrations and background jobs.
var System = Actor{User: "system"}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	At        time.Time `bson:"at" json:"at"`
	User      string    `bson:"user" json:"user"`
	IP        string    `bson:"ip,omitempty" json:"ip,omitempty"`
	RequestID string    `bson:"request_id,omitempty" json:"request_id,omitempty"`
	Action    string    `bson:"action" json:"action"` // create, update, delete, login, login_failed, logout, denied, export ...
	Kind      string    `bson:"kind,omitempty" json:"kind,omitempty"`
	RecordID  string    `bson:"record_id,omitempty" json:"record_id,omitempty"`
	Before    any       `bson:"before,omitempty" json:"before,omitempty"`
	After     any       `bson:"after,omitempty" json:"after,omitempty"`
	Note      string    `bson:"note,omitempty" json:"note,omitempty"`
}

// Auditor appends entries to the audit log.
type Auditor interface {
	Audit(ctx context.Context, a Actor, e AuditEntry)
}
