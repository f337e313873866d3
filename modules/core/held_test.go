package core

import "testing"

func TestHeldBy(t *testing.T) {
	name := func(u string) string {
		return map[string]string{"kfq": "开发区分队", "gxq": "高新区分队", "zs-zp": "张浦镇"}[u]
	}
	for _, tc := range []struct {
		by   map[string]int
		want string
	}{
		{map[string]int{"kfq": 1, "gxq": 2}, "高新区分队 2 个、开发区分队 1 个"},
		{map[string]int{"zs-zp": 1, "kfq": 1}, "开发区分队 1 个、张浦镇 1 个"}, // ties by id
		{map[string]int{"kfq": 3, "gxq": 0}, "开发区分队 3 个"},
		{nil, ""},
	} {
		if got := HeldBy(tc.by, name, "个"); got != tc.want {
			t.Errorf("HeldBy(%v) = %q, want %q", tc.by, got, tc.want)
		}
	}
}
