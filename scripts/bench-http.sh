#!/usr/bin/env bash
# The pages people wait for, against /healthz on the same server: wrk, 2 threads, 32 connections,
# release build, a demo database with 1000 athletes in the measured organization. Each page is run
# right after a /healthz run and its ratio is taken to that run (the machine's load moves both);
# ROUNDS rounds, alternating, and the figures are the rounds' means (p99: their median).
#
#   scripts/bench-http.sh [DB]       DB: an existing database holding organization "bench" (made if absent)
#   LABEL=…  names the run in the output (e.g. "1000 athletes" or "cache off")
#   PACELINE_PAGE_CACHE_MB=0 measures every request missing the page cache
#   BENCH_DATABASE_URL=postgres://… serves from PostgreSQL: the demo database is copied there first
#     (paceline copy-database; the URL's database or ?schema= must be empty), same machine, same ratios
#   BENCH_ONLY=regex measures only the pages and writes whose names match (e.g. BENCH_ONLY=log)
#   BENCH_LOG_LEVEL=debug BENCH_SERVER_LOG=file keeps the server's log (PostgreSQL's retried writes)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/paceline
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-2}
LABEL=${LABEL:-1000 athletes}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "${BENCH_SERVER_LOG:-}" ] && cp "$work/server.log" "$BENCH_SERVER_LOG"; rm -rf "$work"' EXIT
db=${1:-}
if [ -z "$db" ]; then
  db="$work/bench.sqlite"
  "$BIN" demo --db "$db" --slug bench --athletes 1000 >/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  "$BIN" copy-database --from "$db" --to "$BENCH_DATABASE_URL" >/dev/null
  where=()  # no --db: PACELINE_DATABASE_URL says where
  export PACELINE_DATABASE_URL="$BENCH_DATABASE_URL" PACELINE_DB="$work/unused.sqlite"
else
  where=(--db "$db")
fi
# The API's per-token rate limit would answer 429 to a benchmark: raised for this server only.
PACELINE_API_RATE=1000000 PACELINE_LOG_LEVEL=${BENCH_LOG_LEVEL:-warning} "$BIN" serve "${where[@]}" --port "$port" >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 200); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# Signs in through the real form; prints "session csrf".
log_in() {
  local jar="$work/jar-$1"
  local csrf
  csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "$base/login" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "email=$1" --data-urlencode "password=paceline-demo"
  local session
  session=$(awk '$6 == "paceline_session" { print $7 }' "$jar")
  [ -n "$session" ] || { echo "log-in as $1 failed" >&2; exit 1; }
  # A signed-in session has its own CSRF token: the one its pages carry.
  echo "$session $(curl -s -b "$jar" "$base/account" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)"
}
read -r athlete athlete_csrf <<<"$(log_in athlete4@bench.test)"
read -r coach _ <<<"$(log_in coach1@bench.test)"
athlete_cookie="paceline_session=$athlete"
coach_cookie="paceline_session=$coach"

# An API token, made on the account page as a person makes one.
token=$(curl -s -H "Cookie: $athlete_cookie" -X POST "$base/account/tokens" \
  --data-urlencode "_csrf=$athlete_csrf" --data-urlencode "name=bench" --data-urlencode "organization=bench" \
  --data-urlencode "scope=read" --data-urlencode "expires=30" | grep -o 'pl_[A-Za-z0-9_-]\{43\}' | head -1)
[ -n "$token" ] || { echo "no API token" >&2; exit 1; }

month=$(date -u +%Y-%m)
today=$(date -u +%F)
check() {  # url header text — the page renders what it should before it is measured
  local body
  body=$(curl -sf -H "$2" "$1") && [[ "$body" == *"$3"* ]] || { echo "$1 did not render ($3)" >&2; exit 1; }
}
check "$base/o/bench" "Cookie: $athlete_cookie" "The next seven days"
check "$base/o/bench/activities" "Cookie: $athlete_cookie" "Log"
check "$base/o/bench/calendar?month=$month" "Cookie: $athlete_cookie" "calendar"
check "$base/o/bench/athletes" "Cookie: $coach_cookie" "athlete"
check "$base/api/v1/schedule" "Authorization: Bearer $token" '"workouts"'

# name | url | header | goal ratio | goal p99 (ms)
pages=(
  "athlete home|$base/o/bench|Cookie: $athlete_cookie|0.50|10"
  "activity list|$base/o/bench/activities|Cookie: $athlete_cookie|0.25|"
  "coach board (50 of 1000)|$base/o/bench/athletes|Cookie: $coach_cookie|0.25|25"
  "month calendar|$base/o/bench/calendar?month=$month|Cookie: $athlete_cookie|0.30|"
  "API schedule|$base/api/v1/schedule|Authorization: Bearer $token|0.50|"
)

# The writes people make: a check-in (today's, saved again and again) and a manual log (a new
# activity each time), through the forms with their CSRF tokens, at 32 connections, each request
# from the next of 32 signed-in athletes (so the engine's recompute after a write is never shared).
writers="$work/writers"
: >"$writers"
for i in $(seq 1 32); do
  read -r s c <<<"$(log_in "athlete$i@bench.test")"
  echo "paceline_session=$s	_csrf=$c" >>"$writers"
