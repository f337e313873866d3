#!/usr/bin/env bash
# Import at scale (issue 5): a ROWS-row (default 100,000) projects ledger,
# dry run + commit on the embedded store; prints the time, rows/s, peak RSS
# and the ratio to the floor measured in the same run (plain driver
# InsertMany of the same documents + plain engine batch index of them).
# Targets: under 60 s, peak RSS under 300 MB, aim within 1.5x of the floor.
# Usage: bench/import.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; go $(go env GOVERSION); load $(cut -d' ' -f1-3 /proc/loadavg)"
ZS_BENCH_ROWS="${1:-100000}" go test -run '^$' -bench 'BenchmarkImport$' -benchtime 1x -timeout 30m ./importers/batch/ \
  | grep -E '^(ledger|import|floor|peak|after|trace)'
