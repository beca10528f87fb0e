#!/usr/bin/env bash
# The benchmark of docs/performance.md: the real stack (one silo + the API, Release, PostgreSQL
# from scripts/postgres.sh on PGPORT_CLINIC), its two ceilings measured in the same run, and every
# load scenario as a ratio to its ceiling, plus the audit lag after the read load.
#
#   scripts/bench.sh                 full run (about 4 minutes plus the build)
#   BENCH_SMOKE=1 scripts/bench.sh   every scenario for 2 s, checks the JSON, no table (under a minute after the build)
#
# Settings: BENCH_CONNECTIONS (64), BENCH_DURATION (10 s per scenario), BENCH_READ_DURATION (60 s:
# the audit target is stated for a minute of reads), BENCH_WARMUP (3 s unmeasured before each),
# BENCH_PAIRS (32), BENCH_IDLE (30 s with the stack idle before any load: PostgreSQL transactions/s
# and CPU of the silo/API; 0 skips it), BENCH_LIGHT_RATE (5 reads/s for BENCH_DURATION after the
# read load: the audit lag when the queues are mostly empty; 0 skips it). The smoke skips both.
# BENCH_JIT_WARMUP (30 s of unmeasured mixed load once, before the ceilings: the JIT's tiers settle).
# BENCH_SCENARIOS ("read-patient read-patient-fhir book contend availability find-fhir mixed") picks the
# scenarios to run; read-patient-fhir reads the same kind of patients through the FHIR facade for as
# long as read-patient, and with both the FHIR/native ratio (req/s, p99, API CPU-s per 1,000) is
# printed; find-fhir is FHIR Appointment/$find over 20 providers x 7 days, printed beside the
# single-provider availability p99. BENCH_FHIR_ROUNDS=N (0) adds N interleaved rounds of
# read-patient and read-patient-fhir, BENCH_DURATION each, the order alternating per round (ABBA),
# and prints every round's FHIR/native ratios, their median and range, and both audit lags: on a
# shared machine one pair of windows can differ by the neighbours' load alone.
# BENCH_BIN (.tmp/bench/bin) is the folder of the build; with STACK_NO_BUILD=1 an existing one is
# reused (an A/B of two commits: build each into its own folder).
# BENCH_PROFILE=<scenario> (read-patient, book, ...) records that scenario's measured window with
# `perf` (the silo and API publish JIT symbols through DOTNET_PerfMapEnabled) and writes
# $out/profile-<scenario>.txt: the hottest functions of the silo, the API and PostgreSQL.
# Results: .tmp/bench/*.json; the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

smoke=${BENCH_SMOKE:-0}
connections=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-10}
read_duration=${BENCH_READ_DURATION:-60}
pairs=${BENCH_PAIRS:-32}
warmup=${BENCH_WARMUP:-3}
idle=${BENCH_IDLE:-30}
light_rate=${BENCH_LIGHT_RATE:-5}
jit_warmup=${BENCH_JIT_WARMUP:-30}
profile=${BENCH_PROFILE:-}
scenarios=${BENCH_SCENARIOS-read-patient read-patient-fhir book contend availability find-fhir mixed}
fhir_rounds=${BENCH_FHIR_ROUNDS:-0}
if [ "$smoke" = 1 ]; then duration=2; read_duration=2; connections=8; pairs=4; warmup=0; idle=0; light_rate=0; profile=; jit_warmup=0; fi
if [ -n "$profile" ]; then
  command -v perf >/dev/null || { echo "bench: BENCH_PROFILE needs perf (apt-get install linux-perf)" >&2; exit 1; }
  # perf finds JIT-compiled code through /tmp/perf-PID.map only in plain anonymous mappings: the
  # runtime's W^X double mapping hides it, so a profiled run turns W^X off.
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi

