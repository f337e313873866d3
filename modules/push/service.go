package push

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/search"
)

// Units is what the module needs of the matrix.
type Units interface {
	Units() []*matrix.Unit
	Unit(id string) *matrix.Unit
	Name(id string) string
	HasUnit(id string) bool
	Catalog(ctx context.Context) (*matrix.Catalog, error)
}

// Service holds the push rules; pages, the API and the matcher use it.
type Service struct {
	st        *store
	db        *mongo.Database
	Engine    func() search.Engine
	Units     Units
	Resources *resources.Service
	Projects  *projects.Service
	Audit     core.Auditor
	Log       *slog.Logger
	// Client sends webhooks; RetryDelays are the waits before retries.
	Client      *http.Client
	RetryDelays []time.Duration
	// Holder names this process for the matcher's lease.
	Holder string
	Now    func() time.Time

	deliveries sync.WaitGroup
	round      sync.Mutex // one matcher round at a time in this process
}

// New wires the service.
func New(db *mongo.Database, engine func() search.Engine, units Units, res *resources.Service, proj *projects.Service,
	audit core.Auditor, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{st: newStore(db), db: db, Engine: engine, Units: units, Resources: res, Projects: proj, Audit: audit,
		Log: log, Client: webhookClient(), RetryDelays: []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second},
		Holder: core.NewHolder(), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

func (s *Service) engine() (search.Engine, error) {
	if s.Engine != nil {
		if e := s.Engine(); e != nil {
			return e, nil
		}
	}
	return nil, fmt.Errorf("push: %w", search.ErrUnavailable)
}

func (s *Service) audit(ctx context.Context, a core.Actor, action, kind, id, note string) {
	if s.Audit != nil {
		s.Audit.Audit(ctx, a, core.AuditEntry{Action: action, Kind: kind, RecordID: id, Note: note})
	}
}

// Wait blocks until webhook deliveries in flight are done (tests, shutdown).
func (s *Service) Wait() { s.deliveries.Wait() }

// Normalize cleans q and refuses what a subscription cannot match, naming
// the field.
func (q *Query) Normalize() error {
	q.Text = strings.TrimSpace(q.Text)
	if utf8.RuneCountInString(q.Text) > MaxText {
		return core.Invalid("q", "搜索词过长（最多 %d 字）", MaxText)
	}
	var kinds []string
	for _, k := range q.Kinds {
		k = strings.TrimSpace(k)
		if k == "" || slices.Contains(kinds, k) {
			continue
		}
		if !slices.Contains(ResourceKinds, k) {
			return core.Invalid("kinds", "订阅只支持人才、企业、院所平台和科技成果，不能订阅 %q", k)
		}
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	q.Kinds = kinds
	filters := map[string][]string{}
	for f, vals := range q.Filters {
		if !slices.Contains(FilterFields, f) {
			if f == "stage" {
				return core.Invalid("filters", "资源订阅不能按项目阶段筛选")
			}
			return core.Invalid("filters", "未知的筛选条件 %s", f)
		}
		var out []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v == "" || slices.Contains(out, v) {
				continue
			}
			if utf8.RuneCountInString(v) > 50 {
				return core.Invalid("filters", "筛选值过长：%s", v)
			}
			out = append(out, v)
		}
		if len(out) > MaxValues {
			return core.Invalid("filters", "筛选条件 %s 最多 %d 个值", f, MaxValues)
		}
		if len(out) > 0 {
			slices.Sort(out)
			filters[f] = out
		}
	}
	q.Filters = filters
	return nil
}

// engineQuery is q as an engine query within scope.
func (q Query) engineQuery(scope search.Scope) search.Query {
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = ResourceKinds
	}
	sq := search.Query{Kinds: slices.Clone(kinds), Text: q.Text, Scope: scope}
	fields := make([]string, 0, len(q.Filters))
	for f := range q.Filters {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		field := f
		if f == "unit" {
			field = search.UnitsField
		}
		sq.Filters = append(sq.Filters, search.Filter{Field: field, Values: slices.Clone(q.Filters[f])})
	}
	return sq
}

// ParseSearchURL reads the query of a /search page URL ("/search?q=&kind=
// &industry=..."): paging is dropped, facet filters kept.
func ParseSearchURL(raw string) (Query, error) {
	q := Query{Filters: map[string][]string{}}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return q, core.Invalid("from", "无法识别的搜索地址")
	}
	for name, vals := range u.Query() {
		switch name {
		case "q":
			q.Text = vals[0]
		case "kind":
			for _, v := range vals {
				q.Kinds = append(q.Kinds, strings.Split(v, ",")...)
			}
		case "page", "per_page", "sort":
		default:
			q.Filters[name] = append(q.Filters[name], vals...)
		}
	}
	return q, q.Normalize()
}

// URL is the /search page of q.
func (q Query) URL() string {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if len(q.Kinds) > 0 {
		v.Set("kind", strings.Join(q.Kinds, ","))
	}
	for f, vals := range q.Filters {
		v[f] = vals
	}
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}

