package cells

import (
	"strings"
	"testing"
)

func TestCreditCode(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{"valid published sample", "91350100M000100Y43", true},
		{"wrong check char", "91350100M000100Y44", false},
		// Early pilot codes that fail the check are documented in the wild;
		// the standard's check still rejects them (importers may warn instead).
		{"pilot-era code failing check", "91350100M0001TGQXM", false},
		{"lower case", "91350100m000100y43", false},
		{"17 chars", "91350100M000100Y4", false},
		{"19 chars", "91350100M000100Y433", false},
		{"empty", "", false},
		{"letter I", "91350100M000I00Y43", false},
		{"letter O", "9135010OM000100Y43", false},
		{"letter S", "91350100M000100S43", false},
		{"letter V", "91350100M000100V43", false},
		{"letter Z", "91350100M000100Z43", false},
		{"space", "91350100M000100Y4 ", false},
		{"full-width digits", "９1350100M000100Y43", false},
		{"chinese", "913501中M000100Y43", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidCreditCode(tt.code); got != tt.want {
				t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestCreditCodeCheckChar(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
		ok      bool
	}{
		{"91350100M000100Y4", '3', true},
		// Check characters computed for the pilot-era codes above by an
		// independent source (they differ from the printed 18th character).
		{"91350100M0001TGQX", '1', true},
		{"91350211M0000XUF4", 'R', true},
		{"91350203M0001FUE2", 'J', true},
		{"00000000000000000", '0', true},
		{"9135010OM000100Y4", 0, false},
		{"91350100M000100Y", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := CreditCodeCheckChar(tt.first17)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CreditCodeCheckChar(%q) = %q, %v; want %q, %v", tt.first17, got, ok, tt.want, tt.ok)
		}
	}
}

// Exactly one of the 31 possible last characters completes a valid code.
func TestCreditCodeOneCheckChar(t *testing.T) {
	for _, body := range []string{"91320583MA1MT8GE3", "12320583466956117", "Y1110000000000000"} {
		n := 0
		for i := 0; i < len(creditCharset); i++ {
			if ValidCreditCode(body + string(creditCharset[i])) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d valid check chars, want 1", body, n)
		}
	}
}

func FuzzValidCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91320583MA1MT8GE3B", "91350100M0001TGQXM", "", "9", "zzzzzzzzzzzzzzzzzz",
		"913501中M000100Y43", strings.Repeat("0", 18)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := ValidCreditCode(s)
		if !valid {
			return
		}
		if len(s) != 18 {
			t.Fatalf("valid code %q has %d bytes", s, len(s))
		}
		for i := 0; i < 18; i++ {
			if strings.IndexByte(creditCharset, s[i]) < 0 {
				t.Fatalf("valid code %q has %q outside the code set", s, s[i])
			}
		}
		c, ok := CreditCodeCheckChar(s[:17])
		if !ok || c != s[17] {
			t.Fatalf("valid code %q but check char %q, %v", s, c, ok)
		}
		// Changing any one character breaks the check (weights are units mod 31).
		for i := 0; i < 18; i++ {
			for j := 0; j < len(creditCharset); j++ {
				if creditCharset[j] == s[i] {
					continue
				}
				m := s[:i] + string(creditCharset[j]) + s[i+1:]
				if ValidCreditCode(m) {
					t.Fatalf("%q valid and so is %q (one character changed)", s, m)
				}
			}
		}
	})
}
