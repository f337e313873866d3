#!/usr/bin/env bash
# Embedded search engine at scale (issue 6: at 100,000 indexed records,
# search p95 < 50 ms with facets; indexing >= 2,000 records/s).
# Usage: bench/search.sh [docs] [queries per case]
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-100000}" n="${2:-200}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; go $(go env GOVERSION); $docs docs; $n queries per case"
ZS_BENCH_DOCS="$docs" go test -run '^$' -bench 'BenchmarkSearch$' -benchtime "${n}x" -timeout 30m ./search/bleve/ \
  | awk '/^BenchmarkSearch\// { name=$1; sub(/^BenchmarkSearch\//, "", name); sub(/-[0-9]+$/, "", name);
          for (i=1;i<=NF;i++) { if ($i=="p50-ms") p50=$(i-1); if ($i=="p95-ms") p95=$(i-1); if ($i=="index-docs/s") r=$(i-1); if ($i=="hits") h=$(i-1) }
          printf "%-28s p50 %7s ms  p95 %7s ms  hits %7s   %s\n", name, p50, p95, h, (p95 < 50 ? "OK (<50)" : "SLOW (>=50)") }
         END { printf "indexing: %s docs/s %s\n", r, (r >= 2000 ? "OK (>=2000)" : "SLOW (<2000)") }'
if [ -n "${MEILI_URL:-}" ]; then
  echo "MEILI_URL is set: the same contract runs against Meilisearch in go test ./search/meili/"
fi
