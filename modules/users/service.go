package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Kind is the users collection and search kind.
const Kind = "users"

// Login protection and session lifetime.
const (
	MaxFailures   = 5
	LockoutFor    = 15 * time.Minute
	SessionMaxAge = 12 * time.Hour
	SessionIdle   = 2 * time.Hour
	touchEvery    = 5 * time.Minute
	sessionsColl  = "sessions"
	guardColl     = "login_guard"
	auditColl     = "audit"
)

var (
	ErrBadCredentials = errors.New("用户名或密码错误")
	ErrLocked         = errors.New("登录失败次数过多，账户已临时锁定，请 15 分钟后再试")
	ErrNoSession      = errors.New("no session")
)

// SearchSchema lists the fields users put in the engine.
var SearchSchema = search.Schema{"role": search.Keyword, "disabled": search.Keyword, "username": search.Keyword}

// Stored declares the module's collections, the indexes behind its by-field
// queries (sessions by user, audit by time) and its search fields.
var Stored = core.Stored{
	Collections: []string{Kind, sessionsColl, guardColl, auditColl},
	Indexes: []core.Index{
		{Collection: sessionsColl, Model: mongo.IndexModel{Keys: bson.D{{Key: "user", Value: 1}}, Options: options.Index().SetName("user")}},
		{Collection: auditColl, Model: mongo.IndexModel{Keys: bson.D{{Key: "at", Value: -1}}, Options: options.Index().SetName("at")}},
	},
	Search: SearchSchema,
}

func toDoc(u *User) search.Doc {
	dis := "no"
	if u.Disabled {
		dis = "yes"
	}
	return search.Doc{Kind: Kind, ID: u.ID, Version: u.Version, Units: u.Units, Title: u.Name + " " + u.ID,
		Fields: map[string]any{"role": u.Role, "disabled": dis, "username": u.ID}}
}

// UnitTree answers which units lie below others (matrix.Service).
type UnitTree interface {
	Subtree(ids []string) []string
	HasUnit(id string) bool
}

// Service is the users module.
type Service struct {
	repo     *core.Repo[User, *User]
	sessions *mongo.Collection
	guard    *mongo.Collection
	audit    *mongo.Collection
	log      *slog.Logger
	// rateClock is the login rate limiter's clock; nil = time.Now.
	rateClock atomic.Pointer[func() time.Time]
}

// New wires the users module. It is also the audit log writer (core.Auditor).
func New(db *mongo.Database, sync *search.Sync, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{sessions: db.Collection(sessionsColl), guard: db.Collection(guardColl),
		audit: db.Collection(auditColl), log: log}
	s.repo = core.NewRepo[User](db, Kind, sync, s, toDoc)
	return s
}

// Audit appends to the audit log; it never fails the caller's request
// (the write already happened), but a failure is logged loudly.
func (s *Service) Audit(ctx context.Context, a core.Actor, e core.AuditEntry) {
	e.At = time.Now().UTC()
	e.User, e.IP, e.RequestID = a.User, a.IP, a.RequestID
	e.Before, e.After = redact(e.Before), redact(e.After)
	if _, err := s.audit.InsertOne(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("audit write failed", "action", e.Action, "kind", e.Kind, "id", e.RecordID, "err", err)
	}
}

func redact(v any) any {
	if u, ok := v.(*User); ok && u != nil {
		c := *u
		c.PasswordHash = ""
		return &c
	}
	return v
}

