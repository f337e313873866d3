package matrix

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
	"zhaoshang/modules/core/cells"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// ---- catalog page ----

// ValueUse is a catalog value with the number of records using it.
type ValueUse struct {
	Value string
	Count int
}

// ListForm is one editable list of the catalog page.
type ListForm struct {
	Key   string // form field name
	Label string
	Text  string // one value per line
	Usage []ValueUse
}

// RemovalView is a warning after saving.
type RemovalView struct {
	Removal
	ListLabel string
}

// CatalogView is the Data of the "settings_catalog" page.
type CatalogView struct {
	CanEdit    bool
	Version    int64
	Industries []ListForm
	Lists      []ListForm
	StaleDays  int
	Gates      []gateState
	StageWords string // one "词 = 阶段" per line
	Stages     []string
	formError
	Conflict bool
	Saved    bool
	Warnings []RemovalView
}

func listLabel(key string) string { return templates.Label("catalog", key) }

func withUsage(vals []string, counts map[string]int) []ValueUse {
	out := make([]ValueUse, len(vals))
	for i, v := range vals {
		out[i] = ValueUse{v, counts[v]}
	}
	return out
}

func (h *Handlers) catalogView(ctx context.Context, cat *Catalog, canEdit bool) (*CatalogView, error) {
	counts := map[string]map[string]int{}
	for _, l := range CatalogLists {
		m, err := h.Usage.ValueRefs(ctx, l, nil)
		if err != nil {
			return nil, err
		}
		counts[l] = m
	}
	v := &CatalogView{CanEdit: canEdit, Version: cat.Version, StaleDays: cat.StaleDays, Gates: h.gateStates(cat),
		StageWords: formatStageWords(cat.StageWords), Stages: h.Stages}
	for _, g := range IndustryGroups {
		names := cat.IndustriesIn(g)
		v.Industries = append(v.Industries, ListForm{Key: "industries_" + strings.ToLower(g),
			Label: templates.Label("indgroup", g), Text: strings.Join(names, "\n"), Usage: withUsage(names, counts["industries"])})
	}
	for _, l := range CatalogLists[1:] {
		vals := cat.List(l)
		v.Lists = append(v.Lists, ListForm{Key: l, Label: listLabel(l), Text: strings.Join(vals, "\n"),
			Usage: withUsage(vals, counts[l])})
	}
	return v, nil
}

func (h *Handlers) catalogPage(c *fiber.Ctx) error {
	cat, err := h.Svc.Catalog(c.UserContext())
	if err != nil {
		return web.Fail(c, err)
	}
	v, err := h.catalogView(c.UserContext(), cat, web.IsAdmin(c))
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Page(c, "settings_catalog", "目录与规则 · "+pageTitle, "settings", v)
}

func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}

// formatStageWords writes the 阶段 table as the page's lines, stages by label.
func formatStageWords(ws []StageWord) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Word + " = " + StageLabel(w.Stage)
	}
	return strings.Join(out, "\n")
}

// parseStageWords reads "词 = 阶段" lines (＝ too); the stage may be given
// by label or key. Normalize checks the result.
func (h *Handlers) parseStageWords(text string) []StageWord {
	out := []StageWord{}
	for _, l := range lines(text) {
		if l = cells.Fold(l); l == "" {
			continue
		}
		word, stage, _ := strings.Cut(l, "=")
		out = append(out, StageWord{Word: word, Stage: h.stageKey(strings.TrimSpace(stage))})
	}
	return out
}

// stageKey returns the key of the stage s names by label or key, else s.
func (h *Handlers) stageKey(s string) string {
	for _, k := range h.Stages {
		if s == k || s == StageLabel(k) {
			return k
		}
	}
	return s
}

// formCatalog reads the catalog form over the stored catalog.
func (h *Handlers) formCatalog(c *fiber.Ctx, stored *Catalog) (*Catalog, error) {
	cat := *stored
	cat.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	cat.Industries = nil
	for _, g := range IndustryGroups {
		for _, n := range lines(c.FormValue("industries_" + strings.ToLower(g))) {
			cat.Industries = append(cat.Industries, Industry{Name: n, Group: g})
		}
	}
	cat.Zones = lines(c.FormValue("zones"))
	cat.TalentLevels = lines(c.FormValue("talent_levels"))
	cat.EventTypes = lines(c.FormValue("event_types"))
	cat.ActionLines = lines(c.FormValue("action_lines"))
	if c.Request().PostArgs().Has("stage_words") {
		cat.StageWords = h.parseStageWords(c.FormValue("stage_words"))
	}
	var on []string
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		if string(k) == "gates_on" {
			on = append(on, string(val))
		}
	})
	cat.DisabledGates = []string{}
	for _, g := range h.Gates {
		if !slices.Contains(on, g.Key) {
			cat.DisabledGates = append(cat.DisabledGates, g.Key)
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("stale_days")))
	if err != nil {
		return &cat, core.Invalid("stale_days", "停滞天数须为 1–%d 的整数", MaxStaleDays)
	}
	cat.StaleDays = n
	return &cat, nil
}

func (h *Handlers) catalogForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	stored, err := h.Svc.Catalog(ctx)
	if err != nil {
		return web.Fail(c, err)
	}
	cat, err := h.formCatalog(c, stored)
	typed := *cat
	var warn []Removal
	if err == nil {
		warn, err = h.Svc.SaveCatalog(ctx, web.Actor(c), cat, h.ruleKeys(), h.Usage)
	}
	status := 200
	conflict := errors.Is(err, core.ErrConflict)
	fe, invalid := core.AsFieldError(err)
	switch {
	case err == nil:
	case conflict:
		// Keep what was typed, against the current version (see the notice).
		status = 409
		if fresh, ferr := h.Svc.Catalog(ctx); ferr == nil {
			typed.Version = fresh.Version
		}
		cat = &typed
	case invalid:
		status, cat = 422, &typed
	default:
		return web.Fail(c, err)
	}
	v, verr := h.catalogView(ctx, cat, true)
	if verr != nil {
		return web.Fail(c, verr)
	}
	v.Saved, v.Conflict, v.Error = err == nil, conflict, fe
	if invalid || conflict {
		// Show the lines as typed, not re-joined from a partial parse.
		for i := range v.Industries {
			v.Industries[i].Text = c.FormValue(v.Industries[i].Key)
		}
		for i := range v.Lists {
			v.Lists[i].Text = c.FormValue(v.Lists[i].Key)
		}
		if c.Request().PostArgs().Has("stage_words") {
			v.StageWords = c.FormValue("stage_words")
		}
	}
	for _, w := range warn {
		v.Warnings = append(v.Warnings, RemovalView{w, listLabel(w.List)})
	}
	return web.Page(c.Status(status), "settings_catalog", "目录与规则 · "+pageTitle, "settings", v)
}
