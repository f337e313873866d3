#!/usr/bin/env bash
# Pipeline page latency on the embedded store at demo scale (issue 4 target:
# list and kanban p95 < 150 ms). Usage: bench/pipeline.sh [scale] [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-1}" n="${2:-200}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; go $(go env GOVERSION); scale $scale; $n requests per page"
ZS_BENCH_SCALE="$scale" go test -run '^$' -bench 'BenchmarkPipelinePages' -benchtime "${n}x" -timeout 30m ./app/server/ \
  | awk '/^Benchmark/ { name=$1; sub(/^BenchmarkPipelinePages\//, "", name); sub(/-[0-9]+$/, "", name);
          printf "%-16s p50 %7s ms   p95 %7s ms   %s\n", name, $5, $7, ($7 < 150 ? "OK (<150)" : "SLOW (>=150)") }
         /seeded/ { print }'
