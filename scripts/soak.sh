#!/usr/bin/env bash
# The soak: 3 silos + the API on PostgreSQL (Release, a private server on SOAK_PGPORT), the mixed
# load closed-loop for SOAK_PEAK_SECONDS to measure the peak, then open-loop at half that rate
# for SOAK_SECONDS. Every 10 s it samples, from /proc, each process's resident memory, open file
# descriptors and threads of the silos and the API, and PostgreSQL's private memory and process
# count (the postmaster with its backends), and at the end prints each metric's least-squares slope per minute.
#
#   scripts/soak.sh                  the full soak: 10 minutes of load (about 12 minutes in all)
#   SOAK_SECONDS=60 scripts/soak.sh  the short mode CI runs (about 2.5 minutes after the build)
#
# Fails on any failed request (an answer other than 200/201, a connection error, or a request the
# open loop had to drop because every connection was busy) and, when the load ran at least 5
# minutes, on a growth trend: a slope, over the samples after the first minute, above
#   rss   max(4 MiB, 2 % of the metric's mean) per minute
#   fds   max(2, 5 % of the mean) per minute        threads   max(2, 5 % of the mean) per minute
# Shorter runs print the slopes but cannot tell a trend from warm-up, so they do not judge them.
# Settings: SOAK_CONNECTIONS (32 closed loop; the open loop may use 4x), SOAK_PGPORT (55612).
# Results: .tmp/drills/soak/{peak.json,load.json,samples.txt,slopes.txt}.
set -euo pipefail
cd "$(dirname "$0")/.."
DRILL_OUT=.tmp/drills/soak
mkdir -p "$DRILL_OUT"
DRILL_PGPORT=${SOAK_PGPORT:-55612}
source scripts/drills/stack.sh
seconds=${SOAK_SECONDS:-600}
peak_seconds=${SOAK_PEAK_SECONDS:-20}
connections=${SOAK_CONNECTIONS:-32}
interval=10
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 30 ] || [ "$seconds" -gt 600 ]; then die "SOAK_SECONDS must be 30..600"; fi

trap drill_stop EXIT INT TERM
drill_build
drill_start_postgres
drill_start_silo silo1; drill_start_silo silo2; drill_start_silo silo3
drill_wait_silo silo1; drill_wait_silo silo2; drill_wait_silo silo3
drill_start_api
processes=("silo1 $(stack_pid silo1)" "silo2 $(stack_pid silo2)" "silo3 $(stack_pid silo3)" "api $stack_api_pid")
postmaster=$(head -n 1 "$pg_data/postmaster.pid")

log "peak: mixed closed loop, $connections connections, ${peak_seconds}s"
loadgen mixed --connections "$connections" --duration "$peak_seconds" --warmup 5 --out "$DRILL_OUT/peak.json"
peak=$(jq .throughput "$DRILL_OUT/peak.json")
rate=$(awk -v p="$peak" 'BEGIN { printf "%.0f", p / 2 }')
log "peak $peak req/s; soak at $rate req/s for ${seconds}s"

