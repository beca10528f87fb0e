#!/usr/bin/env bash
# The find-and-fill figures of issue 24 outside CI (decisions 0036, 0045): the real stack (one silo +
# the API, Release, PostgreSQL from scripts/postgres.sh on PGPORT_CLINIC) and LoadGen, in one run:
#   1. one provider-day availability (the reference) and the clinic-wide search over 50 providers x
#      14 days, each on its own seeded clinic of 50 providers, quiet: the p99 ratio (target <= 3x);
#   2. the clinic-wide search again, in the clinic a booking run is filling at full rate at the
#      same time (bookings from its first day on, so the search meets busier calendars as it runs):
#      its p99 against the same reference (target <= 3x);
#   3. 1,000 clients racing for 10 slots through checkout holds (LoadGen hold-race): exactly 10
#      holds, 10 bookings, 0 double bookings.
# Fails when a target is missed. FIND_DURATION (20 s per window), FIND_CONNECTIONS (32),
# FIND_RACERS (1000), STACK_NO_BUILD=1 (reuse .tmp/bench-find/bin). Results: .tmp/bench-find/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

duration=${FIND_DURATION:-20}
connections=${FIND_CONNECTIONS:-32}
racers=${FIND_RACERS:-1000}
providers=50
out=.tmp/bench-find
mkdir -p "$out"
rm -f "$out"/*.json

STACK_OUT=$out STACK_LOAD=1
stack_build Release "$out/bin"
stack_postgres_start clinic_find
stack_migrate >/dev/null
trap stack_stop EXIT INT TERM
stack_keys "$out"
stack_silo_start silo
stack_wait silo
stack_api_start api

loadgen() { dotnet "$stack_loadgen_dll" "$1" --url "$stack_api_url" --signing-key "$STACK_SIGNING_KEY" "${@:2}"; }
p99() { jq -r '.latencyMs.p99' "$out/$1.json"; }

echo "Warming up..."
loadgen mixed --connections "$connections" --duration 10 --warmup 0 --pairs "$providers" --out "$out/warmup.json" >/dev/null

# 1. Quiet: the reference and the clinic-wide search, each on a clinic of 50 providers.
loadgen availability --connections "$connections" --duration "$duration" --warmup 3 --pairs "$providers" --out "$out/availability.json"
loadgen availability-clinic --connections "$connections" --duration "$duration" --warmup 3 --pairs "$providers" --out "$out/clinic-quiet.json"

# 2. The clinic-wide search in the clinic a booking run fills at the same time.
loadgen book --connections "$connections" --duration $((duration + 10)) --warmup 0 --pairs "$providers" --out "$out/book.json" 2>"$out/book.clinic" &
booking=$!
for _ in $(seq 1 100); do grep -q '^clinic ' "$out/book.clinic" 2>/dev/null && break; sleep 0.1; done
clinic=$(sed -n 's/^clinic //p' "$out/book.clinic" | head -n 1)
[ -n "$clinic" ] || die "the booking run named no clinic"
sleep 3
loadgen availability-clinic --clinic "$clinic" --connections "$connections" --duration "$duration" --warmup 0 --out "$out/clinic-booking.json"
wait "$booking"

# 3. The hold race.
loadgen hold-race --connections "$racers" --slots 10 --duration 10 --warmup 0 --timeout 60 --out "$out/hold-race.json"

for name in availability clinic-quiet clinic-booking; do
  jq -e '(.statuses | keys) == ["200"]' "$out/$name.json" >/dev/null || die "$name answered other than 200: $(jq -c .statuses "$out/$name.json")"
done
jq -n --argjson a "$(p99 availability)" --argjson q "$(p99 clinic-quiet)" --argjson b "$(p99 clinic-booking)" \
  --slurpfile book "$out/book.json" --slurpfile race "$out/hold-race.json" '
  {availabilityP99: $a, clinicQuietP99: $q, clinicUnderBookingP99: $b, quietRatio: ($q / $a), underBookingRatio: ($b / $a),
   bookingsPerSecond: $book[0].throughput, bookingStatuses: $book[0].statuses, holdRace: $race[0].checks, holdRaceStatuses: $race[0].statuses}' | tee "$out/summary.json"
echo "clinic-wide search, $providers providers x 14 days: p99 $(p99 clinic-quiet) ms quiet, $(p99 clinic-booking) ms while booking; one provider-day: p99 $(p99 availability) ms (targets: <= 3x)"
jq -e '.quietRatio <= 3 and .underBookingRatio <= 3' "$out/summary.json" >/dev/null || die "the clinic-wide search's p99 is above 3x the single-provider availability's"
jq -e '.holdRace.holds == 10 and .holdRace.created == 10 and .holdRace.doubleBookings == 0' "$out/summary.json" >/dev/null ||
  die "hold race: $(jq -c .holdRace "$out/summary.json")"
echo "bench-find: targets met"
