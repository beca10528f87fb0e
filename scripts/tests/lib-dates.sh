#!/usr/bin/env bash
# The scripts' date helpers on every day of the week and across a DST change: a computed visit date
# is a weekday at least the asked number of days ahead, with the offset that holds on that date.
# (The smoke test once booked "today + 7 days" and failed every Saturday and Sunday.)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

failures=0
check() { if [ "$2" != "$3" ]; then echo "lib-dates: $1: got '$2', expected '$3'" >&2; failures=$((failures + 1)); fi; }

for base in 2026-12-05 2026-12-06 2026-12-07 2026-12-08 2026-12-09 2026-12-10 2026-12-11 2026-12-12; do
  day=$(CLINIC_TODAY=$base clinic_weekday 7)
  weekday=$(date -d "$day" +%u)
  ahead=$(( ($(date -d "$day" +%s) - $(date -d "$base" +%s)) / 86400 ))
  check "weekday of $day (from $base)" "$([ "$weekday" -le 5 ] && echo yes || echo no)" yes
  check "days ahead of $day (from $base)" "$([ "$ahead" -ge 7 ] && [ "$ahead" -le 9 ] && echo yes || echo no)" yes
done
check "Saturday + 7" "$(CLINIC_TODAY=2026-12-05 clinic_weekday 7)" 2026-12-14
check "Sunday + 0" "$(CLINIC_TODAY=2026-12-06 clinic_weekday 0)" 2026-12-07
check "winter offset" "$(zone_offset 2026-12-14 10:00)" -05:00
check "summer offset" "$(zone_offset 2027-03-15 10:00)" -04:00
check "offset in another zone" "$(zone_offset 2026-12-14 10:00 Europe/Berlin)" +01:00

[ "$failures" = 0 ] && echo "lib-dates: weekday and offset helpers hold on every day of the week"
exit "$failures"
