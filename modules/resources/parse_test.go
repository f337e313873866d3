package resources

import (
	"strings"
	"testing"

	"zhaoshang/modules/core/cells"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr string
	}{
		{"", 0, ""},
		{"1200", 1200, ""},
		{"1,200.5", 1200.5, ""},
		{"1200万", 1200, ""},
		{"1200万元", 1200, ""},
		{"１２００", 1200, ""},
		{" 0 ", 0, ""},
		{"-5", 0, "负数"},
		{"-0.01", 0, "负数"},
		{"abc", 0, "无法识别"},
		{"NaN", 0, "无法识别"},
		{"Inf", 0, "无法识别"},
		{"1e12", 0, "过大"},
		{"1.5e3", 1500, ""}, // a JSON number as an API client may write it
		{"2亿", 20000, ""},   // the importer's parser: forms read what ledgers hold
		{"1200元", 0.12, ""},
		{"20000亿", 0, "过大"},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if tt.wantErr == "" && (err != nil || got != tt.want) || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v, err %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"", "", false},
		{"13812345678", "13812345678", false},
		{"138 1234 5678", "13812345678", false},
		{"138-1234-5678", "13812345678", false},
		{"+86 138 1234 5678", "13812345678", false},
		{"+86-13812345678", "13812345678", false},
		{"0086 13812345678", "13812345678", false},
		{"8613812345678", "13812345678", false},
		{"１３８１２３４５６７８", "13812345678", false},
		{"0512-57001234", "051257001234", false},
		{"(0512) 5700 1234", "051257001234", false},
		{"57001234", "57001234", false},
		{"1381234567", "", true},
		{"23812345678", "", true},
		{"138123456789", "", true},
		{"13812345678 转 8", "", true},
		{"abc", "", true},
		{"+1 415 555 0100", "", true},
		{"138.1234.5678", "13812345678", false},
		{"（0512）57001234", "051257001234", false},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestNormalizeCreditCodeEmailPatent(t *testing.T) {
	for _, tt := range []struct {
		fn       func(string) (string, error)
		in, want string
		wantErr  bool
	}{
		{NormalizeCreditCode, " 91350100m000100y43 ", "91350100M000100Y43", false},
		{NormalizeCreditCode, "9135 0100 M000 100Y 43", "91350100M000100Y43", false},
		{NormalizeCreditCode, "91350100M000100Y44", "", true},
		{NormalizeCreditCode, "91350100M000100Y4", "", true},
		{NormalizeCreditCode, "", "", false},
		{NormalizeEmail, "Zw@Example.COM", "Zw@example.com", false},
		{NormalizeEmail, "zw@example", "", true},
		{NormalizeEmail, "zw example.com", "", true},
		{NormalizePatentNo, "zl202110234567.8", "ZL202110234567.8", false},
		{NormalizePatentNo, "ZL 2021 1023 4567.X", "ZL202110234567.X", false},
		{NormalizePatentNo, "200410012345.6", "200410012345.6", false},
		{NormalizePatentNo, "ZL12345678.9", "ZL12345678.9", false},
		{NormalizePatentNo, "专利123", "", true},
	} {
		got, err := tt.fn(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("normalise(%q) = %q, %v; want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSplitTags(t *testing.T) {
	got := JoinTags(SplitTags(" 高新技术企业，专精特新、上市公司; 专精特新  海归 "))
	if got != "高新技术企业、专精特新、上市公司、海归" {
		t.Fatalf("SplitTags = %q", got)
	}
	if SplitTags("  ") != nil {
		t.Fatal("blank tags")
	}
}

func TestSimilarNames(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"昆山恒创智能装备科技有限公司", "昆山恒创智能装备科技有限公司", true},
		{"昆山恒创智能装备科技有限公司", "恒创智能装备有限公司", true},
		{"苏州恒创智能装备股份有限公司", "昆山恒创智能装备科技有限公司", true},
		{"昆山恒创智能装备有限公司", "恒创（昆山）智能装备有限公司", true},
		{"昆山 恒创智能装备有限公司", "昆山恒创智能装备有限责任公司", true},
		{"昆山恒创智能装备有限公司", "昆山恒创智能装备制造有限公司", true},
		{"昆山恒创智能装备有限公司", "昆山瀚宇新材料科技有限公司", false},
		{"昆山恒创智能装备有限公司", "昆山恒远智能装备有限公司", false},
		{"昆山华科有限公司", "昆山华为有限公司", false},
		{"有限公司", "有限公司", true},
	}
	for _, tt := range tests {
		if got := SimilarNames(tt.a, tt.b); got != tt.want {
			t.Errorf("SimilarNames(%q, %q) = %v (cores %q %q, dice %.2f)", tt.a, tt.b, got, nameCore(tt.a), nameCore(tt.b),
				cells.Dice(nameCore(tt.a), nameCore(tt.b)))
		}
	}
}
