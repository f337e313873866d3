package core

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCleanLine: whatever a user pastes, a cleaned name is valid UTF-8,
// holds no control, bidirectional or zero-width character, no line break,
// no space at its ends or twice in a row, and cleaning it again changes
// nothing; CleanText keeps line breaks but holds no other control or
// hidden character and is stable too.
func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"昆山精密轴承", " \u202etxt.exe ", "a\x00b", "第一行\r\n第二行", "\ufeffBOM", "全角\u3000空格", "\xff", "a  b", "\u2067x\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := CleanLine(s)
		if !utf8.ValidString(line) || strings.TrimSpace(line) != line || strings.Contains(line, "  ") || CleanLine(line) != line {
			t.Fatalf("CleanLine(%q) = %q", s, line)
		}
		for _, r := range line {
			if hidden(r) || unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' {
				t.Fatalf("CleanLine(%q) = %q keeps %U", s, line, r)
			}
		}
		text := CleanText(s)
		if !utf8.ValidString(text) || CleanText(text) != text {
			t.Fatalf("CleanText(%q) = %q", s, text)
		}
		for _, r := range text {
			if hidden(r) || unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("CleanText(%q) = %q keeps %U", s, text, r)
			}
		}
	})
}
