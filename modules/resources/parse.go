package resources

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"zhaoshang/modules/core/cells"
)

// Parsers of values as users type them into forms and spreadsheets. Each
// returns a message fit to show next to the field; the service names it.

// halfWidth turns full-width digits, letters and punctuation (１２３，．－)
// into ASCII and the ideographic space into a space.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		}
		return r
	}, s)
}

// MaxAmount bounds amounts in 万元 (a trillion yuan).
const MaxAmount = 1e8

// ParseAmount reads an amount in 万元 with the parser forms and the
// importer share (cells.ParseAmount: "1,200", "1200万元", "2亿", "3000000元",
// full-width digits). "" is 0. Negative and too large amounts are errors.
func ParseAmount(s string) (float64, error) {
	v, _, err := cells.ParseAmount(s)
	switch {
	case err != nil:
		return 0, err
	case v > MaxAmount:
		return 0, errors.New("金额过大（单位为万元）")
	}
	return v, nil
}

// NormalizePhone strips spaces, dashes, dots and brackets and the +86 /
// 0086 country prefix (cells.NormalizePhone), and checks the result is a
// mainland mobile number or a landline with its area code (cells.ValidPhone:
// 051257001234), or a local 7–8 digit number.
func NormalizePhone(s string) (string, error) {
	orig := strings.TrimSpace(halfWidth(s))
	p := cells.NormalizePhone(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(".—–（）", r) {
			return -1
		}
		return r
	}, orig))
	if p == "" {
		return "", nil
	}
	if len(p) == 13 && strings.HasPrefix(p, "861") {
		p = p[2:]
	}
	if cells.ValidPhone(p) || cells.LocalPhone(p) {
		return p, nil
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("电话号码 %q 含有无法识别的字符", orig)
		}
	}
	return "", fmt.Errorf("电话号码 %q 格式不正确（手机 11 位，座机请带区号）", orig)
}

var emailRE = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)

// NormalizeEmail lower-cases the domain and checks the shape.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(halfWidth(s))
	if s == "" {
		return "", nil
	}
	if !emailRE.MatchString(s) || len(s) > 100 {
		return "", fmt.Errorf("邮箱 %q 格式不正确", s)
	}
	at := strings.LastIndexByte(s, '@')
	return s[:at] + strings.ToLower(s[at:]), nil
}

// NormalizeCreditCode trims, removes inner spaces and upper-cases a
// 统一社会信用代码, then checks it (GB 32100-2015 check character).
func NormalizeCreditCode(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(halfWidth(s)), ""))
	if s == "" {
		return "", nil
	}
	if len(s) != 18 {
		return "", fmt.Errorf("统一社会信用代码应为 18 位，%q 为 %d 位", s, len([]rune(s)))
	}
	if !ValidCreditCode(s) {
		return "", fmt.Errorf("统一社会信用代码 %s 无效（含非法字符或校验位不符）", s)
	}
	return s, nil
}

var patentRE = regexp.MustCompile(`^(ZL)?(\d{8}|\d{12})\.?[0-9X]$`)

// NormalizePatentNo upper-cases a Chinese patent number and checks its shape
// (ZL + 8 or 12 digits + check digit, e.g. ZL202110234567.8).
func NormalizePatentNo(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(halfWidth(s)), ""))
	if s == "" {
		return "", nil
	}
	if !patentRE.MatchString(s) {
		return "", fmt.Errorf("专利号 %q 格式不正确（示例：ZL202110234567.8）", s)
	}
	return s, nil
}

// SplitTags splits a typed tag list on commas, 顿号, semicolons and spaces,
// dropping blanks and repeats.
func SplitTags(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；|", r)
	})
	var out []string
	for _, p := range parts {
		dup := false
		for _, o := range out {
			dup = dup || o == p
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// JoinTags is the inverse of SplitTags for forms.
func JoinTags(tags []string) string { return strings.Join(tags, "、") }