// AuditLog returns the newest audit entries (admin page); limit ≤ 500.
func (s *Service) AuditLog(ctx context.Context, limit int) ([]core.AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	cur, err := s.audit.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("users: read audit: %w", err)
	}
	var out []core.AuditEntry
	return out, cur.All(ctx, &out)
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,31}$`)

// NewUser is the input of Create.
type NewUser struct {
	Username, Name, Role string
	Units                []string
	Password             string // empty = generate
}

// Validate checks a NewUser against the roles and known units.
func (n *NewUser) Validate(tree UnitTree) error {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.Name = core.CleanLine(n.Name)
	var ps core.Problems
	if !usernameRE.MatchString(n.Username) {
		ps.Add("username", "用户名须为 2–32 位小写字母、数字或 _ -，以字母开头")
	}
	if n.Name == "" {
		n.Name = n.Username
	}
	ps.Length("name", "姓名", n.Name, 40)
	if !slices.Contains(Roles, n.Role) {
		ps.Add("role", "未知角色 %q", n.Role)
	}
	switch {
	case n.Role != RoleAdmin && len(n.Units) == 0:
		ps.Add("units", "除系统管理员外，用户必须属于至少一个单位")
	case n.Role == RoleField && len(n.Units) != 1:
		ps.Add("units", "区镇填报员只能属于一个单位")
	}
	for _, u := range n.Units {
		if !tree.HasUnit(u) {
			ps.Add("units", "未知单位 %q", u)
		}
	}
	if n.Password != "" {
		if err := CheckPolicy(n.Password); err != nil {
			ps.Add("password", "%s", err.Error())
		}
	}
	return ps.Err()
}

// Create adds a user; it returns the password (generated when not given).
func (s *Service) Create(ctx context.Context, a core.Actor, tree UnitTree, n NewUser) (string, error) {
	if err := n.Validate(tree); err != nil {
		return "", err
	}
	pw := n.Password
	if pw == "" {
		pw = GeneratePassword()
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	u := &User{Meta: core.Meta{ID: n.Username}, Name: n.Name, Role: n.Role, Units: n.Units, PasswordHash: hash}
	if err := s.repo.Create(ctx, a, u); err != nil {
		if errors.Is(err, core.ErrDuplicate) {
			return "", core.Invalid("username", "用户名 %s 已存在", n.Username)
		}
		return "", err
	}
	return pw, nil
}

// EnsureUser creates a user if missing (seed); created=false if it exists.
func (s *Service) EnsureUser(ctx context.Context, username, name, role string, units []string, password string) (bool, error) {
	if !usernameRE.MatchString(username) || !slices.Contains(Roles, role) {
		return false, fmt.Errorf("users: invalid user %q with role %q", username, role)
	}
	if _, err := s.repo.Get(ctx, username); err == nil {
		return false, nil
	} else if !errors.Is(err, core.ErrNotFound) {
		return false, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return false, err
	}
	u := &User{Meta: core.Meta{ID: username}, Name: name, Role: role, Units: units, PasswordHash: hash}
	if err := s.repo.Create(ctx, core.System, u); err != nil {
		if errors.Is(err, core.ErrDuplicate) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// EnsureAdmin creates the admin account on first start. With an empty
// password one is generated and returned so the caller can print it once.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (created bool, generated string, err error) {
	if _, err := s.repo.Get(ctx, "admin"); err == nil {
		return false, "", nil
	} else if !errors.Is(err, core.ErrNotFound) {
		return false, "", err
	}
	pw := password
	if pw == "" {
		pw = GeneratePassword()
		generated = pw
	} else if err := CheckPolicy(pw); err != nil {
		return false, "", fmt.Errorf("ZS_ADMIN_PASSWORD: %w", err)
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return false, "", err
	}
	u := &User{Meta: core.Meta{ID: "admin"}, Name: "系统管理员", Role: RoleAdmin, PasswordHash: hash}
	if err := s.repo.Create(ctx, core.System, u); err != nil {
		if errors.Is(err, core.ErrDuplicate) {
			return false, "", nil
		}
		return false, "", err
	}
	return true, generated, nil
}

// Get loads a user by name.
func (s *Service) Get(ctx context.Context, username string) (*User, error) {
	return s.repo.Get(ctx, username)
}

// UserEdit is what an admin changes on an account: its name, role and
// units (the user name stays; status and password have their own actions).
type UserEdit struct {
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Units []string `json:"units"`
}

// Update changes a user's name, role and units under the rules of Create,
// if version is the stored one (else core.ErrConflict). An admin keeps
// their own role. Saving what is stored writes nothing (Repo.Update).
func (s *Service) Update(ctx context.Context, a core.Actor, tree UnitTree, username string, version int64, e UserEdit) (*User, error) {
	u, err := s.repo.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	if version != u.Version {
		return nil, fmt.Errorf("users: update %s version %d: %w", username, version, core.ErrConflict)
	}
	n := NewUser{Username: username, Name: core.CleanLine(e.Name), Role: e.Role, Units: e.Units}
	var nerr error
	if n.Name == "" {
		nerr = core.Invalid("name", "请填写姓名") // not silently the user name, as on create
	}
	if err := core.AllProblems(n.Validate(tree), nerr); err != nil {
		return nil, err
	}
	if username == a.User && n.Role != u.Role {
		return nil, core.Invalid("role", "不能修改自己的角色（请由另一位系统管理员修改）")
	}
	before := *u
	u.Name, u.Role = n.Name, n.Role
	var units []string
	for _, x := range n.Units {
		if !slices.Contains(units, x) {
			units = append(units, x)
		}
	}
	u.Units = units // the first is the default unit of the user's new records
	if n.Role == RoleAdmin && len(n.Units) == 0 {
		u.Units = nil
	}
	if err := s.repo.Update(ctx, a, u, &before); err != nil {
		return nil, fmt.Errorf("users: update %s: %w", username, err)
	}
	return u, nil
}

// SetDisabled enables or disables an account; disabling ends its sessions.
func (s *Service) SetDisabled(ctx context.Context, a core.Actor, username string, version int64, disabled bool) error {
	u, err := s.repo.Get(ctx, username)
	if err != nil {
		return err
	}
	if username == a.User && disabled {
		return core.Invalid("username", "不能停用自己的账户")
	}
	before := *u
	u.Version = version
	u.Disabled = disabled
	if err := s.repo.Update(ctx, a, u, &before); err != nil {
		return err
	}
	if disabled {
		_, err = s.sessions.DeleteMany(ctx, bson.D{{Key: "user", Value: username}})
	}
	return err
}

// SetPassword replaces a password (policy checked) and ends the user's sessions.
func (s *Service) SetPassword(ctx context.Context, a core.Actor, username, pw string) error {
	if err := CheckPolicy(pw); err != nil {
		return core.Invalid("password", "%s", err.Error())
	}
	u, err := s.repo.Get(ctx, username)
	if err != nil {
		return err
	}
	before := *u
	if u.PasswordHash, err = HashPassword(pw); err != nil {
		return err
	}
	if err := s.repo.Update(ctx, a, u, &before); err != nil {
		return err
	}
	_, err = s.sessions.DeleteMany(ctx, bson.D{{Key: "user", Value: username}})
	return err
}

// List returns users matching q through the search engine, newest name order.
func (s *Service) List(ctx context.Context, scope core.Scope, text string, offset, limit int) ([]*User, int, error) {
	return s.repo.Search(ctx, search.Query{Kinds: []string{Kind}, Text: text, Scope: scope.Search(),
		Sort: []search.Sort{{Field: "username"}}, Offset: offset, Limit: limit})
}

// ScopeOf returns what a user may see: admins all units; managers their
// units' subtree; officers and field staff their own units.
func ScopeOf(u *User, tree UnitTree) core.Scope {
	switch u.Role {
	case RoleAdmin:
		return core.AllUnits
	case RoleManager:
		return core.Scope{Units: tree.Subtree(u.Units)}
	default:
		return core.Scope{Units: slices.Clone(u.Units)}
	}
}

// Login checks credentials with lockout and returns a new session token.
func (s *Service) Login(ctx context.Context, username, password, ip, agent string) (string, *Session, *User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || len(username) > 64 || len(password) > 256 {
		return "", nil, nil, ErrBadCredentials
	}
	now := time.Now().UTC()
	var g loginGuard
	err := s.guard.FindOne(ctx, bson.D{{Key: "_id", Value: username}}).Decode(&g)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return "", nil, nil, fmt.Errorf("users: login guard: %w", err)
	}
	if now.Before(g.LockedUntil) {
		s.Audit(ctx, core.Actor{User: username, IP: ip}, core.AuditEntry{Action: "login_locked", Kind: Kind, RecordID: username})
		return "", nil, nil, ErrLocked
	}
	u, err := s.repo.Get(ctx, username)
	if err != nil && !errors.Is(err, core.ErrNotFound) {
		return "", nil, nil, err
	}
	ok := false
	if u != nil {
		ok = CheckPassword(u.PasswordHash, password) && !u.Disabled
	} else {
		CheckPassword(dummyHash, password)
	}
	if !ok {
		g.Failures++
		set := bson.D{{Key: "failures", Value: g.Failures}, {Key: "updated", Value: now}}
		if g.Failures >= MaxFailures {
			set = bson.D{{Key: "failures", Value: 0}, {Key: "updated", Value: now}, {Key: "locked_until", Value: now.Add(LockoutFor)}}
		}
		if _, err := s.guard.UpdateOne(ctx, bson.D{{Key: "_id", Value: username}}, bson.D{{Key: "$set", Value: set}},
			options.Update().SetUpsert(true)); err != nil {
			s.log.Error("login guard update failed", "user", username, "err", err)
		}
		s.Audit(ctx, core.Actor{User: username, IP: ip}, core.AuditEntry{Action: "login_failed", Kind: Kind, RecordID: username})
		return "", nil, nil, ErrBadCredentials
	}
	if g.Failures > 0 {
		_, _ = s.guard.DeleteOne(ctx, bson.D{{Key: "_id", Value: username}})
	}
	token, sess, err := s.newSession(ctx, username, ip, agent)
	if err != nil {
		return "", nil, nil, err
	}
	_, _ = s.repo.C.UpdateOne(ctx, bson.D{{Key: "_id", Value: username}}, bson.D{{Key: "$set", Value: bson.D{{Key: "last_login", Value: now}}}})
	s.Audit(ctx, core.Actor{User: username, IP: ip}, core.AuditEntry{Action: "login", Kind: Kind, RecordID: username})
	return token, sess, u, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Service) newSession(ctx context.Context, username, ip, agent string) (string, *Session, error) {
	token := randomHex(32)
	now := time.Now().UTC()
	if len(agent) > 200 {
		agent = agent[:200]
	}
	sess := &Session{ID: hashToken(token), User: username, CSRF: randomHex(24), Created: now,
		Expires: now.Add(SessionMaxAge), LastSeen: now, IP: ip, Agent: agent}
	if _, err := s.sessions.InsertOne(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("users: create session: %w", err)
	}
	return token, sess, nil
}

// Authenticate resolves a session cookie to its session and user; expired,
// idle or disabled ones are removed and answer ErrNoSession.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	if len(token) != 64 {
		return nil, nil, ErrNoSession
	}
	var sess Session
	err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: hashToken(token)}}).Decode(&sess)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("users: load session: %w", err)
	}
	now := time.Now().UTC()
	if now.After(sess.Expires) || now.Sub(sess.LastSeen) > SessionIdle {
		_, _ = s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: sess.ID}})
		return nil, nil, ErrNoSession
	}
	u, err := s.repo.Get(ctx, sess.User)
	if errors.Is(err, core.ErrNotFound) || (err == nil && u.Disabled) {
		_, _ = s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: sess.ID}})
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.LastSeen) > touchEvery {
		_, _ = s.sessions.UpdateOne(ctx, bson.D{{Key: "_id", Value: sess.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: now}}}})
	}
	return &sess, u, nil
}

// Logout deletes the session of a token.
func (s *Service) Logout(ctx context.Context, a core.Actor, token string) error {
	_, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: hashToken(token)}})
	if err == nil {
		s.Audit(ctx, a, core.AuditEntry{Action: "logout", Kind: Kind, RecordID: a.User})
	}
	return err
}
