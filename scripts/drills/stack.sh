#!/usr/bin/env bash
# Shared by the resilience drills (scripts/drills/*.sh) and the soak (scripts/soak.sh): what the
# drills add to the stack of scripts/lib/stack.sh (a private PostgreSQL server with durable commits,
# Release builds, fast failure detection, the load tool). Source it after `set -euo pipefail` and
# `cd` to the repository; it defines functions and the variables below.
#
#   DRILL_PGPORT   the drill's own PostgreSQL server (55611); it is stopped and deleted at the end
#   DRILL_NO_BUILD 1 reuses the binaries in .tmp/drills/bin; DRILL_CONFIGURATION Release (default) or Debug
#   DRILL_OUT      results and logs (.tmp/drills/<name>)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

export PGPORT_CLINIC=${DRILL_PGPORT:-55611}
STACK_OUT=$DRILL_OUT STACK_LOAD=1 STACK_READY_SECONDS=120
drill_pids=()
pg_data=/tmp/clinic-pg-$PGPORT_CLINIC/data

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
now() { date +%s.%N; }

# CI passes Debug (just built by scripts/test.sh, so this is a copy); figures come from Release.
drill_build() {
  STACK_NO_BUILD=${DRILL_NO_BUILD:-0} stack_build "${DRILL_CONFIGURATION:-Release}" .tmp/drills/bin
}

# pg_server stop|start [MODE]: the drill server through pg_ctl, as its owner; start waits until it accepts.
pg_server() {
  case $1 in
    stop) as_server_user "$(pg_bin)/pg_ctl" -D "$pg_data" -m "$2" -w -t 60 stop >/dev/null ;;
    start) as_server_user "$(pg_bin)/pg_ctl" -D "$pg_data" -l "/tmp/clinic-pg-$PGPORT_CLINIC/server.log" -w -t 60 start >/dev/null 9>&- ;;
    restart) as_server_user "$(pg_bin)/pg_ctl" -D "$pg_data" -m fast -w restart -l "/tmp/clinic-pg-$PGPORT_CLINIC/server.log" >/dev/null 9>&- ;;
  esac
}

psql_db() { psql_owner -d "$stack_database" "$@"; }

# drill_start_postgres: the private server, durable commits, a fresh migrated database, key rings.
drill_start_postgres() {
  stack_postgres_start clinic_drill
  # postgres.sh turns synchronous_commit off for speed; an immediate stop then loses commits the
  # server already acknowledged (they sit in WAL buffers), which is not the system under test.
  # fsync may stay off: the drills kill the server, not the machine, so the page cache survives.
  psql_super -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
  stack_migrate >/dev/null
  stack_keys "$DRILL_OUT"
}

drill_stop() {
  local status=$? pid
  trap - EXIT INT TERM
  # A command that ended the drill through set -e, not through die, is named here (on stderr: the
  # failing command's own output may have been redirected to a file).
  if [ "$status" != 0 ] && [ "${died:-0}" != 1 ]; then log "FAILED: exit $status at: $BASH_COMMAND" >&2; fi
  # A function run with & is a subshell: its children (the load tool) go first, by parent id.
  for pid in "${drill_pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  stack_stop_hosts
  wait 2>/dev/null || true
  [ "${DRILL_KEEP_POSTGRES:-0}" = 1 ] || scripts/postgres.sh stop >/dev/null 2>&1 || true
  declare -F drill_cleanup >/dev/null && drill_cleanup
  return 0
}

# Failures are found in seconds, as in the cluster tests' FastMembership.
drill_membership=(Silo__Membership__ProbeTimeout=00:00:02 Silo__Membership__NumMissedProbesLimit=2
  Silo__Membership__IAmAliveTablePublishTimeout=00:00:05 Silo__Membership__TableRefreshTimeout=00:00:05
  Logging__LogLevel__Orleans.Runtime.MembershipService=Information Silo__ShutdownTimeout=00:00:10)

# drill_start_silo NAME [ADVERTISED_IP [NETNS [PG_HOST]]]: starts a silo (stack_silo_start).
drill_start_silo() {
  local -a where=(--address "${2:-127.0.0.1}" --pg-host "${4:-127.0.0.1}")
  [ -z "${3:-}" ] || where+=(--netns "$3")
  stack_silo_start "$1" "${where[@]}" "${drill_membership[@]}"
}

drill_wait_silo() { stack_wait "$@"; }

drill_start_api() { stack_api_start api; }

loadgen() {
  dotnet "$stack_loadgen_dll" "$1" --url "$stack_api_url" --signing-key "$STACK_SIGNING_KEY" "${@:2}"
}

# drill_check_acks FILE: every acknowledged booking is booked in the ledger and every acknowledged
# patient read has its success event in the audit trail (after the audit queue drained). Prints
# "bookings=N lostBookings=N reads=N lostReads=N" and fails when anything is lost.
drill_check_acks() {
  local acks=$1 deadline from
  from=$(date +%s)
  deadline=$((from + 120))
  while [ "$(psql_db -c 'SELECT count(*) FROM orleans.stream_messages')" != 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 1; done
  log "audit queue: $(psql_db -c 'SELECT count(*) FROM orleans.stream_messages') rows left after $(( $(date +%s) - from )) s of draining" >&2
  psql_db -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE acks (kind text, id text);
\\copy acks FROM '$acks' WITH (FORMAT text, DELIMITER ' ')
WITH reads AS (SELECT id, count(*) AS n FROM acks WHERE kind = 'read' GROUP BY id),
     audited AS (SELECT patient_id AS id, count(*) AS n FROM audit.events
                 WHERE operation = 'GetPatient' AND outcome = 'success' GROUP BY patient_id)
SELECT format('bookings=%s lostBookings=%s reads=%s lostReads=%s',
  (SELECT count(*) FROM acks WHERE kind = 'booking'),
  (SELECT count(*) FROM acks a WHERE kind = 'booking' AND NOT EXISTS (
     SELECT 1 FROM scheduling.appointment_ledger l WHERE l.appointment_id = a.id AND l.status = 'booked')),
  (SELECT coalesce(sum(n), 0) FROM reads),
  (SELECT coalesce(sum(greatest(r.n - coalesce(e.n, 0), 0)), 0) FROM reads r LEFT JOIN audited e USING (id)));
SQL
}
