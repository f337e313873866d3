package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"zhaoshang/app/testapp"
)

// editable is one kind of record a user edits: where the API lists and
// answers it, where its edit form is and where that form posts.
type editable struct {
	kind     string
	list     string                 // API list path (answers {"items": [...]})
	item     func(id string) string // API item path ("" when the list is the only read)
	put      func(id string) string // API update path
	form     func(id string) string // page holding the edit form
	action   func(id string) string // where the form posts
	idKey    string                 // the list item's key holding the id ("id" when empty)
	sampleOf int                    // how many records of the list to try
}

func (k editable) id(item map[string]any) string {
	key := k.idKey
	if key == "" {
		key = "id"
	}
	id, _ := item[key].(string)
	return id
}

func same(format string) func(string) string {
	return func(id string) string { return fmt.Sprintf(format, id) }
}

// apiKind is a kind the API lists at /api/v1/<api>?limit=<limit>, reads and
// updates at /api/v1/<api>/<id>, whose edit form is on page and posts to
// action (formats of the id).
func apiKind(kind, api string, limit int, page, action string, sampleOf int) editable {
	at := same("/api/v1/" + api + "/%s")
	return editable{kind: kind, list: fmt.Sprintf("/api/v1/%s?limit=%d", api, limit), item: at, put: at,
		form: same(page), action: same(action), sampleOf: sampleOf}
}

var editables = []editable{
	apiKind("projects", "projects", 200, "/projects/%s/edit", "/projects/%s/edit", 12),
	apiKind("events", "events", 100, "/events/%s/edit", "/events/%s/edit", 6),
	apiKind("policies", "policies", 100, "/policies/%s/edit", "/policies/%s/edit", 6),
	apiKind("talents", "talents", 100, "/resources/talents/%s/edit", "/resources/talents/%s", 6),
	apiKind("enterprises", "enterprises", 100, "/resources/enterprises/%s/edit", "/resources/enterprises/%s", 6),
	apiKind("institutes", "institutes", 100, "/resources/institutes/%s/edit", "/resources/institutes/%s", 6),
	apiKind("results", "results", 100, "/resources/results/%s/edit", "/resources/results/%s", 6),
	apiKind("aftercare", "aftercare", 100, "/aftercare/%s", "/aftercare/%s", 6),
	apiKind("deals", "transfers", 100, "/transfers/%s", "/transfers/%s", 6),
	apiKind("brokers", "brokers", 100, "/brokers/%s", "/brokers/%s", 6),
	{kind: "units", list: "/api/v1/units", put: same("/api/v1/units/%s"),
		form: same("/settings/units/%s"), action: same("/settings/units/%s"), sampleOf: 6},
	{kind: "users", list: "/api/v1/users", item: same("/api/v1/users/%s"), put: same("/api/v1/users/%s"),
		form: same("/users/%s"), action: same("/users/%s"), idKey: "username", sampleOf: 8},
}

// editableOf is the kind named kind of editables.
func editableOf(kind string) editable {
	for _, k := range editables {
		if k.kind == kind {
			return k
		}
	}
	panic("no editable kind " + kind)
}

