#!/usr/bin/env bash
# Point-in-time recovery drill, end to end with real processes (about 2-3 minutes after a build):
#
#  1. a durable, archiving PostgreSQL (pitr-server.sh) on PITR_PGPORT (default PGPORT_CLINIC + 1,
#     beside scripts/postgres.sh); migrate; one silo + the API;
#  2. phase A through the API (clinic, provider, patients, appointments); full backup to repo1
#     and to repo2 (offsite); phase B (another clinic, more patients and bookings, a reschedule);
#     differential backup; more of phase B; incremental backup;
#  3. once the audit queue is drained, note the time T and snapshot the row counts and checksums
#     that must come back (ledger, reminders, grain state, audit trail); phase C after T (new
#     clinic, patients, bookings, a cancellation and a reschedule of phase-B appointments);
#  4. stop the cluster and the server; restore to T into a new data directory (db-restore.sh
#     physical), start it on PITR_RESTORED_PORT (PITR_PGPORT + 10) and wait for the promotion;
#  5. assert: the snapshot is identical; through the API every phase A/B record is there as it was
#     at T and no phase C record is; `audit verify` passes for every clinic; the restored cluster
#     books; then the logical round trip (logical-roundtrip.sh) on the restored database.
#
# Prints the measured numbers (backup and restore durations, WAL archive lag, recovery time, time
# to a serving cluster) and writes them to .tmp/pitr-drill/measurements.txt.
# Options: DRILL_NO_BUILD=1 (binaries already built), DRILL_KEEP=1 (keep PITR_ROOT for a look).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source scripts/backup/lib.sh
# shellcheck source=scripts/backup/app.sh
source scripts/backup/app.sh

