#!/usr/bin/env bash
# Deliberate bugs in the riskiest rules, one at a time; every one must make its tests fail.
# Not part of `make test` (it builds once per mutant: about half an hour on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git diff --quiet -- Sources; then
  echo "mutants.sh: Sources has uncommitted changes; commit or stash them first (each mutant is restored from the file as it was)." >&2
  exit 2
fi
exec python3 scripts/mutants.py "$@"
