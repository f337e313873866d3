package push_test

import (
	"strings"
	"testing"

	"zhaoshang/modules/core"
	"zhaoshang/modules/push"
)

func TestParseSearchURL(t *testing.T) {
	for _, c := range []struct {
		in, field string
		text      string
		kinds     string
		filters   string
	}{
		{in: "/search", kinds: "", filters: ""},
		{in: "/search?q=+储能+&kind=talents,enterprises&page=3&per_page=50", text: "储能", kinds: "enterprises,talents"},
		{in: "/search?industry=新能源&industry=新材料&zone=张浦镇&kind=talents", kinds: "talents", filters: "industry=新材料|新能源;zone=张浦镇"},
		{in: "/search?unit=kfq&level=国家级", filters: "level=国家级;unit=kfq"},
		{in: "/search?kind=projects", field: "kinds"},
		{in: "/search?stage=push", field: "filters"},
		{in: "/search?foo=1", field: "filters"},
		{in: "/search?q=" + strings.Repeat("长", 201), field: "q"},
		{in: "/search?industry=" + strings.Repeat("x", 51), field: "filters"},
	} {
		q, err := push.ParseSearchURL(c.in)
		if c.field != "" {
			fe, ok := core.AsFieldError(err)
			if !ok || fe.Field != c.field {
				t.Errorf("%s: error %v, want field %s", c.in, err, c.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var fs []string
		for _, f := range push.FilterFields {
			if v := q.Filters[f]; len(v) > 0 {
				fs = append(fs, f+"="+strings.Join(v, "|"))
			}
		}
		if q.Text != c.text || strings.Join(q.Kinds, ",") != c.kinds || strings.Join(fs, ";") != c.filters {
			t.Errorf("%s: got %q %v %v", c.in, q.Text, q.Kinds, fs)
		}
		// The page URL of a parsed query parses back to the same query.
		if back, err := push.ParseSearchURL(q.URL()); err != nil || back.URL() != q.URL() {
			t.Errorf("%s: round trip %q → %q (%v)", c.in, q.URL(), back.URL(), err)
		}
	}
}

func TestSignVerify(t *testing.T) {
	body := []byte(`{"delivery":"d1","timestamp":1700000000}`)
	sig := push.Sign("secret-0123456789", body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Fatalf("signature %q", sig)
	}
	for _, c := range []struct {
		secret string
		body   []byte
		sig    string
		ok     bool
	}{
		{"secret-0123456789", body, sig, true},
		{"secret-0123456780", body, sig, false},
		{"secret-0123456789", append([]byte(nil), append(body, ' ')...), sig, false},
		{"secret-0123456789", body, strings.ToUpper(sig), false},
		{"secret-0123456789", body, "", false},
	} {
		if got := push.Verify(c.secret, c.body, c.sig); got != c.ok {
			t.Errorf("Verify(%q, %q, %q) = %v", c.secret, c.body, c.sig, got)
		}
	}
}
