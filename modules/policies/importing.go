package policies

import (
	"slices"
	"strings"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix"
)

// The importer writes policies in bulk, but through the same rules as the
// pages: only writers (managers, admins) import, into and over policies of
// units in their scope, and every row goes through Input.Validate. Clauses
// are not a ledger column: a stored policy keeps its clauses.

// ImportBuild validates in and returns the policy to store: a new one when
// cur is nil, else a copy of cur with in applied (in is the complete input:
// InputOf(cur) overlaid with the ledger's columns). changed is false when
// the row leaves cur as it was. A writer without the role is
// core.ErrForbidden; a unit outside the writer's scope is a field error on
// "unit".
func ImportBuild(in Input, cur *Policy, cat *matrix.Catalog, m Matrix, w Writer, now time.Time) (p *Policy, changed bool, err error) {
	if err := w.check(""); err != nil {
		return nil, false, err
	}
	if cur != nil && !w.Scope.Allows(cur.Unit) {
		return nil, false, core.Invalid("unit", "该政策由「%s」维护，无权修改", m.Name(cur.Unit))
	}
	if err := in.validFor(cat, m, w, now); err != nil {
		return nil, false, err
	}
	if cur == nil {
		p = &Policy{}
		in.apply(p)
		return p, true, nil
	}
	cp := *cur
	in.apply(&cp)
	cp.Clauses = slices.Clone(cp.Clauses)
	same := func(s string) string { return s }
	return &cp, len(Diff(InputOf(&cp), cur, same)) > 0, nil
}

// DocNoKey folds a 文号 for matching: full-width forms, spaces and the
// bracket styles around the year (〔2023〕, [2023], （2023）, 【2023】) are
// ignored, so 昆科字〔2023〕53号 and 昆科字[2023] 53 号 are the same document.
func DocNoKey(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '(', '（', '[', '［', '【', '﹝', '〔':
			return '〔'
		case ')', '）', ']', '］', '】', '﹞', '〕':
			return '〕'
		case ' ', '\u3000', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
	return strings.ToUpper(s)
}
