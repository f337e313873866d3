package core

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"zhaoshang/search"
)

// ListQuery is a kind's list request as the shared list plumbing reads it
// (events.ListQuery, projects.ListQuery …): it checks itself, then says
// what the engine needs of it.
type ListQuery interface {
	// Validate normalises the request and refuses a bad parameter by name.
	Validate() error
	// Listing is what the engine needs of the validated request.
	Listing() Listing
}

// Listing is what every list asks of the engine: its kind's matches for
// the text and filters, within the scope narrowed to Unit, in Sort's order
// (relevance when Text is searched, else Newest first), one page of them.
type Listing struct {
	Kind    string
	Text    string
	Unit    string // a unit the list asks for; "" is the whole scope
	Filters []search.Filter
	Sort    string // "field" or "-field"; "" is the default order
	Newest  string // the field of the default order, newest first
	Page    int    // 1-based, as CheckPaging left it
	PerPage int
}

// SearchQuery validates q and returns the engine query of its matches
// within scope (no paging, no sort): lists and exports share it. ok is
// false when q asks for a unit outside the scope, which matches nothing.
func SearchQuery(scope Scope, q ListQuery) (search.Query, bool, error) {
	if err := q.Validate(); err != nil {
		return search.Query{}, false, err
	}
	sq, ok := q.Listing().query(scope)
	return sq, ok, nil
}

func (l Listing) query(scope Scope) (search.Query, bool) {
	scope, ok := scope.To(l.Unit)
	if !ok {
		return search.Query{}, false
	}
	return search.Query{Kinds: []string{l.Kind}, Text: l.Text, Scope: scope.Search(), Filters: l.Filters}, true
}

// List validates q and answers it through the engine within scope, then
// loads the page's records by _id: the one list of a kind's records.
func (r *Repo[T, P]) List(ctx context.Context, scope Scope, q ListQuery) (Page[P], error) {
	if err := q.Validate(); err != nil {
		return Page[P]{}, err
	}
	l := q.Listing()
	sq, ok := l.query(scope)
	if !ok {
		return Page[P]{}, nil
	}
	items, total, err := r.Search(ctx, search.Paged(sq, l.Page, l.PerPage, l.Sort, l.Text, l.Newest))
	if err != nil {
		return Page[P]{}, err
	}
	return Page[P]{Items: items, Total: total}, nil
}

// The list parameter checks every kind's ListQuery.Validate shares; each
// refuses by the parameter's name.

// MaxSearchText is the longest search text (characters) a list takes.
const MaxSearchText = 200

// CheckSearchText refuses a search text (the parameter q) over
// MaxSearchText characters.
func CheckSearchText(text string) error {
	if utf8.RuneCountInString(text) > MaxSearchText {
		return Invalid("q", "搜索词过长（最多 %d 字）", MaxSearchText)
	}
	return nil
}

// CheckSort refuses a sort ("field" or "-field") that names none of
// fields; "" is the list's default order.
func CheckSort(sort string, fields []string) error {
	if sort != "" && !slices.Contains(fields, strings.TrimPrefix(sort, "-")) {
		return Invalid("sort", "不能按 %q 排序", sort)
	}
	return nil
}

var yearRE = regexp.MustCompile(`^(19|20)\d\d$`)

// CheckYear refuses a year filter that is not four digits (1900–2099);
// "" is no filter.
func CheckYear(year string) error {
	if year != "" && !yearRE.MatchString(year) {
		return Invalid("year", "年度须为四位数字，如 2024")
	}
	return nil
}