done
cat >"$work/post.lua" <<'LUA'
local requests = {}
local next = 0
function init(args)
  local extra = os.getenv("BENCH_BODY")
  for line in io.lines(os.getenv("BENCH_WRITERS")) do
    local cookie, csrf = line:match("^(.-)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", nil,
      { ["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, csrf .. "&" .. extra)
  end
  next = math.random(#requests)
end
function request()
  next = next % #requests + 1
  return requests[next]
end
LUA
writes=(
  "check-in (form)|$base/o/bench/checkin|date=$today&hrv=62&resting_hr=48&sleep_hours=7.5&soreness=2"
  "manual log (form)|$base/o/bench/activities/new|sport=run&date=$today&distance=8&duration=40:00&rpe=4&status=done"
)

wrk_run() {  # url [header] [lua body] → "req/s p99_ms non2xx"
  local args=(-t2 -c32 -d"$DURATION" --latency)
  [ -n "${2:-}" ] && args+=(-H "$2")
  local out
  if [ -n "${3:-}" ]; then
    out=$(BENCH_WRITERS="$writers" BENCH_BODY="$3" wrk "${args[@]}" -s "$work/post.lua" "$1" 2>&1)
  else
    out=$(wrk "${args[@]}" "$1" 2>&1)
  fi
  local rps p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }')
  bad=$(echo "$out" | awk '/Non-2xx/ { print $5 } /Socket errors/ { print "socket" }' | head -1)
  echo "${rps:-0} ${p99:-0} ${bad:-0}"
}

wrk -t2 -c32 -d2s "$base/healthz" >/dev/null 2>&1  # warm-up
declare -A sum_rps sum_ratio p99s errs
health_sum=0
health_runs=0
for round in $(seq 1 "$ROUNDS"); do
  for entry in "${pages[@]}"; do
    IFS='|' read -r name url header _ _ <<<"$entry"
    [[ "$name" =~ ${BENCH_ONLY:-.} ]] || continue
    read -r h hp _ <<<"$(wrk_run "$base/healthz")"
    read -r r p bad <<<"$(wrk_run "$url" "$header")"
    health_sum=$(python3 -c "print($health_sum + $h)")
    health_p99s="${health_p99s:-} $hp"
    health_runs=$((health_runs + 1))
    sum_rps[$name]=$(python3 -c "print(${sum_rps[$name]:-0} + $r)")
    sum_ratio[$name]=$(python3 -c "print(${sum_ratio[$name]:-0} + $r / $h)")
    p99s[$name]="${p99s[$name]:-} $p"
    [ "$bad" != "0" ] && errs[$name]="non-2xx/3xx responses: $bad"
  done
  for entry in "${writes[@]}"; do
    IFS='|' read -r name url body <<<"$entry"
    [[ "$name" =~ ${BENCH_ONLY:-.} ]] || continue
    read -r r p bad <<<"$(wrk_run "$url" "" "$body")"
    sum_rps[$name]=$(python3 -c "print(${sum_rps[$name]:-0} + $r)")
    p99s[$name]="${p99s[$name]:-} $p"
    [ "$bad" != "0" ] && errs[$name]="non-2xx/3xx responses: $bad"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
verdict() { [ "$1" = 1 ] && echo "met" || echo "NOT MET"; }
printf 'http (%s, %s rounds of %s, 32 connections):\n' "$LABEL" "$ROUNDS" "$DURATION"
[ "$health_runs" -gt 0 ] && printf '  %-26s %9.0f req/s  p99 %6.1f ms  (the reference: %s runs, one before each page)\n' \
  "/healthz" "$(python3 -c "print($health_sum / $health_runs)")" "$(echo "$health_p99s" | median)" "$health_runs"
for entry in "${pages[@]}"; do
  IFS='|' read -r name _ _ goal goal_p99 <<<"$entry"
  [[ "$name" =~ ${BENCH_ONLY:-.} ]] || continue
  rps=$(python3 -c "print(${sum_rps[$name]} / $ROUNDS)")
  ratio=$(python3 -c "print(${sum_ratio[$name]} / $ROUNDS)")
  p99=$(echo "${p99s[$name]}" | median)
  ok=$(python3 -c "print(int($ratio >= $goal and ('$goal_p99' == '' or $p99 <= float('${goal_p99:-0}'))))")
  goal_text="goal ≥ $goal"
  [ -n "$goal_p99" ] && goal_text="$goal_text, p99 ≤ $goal_p99 ms"
  printf '  %-26s %9.0f req/s  p99 %6.1f ms  %5.2f of /healthz   %-26s %s\n' \
    "$name" "$rps" "$p99" "$ratio" "$goal_text" "$(verdict "$ok")"
  [ -n "${errs[$name]:-}" ] && echo "    ${errs[$name]}"
done
for entry in "${writes[@]}"; do
  IFS='|' read -r name _ _ <<<"$entry"
  [[ "$name" =~ ${BENCH_ONLY:-.} ]] || continue
  rps=$(python3 -c "print(${sum_rps[$name]} / $ROUNDS)")
  p99=$(echo "${p99s[$name]}" | median)
  ok=$(python3 -c "print(int($rps >= 500 and $p99 <= 50))")
  printf '  %-26s %9.0f writes/s p99 %6.1f ms                      %-26s %s\n' \
    "$name" "$rps" "$p99" "goal ≥ 500/s, p99 ≤ 50 ms" "$(verdict "$ok")"
  [ -n "${errs[$name]:-}" ] && echo "    ${errs[$name]}"
done
if grep -q -i "error\|fatal" "$work/server.log"; then
  echo "  server log:"; grep -i "error\|fatal" "$work/server.log" | head -5 | sed 's/^/    /'
fi
