package core

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanLineAndText(t *testing.T) {
	for _, tc := range []struct{ in, line, text string }{
		{"昆山精密轴承有限公司", "昆山精密轴承有限公司", "昆山精密轴承有限公司"},
		{"  两端空格  ", "两端空格", "两端空格"},
		{"\u202etxt.exe", "txt.exe", "txt.exe"},
		{"报告\u202e.pdf\u202c", "报告.pdf", "报告.pdf"},
		{"张\u200b三", "张三", "张三"},
		{"a\x00b", "ab", "ab"},
		{"第一行\r\n第二行", "第一行 第二行", "第一行\n第二行"},
		{"全角\u3000空格  两个", "全角 空格 两个", "全角\u3000空格  两个"},
		{"\ufeffBOM", "BOM", "BOM"},
		{"tab\tin", "tab in", "tab\tin"},
		{"bad\xffutf8", "badutf8", "badutf8"},
		{"\u2067isolate\u2069", "isolate", "isolate"},
		{"", "", ""},
	} {
		if got := CleanLine(tc.in); got != tc.line {
			t.Errorf("CleanLine(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := CleanText(tc.in); got != tc.text {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}

func TestProblems(t *testing.T) {
	var p Problems
	if p.Err() != nil || p.On("name") != "" {
		t.Fatal("empty problems are no error")
	}
	p.Add("name", "请填写%s", "名称")
	p.Length("summary", "简介", strings.Repeat("字", 11), 10)
	p.Check("contacts", Invalid("contacts", "第 1 位联系人缺少姓名"))
	err := p.Err()
	fes := FieldErrors(err)
	if len(fes) != 3 || fes[0].Field != "name" || fes[1].Message != "简介最多 10 字（现有 11 字）" || fes[2].Field != "contacts" {
		t.Fatalf("FieldErrors = %v", fes)
	}
	if fe, ok := AsFieldError(err); !ok || fe.Field != "name" {
		t.Errorf("AsFieldError finds %v, want the first", fe)
	}
	if p.On("summary") == "" || p.On("other") != "" {
		t.Error("On")
	}
	if s := p.Summary(); !strings.HasPrefix(s, "有 3 处需要修改：请填写名称；") {
		t.Errorf("Summary = %q", s)
	}
}

func TestAllProblems(t *testing.T) {
	stop := errors.New("store down")
	cases := []struct {
		name   string
		errs   []error
		fields []string
		other  error
	}{
		{"none", []error{nil, nil}, nil, nil},
		{"joined", []error{Invalid("a", "x"), nil, (&Problems{{Field: "b"}, {Field: "c"}}).Err()}, []string{"a", "b", "c"}, nil},
		{"another error wins", []error{Invalid("a", "x"), stop}, nil, stop},
	}
	for _, tc := range cases {
		err := AllProblems(tc.errs...)
		var got []string
		for _, fe := range FieldErrors(err) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") || tc.other != nil && !errors.Is(err, tc.other) || tc.fields == nil && tc.other == nil && err != nil {
			t.Errorf("%s: %v (fields %v)", tc.name, err, got)
		}
	}
}