# sample: one line per process: unix-time name rss-kib fds threads.
sample() {
  local t entry name pid
  t=$(date +%s)
  for entry in "${processes[@]}"; do
    read -r name pid <<<"$entry"
    process_running "$pid" || { echo "$t $name dead" ; continue; }
    echo "$t $name $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status") $(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) $(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")"
  done
  # PostgreSQL: the postmaster and its children (backends, background workers) together, private
  # memory only (RssAnon): every backend's RSS also counts the shared buffers it has touched,
  # which grows for a while after start and is one segment, not a leak.
  local -a pg_pids
  mapfile -t pg_pids < <(ps -o pid= --ppid "$postmaster" -p "$postmaster")
  # A backend may exit between ps and cat: that is not a failure of the sample (with pipefail the
  # loop's last cat decides the pipeline's status, and set -e would end the soak without a word).
  for pid in "${pg_pids[@]}"; do cat "/proc/${pid// /}/status" 2>/dev/null || true; done |
    awk -v t="$t" -v n=postgres -v count="${#pg_pids[@]}" '/^RssAnon:/ { r += $2 } END { print t, n, r, count, count }'
}
samples=$DRILL_OUT/samples.txt
: >"$samples"
loadgen mixed --rate "$rate" --connections $((connections * 4)) --duration "$seconds" --out "$DRILL_OUT/load.json" >"$DRILL_OUT/loadgen.txt" 2>&1 &
load_pid=$!
drill_pids+=("$load_pid")
started=$(date +%s)
# On a fixed 10 s schedule: sampling itself takes seconds on a busy machine.
for ((i = 0; i <= seconds / interval + 2; i++)); do
  sample >>"$samples"
  process_running "$load_pid" || break
  rest=$((started + (i + 1) * interval - $(date +%s)))
  [ "$rest" -le 0 ] || sleep "$rest"
done
wait "$load_pid" || die "the load tool failed: $(cat "$DRILL_OUT/loadgen.txt")"
cat "$DRILL_OUT/loadgen.txt"
grep -q ' dead$' "$samples" && die "a process died during the soak: $(grep ' dead$' "$samples" | head -n 3)"

# Least squares per process and metric (postgres: private memory and processes) over the samples after the
# first minute (or the first third of a short run), in units per minute.
skip=$(( seconds >= 300 ? 60 : seconds / 3 ))
judge=$(( seconds >= 300 ? 1 : 0 ))
awk -v from=$((started + skip)) -v judge="$judge" '
  $3 == "dead" || $1 < from { next }
  { for (m = 0; m < 3; m++) { k = $2 SUBSEP m; n[k]++; sx[k] += $1; sy[k] += $(3 + m); sxx[k] += $1 * $1; sxy[k] += $1 * $(3 + m) } names[$2] = 1 }
  END {
    split("rss_kib fds threads", label, " "); bad = 0
    for (name in names) for (m = 0; m < 3; m++) {
      k = name SUBSEP m; if (n[k] < 3 || (name == "postgres" && m == 2)) continue
      d = n[k] * sxx[k] - sx[k] * sx[k]; slope = d == 0 ? 0 : (n[k] * sxy[k] - sx[k] * sy[k]) / d * 60; mean = sy[k] / n[k]
      limit = m == 0 ? (4096 > mean * 0.02 ? 4096 : mean * 0.02) : (2 > mean * 0.05 ? 2 : mean * 0.05)
      over = judge && slope > limit; bad += over
      metric = name != "postgres" ? label[m + 1] : m == 0 ? "anon_kib" : "processes"
      printf "%-8s %-8s mean %12.1f  slope %+10.2f /min  limit %9.1f /min  %s\n", name, metric, mean, slope, limit, over ? "GROWING" : "ok"
    }
    exit bad > 0 }' "$samples" | sort | tee "$DRILL_OUT/slopes.txt" || trend=1

bad=$(jq -r '.statuses | to_entries | map(select(.key != "200" and .key != "201")) | map("\(.key)x\(.value)") | join(" ")' "$DRILL_OUT/load.json")
[ -z "$bad" ] || die "failed requests during the soak: $bad"
[ "$(jq .dropped "$DRILL_OUT/load.json")" = 0 ] || die "the open loop dropped $(jq .dropped "$DRILL_OUT/load.json") requests (every connection busy)"
[ "${trend:-0}" = 0 ] || die "a growth trend above its limit (see GROWING above)"
[ "$judge" = 1 ] || log "short run: slopes reported, not judged (needs SOAK_SECONDS >= 300)"
log "soak passed: $(jq -r '"\(.requests) requests at \(.throughput) req/s (peak '"$peak"'), p99 \(.latencyMs.p99) ms, statuses \(.statuses)"' "$DRILL_OUT/load.json")"
