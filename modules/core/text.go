package core

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of what a user may type, one table for forms, the API and the
// importer (README, "Input limits"). Lengths count characters, not bytes.
const (
	MaxName     = 100  // a record's name or title, a person's or a company's name
	MaxLine     = 200  // any other one-line text: a place, a next action, a contact's title
	MaxText     = 5000 // a summary, a note, a policy's body
	MaxTag      = 20   // one tag
	MaxTags     = 20   // tags on a record
	MaxContacts = 20   // contacts on a project
	MaxPhone    = 30
	MaxEmail    = 100
	MaxFileName = 120 // an attachment's file name
)

// CleanLine is one line as a user meant it: control characters (a NUL, a
// newline pasted into a name), bidirectional overrides and isolates (an
// attachment "\u202etxt.exe" that shows as "exe.txt") and zero-width
// characters removed, runs of spaces (full-width too) made one, the ends
// trimmed. Names, titles, phone numbers and file names go through it.
func CleanLine(s string) string {
	if isPlain(s, false) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError || hidden(r) || unicode.IsControl(r) && !unicode.IsSpace(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// CleanLines is a list of one-line entries (choices ticked, names typed
// one a line) as a user meant it: each through CleanLine, empty and
// repeated entries dropped, the order kept.
func CleanLines(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = CleanLine(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// CleanText is CleanLine for text of several lines (summaries, notes): line
// breaks and tabs stay (\r\n becomes \n), other control, bidirectional and
// zero-width characters go, the ends are trimmed.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if isPlain(s, true) {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == utf8.RuneError || hidden(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s))
}

// isPlain: s holds nothing CleanLine (multiline: CleanText) would remove
// but its ends.
func isPlain(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == ' ':
		case multiline && (r == '\n' || r == '\t'):
		case r < 0x20 || r == 0x7f || hidden(r) || unicode.IsControl(r) || !multiline && unicode.IsSpace(r):
			return false
		}
	}
	return !strings.Contains(s, "  ") || multiline
}

// hidden are the invisible format characters that reorder or hide text:
// bidirectional marks, embeddings, overrides and isolates, zero-width
// spaces and joiners, the byte-order mark.
func hidden(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r >= 0x200B && r <= 0x200D, r == 0xFEFF, r == 0x2060:
		return true
	}
	return false
}

// Length records a problem when s is longer than max characters.
func (p *Problems) Length(field, label, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		p.Add(field, "%s最多 %d 字（现有 %d 字）", label, max, n)
	}
}
