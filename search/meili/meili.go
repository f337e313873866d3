// Package meili is the search.Engine on a Meilisearch server. One index holds
// every kind; a record's primary key is uid = kind + "_" + id; dates are
// stored as unix seconds. Semantics match search/bleve (see its package
// comment); both pass search/enginetest.
//
// Needs Meilisearch >= 1.10 (localizedAttributes, search locales; filters on
// the documents route; backslash escapes in quoted filter values).
package meili

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"zhaoshang/search"
)

// taskPoll is how often a pending Meilisearch task is polled.
const taskPoll = 50 * time.Millisecond

// Engine implements search.Engine with meilisearch-go. It is safe for
// concurrent use.
type Engine struct {
	client   meilisearch.ServiceManager
	index    meilisearch.IndexManager
	name     string
	schema   search.Schema
	textFlds []string
	retrieve []string // attributes a Hit needs
}

var _ search.Engine = (*Engine)(nil)

// New connects to the server at url, creates the index when missing (primary
// key uid) and applies the settings the schema needs, waiting for each task
// within ctx.
func New(ctx context.Context, url, key, index string, schema search.Schema) (*Engine, error) {
	if err := search.CheckSchema(schema); err != nil {
		return nil, fmt.Errorf("meili: %w", err)
	}
	if index == "" {
		return nil, errors.New("meili: empty index name")
	}
	var opts []meilisearch.Option
	if key != "" {
		opts = append(opts, meilisearch.WithAPIKey(key))
	}
	e := &Engine{
		client:   meilisearch.New(url, opts...),
		name:     index,
		schema:   maps.Clone(schema),
		textFlds: schemaFields(schema, search.Text),
	}
	e.index = e.client.Index(index)
	e.retrieve = append([]string{"kind", "id", "version", "units", "title"}, schemaFields(schema,
		search.Keyword, search.Number, search.Date, search.Text)...)

	info, err := e.client.GetIndex(ctx, index)
	switch {
	case isCode(err, meilisearch.APIErrCodeIndexNotFound):
		task, err := e.client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: index, PrimaryKey: primaryKey})
		if err := e.wait(ctx, "create index", task, err); err != nil {
			e.client.Close()
			return nil, err
		}
	case err != nil:
		e.client.Close()
		return nil, wrap("get index", err)
	case info.PrimaryKey == "":
		task, err := e.index.UpdateIndex(ctx, &meilisearch.UpdateIndexRequestParams{PrimaryKey: primaryKey})
		if err := e.wait(ctx, "set primary key", task, err); err != nil {
			e.client.Close()
			return nil, err
		}
	case info.PrimaryKey != primaryKey:
		e.client.Close()
		return nil, fmt.Errorf("meili: index %s has primary key %q, want %q", index, info.PrimaryKey, primaryKey)
	}
	task, err := e.index.UpdateSettings(ctx, buildSettings(schema))
	if err := e.wait(ctx, "update settings", task, err); err != nil {
		e.client.Close()
		return nil, err
	}
	return e, nil
}

func isCode(err error, code meilisearch.APIErrCode) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.APIError.Code == code
}

// wrap marks a failure to reach or use the server with search.ErrUnavailable,
// or with search.ErrBadQuery when the server refused the request's content.
func wrap(op string, err error) error {
	var me *meilisearch.Error
	if errors.As(err, &me) && me.ErrCode == meilisearch.APIError && me.StatusCode >= 400 && me.StatusCode < 500 &&
		strings.HasPrefix(string(me.APIError.Code), "invalid_") && me.APIError.Code != meilisearch.APIErrCodeInvalidAPIKey {
		return fmt.Errorf("meili: %s: %w: %w", op, search.ErrBadQuery, err)
	}
	return fmt.Errorf("meili: %s: %w: %w", op, search.ErrUnavailable, err)
}

// wait waits for an enqueued task and reports its failure.
func (e *Engine) wait(ctx context.Context, op string, task *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return wrap(op, err)
	}
	done, err := e.client.WaitForTask(ctx, task.TaskUID, taskPoll)
	if err != nil {
		return wrap(op+": wait for task", err)
	}
	if done.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meili: %s: task %d %s: %s (%s)", op, task.TaskUID, done.Status,
			done.Error.Message, done.Error.Code)
	}
	return nil
}

// document is the JSON shape of a record in Meilisearch: the envelope and
// the schema fields at the top level (dates as unix seconds).
func document(d search.Doc) map[string]any {
	m := map[string]any{
		primaryKey: uid(d.Kind, d.ID),
		"kind":     d.Kind,
		"id":       d.ID,
		"version":  d.Version,
		"units":    d.Units,
		"title":    d.Title,
		"body":     d.Body,
	}
	if d.Units == nil {
		m["units"] = []string{}
	}
	// Hidden pinyin terms of the title (searchable, never retrieved nor
	// highlighted): a query word matches as a prefix of one of them.
	if full, initials := search.PinyinTerms(d.Title); len(full) > 0 {
		m[search.PinyinField] = strings.Join(full, " ")
		m[search.InitialsField] = strings.Join(initials, " ")
	}
	for name, v := range d.Fields {
		if t, ok := v.(time.Time); ok {
			m[name] = t.Unix()
		} else {
			m[name] = v
		}
	}
	return m
}

