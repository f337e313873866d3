package discover

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// View is the Data of the "search" page.
type View struct {
	Text    string
	Kind    string // selected tab ("" = all)
	Error   string
	Total   int
	All     int // records over every kind (the 全部 tab)
	Tabs    []Link
	Groups  []Group
	Hits    []Hit
	Base    string // current URL without page, for the pager
	Page    int
	Pages   int
	Filters []Link // active filters, each linking to its removal
}

// Link is a tab, a facet option or an active filter.
type Link struct {
	Label    string
	Value    string
	Count    int
	URL      string
	Selected bool
}

// Group is one facet with its options.
type Group struct {
	Name, Label string
	Options     []Link
}

// Hit is one result row.
type Hit struct {
	Kind, KindLabel, URL, Title string
	Highlight                   template.HTML
}

var facetLabels = map[string]string{"industry": "产业", "zone": "载体/板块", "stage": "阶段", "level": "级别", "year": "年度",
	"unit": "单位"}

// with returns "/search?..." for vals changed by set (nil value deletes).
func with(vals url.Values, key string, value []string) string {
	out := url.Values{}
	for k, v := range vals {
		if k != "page" {
			out[k] = v
		}
	}
	if value == nil {
		delete(out, key)
	} else {
		out[key] = value
	}
	if len(out) == 0 {
		return "/search"
	}
	return "/search?" + out.Encode()
}

func (h *Handlers) page(c *fiber.Ctx) error {
	vals := queryArgs(c)
	v := View{Text: vals.Get("q"), Page: 1}
	q, err := ParseQuery(vals)
	if err != nil {
		if fe, ok := core.AsFieldError(err); ok {
			v.Error = fe.Message
			return web.Page(c.Status(400), "search", "资源搜索", "search", v)
		}
		return web.Fail(c, err)
	}
	if len(q.Kinds) == 1 {
		v.Kind = q.Kinds[0]
	}
	res, err := h.Svc.Search(c.UserContext(), web.Me(c).Scope, q)
	if err != nil {
		return web.Fail(c, err)
	}
	v.Total, v.Page = res.Total, q.Page
	v.Pages = min((res.Total+q.PerPage-1)/q.PerPage, MaxWindow/q.PerPage)
	v.Base = with(vals, "page", nil)
	for _, n := range res.Facets["kind"] {
		v.All += n
	}
	v.Tabs = append(v.Tabs, Link{Label: "全部", Count: v.All, URL: with(vals, "kind", nil), Selected: len(q.Kinds) == 0})
	for _, k := range Kinds {
		v.Tabs = append(v.Tabs, Link{Label: KindLabels[k], Value: k, Count: res.Facets["kind"][k],
			URL: with(vals, "kind", []string{k}), Selected: v.Kind == k})
	}
	for _, f := range Facets {
		g := Group{Name: f, Label: facetLabels[f]}
		sel := q.Filters[f]
		for val, n := range res.Facets[f] {
			l := Link{Label: h.facetValue(f, val), Value: val, Count: n, Selected: slices.Contains(sel, val)}
			if l.Selected {
				l.URL = with(vals, f, without(sel, val))
			} else {
				l.URL = with(vals, f, append(slices.Clone(sel), val))
			}
			g.Options = append(g.Options, l)
		}
		// a selected value with no hits still shows, so it can be removed
		for _, val := range sel {
			if _, ok := res.Facets[f][val]; !ok {
				g.Options = append(g.Options, Link{Label: h.facetValue(f, val), Value: val, Selected: true, URL: with(vals, f, without(sel, val))})
			}
		}
		slices.SortFunc(g.Options, func(a, b Link) int {
			if f == "year" {
				return cmp.Compare(b.Value, a.Value)
			}
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Value, b.Value)
		})
		if len(g.Options) > 0 {
			g.Options = g.Options[:min(len(g.Options), 30)]
			g.Label = cmp.Or(g.Label, f)
			v.Groups = append(v.Groups, g)
		}
		for _, val := range sel {
			label := h.facetValue(f, val)
			v.Filters = append(v.Filters, Link{Label: facetLabels[f] + "：" + label, URL: with(vals, f, without(sel, val))})
		}
	}
	for _, it := range res.Items {
		hl := template.HTML(it.Highlight) // the engine escapes and adds only <mark>
		if it.Highlight == "" {
			hl = template.HTML(template.HTMLEscapeString(it.Title))
		}
		v.Hits = append(v.Hits, Hit{Kind: it.Kind, KindLabel: KindLabels[it.Kind], URL: RecordURL(it.Kind, it.ID),
			Title: it.Title, Highlight: hl})
	}
	return web.Page(c, "search", "资源搜索", "search", v)
}

func without(vals []string, v string) []string {
	out := []string{}
	for _, x := range vals {
		if x != v {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func stageName(key string) string { return templates.Label("stage", key) }

// facetValue is the label shown for a facet value.
func (h *Handlers) facetValue(facet, val string) string {
	switch facet {
	case "stage":
		return stageName(val)
	case "unit":
		return h.unitName(val)
	}
	return val
}
