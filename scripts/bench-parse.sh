#!/usr/bin/env bash
# gpxpy on the same 10 MB GPX file paceline-bench parsed (written to $PACELINE_BENCH_GPX).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${PACELINE_BENCH_GPX:?set PACELINE_BENCH_GPX}
.venv/bin/python - "$file" <<'PY'
import sys, time, gpxpy
path = sys.argv[1]
start = time.perf_counter()
with open(path) as f:
    g = gpxpy.parse(f)
length = g.length_2d()
seconds = time.perf_counter() - start
import os
mb = os.path.getsize(path) / 1048576
print(f"gpxpy parse + length_2d (same GPX)           {mb / seconds:10.1f} MB/s   {seconds:8.3f} s per file ({mb:.1f} MB)")
PY
