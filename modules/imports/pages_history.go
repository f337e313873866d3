package imports

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/web"
)

const historyPerPage = 30

// HistoryView is the Data of the "imports" page.
type HistoryView struct {
	Items []jobState
	Kinds [][2]string
	Kind  string
	Page  int
	Pages int
	Total int
	Base  string
}

func (h *Handlers) historyPage(c *fiber.Ctx) error {
	u := userOf(c)
	kind := c.Query("kind")
	if _, ok := h.Svc.Imports.Kind(kind); !ok {
		kind = ""
	}
	page, _, err := web.Paging(c)
	if err != nil {
		page = 1
	}
	page = max(page, 1)
	jobs, err := h.Svc.List(c.UserContext(), u, kind)
	if err != nil {
		return web.Fail(c, err)
	}
	v := HistoryView{Kind: kind, Total: len(jobs), Page: page, Pages: (len(jobs) + historyPerPage - 1) / historyPerPage,
		Base: "/imports"}
	if kind != "" {
		v.Base += "?kind=" + url.QueryEscape(kind)
	}
	for _, k := range h.Svc.Imports.Kinds() {
		v.Kinds = append(v.Kinds, [2]string{k.Key(), k.Label()})
	}
	for i := (page - 1) * historyPerPage; i < len(jobs) && i < page*historyPerPage; i++ {
		v.Items = append(v.Items, h.state(u, &jobs[i], false))
	}
	return web.Page(c, "imports", "导入导出", "imports", v)
}
