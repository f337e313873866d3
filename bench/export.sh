#!/usr/bin/env bash
# Export speed and memory (issue 5 target: 100,000 rows under 10 s).
# 1. BenchmarkWrite100k: 100,000 project rows through the StreamWriter alone.
# 2. BenchmarkExportEndToEnd (skip with --quick): 100,000 projects seeded into
#    the embedded store + Bleve, then GET /projects/export.xlsx through the
#    real server: all rows, one stage, an officer's units, one record (read
#    from the records the engine keeps); "scan" is the store's collection
#    scan for comparison.
# Usage: bench/export.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; go $(go env GOVERSION)"
fmt='/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); line=name;
       for (i = 3; i < NF; i += 2) line = line sprintf("   %s %s", $i, $(i+1)); print line }
     /seeded/ { sub(/^[ \t]*bench_test.go:[0-9]+: /, ""); print }'
go test -run '^$' -bench 'BenchmarkWrite100k$' -benchtime 1x ./importers/export/ | awk "$fmt"
if [ "${1:-}" != "--quick" ]; then
  ZS_BENCH_EXPORT=1 go test -run '^$' -bench 'BenchmarkExportEndToEnd' -benchtime 1x -timeout 20m ./importers/export/ | awk "$fmt"
fi