// SavedSearches returns a user's saved searches, newest first.
func (s *Service) SavedSearches(ctx context.Context, user string) ([]SavedSearch, error) {
	set, err := get(ctx, s.st.saved, user)
	if err != nil {
		return nil, fmt.Errorf("push: saved searches of %s: %w", user, err)
	}
	out := slices.Clone(set.Searches)
	slices.Reverse(out)
	return out, nil
}

// Saved returns one saved search of user.
func (s *Service) Saved(ctx context.Context, user, id string) (*SavedSearch, error) {
	set, err := get(ctx, s.st.saved, user)
	if err != nil {
		return nil, err
	}
	for i := range set.Searches {
		if set.Searches[i].ID == id {
			return &set.Searches[i], nil
		}
	}
	return nil, fmt.Errorf("push: saved search %s: %w", id, core.ErrNotFound)
}

// Save stores a new saved search for the actor and subscribes units to it
// (each must be inside scope).
func (s *Service) Save(ctx context.Context, a core.Actor, scope core.Scope, name string, q Query, units []string) (*SavedSearch, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, core.Invalid("name", "请为搜索起个名字")
	case utf8.RuneCountInString(name) > MaxName:
		return nil, core.Invalid("name", "名称最多 %d 字", MaxName)
	}
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	for _, u := range units {
		if err := s.checkUnit(scope, u); err != nil {
			return nil, err
		}
	}
	saved := SavedSearch{ID: core.NewID()[:16], Name: name, Query: q, CreatedAt: s.now()}
	_, err := mutate(ctx, s.st.saved, a.User, func(set *SavedSet) error {
		if len(set.Searches) >= MaxSaved {
			return core.Invalid("name", "每人最多保存 %d 个搜索，请先删除不用的", MaxSaved)
		}
		set.Searches = append(set.Searches, saved)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "save_search", SavedCollection, saved.ID, name+"："+q.URL())
	for _, u := range units {
		if err := s.Subscribe(ctx, a, scope, saved.ID, u); err != nil {
			return nil, err
		}
	}
	return s.Saved(ctx, a.User, saved.ID)
}

// Delete removes a saved search of the actor and the subscriptions to it.
func (s *Service) Delete(ctx context.Context, a core.Actor, id string) error {
	var gone *SavedSearch
	_, err := mutate(ctx, s.st.saved, a.User, func(set *SavedSet) error {
		i := slices.IndexFunc(set.Searches, func(x SavedSearch) bool { return x.ID == id })
		if i < 0 {
			return fmt.Errorf("push: saved search %s: %w", id, core.ErrNotFound)
		}
		g := set.Searches[i]
		gone = &g
		set.Searches = slices.Delete(set.Searches, i, i+1)
		return nil
	})
	if err != nil {
		return err
	}
	for _, u := range gone.Units {
		if err := s.dropSubscription(ctx, a.User, id, u); err != nil {
			return err
		}
	}
	s.audit(ctx, a, "delete_search", SavedCollection, id, gone.Name)
	return nil
}

// checkUnit refuses an unknown unit (field error) or one outside scope.
func (s *Service) checkUnit(scope core.Scope, unit string) error {
	if unit == "" || !s.Units.HasUnit(unit) {
		return core.Invalid("unit", "未知单位 %q", unit)
	}
	if !scope.Allows(unit) {
		return fmt.Errorf("push: unit %s: %w", unit, core.ErrForbidden)
	}
	return nil
}

