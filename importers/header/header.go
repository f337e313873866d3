// Package header finds the header row of a ledger and maps its columns to
// import field keys. Field staff ledgers put title rows ("2024年…台账"), note
// rows ("填报单位：… 日期：…") and merged or two-level headers above the real
// header; columns are matched by name with synonyms, ignoring full-width /
// half-width forms, whitespace (including line breaks inside a cell), "*"
// required markers and unit suffixes in brackets ("总投资（万元）").
//
// Detection is pure: it sees the first rows as sheet.Row values and returns
// a Result that the preview shows and the user may correct.
package header

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core/cells"
)

// ScanRows is how many leading non-blank rows Detect looks at.
const ScanRows = 15

// ignored are row-number columns: neither mapped nor reported as unmapped.
var ignored = map[string]bool{"序号": true, "编号": true, "no": true, "no.": true, "#": true, "行号": true}

// ErrNoHeader is returned when no row among the first ScanRows maps at
// least two fields (one when only one field is known).
var ErrNoHeader = &sheet.Error{Code: "no_header", Message: "未找到表头：前 15 行中没有与导入字段匹配的列名，请检查文件或手动指定列"}

// Result is a detected header.
type Result struct {
	Index     int            // index into the rows given to Detect of the (lower) header row; data follows it
	HeaderRow int            // 1-based spreadsheet row of the (lower) header row
	ParentRow int            // 1-based row of the upper row of a two-level header, 0 if none
	Labels    []string       // the header text per column (parent/child joined with "/")
	Columns   map[int]string // 0-based column → field key
	Units     map[int]string // 0-based column → unit named in its header: 元, 万元 or 亿元
	Unmapped  []int          // columns with a header that matched no field, ascending
	Duplicate map[int]string // columns whose field was already taken by a column to their left
	Missing   []string       // keys of required fields no column maps to
	// Confidence in [0,1]: 0.7 × share of the non-empty header cells that
	// mapped + 0.3 × share of the required fields found.
	Confidence float64
}

// Field returns the column mapped to key, or -1.
func (r Result) Field(key string) int {
	for c, k := range r.Columns {
		if k == key {
			return c
		}
	}
	return -1
}

// Record returns a data row's values by field key (cells left as written).
func (r Result) Record(row sheet.Row) map[string]string {
	m := make(map[string]string, len(r.Columns))
	for c, k := range r.Columns {
		m[k] = row.Cell(c)
	}
	return m
}

