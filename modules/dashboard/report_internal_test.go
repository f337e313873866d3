package dashboard

import (
	"testing"
	"time"

	"zhaoshang/modules/core"
)

func monthErrField(err error) string {
	if err == nil {
		return ""
	}
	if fe, ok := core.AsFieldError(err); ok {
		return fe.Field
	}
	return err.Error()
}

func TestParseMonth(t *testing.T) {
	now := time.Date(2025, 3, 31, 20, 0, 0, 0, time.UTC) // 2025-04-01 04:00 in China
	for _, tc := range []struct {
		in, want, field string
	}{
		{"", "2025-04", ""}, {" 2025-03 ", "2025-03", ""}, {"2025-04", "2025-04", ""}, {"2000-01", "2000-01", ""},
		{"2025-05", "", "month"}, {"1999-12", "", "month"}, {"2025-3", "", "month"}, {"2025-13", "", "month"},
		{"2025-00", "", "month"}, {"202503", "", "month"}, {"abcd-ef", "", "month"}, {"2025-03-01", "", "month"},
	} {
		m, err := ParseMonth(tc.in, now)
		if got := monthErrField(err); got != tc.field {
			t.Errorf("%q: field %q, want %q (%v)", tc.in, got, tc.field, err)
			continue
		}
		if err == nil && m.Format("2006-01") != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, m.Format("2006-01"), tc.want)
		}
	}
}
