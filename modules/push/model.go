// Package push is 资源推送: saved searches a unit subscribes to, a matcher
// that pushes new and changed resources into the unit's inbox (and to an
// optional signed webhook), a recommend panel ranking resources that fit a
// unit, and pushing one resource to a unit as a project in stage push.
//
// The embedded store answers only {_id: X} fast, so every piece of state
// lives in a document addressed by a meaningful _id: a user's saved
// searches (saved_searches/<user>), a unit's subscriptions and webhook
// (push_units/<unit>), a unit's inbox with a sequence number and a capped
// list of recent items (inbox/<unit>), a user's read marks
// (inbox_reads/<user> → unit → seq). Every many-record question (what
// matches a subscription, what to recommend) goes to the search engine.
package push

import (
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/resources"
)

// Collections of the module (each keyed by a meaningful _id).
const (
	SavedCollection = "saved_searches" // _id = user name
	UnitsCollection = "push_units"     // _id = unit id
	InboxCollection = "inbox"          // _id = unit id
	ReadsCollection = "inbox_reads"    // _id = user name
)

// Stored declares the module's collections to the platform.
var Stored = core.Stored{Collections: []string{SavedCollection, UnitsCollection, InboxCollection, ReadsCollection}}

// Limits keep each document small.
const (
	MaxSaved         = 50   // saved searches per user
	MaxSubscriptions = 30   // subscriptions per unit
	MaxItems         = 200  // inbox items kept per unit (newest)
	MaxKeys          = 3000 // dedupe keys kept per unit
	MaxName          = 50
	MaxText          = 200
	MaxValues        = 20
)

// ResourceKinds are what subscriptions and recommendations cover.
var ResourceKinds = []string{resources.KindTalents, resources.KindEnterprises, resources.KindInstitutes, resources.KindResults}

// FilterFields are the facet filters a saved search may carry ("unit" is
// the owning unit, the engine's envelope field).
var FilterFields = []string{"industry", "zone", "level", "year", "unit"}

// Query is a saved search's query: text, kinds and facet filters.
type Query struct {
	Text    string              `bson:"text" json:"q"`
	Kinds   []string            `bson:"kinds,omitempty" json:"kinds"`
	Filters map[string][]string `bson:"filters,omitempty" json:"filters"`
}

// SavedSearch is one saved search of a user.
type SavedSearch struct {
	ID        string `bson:"id" json:"id"`
	Name      string `bson:"name" json:"name"`
	Query     `bson:",inline"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	// Units subscribed to it (kept here so a delete can unsubscribe them).
	Units []string `bson:"units,omitempty" json:"units"`
}

// SavedSet is a user's saved searches: saved_searches/<user>.
type SavedSet struct {
	core.Meta `bson:",inline"`
	Searches  []SavedSearch `bson:"searches" json:"searches"`
}

// Subscription is a unit's subscription to a saved search: a copy of the
// query, so the matcher needs no other read.
type Subscription struct {
	ID        string `bson:"id" json:"id"` // the saved search id
	Owner     string `bson:"owner" json:"owner"`
	Name      string `bson:"name" json:"name"`
	Query     `bson:",inline"`
	By        string    `bson:"by" json:"by"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	// LastRun is the end of the last matched window; LastCount its new items.
	LastRun   time.Time `bson:"last_run,omitempty" json:"last_run,omitzero"`
	LastCount int       `bson:"last_count" json:"last_count"`
}

// Webhook is a unit's outgoing webhook.
type Webhook struct {
	URL    string    `bson:"url" json:"url"`
	Secret string    `bson:"secret" json:"-"`
	By     string    `bson:"by" json:"by"`
	At     time.Time `bson:"at" json:"at"`
}

// Delivery is the outcome of the last webhook delivery.
type Delivery struct {
	At       time.Time `bson:"at" json:"at"`
	Seq      int64     `bson:"seq" json:"seq"`
	Status   int       `bson:"status" json:"status"` // HTTP status, 0 when unreachable
	Attempts int       `bson:"attempts" json:"attempts"`
	Error    string    `bson:"error,omitempty" json:"error,omitempty"`
	OK       bool      `bson:"ok" json:"ok"`
}

// UnitState is a unit's subscriptions and webhook: push_units/<unit>.
type UnitState struct {
	core.Meta     `bson:",inline"`
	Subscriptions []Subscription `bson:"subscriptions" json:"subscriptions"`
	Webhook       *Webhook       `bson:"webhook,omitempty" json:"webhook,omitempty"`
	LastDelivery  *Delivery      `bson:"last_delivery,omitempty" json:"last_delivery,omitempty"`
}

// Item sources.
const (
	SourceSubscription = "subscription"
	SourcePush         = "push"
)

// Item is one pushed resource in a unit's inbox.
type Item struct {
	Seq      int64     `bson:"seq" json:"seq"`
	At       time.Time `bson:"at" json:"at"`
	Unit     string    `bson:"unit" json:"unit"`
	Kind     string    `bson:"kind" json:"kind"`
	RecordID string    `bson:"record_id" json:"record_id"`
	Version  int64     `bson:"version" json:"version"`
	Title    string    `bson:"title" json:"title"`
	Why      string    `bson:"why,omitempty" json:"why,omitempty"`
	Source   string    `bson:"source" json:"source"`
	// Searches names the subscriptions that matched (source subscription).
	Searches  []string `bson:"searches,omitempty" json:"searches,omitempty"`
	By        string   `bson:"by,omitempty" json:"by,omitempty"`
	ProjectID string   `bson:"project_id,omitempty" json:"project_id,omitempty"`
}

// Key is the dedupe key of an item: the record and its version.
func (it Item) Key() string { return ItemKey(it.Kind, it.RecordID, it.Version) }

// ItemKey is kind/id@version.
func ItemKey(kind, id string, version int64) string {
	return kind + "/" + id + "@" + itoa(version)
}

// Inbox is a unit's recent items: inbox/<unit>. Seq counts every item ever
// added; unread = Seq - the reader's mark (capped by the items kept).
type Inbox struct {
	core.Meta `bson:",inline"`
	Seq       int64    `bson:"seq" json:"seq"`
	Items     []Item   `bson:"items" json:"items"`
	Keys      []string `bson:"keys" json:"-"`
}

// Reads are a user's read marks: inbox_reads/<user>, unit → last read seq.
type Reads struct {
	core.Meta `bson:",inline"`
	Marks     map[string]int64 `bson:"marks" json:"marks"`
}
