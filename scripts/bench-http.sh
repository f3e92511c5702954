#!/usr/bin/env bash
# Athlete home page vs /healthz on the same server: wrk, 2 threads, 32 connections, a
# 1000-athlete demo organization, release build. Prints throughput, p99 and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/paceline
DURATION=${DURATION:-10s}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" demo --db "$work/bench.sqlite" --slug bench --athletes 1000 >/dev/null
PACELINE_LOG_LEVEL=warning "$BIN" serve --db "$work/bench.sqlite" --port "$port" >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# Sign in as an athlete on the demo group's plan through the real form.
jar="$work/cookies"
csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "$base/login" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "email=athlete4@bench.test" --data-urlencode "password=paceline-demo"
session=$(awk '$6 == "paceline_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "log-in failed" >&2; exit 1; }
curl -sf -H "Cookie: paceline_session=$session" "$base/o/bench" | grep -q "The next seven days" || { echo "athlete home did not render" >&2; exit 1; }

run() {  # url [cookie]
  local args=(-t2 -c32 -d"$DURATION" --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: paceline_session=$2")
  wrk "${args[@]}" "$1" 2>&1
}
wrk -t2 -c32 -d2s "$base/healthz" >/dev/null 2>&1            # warm-up
health=$(run "$base/healthz")
home=$(run "$base/o/bench" "$session")
rps() { echo "$1" | awk '/Requests\/sec/ { print $2 }'; }
p99() { echo "$1" | awk '$1 == "99%" { print $2 }'; }
errors() { echo "$1" | awk '/Non-2xx|Socket errors/ { print }'; }
h=$(rps "$health"); a=$(rps "$home")
echo "http: /healthz                 $h req/s   p99 $(p99 "$health")"
echo "http: athlete home (1000 ath.) $a req/s   p99 $(p99 "$home")"
echo "http: home / healthz ratio     $(python3 -c "print(f'{$a / $h * 100:.1f} %')")"
errors "$health$home"
