#!/usr/bin/env bash
# Booking throughput with a dead webhook subscriber (issue 24, decision 0053): the real stack (one
# silo + the API, Release, durable PostgreSQL from scripts/postgres.sh on PGPORT_CLINIC) and the
# LoadGen book scenario, three arms interleaved round by round so they share the machine's noise:
#   off    the ledger's webhook trigger disabled: the ledger as it was before migration 0500
#   none   the trigger on, no subscription: its cost is one index probe per ledger write
#   dead   the run's clinic subscribed to a loopback port that accepts connections and never
#          answers: every delivery hangs until Webhooks:DeliveryTimeout, then retries
# After each dead arm its subscription is deleted, so its dispatcher does not load the next arms.
# Prints each arm's bookings/s summed over the rounds and the ratios; targets: dead/none >= 0.9.
# The arms' order alternates per round (the rate drifts down as the database grows).
#
#   scripts/bench-webhooks.sh     3 rounds x 3 arms x 10 s (about 4 minutes plus the build)
#
# Settings: WEBHOOK_BENCH_ROUNDS (3), WEBHOOK_BENCH_DURATION (10 s per arm), WEBHOOK_BENCH_CONNECTIONS (32),
# WEBHOOK_BENCH_PAIRS (32), WEBHOOK_BENCH_DURABLE (1: fsync, synchronous_commit and full_page_writes
# on for the run, as in production, reset after; 0 keeps the development server's settings),
# STACK_NO_BUILD=1 (reuse .tmp/bench-webhooks/bin). Results: .tmp/bench-webhooks/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

rounds=${WEBHOOK_BENCH_ROUNDS:-3}
duration=${WEBHOOK_BENCH_DURATION:-10}
connections=${WEBHOOK_BENCH_CONNECTIONS:-32}
pairs=${WEBHOOK_BENCH_PAIRS:-32}
durable=${WEBHOOK_BENCH_DURABLE:-1}
out=.tmp/bench-webhooks
mkdir -p "$out"
rm -f "$out"/*.json

STACK_OUT=$out STACK_LOAD=1
stack_build Release "$out/bin"
stack_postgres_start clinic_hooks
stack_migrate >/dev/null
database=$stack_database

listener=
stop() {
  trap - EXIT INT TERM
  [ -z "$listener" ] || kill "$listener" 2>/dev/null || true
  if [ "$durable" = 1 ]; then
    psql_super -c "ALTER SYSTEM RESET fsync" -c "ALTER SYSTEM RESET synchronous_commit" -c "ALTER SYSTEM RESET full_page_writes" -c "SELECT pg_reload_conf()" >/dev/null || true
  fi
  # Leave the trigger as the migration made it, whatever happened.
  psql_owner -d "$database" -c "ALTER TABLE scheduling.appointment_ledger ENABLE TRIGGER appointment_ledger_webhooks" >/dev/null 2>&1 || true
  stack_stop
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

if [ "$durable" = 1 ]; then
  psql_super -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
fi
echo "PostgreSQL: $(psql_owner -d "$database" -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")"

# The dead subscriber: listens (the kernel completes the handshakes into its backlog) and never
# accepts or answers, so each delivery waits for the sender's timeout.
dead_port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4096); time.sleep(3600)' "$dead_port" &
listener=$!

stack_keys "$out"
stack_silo_start silo Webhooks__AllowHttp=true Webhooks__AllowPrivateAddresses=true Webhooks__DeliveryTimeout=00:00:10
stack_wait silo
stack_api_start api

loadgen() { dotnet "$stack_loadgen_dll" "$@"; }
trigger() { psql_owner -d "$database" -c "ALTER TABLE scheduling.appointment_ledger $1 TRIGGER appointment_ledger_webhooks" >/dev/null; }
book() {
  loadgen book --url "$stack_api_url" --signing-key "$STACK_SIGNING_KEY" --connections "$connections" \
    --duration "$duration" --warmup 2 --pairs "$pairs" --out "$out/$1.json" "${@:2}"
}

echo "Warming up..."
book warmup >/dev/null
# arm NAME ROUND: one arm's window. The database grows with every window (the ledger, the audit
# trail), so the rate drifts down over the run: the order of the arms alternates per round (off,
# none, dead, then dead, none, off) so no arm is always the last.
arm() {
  case $1 in
    off) trigger DISABLE; book "off-$2"; trigger ENABLE ;;
    none) book "none-$2" ;;
    dead)
      book "dead-$2" --webhook "http://127.0.0.1:$dead_port/hook"
      psql_owner -d "$database" -c "DELETE FROM webhooks.subscription" >/dev/null
      ;;
  esac
}
for round in $(seq 1 "$rounds"); do
  order="off none dead"
  [ $((round % 2)) = 0 ] && order="dead none off"
  for name in $order; do arm "$name" "$round"; done
done

pending=$(psql_owner -d "$database" -c "SELECT count(*) FROM webhooks.outbox")
jq -s --argjson rounds "$rounds" '
  def arm($a): [.[] | select(.name | startswith($a)) | .throughput] | add / $rounds;
  {off: arm("off-"), none: arm("none-"), dead: arm("dead-")}
  | . + {deadOverNone: (.dead / .none), noneOverOff: (.none / .off)}' \
  <(for f in "$out"/off-*.json "$out"/none-*.json "$out"/dead-*.json; do
      jq --arg name "$(basename "$f" .json)" '{name: $name, throughput: .throughput}' "$f"; done) | tee "$out/summary.json"
echo "Bookings/s per arm (mean of $rounds rounds of ${duration} s, noisy: shared machine). Rows queued for the dead subscriber were deleted with it (outbox rows left: $pending)."
jq -e '.deadOverNone >= 0.9' "$out/summary.json" >/dev/null || die "booking with a dead subscriber ran at less than 0.9x of the run without subscribers"
