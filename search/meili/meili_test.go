package meili

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"zhaoshang/search"
	"zhaoshang/search/enginetest"
)

var indexSeq atomic.Int64

// TestContract runs the engine contract against a real server when MEILI_URL
// is set (MEILI_KEY is its key); each engine gets its own index, dropped at
// the end.
func TestContract(t *testing.T) {
	url := os.Getenv("MEILI_URL")
	if url == "" {
		t.Skip("MEILI_URL not set")
	}
	enginetest.Run(t, func(t *testing.T, schema search.Schema) search.Engine {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		name := fmt.Sprintf("zs_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), indexSeq.Add(1))
		e, err := New(ctx, url, os.Getenv("MEILI_KEY"), name, schema)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := e.DropIndex(ctx); err != nil {
				t.Errorf("drop index %s: %v", name, err)
			}
			e.Close()
		})
		return e
	})
}
