package projects

import (
	"slices"
	"strings"
	"testing"
)

func TestParseContacts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Contact
		err      []string // parts of the error message; nil = no error
	}{
		{"empty", "", nil, nil},
		{"blank", "  \n ； ", nil, nil},
		{"one with phone", "张三 13812345678", []Contact{{Name: "张三", Phone: "13812345678"}}, nil},
		{"full-width separator", "张三 13812345678；李四 13912345678",
			[]Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四", Phone: "13912345678"}}, nil},
		{"half-width separator", "张三 13812345678;李四", []Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四"}}, nil},
		{"new lines", "张三 13812345678\n李四 13912345678\r\n王五",
			[]Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四", Phone: "13912345678"}, {Name: "王五"}}, nil},
		{"missing phone", "李四；王五", []Contact{{Name: "李四"}, {Name: "王五"}}, nil},
		{"extra spaces", "  张三    138 1234 5678 ；；  李四  ", []Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四"}}, nil},
		{"full-width digits and space", "张三　１３８１２３４５６７８", []Contact{{Name: "张三", Phone: "13812345678"}}, nil},
		{"no space before phone", "张三13812345678", []Contact{{Name: "张三", Phone: "13812345678"}}, nil},
		{"prefix and dashes", "张三 +86 138-1234-5678；李四 (0512)5700 1234",
			[]Contact{{Name: "张三", Phone: "13812345678"}, {Name: "李四", Phone: "051257001234"}}, nil},
		{"local number without area code", "李四 57001234", []Contact{{Name: "李四", Phone: "57001234"}}, nil},
		{"bad phone", "张三 13812345678；李四 1391234", nil, []string{"李四", "1391234", "不是有效号码"}},
		{"phone words", "张三 电话待定", nil, []string{"张三", "电话待定"}},
		{"phone without name", "13812345678", nil, []string{"13812345678", "缺少联系人姓名"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseContacts(tc.in)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("ParseContacts(%q) = %+v, want an error", tc.in, got)
				}
				for _, part := range tc.err {
					if !strings.Contains(err.Error(), part) {
						t.Errorf("error %q lacks %q", err, part)
					}
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("ParseContacts(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatContactsReadsBack(t *testing.T) {
	cs := []Contact{{Name: "张三", Phone: "13812345678", Title: "总经理"}, {Name: "李四"}, {Name: "王五", Phone: "051257001234"}}
	s := FormatContacts(cs)
	if s != "张三 13812345678；李四；王五 051257001234" {
		t.Errorf("FormatContacts = %q", s)
	}
	got, err := ParseContacts(s)
	cs[0].Title = ""
	if err != nil || !slices.Equal(got, cs) {
		t.Errorf("read back %+v, %v; want %+v", got, err, cs)
	}
	if FormatContacts(nil) != "" {
		t.Error("no contacts is not an empty cell")
	}
}
