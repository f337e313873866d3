// Package users holds accounts, roles, sessions, login protection and the
// append-only audit log.
package users

import (
	"time"

	"zhaoshang/modules/core"
)

// Roles.
const (
	RoleAdmin   = "admin"   // everything, user management
	RoleManager = "manager" // their units' subtree; approves decisions
	RoleOfficer = "officer" // their own units' records
	RoleField   = "field"   // imports for their own unit
)

// Roles in display order.
var Roles = []string{RoleAdmin, RoleManager, RoleOfficer, RoleField}

// User is an account; its _id is the user name.
type User struct {
	core.Meta    `bson:",inline"`
	Name         string    `bson:"name" json:"name"`
	Role         string    `bson:"role" json:"role"`
	Units        []string  `bson:"units" json:"units"`
	PasswordHash string    `bson:"password_hash" json:"-"`
	Disabled     bool      `bson:"disabled" json:"disabled"`
	LastLogin    time.Time `bson:"last_login,omitempty" json:"last_login,omitzero"`
	Phone        string    `bson:"phone,omitempty" json:"phone,omitempty"`
}

// Username is the user name (the record id).
func (u *User) Username() string { return u.ID }

// Session is a signed-in browser or script; its _id is the SHA-256 of the
// cookie token, so a stolen database does not yield usable cookies.
type Session struct {
	ID       string    `bson:"_id"`
	User     string    `bson:"user"`
	CSRF     string    `bson:"csrf"`
	Created  time.Time `bson:"created"`
	Expires  time.Time `bson:"expires"`
	LastSeen time.Time `bson:"last_seen"`
	IP       string    `bson:"ip,omitempty"`
	Agent    string    `bson:"agent,omitempty"`
}

// loginGuard counts failed logins per user name, existing or not, so that
// lockout does not reveal which names exist.
type loginGuard struct {
	ID          string    `bson:"_id"`
	Failures    int       `bson:"failures"`
	LockedUntil time.Time `bson:"locked_until"`
	Updated     time.Time `bson:"updated"`
}