# The drill servers sit next to scripts/postgres.sh (PGPORT_CLINIC), never on its port.
export PITR_PGPORT=${PITR_PGPORT:-$((${PGPORT_CLINIC:-55432} + 1))}
restored_port=${PITR_RESTORED_PORT:-$((PITR_PGPORT + 10))}
export PITR_ROOT=/tmp/clinic-pitr-$PITR_PGPORT
drill_out=$PWD/.tmp/pitr-drill
server=scripts/backup/pitr-server.sh
mkdir -p "$drill_out"
rm -f "$drill_out"/*.log "$drill_out"/*.txt
measurements=$drill_out/measurements.txt
drill_started=$(now_seconds)

step() { echo "== pitr-drill: $*"; }
measure() {
  printf '%-44s %s\n' "$1" "$2" | tee -a "$measurements"
}
fail() {
  echo "pitr-drill: FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  stack_stop_hosts
  if [ "${DRILL_KEEP:-0}" = 1 ]; then
    echo "pitr-drill: kept $PITR_ROOT (remove with PITR_ROOT=$PITR_ROOT $server destroy)"
    "$server" stop >/dev/null 2>&1 || true
    "$server" stop --port "$restored_port" >/dev/null 2>&1 || true
  else
    "$server" destroy >/dev/null 2>&1 || true
  fi
  [ $status = 0 ] && echo "pitr-drill: PASSED in $(elapsed_since "$drill_started") s" || echo "pitr-drill: logs in $drill_out" >&2
}
trap cleanup EXIT

superuser_sql() { # superuser_sql PORT SQL: one unaligned result
  "$server" psql --port "$1" -d clinic -At -c "$2"
}

# Everything the restore must bring back exactly, as one text: counts per table and status, and
# checksums of the rows. Membership and the stream queue are left out (heartbeats and leases move
# on their own). Run in one REPEATABLE READ transaction, so it is one instant of the database.
snapshot_sql=$(cat <<'SQL'
SELECT 'ledger ' || clinic_id || ' ' || status || ' ' || count(*) FROM scheduling.appointment_ledger GROUP BY clinic_id, status
UNION ALL SELECT 'ledger rows md5 ' || coalesce(md5(string_agg(l::text, E'\n' ORDER BY clinic_id, appointment_id)), '-') FROM scheduling.appointment_ledger l
UNION ALL SELECT 'reminders ' || count(*) FROM orleans.reminders
UNION ALL SELECT 'reminders md5 ' || coalesce(md5(string_agg(r::text, E'\n' ORDER BY service_id, grain_id, reminder_name)), '-') FROM orleans.reminders r
UNION ALL SELECT 'grain_state ' || grain_type || ' ' || count(*) FROM orleans.grain_state GROUP BY grain_type
UNION ALL SELECT 'grain_state md5 ' || coalesce(md5(string_agg(g::text, E'\n' ORDER BY service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)), '-') FROM orleans.grain_state g
UNION ALL SELECT 'audit ' || clinic_id || ' ' || count(*) FROM audit.events GROUP BY clinic_id
UNION ALL SELECT 'audit md5 ' || coalesce(md5(string_agg(e::text, E'\n' ORDER BY clinic_id, sequence)), '-') FROM audit.events e
UNION ALL SELECT 'audit event ids ' || count(*) FROM audit.event_ids
ORDER BY 1;
SQL
)

wait_audit_drained() { # the API's audit events are rows until a silo appends them
  local port=$1 i
  for i in $(seq 1 120); do
    [ "$(superuser_sql "$port" 'SELECT count(*) FROM orleans.stream_messages')" = 0 ] && return 0
    sleep 0.5
  done
  fail "the audit queue did not drain within 60 s"
}

# switch_and_time PORT: closes the current WAL segment and prints how long it took until
# pgBackRest had archived it (the archive lag of a closed segment).
switch_and_time() {
  local port=$1 segment started i
  started=$(now_seconds)
  segment=$(superuser_sql "$port" "SELECT pg_walfile_name(pg_switch_wal())")
  for i in $(seq 1 600); do
    if [ "$(superuser_sql "$port" "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver")" = t ]; then
      elapsed_since "$started"
      return 0
    fi
    sleep 0.1
  done
  fail "WAL segment $segment was not archived within 60 s"
}

field() { jq -r "$1"; }

# Bookings on distinct slots: day offset (3+ days ahead, so no reminder fires during the drill)
# and a local time; America/New_York offsets per date.
slot() { # slot DAYS HH:MM -> instant with offset
  local day
  day=$(date -u -d "today + $1 days" +%F)
  echo "${day}T$2:00$(TZ=America/New_York date -d "$day 12:00" +%:z)"
}

create_clinic() { # create_clinic ID -> provider id
  api POST /api/clinics 201 "{\"id\":\"$1\",\"name\":\"PITR drill $1\",\"timeZone\":\"America/New_York\",\"appointmentTypes\":[{\"name\":\"checkup\",\"durationMinutes\":30,\"bufferMinutes\":0}],\"policy\":{\"minimumNoticeMinutes\":0,\"maximumHorizonDays\":365,\"cancellationCutoffMinutes\":0,\"slotIntervalMinutes\":15}}" >/dev/null
  local hours
  hours=$(for d in monday tuesday wednesday thursday friday saturday sunday; do printf '{"day":"%s","start":"08:00:00","end":"18:00:00"},' $d; done)
  api POST "/api/clinics/$1/providers" 201 "{\"name\":\"Drill Provider\",\"specialty\":\"family medicine\",\"workingHours\":[${hours%,}],\"timeOff\":[]}" | field .id
}

register() { # register CLINIC MRN -> patient id
  api POST "/api/clinics/$1/patients" 201 "{\"mrn\":\"$2\",\"givenName\":\"Drill\",\"familyName\":\"Patient$2\",\"birthDate\":\"1980-01-01\",\"sex\":\"other\"}" | field .id
}

book() { # book CLINIC PATIENT PROVIDER START -> appointment id
  api POST "/api/clinics/$1/appointments" 201 "{\"patientId\":\"$2\",\"providerId\":\"$3\",\"appointmentType\":\"checkup\",\"start\":\"$4\",\"reason\":\"pitr drill\"}" | field .id
}

# ---------------------------------------------------------------------------------------------
step "build and start a durable, archiving server on $PITR_PGPORT"
STACK_NO_BUILD=${DRILL_NO_BUILD:-0} stack_build Debug
"$server" destroy >/dev/null
"$server" start
eval "$("$server" env)"
primary_owner=$CLINIC_PG_OWNER
primary_app=$CLINIC_PG_APP
stack_use_database "$primary_owner" "$primary_app"
stack_keys "$PITR_ROOT/app-keys"
stack_migrate >"$drill_out/migrate.log"

silo_port=$(free_port)
gateway_port=$(free_port)
api_port=$(free_port)
api_base=http://127.0.0.1:$api_port
step "start a silo and the API"
start_app silo api
token=$(stack_dev_token --clinic '*' --role admin --subject backup-drill)

# Records by phase: "kind clinic id [expected status start]" lines, checked after the restore.
before=$drill_out/before-T.txt
after=$drill_out/after-T.txt
: >"$before"
: >"$after"

step "phase A: clinic, provider, patients, appointments"
prv_a=$(create_clinic pitr-a)
echo "clinic pitr-a" >>"$before"
for i in 1 2 3; do
  p=$(register pitr-a "A-$i")
  a=$(book pitr-a "$p" "$prv_a" "$(slot 3 "$(printf %02d $((8 + i))):00")")
  echo "patient pitr-a $p" >>"$before"
  echo "appointment pitr-a $a" >>"$before"
done
appointment_a1=$(awk '$1 == "appointment" { print $3; exit }' "$before")

step "full backup (repo1, then the offsite repo2)"
started=$(now_seconds)
scripts/backup/db-backup.sh physical full >"$drill_out/backup-full.log"
measure "full backup repo1 (s)" "$(elapsed_since "$started")"
started=$(now_seconds)
scripts/backup/db-backup.sh physical full --repo 2 >"$drill_out/backup-full-repo2.log"
measure "full backup repo2 (s)" "$(elapsed_since "$started")"

step "phase B: another clinic, more patients and bookings, a reschedule; diff and incr backups"
prv_b=$(create_clinic pitr-b)
echo "clinic pitr-b" >>"$before"
for i in 1 2; do
  p=$(register pitr-b "B-$i")
  a=$(book pitr-b "$p" "$prv_b" "$(slot 4 "1$i":00)")
  echo "patient pitr-b $p" >>"$before"
  echo "appointment pitr-b $a" >>"$before"
done
started=$(now_seconds)
scripts/backup/db-backup.sh physical diff >"$drill_out/backup-diff.log"
measure "differential backup (s)" "$(elapsed_since "$started")"
for i in 4 5; do
  p=$(register pitr-a "A-$i")
  a=$(book pitr-a "$p" "$prv_a" "$(slot 5 "1$i":00)")
  echo "patient pitr-a $p" >>"$before"
  echo "appointment pitr-a $a" >>"$before"
done
moved_start=$(slot 6 13:30)
api POST "/api/clinics/pitr-a/appointments/$appointment_a1/reschedule" 200 "{\"start\":\"$moved_start\"}" >/dev/null
started=$(now_seconds)
scripts/backup/db-backup.sh physical incr >"$drill_out/backup-incr.log"
measure "incremental backup (s)" "$(elapsed_since "$started")"
# One more write after the last backup: the restore must replay WAL to get it.
p=$(register pitr-b "B-3")
echo "patient pitr-b $p" >>"$before"
appointment_b3=$(book pitr-b "$p" "$prv_b" "$(slot 4 15:00)")
echo "appointment pitr-b $appointment_b3" >>"$before"

step "note the recovery target T (audit queue drained, WAL switched)"
wait_audit_drained "$PITR_PGPORT"
sleep 1
measure "WAL archive lag, switch to archived (s)" "$(switch_and_time "$PITR_PGPORT")"
target_and_snapshot=$("$server" psql -d clinic -At -c "BEGIN ISOLATION LEVEL REPEATABLE READ" \
  -c "SELECT 'T ' || clock_timestamp()" -c "$snapshot_sql" -c "COMMIT")
target=$(sed -n 's/^T //p' <<<"$target_and_snapshot")
grep -v '^T ' <<<"$target_and_snapshot" >"$drill_out/snapshot-at-T.txt"
echo "pitr-drill: T = $target"
sleep 1.5

step "phase C, after T: must not survive the restore"
p=$(register pitr-a "C-1")
echo "patient pitr-a $p" >>"$after"
a=$(book pitr-a "$p" "$prv_a" "$(slot 7 09:00)")
echo "appointment pitr-a $a" >>"$after"
prv_c=$(create_clinic pitr-c)
echo "clinic pitr-c" >>"$after"
p=$(register pitr-c "C-2")
echo "patient pitr-c $p" >>"$after"
echo "appointment pitr-c $(book pitr-c "$p" "$prv_c" "$(slot 7 10:00)")" >>"$after"
api POST "/api/clinics/pitr-b/appointments/$appointment_b3/cancel" 200 '{"reason":"after T"}' >/dev/null
api POST "/api/clinics/pitr-a/appointments/$appointment_a1/reschedule" 200 "{\"start\":\"$(slot 8 16:00)\"}" >/dev/null
wait_audit_drained "$PITR_PGPORT"
measure "WAL archive lag after phase C (s)" "$(switch_and_time "$PITR_PGPORT")"

step "stop the cluster and the server (the disaster)"
stack_stop_hosts
"$server" stop

step "restore to T into a new data directory, start it on $restored_port"
restored_data=$PITR_ROOT/pg-$restored_port/data
rto_started=$(now_seconds)
scripts/backup/db-restore.sh physical --pg-data "$restored_data" --target-time "$target" | tee "$drill_out/restore.log"
measure "pgBackRest restore (s)" "$(elapsed_since "$rto_started")"
started=$(now_seconds)
"$server" start --port "$restored_port"
measure "WAL replay to T and promotion (s)" "$(elapsed_since "$started")"
grep -E 'recovery stopping|selected new timeline|archive recovery complete' "$PITR_ROOT/pg-$restored_port/server.log" || true

step "assert: the database at T, exactly"
"$server" psql --port "$restored_port" -d clinic -At -c "$snapshot_sql" >"$drill_out/snapshot-restored.txt"
if ! diff -u "$drill_out/snapshot-at-T.txt" "$drill_out/snapshot-restored.txt"; then
  fail "the restored database differs from the snapshot at T"
fi
echo "pitr-drill: $(wc -l <"$drill_out/snapshot-at-T.txt") snapshot lines identical (counts and row checksums):"
grep -v ' md5 ' "$drill_out/snapshot-at-T.txt" | paste -sd ';' | sed 's/;/; /g; s/^/pitr-drill:   /'

eval "$("$server" env --port "$restored_port")"
stack_use_database "$CLINIC_PG_OWNER" "$CLINIC_PG_APP"
step "start a silo and the API on the restored database"
started=$(now_seconds)
# The same ports as before the disaster (start_app says why).
start_app silo-restored api-restored
measure "restored cluster ready (s)" "$(elapsed_since "$started")"
measure "RTO: restore start to serving API (s)" "$(elapsed_since "$rto_started")"

step "assert through the API: phase A/B present as at T, phase C absent"
checked=0
while read -r kind clinic id; do
  case $kind in
    clinic) api GET "/api/clinics/$clinic" 200 >/dev/null ;;
    patient)
      api GET "/api/clinics/$clinic/patients/$id" 200 >/dev/null
      api GET "/api/clinics/$clinic/patients/$id/appointments" 200 | jq -e 'if type == "array" then length else (.items // .appointments | length) end >= 1' >/dev/null ||
        fail "patient $id has lost its appointments"
      ;;
    appointment) [ "$(api GET "/api/clinics/$clinic/appointments/$id" 200 | field .status)" = booked ] || fail "appointment $id is not booked" ;;
  esac
  checked=$((checked + 1))
done <"$before"
# The appointment moved before T and again after it is back at its first move; the one cancelled after T is booked.
restored_start=$(api GET "/api/clinics/pitr-a/appointments/$appointment_a1" 200 | field .start)
[ "$(date -u -d "$restored_start" +%s)" = "$(date -u -d "$moved_start" +%s)" ] || fail "appointment $appointment_a1 starts at $restored_start, expected $moved_start (its state at T)"
while read -r kind clinic id; do
  case $kind in
    clinic) api GET "/api/clinics/$clinic" 404 >/dev/null ;;
    patient) api GET "/api/clinics/$clinic/patients/$id" 404 >/dev/null ;;
    appointment) [ "$clinic" = pitr-c ] || api GET "/api/clinics/$clinic/appointments/$id" 404 >/dev/null ;;
  esac
  checked=$((checked + 1))
done <"$after"
echo "pitr-drill: $checked API checks passed ($(wc -l <"$before") records before T present, $(wc -l <"$after") after T absent)"

step "the restored cluster takes new bookings (the slot booked after T is free again)"
p=$(register pitr-a "R-1")
book pitr-a "$p" "$prv_a" "$(slot 7 09:00)" >/dev/null

step "audit verify for every clinic"
wait_audit_drained "$restored_port"
clinics=$(superuser_sql "$restored_port" "SELECT string_agg(DISTINCT clinic_id, ' ') FROM audit.events")
verify_args=()
for c in $clinics; do verify_args+=(--clinic "$c"); done
stack_silo_command audit verify "${verify_args[@]}" | tee "$drill_out/audit-verify.txt"

stack_stop_hosts

step "logical round trip on the restored database"
PITR_PORT=$restored_port scripts/backup/logical-roundtrip.sh | tee "$drill_out/logical.log"

echo
echo "pitr-drill: measurements (also in $measurements)"
cat "$measurements"
du -sh "$PITR_ROOT/repo1" "$PITR_ROOT/repo2" | sed 's/^/pitr-drill: repository size /'
measure "database size (MB)" "$(superuser_sql "$restored_port" "SELECT round(pg_database_size('clinic') / 1048576.0, 1)")"
