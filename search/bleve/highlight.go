package bleve

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

// snippetRunes is the length of a highlight window cut from a long text.
const snippetRunes = 120

// snippet returns s (or a window of it around the first match) as HTML with
// the byte ranges in spans wrapped in <mark>; everything else is escaped.
// Overlapping ranges, such as the bigrams 智能 能装 装备, merge into one mark.
func snippet(s string, spans [][2]int) string {
	spans = mergeSpans(s, spans)
	start, end := 0, len(s)
	if utf8.RuneCountInString(s) > snippetRunes {
		first := 0
		if len(spans) > 0 {
			first = spans[0][0]
		}
		start = backRunes(s, first, snippetRunes/4)
		end = forwardRunes(s, start, snippetRunes)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	cur := start
	for _, sp := range spans {
		a, z := max(sp[0], cur), min(sp[1], end)
		if a >= z {
			continue
		}
		b.WriteString(html.EscapeString(s[cur:a]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[a:z]))
		b.WriteString("</mark>")
		cur = z
	}
	if cur < end {
		b.WriteString(html.EscapeString(s[cur:end]))
	}
	if end < len(s) {
		b.WriteString("…")
	}
	return b.String()
}

// mergeSpans sorts spans, drops those outside s or off rune boundaries, and
// joins overlapping or touching ones.
func mergeSpans(s string, spans [][2]int) [][2]int {
	var ok [][2]int
	for _, sp := range spans {
		if sp[0] < 0 || sp[1] > len(s) || sp[0] >= sp[1] {
			continue
		}
		if !utf8.RuneStart(s[sp[0]]) || (sp[1] < len(s) && !utf8.RuneStart(s[sp[1]])) {
			continue
		}
		ok = append(ok, sp)
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i][0] < ok[j][0] })
	var out [][2]int
	for _, sp := range ok {
		if n := len(out); n > 0 && sp[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
