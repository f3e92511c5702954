#!/usr/bin/env bash
# Issue 20, item 4: the same pages on a database of 100 organizations of 1000 athletes (100 000
# athletes, ~2.4 GB), measured in organization "bench" as on the 1000-athlete database. The
# organization is seeded once by the demo seeder and copied 99 times (scripts/bench-scale.py).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d -p "${TMPDIR:-/tmp}")
trap 'rm -rf "$work"' EXIT
.build/release/paceline demo --db "$work/scale.sqlite" --slug bench --athletes 1000 >/dev/null
python3 scripts/bench-scale.py "$work/scale.sqlite" bench 99
LABEL="100 000 athletes in 100 organizations" bash scripts/bench-http.sh "$work/scale.sqlite"
