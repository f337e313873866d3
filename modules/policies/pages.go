package policies

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/web"
)

// filterKeys are the list filters kept in the URL.
var filterKeys = []string{"q", "level", "status", "category", "support_mode", "industry", "issuer", "year", "sort"}

// Option is a filter value with its count over the whole library.
type Option struct {
	Value string
	Count int
}

// ListView is the Data of the "policies" page.
type ListView struct {
	Query ListQuery
	Raw   map[string]string
	web.Listed[*Policy]
	Base     string
	Export   string              // the list's .xlsx export with the same filters
	Options  map[string][]Option // by filter field
	CanWrite bool
}

// options lists the values of a facet: fixed vocabularies in their order,
// free ones (issuer, year, industry) by count or newest first.
func options(facets map[string]map[string]int, field string, fixed []string) []Option {
	counts := facets[field]
	var out []Option
	if fixed != nil {
		for _, v := range fixed {
			out = append(out, Option{v, counts[v]})
		}
		return out
	}
	for v, n := range counts {
		out = append(out, Option{v, n})
	}
	slices.SortFunc(out, func(a, b Option) int {
		if field == "year" {
			return cmp.Compare(b.Value, a.Value)
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

func (h *Handlers) listPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := ListView{CanWrite: canWrite(c)}
	var filters string
	v.Raw, filters = web.Filters(c, filterKeys)
	v.Base, v.Export = "/policies?"+filters, "/policies/export.xlsx?"+filters
	facets, err := h.Svc.Facets(ctx)
	if err != nil {
		return web.Fail(c, err)
	}
	v.Options = map[string][]Option{"level": options(facets, "level", Levels), "status": options(facets, "status", Statuses),
		"category": options(facets, "category", Categories), "support_mode": options(facets, "support_mode", SupportModes),
		"industry": options(facets, "industry", nil), "issuer": options(facets, "issuer", nil), "year": options(facets, "year", nil)}
	q, err := queryFrom(c)
	if v.Listed, err = web.ShowList(c, q, err, func(q ListQuery) (Page, error) { return h.Svc.List(ctx, q) }); err != nil {
		return web.Fail(c, err)
	}
	v.Query = q
	return web.Page(c, "policies", "政策库", "policies", v)
}

// DetailView is the Data of the "policies_detail" page.
type DetailView struct {
	P          *Policy
	UnitName   string
	Paragraphs []string
	CanWrite   bool
}

// paragraphs splits a policy body into its paragraphs.
func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (h *Handlers) detailPage(c *fiber.Ctx) error {
	p, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	me := web.Me(c)
	return web.Page(c, "policies_detail", p.Title, "policies", DetailView{P: p, UnitName: h.Svc.Matrix.Name(p.Unit),
		Paragraphs: paragraphs(p.Body), CanWrite: CanWrite(me.Role) && me.Scope.Allows(p.Unit)})
}

// FormView is the Data of the "policies_form" page.
type FormView struct {
	// FormState: which policy, the stored version, a field error or what
	// a stale save changed.
	web.FormState
	In           Input
	Rows         []Clause // the clauses plus blank rows to add more
	Levels       []string
	Statuses     []string
	Categories   []string
	SupportModes []string
	Industries   []string
	Units        []*matrix.Unit
}

// blankRows is how many empty clause rows a form offers.
const blankRows = 3

func (h *Handlers) formView(c *fiber.Ctx, in Input) (FormView, error) {
	cat, err := h.Svc.Matrix.Catalog(c.UserContext())
	if err != nil {
		return FormView{}, err
	}
	v := FormView{In: in, Levels: Levels, Statuses: Statuses, Categories: Categories, SupportModes: SupportModes,
		Rows: append(slices.Clone(in.Clauses), make([]Clause, blankRows)...)}
	for _, i := range cat.Industries {
		v.Industries = append(v.Industries, i.Name)
	}
	v.Industries = append(v.Industries, OtherIndustry)
	for _, u := range h.Svc.Matrix.Units() {
		if web.Me(c).Scope.Allows(u.ID) {
			v.Units = append(v.Units, u)
		}
	}
	return v, nil
}

// number reads an amount or rate as typed: "50", "1,000", "50万元", "3%".
func number(s string) (float64, error) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "，", "", "万元", "", "万", "", "%", "", "％", "").Replace(s))
	if s == "" {
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
}

// formInput reads the policy form: multi-valued checkboxes and the clause
// rows (parallel clause_* fields; wholly blank rows are skipped).
func formInput(c *fiber.Ctx) (Input, error) {
	in := Input{Title: c.FormValue("title"), DocNo: c.FormValue("doc_no"), Level: c.FormValue("level"), Status: c.FormValue("status"),
		Issuer: c.FormValue("issuer"), IssuedOn: c.FormValue("issued_on"), EffectiveFrom: c.FormValue("effective_from"),
		EffectiveTo: c.FormValue("effective_to"), Body: c.FormValue("body"), Unit: c.FormValue("unit")}
	args := c.Request().PostArgs()
	multi := func(name string) []string {
		var out []string
		for _, b := range args.PeekMulti(name) {
			out = append(out, string(b))
		}
		return out
	}
	in.Categories, in.SupportModes, in.Industries = multi("categories"), multi("support_modes"), multi("industries")
	nos, titles, texts, amounts, rates, units := multi("clause_no"), multi("clause_title"), multi("clause_text"),
		multi("clause_amount"), multi("clause_rate"), multi("clause_unit")
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	for i := range nos {
		cl := Clause{No: at(nos, i), Title: at(titles, i), Text: at(texts, i), Unit: at(units, i)}
		a, r := at(amounts, i), at(rates, i)
		if cl.No == "" && cl.Title == "" && cl.Text == "" && cl.Unit == "" && a == "" && r == "" {
			continue
		}
		var err error
		if cl.Amount, err = number(a); err != nil {
			in.Clauses = append(in.Clauses, cl)
			return in, core.Invalid("clauses", "第 %d 条的最高金额须为数字（单位：万元）", len(in.Clauses))
		}
		if cl.Rate, err = number(r); err != nil {
			in.Clauses = append(in.Clauses, cl)
			return in, core.Invalid("clauses", "第 %d 条的比例须为数字（如 3 表示 3%%）", len(in.Clauses))
		}
		in.Clauses = append(in.Clauses, cl)
	}
	return in, nil
}

func (h *Handlers) newPage(c *fiber.Ctx) error {
	in := Input{Level: "市级", Status: StatusValid, Unit: DefaultUnit}
	if me := web.Me(c); !me.Scope.Allows(in.Unit) && len(me.Units) > 0 {
		in.Unit = me.Units[0]
	}
	return h.forms().NewPage(c, in)
}

// forms is the flow of the new and edit pages.
func (h *Handlers) forms() *web.Forms[*Policy, Input, FormView, *FormView] {
	return &web.Forms[*Policy, Input, FormView, *FormView]{Kind: Kind, Audit: h.Audit, Page: "policies_form", Nav: "policies",
		NewTitle: "新建政策", EditTitle: "编辑政策", Path: "/policies", Read: formInput, View: h.formView,
		Created: func(p *Policy) string { return "已新建政策“" + p.Title + "”" },
		Create:  func(c *fiber.Ctx, in Input) (*Policy, error) { return h.Svc.Create(c.UserContext(), writerOf(c), in) },
		Update: func(c *fiber.Ctx, id string, version int64, in Input) (*Policy, error) {
			return h.Svc.Update(c.UserContext(), writerOf(c), id, version, in)
		}}
}

func (h *Handlers) createForm(c *fiber.Ctx) error { return h.forms().CreateHandler(c) }

func (h *Handlers) editPage(c *fiber.Ctx) error {
	p, err := h.Svc.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return web.Fail(c, err)
	}
	if err := writerOf(c).check(p.Unit); err != nil {
		h.auditDenied(c, err)
		return web.Fail(c, err)
	}
	return h.forms().EditPage(c, p, InputOf(p))
}

func (h *Handlers) editForm(c *fiber.Ctx) error { return h.forms().UpdateHandler(c) }

func (h *Handlers) deleteForm(c *fiber.Ctx) error {
	id := c.Params("id")
	return web.DeleteForm(c, h.Audit, web.Deleted{Kind: Kind, Done: "已删除政策", Stale: "该政策刚被他人修改，请核对后再删除",
		List: "/policies", Detail: "/policies/" + url.PathEscape(id)}, func(version int64) error {
		return h.Svc.Delete(c.UserContext(), writerOf(c), id, version)
	})
}
