#!/usr/bin/env bash
# Runs goptuna-store and "goglove bench store" alternately on the same
# PostgreSQL server, ROUNDS times each (goptuna, goglove, goptuna, …), and
# keeps every JSON object in OUT (default: results/<UTC time>).
#
#   experiments/peers/goptuna-store/compare.sh            # from the repository root
#   ROUNDS=3 PGURL=postgres://postgres@127.0.0.1:5432 ./compare.sh
#
# goptuna's tables go in the database goptuna_bench (created if missing);
# goglove's studies go in the database test, as the issue measured them.
# Each round also runs goptuna with synchronous_commit=off for its whole
# connection (LAZY=0 to skip it): goglove commits a trial's proposal
# lazily and its result synchronously, goptuna commits five times per trial,
# all synchronously; this run shows how much of goptuna's cost is those
# flushes (it is less durable than either: a crash can lose results).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
rounds=${ROUNDS:-3}
pg=${PGURL:-postgres://postgres@127.0.0.1:5432}
goptuna_db="$pg/goptuna_bench?sslmode=disable"
goglove_db="$pg/test?sslmode=disable"
out=${OUT:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

# Both are built once, before any run, so that no build falls between runs.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$here" && go build -o "$bin/goptuna-store" .)
(cd "$root" && go build -o "$bin/goglove" ./cmd/goglove)

{
	echo "date: $(date -u +%FT%TZ)"
	echo "goglove: $(cd "$root" && git rev-parse HEAD)$(cd "$root" && git diff --quiet -- cmd search || echo ' (with uncommitted changes in cmd or search)')"
	echo "go: $(go version)"
	echo "cpus: $(nproc)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "postgres: $(psql "$goglove_db" -Atc 'select version()' 2>/dev/null || echo unknown)"
} >"$out/env.txt"

for i in $(seq 1 "$rounds"); do
	echo "round $i of $rounds: goptuna" >&2
	"$bin/goptuna-store" -db "$goptuna_db" -quiet >"$out/goptuna-$i.json"
	echo "round $i of $rounds: goglove" >&2
	"$bin/goglove" bench store --store "$goglove_db" --json >"$out/goglove-$i.json"
	if [[ ${LAZY:-1} != 0 ]]; then
		echo "round $i of $rounds: goptuna, synchronous_commit=off" >&2
		"$bin/goptuna-store" -db "$goptuna_db&synchronous_commit=off" -quiet >"$out/goptuna-lazy-$i.json"
	fi
	echo "load after round $i: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
done
echo "$out"
