#!/usr/bin/env bash
# PostgreSQL restart drill: 2 silos + the API (Release) on a private PostgreSQL server, a mixed
# closed-loop load (patient reads, availability, bookings), and during it PostgreSQL stopped with
# `pg_ctl -m fast`, held down, started; later the same with `-m immediate`. Fails unless:
#   - every error the load saw is a 503 carrying Retry-After (no 500, no other 5xx, no dropped connection);
#   - requests succeed again by themselves within DRILL_RECOVERY_LIMIT seconds of the server's return;
#   - every acknowledged booking (201) is booked in the ledger, every acknowledged patient read (200)
#     has its audit event once the audit queue drained.
# Settings: DRILL_OUTAGE (5 s down per stop), DRILL_CONNECTIONS (16), DRILL_RECOVERY_LIMIT (30 s).
# Results: .tmp/drills/pg-restart/{load.json,acks.txt,summary.json}. About 2 minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
DRILL_OUT=.tmp/drills/pg-restart
mkdir -p "$DRILL_OUT"
source scripts/drills/stack.sh
outage=${DRILL_OUTAGE:-5}
connections=${DRILL_CONNECTIONS:-16}
recovery_limit=${DRILL_RECOVERY_LIMIT:-30}
before=15 between=25 after=25
duration=$((before + outage + between + outage + after))

trap drill_stop EXIT INT TERM
drill_build
drill_start_postgres
drill_start_silo silo1; drill_start_silo silo2
drill_wait_silo silo1; drill_wait_silo silo2
drill_start_api
log "stack up (database $stack_database); mixed load for ${duration}s, $connections connections"

rm -f "$DRILL_OUT/acks.txt" "$DRILL_OUT/load.json"
loadgen mixed --connections "$connections" --duration "$duration" --pairs 32 \
  --out "$DRILL_OUT/load.json" --acks "$DRILL_OUT/acks.txt" >"$DRILL_OUT/loadgen.txt" 2>&1 &
load_pid=$!
drill_pids+=("$load_pid")
# The load seeds its clinic first; the clock starts when its measured window does (its first answer).
deadline=$(( $(date +%s) + 120 ))
until [ -s "$DRILL_OUT/acks.txt" ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.5; done
: >"$DRILL_OUT/faults.txt"
for mode in fast immediate; do
  if [ "$mode" = fast ]; then sleep "$before"; else sleep "$between"; fi
  stopped=$(now)
  pg_server stop "$mode"
  log "PostgreSQL stopped (-m $mode)"
  sleep "$outage"
  pg_server start
  started=$(now)
  log "PostgreSQL started again"
  echo "$mode $stopped $started" >>"$DRILL_OUT/faults.txt"
done
wait "$load_pid" || die "the load tool failed: $(cat "$DRILL_OUT/loadgen.txt")"
cat "$DRILL_OUT/loadgen.txt"

acks=$(drill_check_acks "$DRILL_OUT/acks.txt")
log "$acks"
# Recovery per fault: from the server's return to the last failed answer before the next fault.
recovery=$(jq -r '.checks.failuresBySecond // {} | to_entries[] | "\(.key) \(.value)"' "$DRILL_OUT/load.json" | sort -n |
  awk -v faults="$DRILL_OUT/faults.txt" '
    BEGIN { while ((getline line < faults) > 0) { split(line, f, " "); n++; mode[n] = f[1]; down[n] = f[2]; up[n] = f[3] } }
    { for (i = n; i >= 1; i--) if ($1 + 1 > down[i]) { failures[i] += $2; if ($1 + 1 > last[i]) last[i] = $1 + 1; break } }
    END { for (i = 1; i <= n; i++) { r = last[i] > up[i] ? last[i] - up[i] : 0
            printf "%s{\"stop\": \"%s\", \"downSeconds\": %.1f, \"failedRequests\": %d, \"recoverySeconds\": %.1f}", (i > 1 ? ", " : ""), mode[i], up[i] - down[i], failures[i], r } }')
jq -n --argjson load "$(cat "$DRILL_OUT/load.json")" --arg acks "$acks" --argjson faults "[$recovery]" \
  '{requests: $load.requests, statuses: $load.statuses, retryAfter: {with: $load.checks.serviceUnavailableWithRetryAfter, without: $load.checks.serviceUnavailableWithoutRetryAfter},
    acknowledged: ($acks | split(" ") | map(split("=") | {(.[0]): (.[1] | tonumber)}) | add), faults: $faults}' >"$DRILL_OUT/summary.json"
cat "$DRILL_OUT/summary.json"

bad=$(jq -r '.statuses | to_entries | map(select(.key == "error" or ((.key | tonumber? // 0) >= 500 and .key != "503"))) | map("\(.key)x\(.value)") | join(" ")' "$DRILL_OUT/summary.json")
[ -z "$bad" ] || die "answers other than 503 during the outage: $bad (see $DRILL_OUT/*.log)"
[ "$(jq .retryAfter.without "$DRILL_OUT/summary.json")" = 0 ] || die "503 answers without Retry-After"
jq -e '.acknowledged.bookings > 0 and .acknowledged.reads > 0' "$DRILL_OUT/summary.json" >/dev/null || die "the load tool listed no acknowledged bookings or reads"
jq -e '.acknowledged.lostBookings == 0 and .acknowledged.lostReads == 0' "$DRILL_OUT/summary.json" >/dev/null || die "acknowledged writes lost: $acks"
jq -e --argjson limit "$recovery_limit" 'all(.faults[]; .recoverySeconds <= $limit)' "$DRILL_OUT/summary.json" >/dev/null \
  || die "no recovery within ${recovery_limit}s"
# The last window after the second restart must have answered too: the system came back by itself.
jq -e '.statuses["200"] > 0 and .statuses["201"] > 0' "$DRILL_OUT/summary.json" >/dev/null || die "no successful reads or bookings"
log "pg-restart drill passed"
