package export

import (
	"context"
	"errors"
	"testing"
)

func TestPipelined(t *testing.T) {
	scan := func(n int, fail error) func(context.Context, func(int) error) error {
		return func(ctx context.Context, fn func(int) error) error {
			for i := range n {
				if err := fn(i); err != nil {
					return err
				}
			}
			return fail
		}
	}
	boom := errors.New("boom")
	for _, tc := range []struct {
		name     string
		n        int
		scanErr  error
		stopAt   int // the consumer fails at this record (-1: never)
		wantErr  error
		wantSeen int
	}{
		{"all records in order", 5000, nil, -1, nil, 5000},
		{"scan error", 10, boom, -1, boom, 10},
		{"writer error stops the scan", 5000, nil, 3, boom, 4},
		{"empty", 0, nil, -1, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := 0
			err := pipelined(context.Background(), scan(tc.n, tc.scanErr))(func(i int) error {
				if i != seen {
					t.Fatalf("got record %d, want %d", i, seen)
				}
				seen++
				if i == tc.stopAt {
					return boom
				}
				return nil
			})
			if !errors.Is(err, tc.wantErr) || seen != tc.wantSeen {
				t.Errorf("err %v seen %d, want %v %d", err, seen, tc.wantErr, tc.wantSeen)
			}
		})
	}
}
