#!/usr/bin/env bash
# The find-and-fill figures of issue 24 outside CI (decisions 0036, 0045): the real stack (one silo +
# the API, Release, PostgreSQL from scripts/postgres.sh on PGPORT_CLINIC) and LoadGen, in one run:
#   1. one provider-day availability (the reference) and the clinic-wide search over 50 providers x
#      14 days, each on its own seeded clinic of 50 providers, quiet: the p99 ratio (target <= 3x);
#   2. the clinic-wide search again while a booking run goes at full rate: in the clinic being
#      filled (bookings from its first day on, so the search meets busy, filling calendars) and in
#      another clinic of the same cluster, each against one provider-day of the same clinic at the
#      same time. Each search p99 against the reference of its conditions (target <= 3x): on two
#      cores the booking run takes the CPU every request needs, so the quiet reference measures the
#      machine's saturation as much as the search; both ratios are printed;
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

# 2. The clinic-wide search in the clinic a booking run fills at the same time (a seeded clinic
#    that every run names by its file), with one provider-day of that clinic as its reference;
#    then both in another clinic while the booking run goes on.
half=$(( (duration + 1) / 2 ))
loadgen seed --pairs "$providers" --clinic-file "$out/booked-clinic.json" >/dev/null
loadgen book --clinic-file "$out/booked-clinic.json" --connections "$connections" --duration $((4 * half + 30)) --warmup 0 --out "$out/book.json" 2>/dev/null &
booking=$!
sleep 3
loadgen availability-clinic --clinic-file "$out/booked-clinic.json" --connections "$connections" --duration "$half" --warmup 0 --out "$out/clinic-booking.json"
loadgen availability --clinic-file "$out/booked-clinic.json" --connections "$connections" --duration "$half" --warmup 0 --out "$out/availability-booked.json"
loadgen availability-clinic --connections "$connections" --duration "$half" --warmup 0 --pairs "$providers" --out "$out/clinic-beside-booking.json"
loadgen availability --connections "$connections" --duration "$half" --warmup 0 --pairs "$providers" --out "$out/availability-booking.json"
kill -0 "$booking" 2>/dev/null || die "the booking run ended before the searches beside it did"
wait "$booking"

# 3. The hold race.
loadgen hold-race --connections "$racers" --slots 10 --duration 10 --warmup 0 --timeout 60 --out "$out/hold-race.json"

jq -n --argjson a "$(p99 availability)" --argjson q "$(p99 clinic-quiet)" --argjson b "$(p99 clinic-booking)" --argjson o "$(p99 clinic-beside-booking)" \
  --argjson al "$(p99 availability-booking)" --argjson ab "$(p99 availability-booked)" --slurpfile book "$out/book.json" --slurpfile race "$out/hold-race.json" \
  --slurpfile sb "$out/clinic-booking.json" --slurpfile so "$out/clinic-beside-booking.json" --slurpfile sq "$out/clinic-quiet.json" \
  --slurpfile sa "$out/availability.json" --slurpfile sl "$out/availability-booking.json" --slurpfile sk "$out/availability-booked.json" '
  {availabilityP99: $a, availabilityBeingBookedP99: $ab, availabilityBesideBookingP99: $al, clinicQuietP99: $q, clinicBeingBookedP99: $b, clinicBesideBookingP99: $o,
   quietRatio: ($q / $a), beingBookedRatio: ($b / $ab), besideBookingRatio: ($o / $al),
   beingBookedToQuietReference: ($b / $a), besideBookingToQuietReference: ($o / $a),
   searchStatuses: {availability: $sa[0].statuses, availabilityBesideBooking: $sl[0].statuses, availabilityBeingBooked: $sk[0].statuses, quiet: $sq[0].statuses, beingBooked: $sb[0].statuses, besideBooking: $so[0].statuses},
   bookingsPerSecond: $book[0].throughput, bookingStatuses: $book[0].statuses, holdRace: $race[0].checks, holdRaceStatuses: $race[0].statuses}' | tee "$out/summary.json"
echo "clinic-wide search, $providers providers x 14 days: p99 $(p99 clinic-quiet) ms quiet against one provider-day's $(p99 availability) ms;" \
  "while booking at full rate: $(p99 clinic-booking) ms in the clinic being booked against one of its provider-days' $(p99 availability-booked) ms," \
  "$(p99 clinic-beside-booking) ms in another clinic against one of its provider-days' $(p99 availability-booking) ms (targets: <= 3x)"
failed=0
jq -e '[.searchStatuses[] | keys == ["200"]] | all' "$out/summary.json" >/dev/null || { echo "bench-find: a search answered other than 200" >&2; failed=1; }
jq -e '.quietRatio <= 3 and .beingBookedRatio <= 3 and .besideBookingRatio <= 3' "$out/summary.json" >/dev/null ||
  { echo "bench-find: a clinic-wide search p99 is above 3x the single-provider availability's" >&2; failed=1; }
jq -e '.holdRace.holds == 10 and .holdRace.created == 10 and .holdRace.doubleBookings == 0' "$out/summary.json" >/dev/null ||
  { echo "bench-find: hold race $(jq -c .holdRace "$out/summary.json")" >&2; failed=1; }
[ "$failed" = 0 ] || die "bench-find: a target was missed (figures above)"
echo "bench-find: targets met"
