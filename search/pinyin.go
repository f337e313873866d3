package search

// Pinyin terms let a user find 苏州某某智能装备有限公司 by typing zhineng,
// zhinengzhuangbei or the initials znzb. Both engines index the terms made
// here from a record's Title in two hidden fields (PinyinField,
// InitialsField), search them with the query's Latin words as prefixes, and
// never highlight or return them.

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Hidden full-text fields derived from Doc.Title; reserved, so no schema can
// reuse the names.
const (
	PinyinField   = "pinyin"
	InitialsField = "pinyin_initials"
)

const (
	// maxPinyinChars bounds the Han characters of a title turned into terms.
	maxPinyinChars = 32
	// maxTermSyllables bounds the syllables of one term: a query longer than
	// this many syllables is rare, and terms stay short.
	maxTermSyllables = 12
	// MinInitialsQuery and MinPinyinQuery are the shortest Latin query words
	// searched in the initials and in the full pinyin: one letter would
	// match nearly every record, and a two-letter prefix of the full pinyin
	// (zh, li) expands to most of its terms, too slow for as-you-type.
	MinInitialsQuery = 2
	MinPinyinQuery   = 3
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	return a
}()

// PinyinTerms returns the pinyin terms of title: for every Han character
// that starts a syllable, the toneless syllables from there to the end of its
// run of Han characters (at most maxTermSyllables), concatenated; and the
// same made of the syllables' first letters. A query word matches when it is
// a prefix of one term, i.e. when it starts on a syllable boundary.
// 智能装备 gives full [zhinengzhuangbei nengzhuangbei zhuangbei bei] and
// initials [znzb nzb zb b]. Terms are lower-case ASCII letters, without
// repeats, in title order.
func PinyinTerms(title string) (full, initials []string) {
	var runs [][]string // syllables of each run of Han characters
	var cur []string
	n := 0
	for _, r := range title {
		if n >= maxPinyinChars {
			break
		}
		var syl string
		if unicode.Is(unicode.Han, r) {
			if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
				syl = asciiSyllable(p[0])
			}
		}
		if syl == "" {
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
			continue
		}
		n++
		cur = append(cur, syl)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	seenF, seenI := map[string]bool{}, map[string]bool{}
	for _, run := range runs {
		for i := range run {
			end := min(len(run), i+maxTermSyllables)
			var f, in strings.Builder
			for _, s := range run[i:end] {
				f.WriteString(s)
				in.WriteByte(s[0])
			}
			if t := f.String(); !seenF[t] {
				seenF[t] = true
				full = append(full, t)
			}
			if t := in.String(); !seenI[t] {
				seenI[t] = true
				initials = append(initials, t)
			}
		}
	}
	return full, initials
}

// asciiSyllable keeps the ASCII letters of a toneless syllable, writing ü as
// v (lü → lv), as pinyin input methods do.
func asciiSyllable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
		case r == 'ü' || r == 'Ü':
			b.WriteByte('v')
		}
	}
	return b.String()
}

// PinyinQueryWord reports whether a query word (already lower-cased) is
// searched in the full pinyin and in the initials: ASCII letters only, at
// least MinPinyinQuery and MinInitialsQuery long.
func PinyinQueryWord(w string) (full, initials bool) {
	if len(w) > 6*maxTermSyllables {
		return false, false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false, false
		}
	}
	return len(w) >= MinPinyinQuery, len(w) >= MinInitialsQuery && len(w) <= maxTermSyllables
}

// TypoDistance is the number of typos a query word may carry, the
// Meilisearch default the embedded engine copies: none below 5 letters, one
// from 5, two from 9. Only words of letters get typos, and very long words
// none (the automaton grows with the word).
func TypoDistance(w string) int {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) || r > unicode.MaxLatin1 {
			return 0
		}
		n++
	}
	switch {
	case n > 40:
		return 0
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}