// Index adds or replaces docs and waits until they are searchable.
func (e *Engine) Index(ctx context.Context, docs ...search.Doc) error {
	batch := make([]map[string]any, 0, min(len(docs), pageSize))
	for _, d := range docs {
		n, err := search.NormalizeDoc(e.schema, d)
		if err != nil {
			return fmt.Errorf("meili: index: %w", err)
		}
		batch = append(batch, document(n))
	}
	var tasks []*meilisearch.TaskInfo
	for start := 0; start < len(batch); start += pageSize {
		part := batch[start:min(start+pageSize, len(batch))]
		task, err := e.index.AddDocuments(ctx, part, nil)
		if err != nil {
			return wrap("index", err)
		}
		tasks = append(tasks, task)
	}
	for _, task := range tasks {
		if err := e.wait(ctx, "index", task, nil); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes records; unknown or malformed ids are ignored.
func (e *Engine) Delete(ctx context.Context, kind search.Kind, ids ...string) error {
	var uids []string
	for _, id := range ids {
		if search.IDPattern.MatchString(id) {
			uids = append(uids, uid(kind, id))
		}
	}
	if len(uids) == 0 {
		return nil
	}
	task, err := e.index.DeleteDocuments(ctx, uids, nil)
	return e.wait(ctx, "delete", task, err)
}

// Reset removes every record of kind.
func (e *Engine) Reset(ctx context.Context, kind search.Kind) error {
	task, err := e.index.DeleteDocumentsByFilter(ctx, "kind = "+quote(kind), nil)
	return e.wait(ctx, "reset "+kind, task, err)
}

// Versions returns the indexed version of each present id.
func (e *Engine) Versions(ctx context.Context, kind search.Kind, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	var valid []string
	for _, id := range ids {
		if search.IDPattern.MatchString(id) {
			valid = append(valid, id)
		}
	}
	slices.Sort(valid)
	valid = slices.Compact(valid)
	for start := 0; start < len(valid); start += pageSize {
		page := valid[start:min(start+pageSize, len(valid))]
		var res meilisearch.DocumentsResult
		err := e.index.GetDocuments(ctx, &meilisearch.DocumentsQuery{
			Filter: "kind = " + quote(kind) + " AND " + inList("id", page),
			Fields: []string{"id", "version"},
			Limit:  int64(len(page)),
		}, &res)
		if err != nil {
			return nil, wrap("versions", err)
		}
		for _, h := range res.Results {
			var id string
			var v int64
			if err := decodeAttr(h, "id", &id); err != nil {
				return nil, fmt.Errorf("meili: versions: %w", err)
			}
			if err := decodeAttr(h, "version", &v); err != nil {
				return nil, fmt.Errorf("meili: versions: %w", err)
			}
			out[id] = v
		}
	}
	return out, nil
}

// Health returns nil when the server answers and is available.
func (e *Engine) Health(ctx context.Context) error {
	h, err := e.client.Health(ctx)
	if err != nil {
		return wrap("health", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("meili: health: %w: status %q", search.ErrUnavailable, h.Status)
	}
	return nil
}

// Close releases the client's connections.
func (e *Engine) Close() error {
	e.client.Close()
	return nil
}

// DropIndex deletes the whole index from the server (tests and tooling).
func (e *Engine) DropIndex(ctx context.Context) error {
	task, err := e.client.DeleteIndex(ctx, e.name)
	return e.wait(ctx, "drop index", task, err)
}

func decodeAttr(h meilisearch.Hit, name string, dst any) error {
	raw, ok := h[name]
	if !ok || string(raw) == "null" {
		return fmt.Errorf("attribute %q missing", name)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("attribute %q: %w", name, err)
	}
	return nil
}

// decodeField reads a schema field back into the type Hit.Fields promises;
// ok is false when the record has no value.
func decodeField(t search.FieldType, raw json.RawMessage) (any, bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false, nil
	}
	switch t {
	case search.Keyword:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, s != "", nil
		}
		var arr []string
		if err := json.Unmarshal(raw, &arr); err != nil {
			return nil, false, err
		}
		switch len(arr) {
		case 0:
			return nil, false, nil
		case 1:
			return arr[0], true, nil
		}
		return arr, true, nil
	case search.Number:
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, false, err
		}
		return f, true, nil
	case search.Date:
		var secs float64
		if err := json.Unmarshal(raw, &secs); err != nil {
			return nil, false, err
		}
		return time.Unix(int64(secs), 0).UTC(), true, nil
	case search.Text:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, false, err
		}
		return s, s != "", nil
	}
	return nil, false, fmt.Errorf("unknown field type %d", t)
}

// formatted turns a Meilisearch highlighted value into HTML: the text is
// escaped, then the private-use tags become <mark>.
func formatted(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer(preTag, "<mark>", postTag, "</mark>").Replace(s)
}
