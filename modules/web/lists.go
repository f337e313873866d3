package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// Filters reads a list page's filters: the query parameters among keys
// that are set, by key (the form shows them again), and encoded for the
// pager, sort and export links ("q=…&unit=…").
func Filters(c *fiber.Ctx, keys []string) (raw map[string]string, encoded string) {
	raw = map[string]string{}
	vals := url.Values{}
	for _, k := range keys {
		if v := c.Query(k); v != "" {
			vals.Set(k, v)
			raw[k] = v
		}
	}
	return raw, vals.Encode()
}

// Listed is what a list page shows of its list; a kind's ListView embeds
// it, so templates read .Items, .Total, .Page, .Pages and .Error.
type Listed[R any] struct {
	Items []R
	Total int
	Page  int    // the page shown, from 1
	Pages int    // at the page size the request asks (?per_page)
	Error string // a bad parameter, shown above the list (status 400)
}

// ShowList answers a list page's list: list's page for q, the parameters
// as read — unless reading them failed with err. A bad parameter, read or
// listed, becomes the page's Error (ListProblem); any other error is
// returned to fail the page.
func ShowList[Q, R any](c *fiber.Ctx, q Q, err error, list func(Q) (core.Page[R], error)) (Listed[R], error) {
	var l Listed[R]
	if err == nil {
		var page core.Page[R]
		page, err = list(q)
		l.Items, l.Total = page.Items, page.Total
	}
	if l.Error, err = ListProblem(c, err); err != nil {
		return l, err
	}
	page, perPage, _ := Paging(c)
	l.Page, l.Pages = max(page, 1), PageCount(l.Total, perPage)
	return l, nil
}
