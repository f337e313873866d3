package discover

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// Handlers serves /search, /api/v1/search and /api/v1/search/suggest.
type Handlers struct {
	Svc *Service
	// UnitName names a unit id (matrix.Service.Name); nil shows the id.
	UnitName func(id string) string
}

// Access: every signed-in user searches; scope is applied in the engine query.
// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/search", web.Signed, h.page),
		web.GET("/api/v1/search", web.Signed, h.api),
		web.GET("/api/v1/search/suggest", web.Signed, h.suggest),
	}
}

func (h *Handlers) unitName(id string) string {
	if h.UnitName != nil {
		if n := h.UnitName(id); n != "" {
			return n
		}
	}
	return id
}

// suggest answers the as-you-type list: {"items":[{"kind","id","title",
// "kind_label","url"}]}, at most MaxSuggestions, best first. Only q is taken.
func (h *Handlers) suggest(c *fiber.Ctx) error {
	text := ""
	for name, vals := range queryArgs(c) {
		if name != "q" {
			return web.JSONError(c, 400, "bad_request", "未知的参数 "+name, name)
		}
		text = strings.TrimSpace(vals[0])
	}
	items, err := h.Svc.Suggest(c.UserContext(), web.Me(c).Scope, text)
	if err != nil {
		return web.QueryFail(c, err)
	}
	return c.JSON(fiber.Map{"items": items})
}

// ParseQuery reads a search from URL parameters; any parameter other than
// q, kind, page, per_page and the facet names is refused (naming it).
func ParseQuery(args url.Values) (Query, error) {
	q := Query{Filters: map[string][]string{}}
	for name, vals := range args {
		switch {
		case name == "q":
			q.Text = strings.TrimSpace(vals[0])
		case name == "kind":
			for _, v := range vals {
				for _, k := range strings.Split(v, ",") {
					if k = strings.TrimSpace(k); k != "" && !slices.Contains(q.Kinds, k) {
						q.Kinds = append(q.Kinds, k)
					}
				}
			}
		case name == "page" || name == "per_page":
			if vals[0] == "" {
				continue
			}
			n, err := strconv.Atoi(vals[0])
			if err != nil || n < 1 {
				return q, core.Invalid(name, "须为正整数")
			}
			if name == "page" {
				q.Page = n
			} else {
				q.PerPage = n
			}
		case slices.Contains(Facets, name):
			for _, v := range vals {
				if v = strings.TrimSpace(v); v != "" && !slices.Contains(q.Filters[name], v) {
					q.Filters[name] = append(q.Filters[name], v)
				}
			}
		default:
			return q, core.Invalid(name, "未知的筛选条件 %s", name)
		}
	}
	slices.Sort(q.Kinds)
	return q, Validate(&q)
}

func queryArgs(c *fiber.Ctx) url.Values {
	vals := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { vals.Add(string(k), string(v)) })
	return vals
}

func (h *Handlers) api(c *fiber.Ctx) error {
	q, err := ParseQuery(queryArgs(c))
	if err == nil {
		var res Result
		if res, err = h.Svc.Search(c.UserContext(), web.Me(c).Scope, q); err == nil {
			res.Labels = map[string]map[string]string{"unit": {}}
			for id := range res.Facets["unit"] {
				res.Labels["unit"][id] = h.unitName(id)
			}
			return c.JSON(res)
		}
	}
	if fe, ok := core.AsFieldError(err); ok {
		return web.JSONError(c, 400, "bad_request", fe.Message, fe.Field)
	}
	return web.Fail(c, err)
}
