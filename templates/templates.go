// Package templates holds the server-rendered pages (html/template) and the
// static assets, embedded so the binary runs from one file.
//
// Every page in pages/ is parsed together with layout.html into its own
// template set; a page defines "content" and may define "head" and "scripts".
// Pages get {{.Shell}} (title, nav, user, CSRF token, flash) and {{.Data}}.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"zhaoshang/modules/core"
)

//go:embed layout.html pages/*.html partials/*.html static
var FS embed.FS

// Static returns the static sub-filesystem (served at /static/).
func Static() fs.FS {
	sub, err := fs.Sub(FS, "static")
	if err != nil {
		panic(err) // "static" is a valid embedded directory; cannot happen
	}
	return sub
}

// ShellUser is what the layout shows of the signed-in user.
type ShellUser struct {
	Username, Name, RoleLabel string
	UnitNames                 []string
	IsAdmin, IsManager        bool
	// CanWrite: the role may change records (web.Allowed); pages offer
	// their forms and "new"/"edit" links only then.
	CanWrite bool
}

// CanWrite reports whether the signed-in user may change records.
func (s Shell) CanWrite() bool { return s.User != nil && s.User.CanWrite }

// Shell is the per-request frame around a page.
type Shell struct {
	Title     string     // page title (Chinese)
	Nav       string     // active nav key: home, projects, resources, events, policies, dashboard, imports, settings, users
	User      *ShellUser // nil on the login page
	CSRF      string
	Flash     string
	FlashKind string // "ok" or "error"
	RequestID string
	// People names users for {{$.Shell.Person .CreatedBy}}; nil keeps ids.
	People func(username string) string
}

// Person is a user's display name, or the user name when unknown.
func (s Shell) Person(username string) string {
	if s.People != nil && username != "" {
		if n := s.People(username); n != "" {
			return n
		}
	}
	return username
}

// Link is a labelled href, e.g. for EmptyData.Links.
type Link struct{ Href, Label string }

// LoginData is the Data of the "login" page.
type LoginData struct {
	Username string // kept after a failed attempt
	Error    string // e.g. 用户名或密码错误
	Next     string // optional path to return to after login (posted back as "next")
}

// ErrorData is the Data of the "error" page.
type ErrorData struct {
	Status  int
	Message string // shown as is; a generic text for Status is used when empty
}

// OutsideData is the Data of the "outside" page: a record outside the
// viewer's scope that a page of theirs links to.
type OutsideData struct {
	Kind, Name, ID string
	Unit           UnitReach
	Back           string // the same-origin page the link was on
}

// UnitReach is how to reach a unit: its name and whom to ask there.
type UnitReach struct {
	ID, Name string
	People   []Member // its managers (or the nearest parent unit's)
	Via      string   // the parent unit's name when People are its managers
}

// Member is a user as pickers and contact cards show them.
type Member struct {
	Username, Name, Role, Phone string
	Unit                        string // unit name, for grouping
}

// EmptyData is the Data of the "empty" page, for sections a later release fills.
type EmptyData struct {
	Heading string
	Text    string
	Links   []Link
}

// Set is the parsed page set; safe for concurrent use.
type Set struct {
	pages map[string]*template.Template
}

type view struct {
	Shell Shell
	Data  any
}

// New parses layout.html and partials/*.html (blocks shared by several
// pages) with each pages/*.html separately.
func New() (*Set, error) {
	base, err := template.New("layout.html").Funcs(Funcs()).ParseFS(FS, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: parse layout: %w", err)
	}
	files, err := fs.Glob(FS, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: list pages: %w", err)
	}
	s := &Set{pages: make(map[string]*template.Template, len(files))}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("templates: clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(FS, f); err != nil {
			return nil, fmt.Errorf("templates: parse %s: %w", f, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("templates: %s defines no \"content\" block", f)
		}
		s.pages[name] = t
	}
	return s, nil
}