out=.tmp/bench
mkdir -p "$out"
rm -f "$out"/*.json

# Numbers come from Release; the smoke only checks that every scenario runs, so it reuses the
# Debug build that scripts/test.sh has just made instead of compiling everything again.
configuration=Release
[ "$smoke" = 1 ] && configuration=${BENCH_CONFIGURATION:-Debug}
# The stack (scripts/lib/stack.sh): one silo and the API on a fresh database of the private server.
STACK_OUT=$out STACK_LOAD=1
stack_build "$configuration" "${BENCH_BIN:-$out/bin}"
stack_postgres_start clinic_bench
stack_migrate >/dev/null
database=$stack_database
pg_port=${PGPORT_CLINIC:-55432}

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stack_stop
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

stack_keys "$out"
signing_key=$STACK_SIGNING_KEY
stack_silo_start silo
silo_pid=$(stack_pid silo)
silo_started=$(date +%s.%N)
stack_wait silo
silo_ready=$(date +%s.%N)
stack_api_start api
api_port=$stack_api_port api_pid=$stack_api_pid

# CPU seconds (user + system) of the silo, the API and PostgreSQL (the postmaster with every
# child: live backends by their own counters, exited ones through the postmaster's children
# totals), sampled twice a second into $out/cpu-samples.txt; each scenario's share is the
# difference across its measured window (from its JSON), so seeding and warm-up are not counted.
ticks=$(getconf CLK_TCK)
postmaster=$(head -n 1 "/tmp/clinic-pg-$pg_port/data/postmaster.pid" 2>/dev/null || true)
cpu_sample() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v t="$ticks" -v pm="$postmaster" -v silo="$silo_pid" -v api="$api_pid" '
    { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
      if (pid == silo) s = f[12] + f[13]
      if (pid == api) a = f[12] + f[13]
      if (pid == pm) p += f[12] + f[13] + f[14] + f[15]
      else if (f[2] == pm) p += f[12] + f[13] }
    END { printf "%.2f %.2f %.2f\n", s / t, a / t, p / t }'
}
cpu_samples=$out/cpu-samples.txt
: >"$cpu_samples"
( while :; do echo "$(date +%s.%N) $(cpu_sample)" >>"$cpu_samples"; sleep 0.5; done ) &
pids+=($!)

# cpu_between START END: CPU seconds of silo, API and PostgreSQL between two Unix times, as JSON.
cpu_between() {
  awk -v from="$1" -v to="$2" '
    $1 <= from { s0 = $2; a0 = $3; p0 = $4 }
    $1 >= to && !done { s1 = $2; a1 = $3; p1 = $4; done = 1 }
    END { printf "{\"silo\": %.2f, \"api\": %.2f, \"postgres\": %.2f}\n", s1 - s0, a1 - a0, p1 - p0 }' "$cpu_samples"
}

# The idle cost: what the stack costs PostgreSQL and the CPU with no request at all (pollers of
# the stream queues, membership, reminders, gauges). Counted in the bench database only; the two
# readings come from the "clinic" database so they do not count themselves.
if [ "$idle" -gt 0 ]; then
  xacts() { psql_owner -d clinic -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$database'"; }
  sleep 5 # start-up work (queue balancing, first polls) settles first
  idle_from=$(date +%s.%N); idle_x0=$(xacts)
  sleep "$idle"
  idle_to=$(date +%s.%N); idle_x1=$(xacts)
  sleep 1
  idle_cpu=$(cpu_between "$idle_from" "$idle_to")
  awk -v a="$idle_from" -v b="$idle_to" -v x0="$idle_x0" -v x1="$idle_x1" -v cpu="$idle_cpu" 'BEGIN {
    printf "{\"seconds\": %.1f, \"transactionsPerSecond\": %.1f, \"cpuSeconds\": %s}\n", b - a, (x1 - x0) / (b - a), cpu }' >"$out/idle.json"
  echo "Idle: $(cat "$out/idle.json")"
fi

loadgen() { dotnet "$stack_loadgen_dll" "$@"; }
# Appended events: every clinic's chain runs 1..head without a gap, so the heads sum to the row
# count (a count(*) of audit.events twice a second cost the server more than some scenarios did).
# (A build from before migration 0420 has no chain_heads; the A/B of docs/performance.md counts there.)
if [ "$(psql_owner -d "$database" -c "SELECT to_regclass('audit.chain_heads') IS NOT NULL")" = t ]; then
  audited() { psql_owner -d "$database" -c "SELECT coalesce(sum(sequence), 0) FROM audit.chain_heads"; }
else
  audited() { psql_owner -d "$database" -c "SELECT count(*) FROM audit.events"; }
fi
queued() { psql_owner -d "$database" -c "SELECT count(*) FROM orleans.stream_messages"; }
# audit_lag NAME: request (recorded_at) to appended row (appended_at) of the events NAME's window recorded.
audit_lag() {
  psql_owner -d "$database" -c "
    SELECT json_build_object('events', count(*),
      'p50Seconds', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY lag)::numeric, 3),
      'p99Seconds', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)::numeric, 3),
      'maxSeconds', round(max(lag)::numeric, 3))
    FROM (SELECT extract(epoch FROM appended_at - recorded_at) AS lag FROM audit.events
          WHERE recorded_at >= to_timestamp($(jq .startedAtUnix "$out/$1.json"))
            AND recorded_at <= to_timestamp($(jq .endedAtUnix "$out/$1.json"))) AS lags"
}

# profile_report NAME: where the silo, the API and PostgreSQL spent their samples (scripts/bench-profile.py).
profile_report() {
  local name=$1 data=$out/perf-$1.data report=$out/profile-$1.txt
  perf script -i "$data" -F comm,pid,tid,ip,sym,dso 2>/dev/null \
    | python3 scripts/bench-profile.py silo="$silo_pid" api="$api_pid" postgres=postgres >"$report"
  echo "Profile of $name: $report"
}

# run NAME SCENARIO SECONDS [extra args]: one scenario into $out/NAME.json, its CPU into NAME.cpu.json.
run() {
  local name=$1 scenario=$2 seconds=$3; shift 3
  local recorder=
  if [ "$name" = "$profile" ]; then
    ( sleep "$warmup"; exec perf record -q -F 499 -g -a -o "$out/perf-$name.data" -- sleep "$seconds" ) >/dev/null 2>&1 &
    recorder=$!
  fi
  loadgen "$scenario" --url "http://127.0.0.1:$api_port" --signing-key "$signing_key" \
    --connections "$connections" --duration "$seconds" --warmup "$warmup" --pairs "$pairs" --out "$out/$name.json" "$@"
  sleep 1 # one more CPU sample after the window
  if [ -n "$recorder" ]; then wait "$recorder" || true; profile_report "$name" || true; fi
  cpu_between "$(jq .startedAtUnix "$out/$name.json")" "$(jq .endedAtUnix "$out/$name.json")" >"$out/$name.cpu.json"
}

# The runtime compiles hot code again and again in its first half minute under load (tiered
# compilation with PGO: tier 0, instrumented, tier 1; about 20,000 methods in the API alone), and
# on two shared cores that compiler thread takes a third of the CPU. One unmeasured mixed load
# first, so every scenario below measures the steady state and not the JIT.
if [ "$jit_warmup" -gt 0 ]; then
  echo "JIT warm-up: ${jit_warmup}s of mixed load, not measured..."
  loadgen mixed --url "http://127.0.0.1:$api_port" --signing-key "$signing_key" --connections "$connections" \
    --duration "$jit_warmup" --warmup 0 --pairs "$pairs" --out "$out/jit-warmup.json" >/dev/null
  # The mixed load is native only: without FHIR reads here, the first FHIR window measured the JIT.
  loadgen read-patient-fhir --url "http://127.0.0.1:$api_port" --signing-key "$signing_key" --connections "$connections" \
    --duration $(( (jit_warmup + 2) / 3 )) --warmup 0 --pairs "$pairs" --out "$out/jit-warmup-fhir.json" >/dev/null
  loadgen ceiling --connections "$connections" --duration 5 --warmup 0 --out "$out/jit-warmup-ceiling.json" >/dev/null
fi

echo "Ceilings..."
loadgen ceiling --connections "$connections" --duration "$duration" --warmup "$warmup" --out "$out/ceiling-http.json"
pgbench_tps=$(stack_pgbench_ceiling "$out/pgbench.txt" "$connections" "$duration")
echo "pgbench upsert: $pgbench_tps tps"

echo "Scenarios..."
wanted() { [[ " $scenarios " == *" $1 "* ]]; }
if wanted read-patient; then
  # The read load, with the audit trail sampled every half second until the queue has drained.
  samples=$out/audit-samples.txt
  : >"$samples"
  ( while :; do echo "$(date +%s.%N) $(audited)" >>"$samples"; sleep 0.5; done ) &
  sampler=$!; pids+=("$sampler")
  run read-patient read-patient "$read_duration"
  stopped_at=$(date +%s.%N)
  backlog_at_stop=$(queued)
  deadline=$(( $(date +%s) + 300 ))
  while [ "$(queued)" != 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.5; done
  sleep 1
  kill "$sampler" 2>/dev/null || true
  final=$(audited)
  awk -v stop="$stopped_at" -v final="$final" -v rows="$backlog_at_stop" '
    { t[NR] = $1; c[NR] = $2 }
    END {
      peak = 0; at_stop = 0; drained = stop
      for (i = 1; i <= NR; i++) {
        for (j = i + 1; j <= NR && t[j] - t[i] < 1; j++) {}
        if (j <= NR && t[j] > t[i]) { rate = (c[j] - c[i]) / (t[j] - t[i]); if (rate > peak) peak = rate }
        if (t[i] <= stop) at_stop = c[i]
        if (t[i] > stop && c[i] < final) drained = t[i]
      }
      printf "{\"backlogEvents\": %d, \"backlogRows\": %d, \"drainSeconds\": %.1f, \"peakAppendedPerSecond\": %.0f}\n", final - at_stop, rows, drained - stop, peak
    }' "$samples" >"$out/audit-lag.json"
  audit_lag read-patient >"$out/read-patient.lag.json"

  # A light open-loop read load: the queues are empty most of the time, so this is the lag the idle
  # polling interval adds (under the full load above every poll finds rows).
  if [ "$light_rate" != 0 ]; then
    run read-light read-patient "$duration" --rate "$light_rate"
    sleep 3 # let the last events of the window be appended
    audit_lag read-light >"$out/read-light.lag.json"
  fi
fi

if wanted read-patient-fhir; then
  run read-patient-fhir read-patient-fhir "$read_duration"
  sleep 1 # the last events of the window are appended
  audit_lag read-patient-fhir >"$out/read-patient-fhir.lag.json"
fi
if wanted book; then run book book "$duration"; fi
if wanted contend; then run contend contend "$duration" --slots 10; fi
if wanted availability; then run availability availability "$duration"; fi
if wanted find-fhir; then run find-fhir find-fhir "$duration"; fi
if wanted mixed; then run mixed mixed "$duration"; fi

# fhir_round_json NATIVE FHIR: one pair of read windows as JSON (the ratios of issue 23's targets and both audit lags).
fhir_round_json() {
  jq -cn --slurpfile n "$out/$1.json" --slurpfile f "$out/$2.json" --slurpfile nc "$out/$1.cpu.json" --slurpfile fc "$out/$2.cpu.json" \
    --argjson nl "$(audit_lag "$1")" --argjson fl "$(audit_lag "$2")" '
    ($nc[0].api / ($n[0].requests / 1000)) as $napi | ($fc[0].api / ($f[0].requests / 1000)) as $fapi |
    {nativeReqPerSec: $n[0].throughput, fhirReqPerSec: $f[0].throughput, reqRatio: ($f[0].throughput / $n[0].throughput),
     nativeP99: $n[0].latencyMs.p99, fhirP99: $f[0].latencyMs.p99, p99DeltaMs: ($f[0].latencyMs.p99 - $n[0].latencyMs.p99),
     nativeApiCpuPer1k: $napi, fhirApiCpuPer1k: $fapi, cpuRatio: (if $napi > 0 then $fapi / $napi else null end),
     nativeLagP99: $nl.p99Seconds, fhirLagP99: $fl.p99Seconds}'
}
if [ "$fhir_rounds" -gt 0 ]; then
  echo "FHIR/native reads, $fhir_rounds interleaved rounds of ${duration}s each..."
  : >"$out/fhir-rounds.jsonl"
  for round in $(seq 1 "$fhir_rounds"); do
    order="read-patient read-patient-fhir"
    [ $((round % 2)) = 0 ] && order="read-patient-fhir read-patient"
    for scenario in $order; do run "$scenario-r$round" "$scenario" "$duration"; done
    sleep 2 # the rounds' last events are appended before their lag is read
    fhir_round_json "read-patient-r$round" "read-patient-fhir-r$round" >>"$out/fhir-rounds.jsonl"
  done
  jq -rs '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def r2: . * 100 | round / 100;
    def stat(k): (map(.[k]) | "\(median | r2) [\(min | r2) .. \(max | r2)]");
    (.[] | "round: req/s \(.fhirReqPerSec) / \(.nativeReqPerSec) = \(.reqRatio | r2)x; p99 \(.fhirP99) / \(.nativeP99) ms (\(.p99DeltaMs | r2) ms); API CPU-s per 1,000 \(.fhirApiCpuPer1k | . * 1000 | round / 1000) / \(.nativeApiCpuPer1k | . * 1000 | round / 1000) = \(.cpuRatio | r2)x; audit lag p99 \(.fhirLagP99) / \(.nativeLagP99) s"),
    "FHIR/native over \(length) rounds, median [min .. max]: req/s \(stat("reqRatio"))x (target >= 0.8); p99 delta \(stat("p99DeltaMs")) ms (target <= 5); API CPU \(stat("cpuRatio"))x (target <= 1.3); audit lag p99 FHIR \(stat("fhirLagP99")) s, native \(stat("nativeLagP99")) s"
  ' "$out/fhir-rounds.jsonl" | tee "$out/fhir-rounds.txt"
fi

printf '{"siloStartToReadySeconds": %s}\n' "$(awk -v a="$silo_started" -v b="$silo_ready" 'BEGIN { printf "%.1f", b - a }')" >"$out/startup.json"

# Every report must be complete JSON with answers; the smoke stops here.
for name in ceiling-http $scenarios; do
  jq -e '.requests > 0 and .throughput > 0 and (.statuses | length) > 0' "$out/$name.json" >/dev/null \
    || { echo "bench: $name produced no usable report" >&2; exit 1; }
done
if wanted contend; then
  jq -e '.checks.doubleBookings == 0' "$out/contend.json" >/dev/null || { echo "bench: double booking in contend" >&2; exit 1; }
fi
for name in read-patient read-patient-fhir find-fhir; do
  if wanted $name; then
    jq -e '(.statuses | keys) == ["200"]' "$out/$name.json" >/dev/null || { echo "bench: $name answered other than 200" >&2; exit 1; }
  fi
done
for report in "$out"/read-patient-r*.json "$out"/read-patient-fhir-r*.json; do
  [[ $report == *.cpu.json || ! -f $report ]] && continue
  jq -e '(.statuses | keys) == ["200"]' "$report" >/dev/null || { echo "bench: $report answered other than 200" >&2; exit 1; }
done
# FHIR against native reads of the same run (issue 23's targets: >= 0.8x req/s, p99 <= native + 5 ms, API CPU <= 1.3x).
fhir_ratio() {
  jq -rn --slurpfile n "$out/read-patient.json" --slurpfile f "$out/read-patient-fhir.json" \
    --slurpfile nc "$out/read-patient.cpu.json" --slurpfile fc "$out/read-patient-fhir.cpu.json" '
    ($nc[0].api / ($n[0].requests / 1000)) as $napi | ($fc[0].api / ($f[0].requests / 1000)) as $fapi |
    "FHIR/native reads: req/s \($f[0].throughput) / \($n[0].throughput) = \(($f[0].throughput / $n[0].throughput * 100 | round) / 100)x; p99 \($f[0].latencyMs.p99) / \($n[0].latencyMs.p99) ms (\((($f[0].latencyMs.p99 - $n[0].latencyMs.p99) * 10 | round) / 10) ms); API CPU-s per 1,000 \(($fapi * 1000 | round) / 1000) / \(($napi * 1000 | round) / 1000) = \(if $napi > 0 then (($fapi / $napi * 100 | round) / 100 | tostring) + "x" else "n/a" end)"'
}
if wanted read-patient && wanted read-patient-fhir; then fhir_ratio; fi
if wanted availability && wanted find-fhir; then
  jq -rn --slurpfile a "$out/availability.json" --slurpfile f "$out/find-fhir.json" \
    '"FHIR $find, 20 providers x 7 days: p99 \($f[0].latencyMs.p99) ms (p50 \($f[0].latencyMs.p50), \($f[0].throughput) req/s); one provider-day availability: p99 \($a[0].latencyMs.p99) ms (p50 \($a[0].latencyMs.p50), \($a[0].throughput) req/s)"'
fi
if [ "$smoke" = 1 ]; then
  echo "bench smoke: every scenario ran and reported"
  exit 0
fi

http_ceiling=$(jq .throughput "$out/ceiling-http.json")
echo
echo "| Scenario | req/s | p50 ms | p99 ms | statuses | ceiling | ratio | CPU-s/1k silo | api | postgres |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for name in $scenarios; do
  case $name in book|contend) ceiling=$pgbench_tps; label="pgbench $pgbench_tps tps" ;; *) ceiling=$http_ceiling; label="HTTP $http_ceiling req/s" ;; esac
  jq -r --arg ceilingname "$label" --argjson ceiling "$ceiling" --slurpfile cpu "$out/$name.cpu.json" '
    (.requests / 1000) as $k |
    "| \(.scenario) | \(.throughput) | \(.latencyMs.p50) | \(.latencyMs.p99) | \(.statuses | to_entries | map("\(.key)x\(.value)") | join(" ")) | \($ceilingname) | \((.throughput / $ceiling * 1000 | round) / 1000) | \(($cpu[0].silo / $k * 100 | round) / 100) | \(($cpu[0].api / $k * 100 | round) / 100) | \(($cpu[0].postgres / $k * 100 | round) / 100) |"' "$out/$name.json"
done
echo
if wanted read-patient; then
  echo "Audit after ${read_duration}s of reads: $(cat "$out/audit-lag.json")"
  echo "Audit lag, request to row, full read load: $(cat "$out/read-patient.lag.json")"
fi
if [ -f "$out/read-patient-fhir.lag.json" ]; then echo "Audit lag, request to row, FHIR read load: $(cat "$out/read-patient-fhir.lag.json")"; fi
if [ -f "$out/read-light.lag.json" ]; then echo "Audit lag, request to row, $light_rate reads/s: $(cat "$out/read-light.lag.json")"; fi
if [ -f "$out/idle.json" ]; then echo "Idle ${idle}s: $(cat "$out/idle.json")"; fi
echo "Silo start to ready: $(cat "$out/startup.json")"