var (
	bracketRE = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>`)
	unitRE    = regexp.MustCompile(`(?:^|[(\[【/])\s*(亿元|万元|元)\s*(?:[)\]】]|$)`)
	unitTail  = regexp.MustCompile(`/?(亿元|万元)$`)
)

// Normalize folds a header cell for matching: full-width to half-width,
// lower case, bracketed parts (units, "必填") removed, unit suffixes
// ("/万元", "万元") removed, whitespace and "*", ":" dropped.
func Normalize(s string) string {
	s = strings.ToLower(cells.Fold(s))
	s = strings.NewReplacer("（", "(", "）", ")", "：", ":").Replace(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == ':' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	for prev := ""; prev != s; {
		prev = s
		s = bracketRE.ReplaceAllString(s, "")
	}
	s = unitTail.ReplaceAllString(s, "")
	return strings.Trim(s, "/")
}

// unitOf returns the money unit a header names, "" if none.
func unitOf(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")", " ", "").Replace(cells.Fold(s))
	if m := unitRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	if m := unitTail.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

type index map[string]string // normalized name → key

func buildIndex(fields []Field) index {
	ix := index{}
	for _, f := range fields {
		for _, n := range append([]string{f.Key, f.Label}, f.Synonyms...) {
			if k := Normalize(n); k != "" {
				if _, taken := ix[k]; !taken {
					ix[k] = f.Key
				}
			}
		}
	}
	return ix
}

// candidate is one way of reading the header: one row, or a parent row
// above a child row.
type candidate struct {
	idx, parent int // indexes into rows; parent -1 for a single row
	labels      []string
	raw         []string // raw text per column for unit detection
	keys        []string // per column: mapped key or ""
	mapped      int
}

func (ix index) single(rows []sheet.Row, i int) candidate {
	r := rows[i]
	c := candidate{idx: i, parent: -1}
	for _, cell := range r.Cells {
		c.labels = append(c.labels, strings.TrimSpace(cell))
		c.raw = append(c.raw, cell)
		c.keys = append(c.keys, ix[Normalize(cell)])
	}
	return c.dedupe()
}

func (ix index) pair(rows []sheet.Row, p, i int) candidate {
	parent, child := rows[p], rows[i]
	n := max(len(parent.Cells), len(child.Cells))
	c := candidate{idx: i, parent: p}
	fill := ""
	for col := range n {
		pc, cc := strings.TrimSpace(parent.Cell(col)), strings.TrimSpace(child.Cell(col))
		// A horizontally merged parent cell is only in its first column:
		// carry it right while the child row has sub-headers.
		switch {
		case pc != "":
			fill = pc
		case cc != "" && col > 0 && strings.TrimSpace(child.Cell(col-1)) != "":
			pc = fill
		default:
			fill = ""
		}
		label, raw, key := "", pc+" "+cc, ""
		switch {
		case cc == "":
			label, key = pc, ix[Normalize(pc)]
		case pc == "":
			label, key = cc, ix[Normalize(cc)]
		default:
			label = pc + "/" + cc
			np := strings.TrimSuffix(Normalize(pc), "信息")
			for _, try := range []string{np + Normalize(cc), Normalize(cc)} {
				if key = ix[try]; key != "" {
					break
				}
			}
		}
		c.labels = append(c.labels, label)
		c.raw = append(c.raw, raw)
		c.keys = append(c.keys, key)
	}
	return c.dedupe()
}

// dedupe counts distinct mapped keys (duplicates are resolved in Detect).
func (c candidate) dedupe() candidate {
	seen := map[string]bool{}
	for _, k := range c.keys {
		if k != "" && !seen[k] {
			seen[k] = true
			c.mapped++
		}
	}
	return c
}

// Detect finds the header among the first ScanRows rows and maps its
// columns to fields. A two-level header (a parent row directly above a
// child row) is used when it maps more fields than either row alone.
func Detect(rows []sheet.Row, fields []Field) (Result, error) {
	ix := buildIndex(fields)
	n := min(len(rows), ScanRows)
	best := candidate{idx: -1}
	better := func(c candidate) {
		if c.mapped > best.mapped {
			best = c
		}
	}
	for i := range n {
		better(ix.single(rows, i))
		if i > 0 && rows[i-1].Num == rows[i].Num-1 {
			better(ix.pair(rows, i-1, i))
		}
	}
	need := min(2, len(fields))
	if best.idx < 0 || best.mapped < max(need, 1) {
		return Result{}, ErrNoHeader
	}
	return result(rows, best, fields), nil
}

// At reads row num (1-based spreadsheet row, one of rows) as the header,
// whatever it maps: the user chose it when detection failed or guessed
// wrong. The mapping may then be fixed column by column.
func At(rows []sheet.Row, num int, fields []Field) (Result, error) {
	for i, r := range rows {
		if r.Num == num {
			return result(rows, buildIndex(fields).single(rows, i), fields), nil
		}
	}
	return Result{}, &sheet.Error{Code: "no_header", Row: num,
		Message: fmt.Sprintf("第 %d 行不在文件前 %d 个非空行中，不能作为表头", num, ScanRows)}
}

func result(rows []sheet.Row, best candidate, fields []Field) Result {
	res := Result{
		Index:     best.idx,
		HeaderRow: rows[best.idx].Num,
		Labels:    best.labels,
		Columns:   map[int]string{},
		Units:     map[int]string{},
		Duplicate: map[int]string{},
	}
	if best.parent >= 0 {
		res.ParentRow = rows[best.parent].Num
	}
	taken := map[string]bool{}
	nonEmpty := 0
	for col, label := range best.labels {
		if label == "" || ignored[Normalize(label)] {
			continue
		}
		nonEmpty++
		if u := unitOf(best.raw[col]); u != "" {
			res.Units[col] = u
		}
		switch k := best.keys[col]; {
		case k == "":
			res.Unmapped = append(res.Unmapped, col)
		case taken[k]:
			res.Duplicate[col] = k
		default:
			taken[k] = true
			res.Columns[col] = k
		}
	}
	required, found := 0, 0
	for _, f := range fields {
		if f.Required {
			required++
			if taken[f.Key] {
				found++
			} else {
				res.Missing = append(res.Missing, f.Key)
			}
		}
	}
	reqShare := 1.0
	if required > 0 {
		reqShare = float64(found) / float64(required)
	}
	res.Confidence = 0.7*float64(len(res.Columns))/float64(max(nonEmpty, 1)) + 0.3*reqShare
	res.Confidence = min(max(res.Confidence, 0), 1)
	return res
}

var subtotalWords = []string{"合计", "小计", "总计", "累计"}

// IsSubtotal reports whether a data row is a 合计/小计/总计 line: one of its
// first three non-empty cells is such a word (spaces ignored, so "合 计"
// counts). Such rows are skipped and counted by the importer.
func IsSubtotal(row sheet.Row) bool {
	seen := 0
	for _, c := range row.Cells {
		n := Normalize(c)
		if n == "" {
			continue
		}
		if slices.Contains(subtotalWords, n) {
			return true
		}
		if seen++; seen >= 3 {
			break
		}
	}
	return false
}
