package resources

import (
	"context"
	"io"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/export"
	"zhaoshang/modules/web"
	"zhaoshang/search"
)

// ExportSheet is a kind's ledger as exported: its fields in form order
// (keys are the import keys; the importer's labels win, the kind's label
// table fills in) and the owning unit by name. unitName may be nil.
func ExportSheet[P Resource](k *Kind, unitName func(string) string) export.Sheet[P] {
	cols := make([]export.Column[P], 0, len(k.Fields)+1)
	for _, f := range k.Fields {
		c := export.Column[P]{Key: f.Key, Label: k.Label(f.Key), Value: func(p P) any { return f.Value(p) }}
		switch f.Type {
		case TypeAmount:
			c.Type = export.Amount
			c.Label = trimUnit(c.Label)
		case TypeDate:
			c.Type = export.Date
		case TypeLongText:
			c.Width = 40
		}
		cols = append(cols, c)
	}
	cols = append(cols, export.Column[P]{Key: "unit", Label: k.Label("unit"), Value: func(p P) any {
		if unitName == nil {
			return p.OwnerUnit()
		}
		return unitName(p.OwnerUnit())
	}})
	return export.Sheet[P]{Kind: k.Key, Name: k.Name(), Columns: cols}
}

// trimUnit drops the "（万元）" of a page label; the export adds it back.
func trimUnit(l string) string {
	for _, s := range []string{"（万元）", "(万元)"} {
		if len(l) > len(s) && l[len(l)-len(s):] == s {
			return l[:len(l)-len(s)]
		}
	}
	return l
}

var (
	_ = export.Declare(ExportSheet[*Talent](TalentKind, nil))
	_ = export.Declare(ExportSheet[*Enterprise](EnterpriseKind, nil))
	_ = export.Declare(ExportSheet[*Institute](InstituteKind, nil))
	_ = export.Declare(ExportSheet[*TechResult](ResultKind, nil))
)

func (s repoStore[T, P]) export(ctx context.Context, w io.Writer, k *Kind, unitName func(string) string, q search.Query, ok bool) (int, error) {
	sheet := ExportSheet[P](k, unitName)
	if !ok {
		return export.Write(w, sheet, func(func(P) error) error { return nil })
	}
	return export.Records(ctx, w, sheet, s.r, q)
}

// exportList downloads GET /resources/<kind>/export.xlsx?<list filters>:
// every record the list shows for the same filters and scope, audited.
func (h *Handlers) exportList(c *fiber.Ctx, k *Kind) error {
	q, err := queryFrom(c, k)
	if err != nil {
		return web.QueryFail(c, err)
	}
	sq, ok, err := h.Svc.SearchQuery(web.Me(c).Scope, &q)
	if err != nil {
		return web.QueryFail(c, err)
	}
	_, st, err := h.Svc.kind(k.Key)
	if err != nil {
		return web.Fail(c, err)
	}
	return web.Download(c, h.Audit, k.Key, k.Name()+"台账", k.Key, func(w io.Writer) (int, error) {
		return st.export(c.UserContext(), w, k, h.Units.Name, sq, ok)
	})
}