// Subscribe makes unit (inside scope) subscribe to the actor's saved search
// id. Only records changed from now on are pushed.
func (s *Service) Subscribe(ctx context.Context, a core.Actor, scope core.Scope, id, unit string) error {
	if err := s.checkUnit(scope, unit); err != nil {
		return err
	}
	saved, err := s.Saved(ctx, a.User, id)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = mutate(ctx, s.st.units, unit, func(u *UnitState) error {
		if slices.ContainsFunc(u.Subscriptions, func(x Subscription) bool { return x.ID == id && x.Owner == a.User }) {
			return nil
		}
		if len(u.Subscriptions) >= MaxSubscriptions {
			return core.Invalid("unit", "每个单位最多订阅 %d 个搜索", MaxSubscriptions)
		}
		u.Subscriptions = append(u.Subscriptions, Subscription{ID: id, Owner: a.User, Name: saved.Name, Query: saved.Query,
			By: a.User, CreatedAt: now, LastRun: now})
		return nil
	})
	if err != nil {
		return err
	}
	_, err = mutate(ctx, s.st.saved, a.User, func(set *SavedSet) error {
		for i := range set.Searches {
			if set.Searches[i].ID == id && !slices.Contains(set.Searches[i].Units, unit) {
				set.Searches[i].Units = append(set.Searches[i].Units, unit)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.audit(ctx, a, "subscribe", UnitsCollection, unit, saved.Name+"（"+id+"）")
	return nil
}

// Unsubscribe removes unit's subscription to owner's saved search id; any
// user whose scope holds the unit may.
func (s *Service) Unsubscribe(ctx context.Context, a core.Actor, scope core.Scope, owner, id, unit string) error {
	if err := s.checkUnit(scope, unit); err != nil {
		return err
	}
	if err := s.dropSubscription(ctx, owner, id, unit); err != nil {
		return err
	}
	s.audit(ctx, a, "unsubscribe", UnitsCollection, unit, owner+"/"+id)
	return nil
}

func (s *Service) dropSubscription(ctx context.Context, owner, id, unit string) error {
	_, err := mutate(ctx, s.st.units, unit, func(u *UnitState) error {
		u.Subscriptions = slices.DeleteFunc(u.Subscriptions, func(x Subscription) bool { return x.ID == id && x.Owner == owner })
		return nil
	})
	if err != nil {
		return err
	}
	_, err = mutate(ctx, s.st.saved, owner, func(set *SavedSet) error {
		for i := range set.Searches {
			if set.Searches[i].ID == id {
				set.Searches[i].Units = slices.DeleteFunc(set.Searches[i].Units, func(x string) bool { return x == unit })
			}
		}
		return nil
	})
	return err
}

// UnitState returns a unit's subscriptions and webhook (unit inside scope).
func (s *Service) UnitState(ctx context.Context, scope core.Scope, unit string) (*UnitState, error) {
	if err := s.checkUnit(scope, unit); err != nil {
		return nil, err
	}
	return get(ctx, s.st.units, unit)
}

// Inbox returns a unit's inbox (unit inside scope).
func (s *Service) Inbox(ctx context.Context, scope core.Scope, unit string) (*Inbox, error) {
	if err := s.checkUnit(scope, unit); err != nil {
		return nil, err
	}
	return get(ctx, s.st.inbox, unit)
}

// Marks returns a user's read marks.
func (s *Service) Marks(ctx context.Context, user string) (map[string]int64, error) {
	r, err := get(ctx, s.st.reads, user)
	if err != nil {
		return nil, err
	}
	if r.Marks == nil {
		r.Marks = map[string]int64{}
	}
	return r.Marks, nil
}

// unread counts the items of in newer than mark that are still kept.
func unread(in *Inbox, mark int64) int {
	n := 0
	for _, it := range in.Items {
		if it.Seq > mark {
			n++
		}
	}
	return n
}

// Unread is the badge: unread items over units (the user's own units), by
// one _id read per unit plus one for the marks.
func (s *Service) Unread(ctx context.Context, user string, units []string) (int, error) {
	marks, err := s.Marks(ctx, user)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, u := range units {
		in, err := get(ctx, s.st.inbox, u)
		if err != nil {
			return 0, err
		}
		if in.Seq > marks[u] {
			total += unread(in, marks[u])
		}
	}
	return total, nil
}

// MarkRead records that user has read unit's inbox up to seq (0 = all).
func (s *Service) MarkRead(ctx context.Context, user string, scope core.Scope, unit string, seq int64) error {
	in, err := s.Inbox(ctx, scope, unit)
	if err != nil {
		return err
	}
	if seq <= 0 || seq > in.Seq {
		seq = in.Seq
	}
	_, err = mutate(ctx, s.st.reads, user, func(r *Reads) error {
		if r.Marks == nil {
			r.Marks = map[string]int64{}
		}
		if seq > r.Marks[unit] {
			r.Marks[unit] = seq
		}
		return nil
	})
	return err
}

// add appends items to unit's inbox, skipping records (at that version)
// already pushed there; it returns the items added and starts their webhook
// delivery.
func (s *Service) add(ctx context.Context, unit string, items []Item) ([]Item, error) {
	if len(items) == 0 {
		return nil, nil
	}
	var added []Item
	_, err := mutate(ctx, s.st.inbox, unit, func(in *Inbox) error {
		added = added[:0]
		have := make(map[string]bool, len(in.Keys))
		for _, k := range in.Keys {
			have[k] = true
		}
		now := s.now()
		for _, it := range items {
			k := it.Key()
			if have[k] {
				continue
			}
			have[k] = true
			in.Seq++
			it.Seq, it.Unit = in.Seq, unit
			if it.At.IsZero() {
				it.At = now
			}
			in.Items = append(in.Items, it)
			in.Keys = append(in.Keys, k)
			added = append(added, it)
		}
		if len(in.Items) > MaxItems {
			in.Items = slices.Clone(in.Items[len(in.Items)-MaxItems:])
		}
		if len(in.Keys) > MaxKeys {
			in.Keys = slices.Clone(in.Keys[len(in.Keys)-MaxKeys:])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("push: inbox of %s: %w", unit, err)
	}
	if len(added) > 0 {
		s.deliverAsync(unit, added)
	}
	return added, nil
}
