package cells

import (
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
		bad  bool
	}{
		{"1200", 1200, true, false}, {"1,200", 1200, true, false}, {"500万元", 500, true, false}, {"500万", 500, true, false},
		{"1.2亿", 12000, true, false}, {"3000000元", 300, true, false}, {"１２００", 1200, true, false}, {"", 0, false, false},
		{"-5", 0, false, true}, {"约500万", 0, false, true}, {"五百万", 0, false, true}, {"1e400", 0, false, true},
	} {
		got, ok, err := ParseAmount(c.in)
		if (err != nil) != c.bad || ok != c.ok || (!c.bad && got != c.want) {
			t.Errorf("ParseAmount(%q) = %v %v %v", c.in, got, ok, err)
		}
	}
}

func TestPhone(t *testing.T) {
	for _, c := range []struct {
		in, want string
		valid    bool
	}{
		{"138-1234-5678", "13812345678", true}, {"+86 138 1234 5678", "13812345678", true},
		{"0512-5788 1234", "051257881234", true}, {"12345", "12345", false}, {"(0512)57881234", "051257881234", true},
	} {
		got := NormalizePhone(c.in)
		if got != c.want || ValidPhone(got) != c.valid {
			t.Errorf("NormalizePhone(%q) = %q valid=%v", c.in, got, ValidPhone(got))
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1,200", "500万元", "1.2亿", "-1", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok, err := ParseAmount(s)
		if err == nil && ok && v < 0 {
			t.Fatalf("negative amount from %q: %v", s, v)
		}
	})
}

func TestWithUnit(t *testing.T) {
	for _, c := range []struct{ v, unit, want string }{
		{"1.5", "亿元", "1.5亿元"}, {"1,500", "元", "1500元"}, {"3000万元", "亿元", "3000万元"},
		{"12", "万元", "12"}, {"12", "", "12"}, {"abc", "亿元", "abc"},
	} {
		if got := WithUnit(c.v, c.unit); got != c.want {
			t.Errorf("withUnit(%q, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
