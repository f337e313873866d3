package core

import (
	"slices"
	"testing"
)

func TestKeepOrder(t *testing.T) {
	for _, tc := range []struct {
		name               string
		stored, next, want []string
	}{
		{"same order", []string{"a", "b"}, []string{"a", "b"}, []string{"a", "b"}},
		{"reordered by the form", []string{"b", "a"}, []string{"a", "b"}, []string{"b", "a"}},
		{"one added", []string{"b", "a"}, []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"one replaced", []string{"b", "a"}, []string{"a", "c"}, []string{"a", "c"}},
		{"duplicates count", []string{"a", "a", "b"}, []string{"a", "b", "b"}, []string{"a", "b", "b"}},
		{"cleared", []string{"a"}, nil, nil},
		{"none before", nil, []string{"a"}, []string{"a"}},
	} {
		if got := KeepOrder(tc.stored, tc.next); !slices.Equal(got, tc.want) {
			t.Errorf("%s: KeepOrder(%q, %q) = %q, want %q", tc.name, tc.stored, tc.next, got, tc.want)
		}
	}
}
