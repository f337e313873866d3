#!/usr/bin/env bash
# Load and footprint (issue 8): builds the binary, starts it on a loopback
# port with demo data, prints the cold start, idle RSS, then runs N signed-in
# users for D and prints p50/p95 per endpoint, 5xx, lost updates, peak RSS.
# Usage: bench/load.sh [users] [duration] [scale]   (MONGO_URI/MEILI_URL are passed on)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(mktemp -d)/zhaoshang"
go build -o "$bin" ./app
go run ./bench/load -bin "$bin" -users "${1:-50}" -duration "${2:-60s}" -scale "${3:-1}"