// Pages returns the page names, sorted.
func (s *Set) Pages() []string {
	names := make([]string, 0, len(s.pages))
	for n := range s.pages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Render writes the full document for page (file name without .html).
// Output is buffered, so a failing template writes nothing to w.
func (s *Set) Render(w io.Writer, page string, shell Shell, data any) error {
	return s.exec(w, page, "layout.html", shell, data)
}

// RenderFragment writes only the named template of page (e.g. "content", or a
// block the page defines for htmx swaps), without the layout around it.
func (s *Set) RenderFragment(w io.Writer, page, name string, shell Shell, data any) error {
	return s.exec(w, page, name, shell, data)
}

func (s *Set) exec(w io.Writer, page, name string, shell Shell, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("templates: unknown page %q", page)
	}
	if t.Lookup(name) == nil {
		return fmt.Errorf("templates: page %q has no template %q", page, name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, view{Shell: shell, Data: data}); err != nil {
		return fmt.Errorf("templates: render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Funcs returns the template funcs every page can use.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"wan":        wan,
		"date":       formatDate,
		"datetime":   formatDateTime,
		"stageLabel": stageLabel,
		"stageClass": stageClass,
		"roleLabel":  roleLabel,
		"label":      Label,
		"has":        slices.Contains[[]string],
		"sortURL":    sortURL,
		"wanInput":   wanInput,
		"statusText": statusText,
		"stages":     func() []string { return Stages },
		"add":        func(a, b int) int { return a + b },
		"sub":        func(a, b int) int { return a - b },
		"seq":        seq,
		"join":       strings.Join,
		"pageURL":    pageURL,
		"pageWindow": pageWindow,
		"dict":       dict,
	}
}

// wan formats an amount in 万元: thousands separators, at most 2 decimals,
// trailing zeros dropped (1234.5 -> "1,234.5"). nil/NaN/Inf -> "—".
func wan(v any) string {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case *float64:
		if x == nil {
			return "—"
		}
		f = *x
	default:
		return "—"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, !x.IsZero()
	case *time.Time:
		if x == nil {
			return time.Time{}, false
		}
		return *x, !x.IsZero()
	}
	return time.Time{}, false
}

// formatDate shows a day, or the day of a time in the office zone
// ("2006-01-02"); zero -> "—".
func formatDate(v any) string {
	if d, ok := v.(core.Date); ok {
		if d.IsZero() {
			return "—"
		}
		return d.String()
	}
	t, ok := asTime(v)
	if !ok {
		return "—"
	}
	return core.DateOf(t).String()
}

// formatDateTime shows a time in the office zone ("2006-01-02 15:04"); zero -> "—".
func formatDateTime(v any) string {
	t, ok := asTime(v)
	if !ok {
		return "—"
	}
	return t.In(core.Zone()).Format("2006-01-02 15:04")
}

// seq returns from..to inclusive (empty when to < from).
func seq(from, to int) []int {
	if to < from {
		return nil
	}
	out := make([]int, 0, to-from+1)
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// pageURL sets page=N in base ("/projects?q=x&page=3", "q=x" or "/projects"),
// keeping the other parameters in their order; page <= 1 removes the parameter.
func pageURL(base string, page int) string {
	frag := ""
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base, frag = base[:i], base[i:]
	}
	pathPart, query, hasQ := strings.Cut(base, "?")
	if !hasQ && !strings.HasPrefix(base, "/") && strings.Contains(base, "=") {
		pathPart, query = "", base // a bare query string
	}
	var parts []string
	replaced := false
	for _, p := range strings.Split(query, "&") {
		if p == "" {
			continue
		}
		if p == "page" || strings.HasPrefix(p, "page=") {
			if !replaced && page > 1 {
				parts = append(parts, "page="+strconv.Itoa(page))
			}
			replaced = true
			continue
		}
		parts = append(parts, p)
	}
	if !replaced && page > 1 {
		parts = append(parts, "page="+strconv.Itoa(page))
	}
	out := pathPart
	if len(parts) > 0 {
		out += "?" + strings.Join(parts, "&")
	} else if out == "" {
		out = "?"
	}
	return out + frag
}

// pageWindow returns the page numbers a pager shows around page out of pages:
// first, last and two either side of the current one; 0 marks a gap of
// two or more pages.
func pageWindow(page, pages int) []int {
	if pages < 1 {
		return nil
	}
	var out []int
	last := 0
	for i := 1; i <= pages; i++ {
		if i == 1 || i == pages || (i >= page-2 && i <= page+2) {
			switch {
			case last != 0 && i == last+2:
				out = append(out, last+1) // a gap of one page shows the page
			case last != 0 && i > last+2:
				out = append(out, 0)
			}
			out = append(out, i)
			last = i
		}
	}
	return out
}

// dict builds a map from key/value pairs for sub-template calls:
// {{template "pager" (dict "Base" .Data.Base "Page" .Data.Page)}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// sortURL returns base with sort=field, or sort=-field when base already
// sorts ascending by field (a second click reverses), and page reset.
func sortURL(base, field string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	if q.Get("sort") == field {
		q.Set("sort", "-"+field)
	} else {
		q.Set("sort", field)
	}
	q.Del("page")
	u.RawQuery = q.Encode()
	return u.String()
}

// wanInput shows an amount in an input: "" for 0, no separators.
func wanInput(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
