package meili

import (
	"context"

	"github.com/meilisearch/meilisearch-go"
)

// SwapWith exchanges the contents of e's index and other's on the server
// (one atomic task): after a rebuild into other, e serves the new
// documents under its usual name and other holds the old ones.
func (e *Engine) SwapWith(ctx context.Context, other *Engine) error {
	task, err := e.client.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{e.name, other.name}}})
	return e.wait(ctx, "swap indexes", task, err)
}