// postForm submits fields to action as a browser submits a form.
func postForm(c *testapp.Client, action string, fields url.Values) (int, string) {
	return c.Do("POST", action, []byte(fields.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// TestUnchangedSavesChangeNothing is the lossless-editing property over a
// sample of the demo records of every kind: the body a GET answered, PUT
// back, and the edit form, submitted as a browser would without a change,
// both leave the stored record exactly as it was — same version, same
// fields (contacts with their e-mails, every list item) — and are answered
// as unchanged (X-Result: unchanged; the page says 未修改).
func TestUnchangedSavesChangeNothing(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)
	c := a.Admin(t)
	for _, k := range editables {
		t.Run(k.kind, func(t *testing.T) {
			items := listItems(t, c, k.list)
			if len(items) == 0 {
				t.Fatalf("%s: the demo has no records", k.list)
			}
			step := max(1, len(items)/k.sampleOf)
			tried := 0
			for i := 0; i < len(items) && tried < k.sampleOf; i += step {
				id := k.id(items[i])
				tried++
				before := readItem(t, c, k, id)

				// PUT the body a GET answered.
				body, _ := json.Marshal(before)
				st, out := c.Do("PUT", k.put(id), string(body), nil)
				switch {
				case st != 200:
					t.Errorf("%s PUT of its GET body: %d %s", id, st, out)
				case c.Header.Get("X-Result") != "unchanged":
					t.Errorf("%s PUT of its GET body answered X-Result %q, want unchanged", id, c.Header.Get("X-Result"))
				}
				if after := readItem(t, c, k, id); !reflect.DeepEqual(after, before) {
					t.Errorf("%s PUT of its GET body changed the record:\n%s", id, diffMaps(before, after))
					before = after
				}

				// Submit the edit form as it was shown.
				page := mustGet(t, c, k.form(id))
				fields, ok := formFields(page, k.action(id))
				if !ok {
					t.Errorf("%s: %s has no form posting to %s", id, k.form(id), k.action(id))
					continue
				}
				st, out = postForm(c, k.action(id), fields)
				if st != 303 {
					t.Errorf("%s unchanged form: %d %s", id, st, snippet(out))
					continue
				}
				if after := readItem(t, c, k, id); !reflect.DeepEqual(after, before) {
					t.Errorf("%s unchanged form changed the record:\n%s", id, diffMaps(before, after))
					continue
				}
				if next := mustGet(t, c, c.Header.Get("Location")); !strings.Contains(next, "未修改") {
					t.Errorf("%s: the page after an unchanged save does not say 未修改", id)
				}
			}
			t.Logf("%s: %d records saved unchanged by PUT and by form", k.kind, tried)
		})
	}
}

func listItems(t *testing.T, c *testapp.Client, path string) []map[string]any {
	t.Helper()
	st, body := c.Do("GET", path, nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", path, st, body)
	}
	var l struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return l.Items
}

// readItem is the record as the API answers it (the list's element for a
// kind the API reads only as a list).
func readItem(t *testing.T, c *testapp.Client, k editable, id string) map[string]any {
	t.Helper()
	if k.item == nil {
		for _, it := range listItems(t, c, k.list) {
			if k.id(it) == id {
				return it
			}
		}
		t.Fatalf("%s: %s not listed", k.list, id)
	}
	st, body := c.Do("GET", k.item(id), nil, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %s", k.item(id), st, body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func diffMaps(a, b map[string]any) string {
	var out []string
	for k, v := range a {
		if !reflect.DeepEqual(v, b[k]) {
			x, _ := json.Marshal(v)
			y, _ := json.Marshal(b[k])
			out = append(out, fmt.Sprintf("  %s: %s → %s", k, x, y))
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			y, _ := json.Marshal(v)
			out = append(out, fmt.Sprintf("  %s: (none) → %s", k, y))
		}
	}
	return strings.Join(out, "\n")
}

func snippet(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// formFields are the values a browser submits from the page's POST form
// whose action is action, untouched: text inputs, hidden inputs, checked
// boxes and radios, each select's selected options (its first option when
// none is), textareas.
func formFields(page, action string) (url.Values, bool) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, false
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") && attr(n, "action") == action {
			form = n
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			find(ch)
		}
	}
	find(doc)
	if form == nil {
		return nil, false
	}
	v := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "template" {
			return // inert: a browser submits no template content
		}
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			_, disabled := attrOK(n, "disabled")
			switch {
			case name == "" || disabled:
			case n.Data == "input":
				switch typ := strings.ToLower(attr(n, "type")); typ {
				case "submit", "button", "reset", "file", "image":
				case "checkbox", "radio":
					if _, on := attrOK(n, "checked"); on {
						val, ok := attrOK(n, "value")
						if !ok {
							val = "on"
						}
						v.Add(name, val)
					}
				default:
					v.Add(name, attr(n, "value"))
				}
			case n.Data == "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				v.Add(name, strings.TrimPrefix(text, "\n"))
			case n.Data == "select":
				var opts []*html.Node
				collect(n, "option", &opts)
				_, multiple := attrOK(n, "multiple")
				chosen := 0
				for _, o := range opts {
					if _, sel := attrOK(o, "selected"); sel {
						v.Add(name, optionValue(o))
						chosen++
						if !multiple {
							break
						}
					}
				}
				if chosen == 0 && !multiple && len(opts) > 0 {
					v.Add(name, optionValue(opts[0]))
				}
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(form)
	return v, true
}

func collect(n *html.Node, tag string, out *[]*html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.Data == tag {
			*out = append(*out, ch)
		}
		collect(ch, tag, out)
	}
}

func optionValue(o *html.Node) string {
	if v, ok := attrOK(o, "value"); ok {
		return v
	}
	var b strings.Builder
	for ch := o.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.TextNode {
			b.WriteString(ch.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestProjectFormKeepsEveryContact: a project with more contacts than a
// form once had slots for, each with an e-mail, survives its edit page
// unchanged; removing one row and filling the blank one changes exactly
// that; a PUT that tries to change a read-only field is refused by name.
func TestProjectFormKeepsEveryContact(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	c := a.Admin(t)
	var contacts []map[string]string
	for i := range 6 {
		contacts = append(contacts, map[string]string{"name": fmt.Sprintf("联系人%d", i+1), "title": "总经理",
			"phone": fmt.Sprintf("1380000000%d", i), "email": fmt.Sprintf("c%d@example.cn", i+1)})
	}
	st, body := c.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": "六位联系人的项目", "unit": "kfq",
		"contacts": contacts, "action_lines": []string{"一支专业招商队伍", "一个产业链招商图谱"}}, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(body), &p)
	k := editableOf("projects")
	before := readItem(t, c, k, p.ID)

	fields, ok := formFields(mustGet(t, c, k.form(p.ID)), k.action(p.ID))
	if !ok {
		t.Fatal("no edit form")
	}
	if got := len(fields["contact_name"]); got != 7 {
		t.Errorf("the form has %d contact rows, want 6 and a blank one", got)
	}
	if st, out := postForm(c, k.action(p.ID), fields); st != 303 {
		t.Fatalf("unchanged form: %d %s", st, snippet(out))
	}
	if after := readItem(t, c, k, p.ID); !reflect.DeepEqual(after, before) {
		t.Fatalf("unchanged form changed the project:\n%s", diffMaps(before, after))
	}

	// Clear the second row, fill the blank last row.
	for _, f := range []string{"contact_name", "contact_title", "contact_phone", "contact_email"} {
		fields[f][1] = ""
	}
	fields["contact_name"][6], fields["contact_phone"][6], fields["contact_email"][6] = "新联系人", "0512-57000000", "new@example.cn"
	if st, out := postForm(c, k.action(p.ID), fields); st != 303 {
		t.Fatalf("edited form: %d %s", st, snippet(out))
	}
	after := readItem(t, c, k, p.ID)
	got, _ := json.Marshal(after["contacts"])
	want := `[{"email":"c1@example.cn","name":"联系人1","phone":"13800000000","title":"总经理"},` +
		`{"email":"c3@example.cn","name":"联系人3","phone":"13800000002","title":"总经理"},` +
		`{"email":"c4@example.cn","name":"联系人4","phone":"13800000003","title":"总经理"},` +
		`{"email":"c5@example.cn","name":"联系人5","phone":"13800000004","title":"总经理"},` +
		`{"email":"c6@example.cn","name":"联系人6","phone":"13800000005","title":"总经理"},` +
		`{"email":"new@example.cn","name":"新联系人","phone":"051257000000"}]`
	if string(got) != want {
		t.Errorf("contacts after removing row 2 and adding one:\n got %s\nwant %s", got, want)
	}
	if after["version"] != before["version"].(float64)+1 {
		t.Errorf("version %v after one edit of version %v", after["version"], before["version"])
	}

	// A read-only field changed in a PUT is refused by name; unknown stays unknown.
	for _, tc := range []struct{ key, want string }{{"stage", "推进阶段"}, {"created_by", "只读"}, {"colour", "未知字段 colour"}} {
		doc := readItem(t, c, k, p.ID)
		doc[tc.key] = "x"
		st, out := c.Do("PUT", k.put(p.ID), doc, nil)
		if (st != 400 && st != 422) || !strings.Contains(out, tc.want) || !strings.Contains(out, `"field":"`+tc.key+`"`) {
			t.Errorf("PUT with %s changed: %d %s", tc.key, st, out)
		}
	}
}

// TestEveryTextFieldIsBounded: on every kind, each text field the API
// takes (and each text item of a list) refuses 6,000 characters — nobody
// stores a megabyte in a tag or a contact's title and has every list page
// load it. A field is found to be input by sending a small change first.
func TestEveryTextFieldIsBounded(t *testing.T) {
	t.Parallel()
	a := testapp.Seeded(t)
	c := a.Admin(t)
	long := strings.Repeat("长", 6000)
	for _, k := range editables {
		t.Run(k.kind, func(t *testing.T) {
			items := listItems(t, c, k.list)
			id := k.id(items[len(items)/2])
			doc := readItem(t, c, k, id)
			checked := 0
			for key, v := range doc {
				var small, big any
				switch x := v.(type) {
				case string:
					small, big = x+"x", long
				case []any:
					if len(x) == 0 {
						continue
					}
					if s, ok := x[0].(string); ok {
						small, big = append([]any{s + "x"}, x[1:]...), append([]any{long}, x[1:]...)
					} else if m, ok := x[0].(map[string]any); ok {
						// A list of objects (contacts, clauses): each text of its first item.
						for sub, sv := range m {
							if _, ok := sv.(string); !ok {
								continue
							}
							cur := readItem(t, c, k, id)
							list := cur[key].([]any)
							item := map[string]any{}
							for a, b := range list[0].(map[string]any) {
								item[a] = b
							}
							item[sub] = long
							cur[key] = append([]any{item}, list[1:]...)
							if st, out := c.Do("PUT", k.put(id), cur, nil); st < 400 && strings.Contains(mustJSON(readItem(t, c, k, id)[key]), long) {
								t.Errorf("%s.%s of 6,000 characters stored: %d %s", key, sub, st, snippet(out))
							}
							checked++
						}
						continue
					} else {
						continue
					}
				default:
					continue
				}
				cur := readItem(t, c, k, id)
				cur[key] = small
				st, out := c.Do("PUT", k.put(id), cur, nil)
				if st == 400 && (strings.Contains(out, "只读") || strings.Contains(out, "未知字段")) {
					continue // not an input field
				}
				if st < 400 && reflect.DeepEqual(readItem(t, c, k, id)[key], v) {
					continue // worked out when answering (unit_name, members): ignored, not input
				}
				cur = readItem(t, c, k, id)
				cur[key] = big
				if st, _ := c.Do("PUT", k.put(id), cur, nil); st < 400 {
					// A long text (a policy's body): bounded further out.
					cur = readItem(t, c, k, id)
					cur[key] = strings.Repeat("长", 300000)
					if st, out := c.Do("PUT", k.put(id), cur, nil); st < 400 {
						t.Errorf("%s of 300,000 characters accepted: %d %s", key, st, snippet(out))
					}
					t.Logf("%s: a long text (over 6,000 characters allowed)", key)
				}
				checked++
			}
			t.Logf("%s: %d text fields checked", k.kind, checked)
		})
	}
}

// TestUserEdit: an admin changes a user's name, role and units (form and
// API) under the rules of creation; no admin changes their own role; a
// changed user name or status in a PUT is refused as read-only.
func TestUserEdit(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	c := a.Admin(t)
	if st, out := c.Do("POST", "/api/v1/users", map[string]any{"username": "kfq_new", "name": "新同事", "role": "officer",
		"units": []string{"kfq"}, "password": "Start-2025x"}, nil); st != 201 {
		t.Fatalf("create: %d %s", st, out)
	}
	k := editableOf("users")
	u := readItem(t, c, k, "kfq_new")
	u["name"], u["role"], u["units"] = "新同事（调岗）", "manager", []string{"gxq", "kfq"}
	if st, out := c.Do("PUT", "/api/v1/users/kfq_new", u, nil); st != 200 || c.Header.Get("X-Result") != "updated" {
		t.Fatalf("edit: %d %s", st, out)
	}
	got := readItem(t, c, k, "kfq_new")
	if got["role"] != "manager" || got["name"] != "新同事（调岗）" || fmt.Sprint(got["units"]) != "[gxq kfq]" {
		t.Errorf("after the edit: %v", got)
	}
	for _, tc := range []struct {
		user  string
		set   map[string]any
		field string
	}{
		{"kfq_new", map[string]any{"role": "field", "units": []string{"gxq", "kfq"}}, "units"}, // field staff: one unit
		{"kfq_new", map[string]any{"units": []string{"nowhere"}}, "units"},
		{"kfq_new", map[string]any{"role": "boss"}, "role"},
		{"kfq_new", map[string]any{"username": "other"}, "username"},
		{"kfq_new", map[string]any{"disabled": true}, "disabled"},
		{"admin", map[string]any{"role": "officer", "units": []string{"kfq"}}, "role"}, // not one's own role
	} {
		doc := readItem(t, c, k, tc.user)
		for key, v := range tc.set {
			doc[key] = v
		}
		st, out := c.Do("PUT", "/api/v1/users/"+tc.user, doc, nil)
		if st < 400 || !strings.Contains(out, `"field":"`+tc.field+`"`) {
			t.Errorf("PUT %s with %v: %d %s, want the field %s refused", tc.user, tc.set, st, out, tc.field)
		}
	}
	// The page: the users list links each user's edit page, which saves.
	if list := mustGet(t, c, "/users"); !strings.Contains(list, `href="/users/kfq_new"`) {
		t.Error("the users page does not link the edit page")
	}
	fields, ok := formFields(mustGet(t, c, "/users/kfq_new"), "/users/kfq_new")
	if !ok {
		t.Fatal("no edit form")
	}
	fields.Set("name", "新同事")
	if st, out := postForm(c, "/users/kfq_new", fields); st != 303 {
		t.Fatalf("form: %d %s", st, snippet(out))
	}
	if got := readItem(t, c, k, "kfq_new"); got["name"] != "新同事" || got["role"] != "manager" {
		t.Errorf("after the form: %v", got)
	}
}

// TestEditEdgeCases: what a lossless edit must also get right — a stale
// GET body is a conflict (409 with the changes), not a read-only error;
// fields worked out when answering (unit_name) never block a PUT; an exact
// amount and a tag with a space survive the form; an order the user gives
// (a user's units, an event's co-organisers) is kept by the API.
func TestEditEdgeCases(t *testing.T) {
	t.Parallel()
	a := testapp.Start(t)
	c := a.Admin(t)
	k := editableOf("projects")
	st, body := c.Do("POST", "/api/v1/projects", map[string]any{"type": "industry", "name": "精确金额项目", "unit": "kfq",
		"investment": 1234.1234567, "tags": []string{"AI 芯片", "新能源"}}, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct{ ID string }
	_ = json.Unmarshal([]byte(body), &p)
	first := readItem(t, c, k, p.ID)

	// The form saved as shown keeps 1234.1234567 and the tag "AI 芯片".
	fields, _ := formFields(mustGet(t, c, k.form(p.ID)), k.action(p.ID))
	if st, out := postForm(c, k.action(p.ID), fields); st != 303 {
		t.Fatalf("form: %d %s", st, snippet(out))
	}
	if got := readItem(t, c, k, p.ID); !reflect.DeepEqual(got, first) {
		t.Fatalf("the form saved as shown changed the project:\n%s", diffMaps(first, got))
	}
	// A derived field differing is no error.
	doc := readItem(t, c, k, p.ID)
	doc["unit_name"] = "改过的单位名"
	if st, out := c.Do("PUT", k.put(p.ID), doc, nil); st != 200 || c.Header.Get("X-Result") != "unchanged" {
		t.Errorf("PUT with another unit_name: %d %s", st, out)
	}
	// Someone saves; the first GET body PUT again is a conflict.
	doc["summary"] = "他人的修改"
	if st, out := c.Do("PUT", k.put(p.ID), doc, nil); st != 200 {
		t.Fatalf("edit: %d %s", st, out)
	}
	if st, out := c.Do("PUT", k.put(p.ID), first, nil); st != 409 {
		t.Errorf("a stale GET body: %d %s, want 409", st, out)
	}

	// A user's units in the order given; the first is the default unit.
	if st, out := c.Do("POST", "/api/v1/users", map[string]any{"username": "two_units", "name": "两单位", "role": "officer",
		"units": []string{"kfq", "gxq"}, "password": "Start-2025x"}, nil); st != 201 {
		t.Fatalf("user: %d %s", st, out)
	}
	uk := editableOf("users")
	u := readItem(t, c, uk, "two_units")
	u["units"] = []string{"gxq", "kfq"}
	if st, out := c.Do("PUT", "/api/v1/users/two_units", u, nil); st != 200 || c.Header.Get("X-Result") != "updated" {
		t.Errorf("reordering units: %d %s", st, out)
	}
	if got := readItem(t, c, uk, "two_units"); fmt.Sprint(got["units"]) != "[gxq kfq]" {
		t.Errorf("units after reordering: %v", got["units"])
	}
	// An event's co-organisers, typed one per line, keep the order given.
	st, body = c.Do("POST", "/api/v1/events", map[string]any{"title": "协办顺序沙龙", "type": "沙龙", "date": "2025-03-05",
		"unit": "kfq", "co_organisers": []string{"乙单位", "甲单位"}}, nil)
	if st != 201 {
		t.Fatalf("event: %d %s", st, body)
	}
	var ev struct{ ID string }
	_ = json.Unmarshal([]byte(body), &ev)
	ek := editableOf("events")
	e := readItem(t, c, ek, ev.ID)
	e["co_organisers"] = []string{"甲单位", "乙单位"}
	if st, out := c.Do("PUT", ek.put(ev.ID), e, nil); st != 200 || fmt.Sprint(readItem(t, c, ek, ev.ID)["co_organisers"]) != "[甲单位 乙单位]" {
		t.Errorf("reordering co-organisers: %d %s", st, out)
	}

	delete(u, "name")
	u["version"] = readItem(t, c, uk, "two_units")["version"]
	if st, out := c.Do("PUT", "/api/v1/users/two_units", u, nil); st != 422 || !strings.Contains(out, `"field":"name"`) {
		t.Errorf("a PUT without a name: %d %s, want the name asked for", st, out)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
