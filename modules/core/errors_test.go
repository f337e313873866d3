package core_test

import (
	"errors"
	"fmt"
	"testing"

	"zhaoshang/modules/core"
)

type staleThing struct {
	core.Meta
	Name string
}

func TestStale(t *testing.T) {
	changes := []core.Change{{Field: "name", Label: "名称", Mine: "a", Stored: "b"}}
	for _, tc := range []struct {
		name     string
		err      error
		stale    bool
		version  int64
		nChanges int
	}{
		{"conflict", &core.ConflictError[staleThing]{Current: &staleThing{Meta: core.Meta{Version: 3}}, Changes: changes}, true, 3, 1},
		{"wrapped", fmt.Errorf("save: %w", &core.ConflictError[staleThing]{Current: &staleThing{Meta: core.Meta{Version: 7}}}), true, 7, 0},
		{"no current", &core.ConflictError[staleThing]{}, true, 0, 0},
		{"no meta", &core.ConflictError[string]{Current: new(string)}, true, 0, 0},
		{"plain conflict", core.ErrConflict, false, 0, 0},
		{"nil", nil, false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := core.AsStale(tc.err)
			if ok != tc.stale {
				t.Fatalf("AsStale ok = %v, want %v", ok, tc.stale)
			}
			if !ok {
				return
			}
			if !errors.Is(s, core.ErrConflict) {
				t.Error("a Stale is not ErrConflict")
			}
			if got := s.StoredVersion(); got != tc.version {
				t.Errorf("StoredVersion = %d, want %d", got, tc.version)
			}
			if got := len(s.StaleChanges()); got != tc.nChanges {
				t.Errorf("%d changes, want %d", got, tc.nChanges)
			}
		})
	}
}
