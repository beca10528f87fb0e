#!/usr/bin/env bash
# Shared by the resilience drills (scripts/drills/*.sh) and the soak (scripts/soak.sh): a private
# PostgreSQL server, Release builds, silos and the API as real processes. Source it after
# `set -euo pipefail` and `cd` to the repository; it defines functions and the variables below.
#
#   DRILL_PGPORT   the drill's own PostgreSQL server (55611); it is stopped and deleted at the end
#   DRILL_NO_BUILD 1 reuses the binaries in .tmp/drills/bin; DRILL_CONFIGURATION Release (default) or Debug
#   DRILL_OUT      results and logs (.tmp/drills/<name>)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

drill_bin=.tmp/drills/bin
drill_pids=()
drill_signing_key=drill-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz
export PGPORT_CLINIC=${DRILL_PGPORT:-55611}
pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
pg_data=/tmp/clinic-pg-$PGPORT_CLINIC/data

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "FAILED: $*" >&2; drill_died=1; exit 1; }
now() { date +%s.%N; }

drill_build() {
  mkdir -p "$drill_bin"
  [ "${DRILL_NO_BUILD:-0}" = 1 ] && [ -f "$drill_bin/LoadGen/ClinicCluster.LoadGen.dll" ] && return 0
  # CI passes Debug (just built by scripts/test.sh, so this is a copy); figures come from Release.
  local project name configuration=${DRILL_CONFIGURATION:-Release}
  log "building $configuration..."
  for project in src/Silo/Silo.csproj src/Api/Api.csproj tools/LoadGen/LoadGen.csproj; do
    name=$(basename "$project" .csproj)
    dotnet build "$project" -c "$configuration" --nologo -v quiet -o "$drill_bin/$name" >/dev/null
  done
}

# pg_server stop|start [MODE]: the drill server through pg_ctl, as its owner; start waits until it accepts.
pg_server() {
  case $1 in
    stop) runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m "$2" -w -t 60 stop >/dev/null ;;
    start) runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "/tmp/clinic-pg-$PGPORT_CLINIC/server.log" -w -t 60 start >/dev/null 9>&- ;;
  esac
}

psql_owner() { PGPASSWORD=${CLINIC_PG_OWNER_PASSWORD:-clinic-owner-dev} psql -X -q -t -A -h 127.0.0.1 -p "$PGPORT_CLINIC" -U clinic_owner "$@"; }
psql_db() { psql_owner -d "$drill_database" "$@"; }

# drill_start_postgres: the private server, durable commits, a fresh migrated database.
drill_start_postgres() {
  scripts/postgres.sh start >/dev/null
  eval "$(scripts/postgres.sh env)"
  # postgres.sh turns synchronous_commit off for speed; an immediate stop then loses commits the
  # server already acknowledged (they sit in WAL buffers), which is not the system under test.
  # fsync may stay off: the drills kill the server, not the machine, so the page cache survives.
  runuser -u postgres -- "$pg_bin/psql" -X -q -h "/tmp/clinic-pg-$PGPORT_CLINIC/socket" -p "$PGPORT_CLINIC" -d postgres \
    -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
  drill_database=clinic_drill_$(date +%s)
  psql_owner -d clinic -c "CREATE DATABASE $drill_database"
  drill_owner_cs="${CLINIC_PG_OWNER/Database=clinic/Database=$drill_database}"
  drill_app_cs="${CLINIC_PG_APP/Database=clinic/Database=$drill_database}"
  drill_api_cs="${CLINIC_PG_API/Database=clinic/Database=$drill_database}"
  Postgres__ConnectionString="$drill_owner_cs" dotnet "$drill_bin/Silo/ClinicCluster.Silo.dll" migrate >/dev/null
  key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
  (
    umask 077
    printf '{"activeKeyId":"drill-1","keys":{"drill-1":"%s"},"indexKey":"%s"}\n' "$(key)" "$(key)" >"$DRILL_OUT/phi-key-ring.json"
    printf '{"activeKeyId":"chain-1","keys":{"chain-1":"%s"}}\n' "$(key)" >"$DRILL_OUT/audit-chain-keys.json"
  )
}

drill_stop() {
  local status=$? pid
  trap - EXIT INT TERM
  # A command that ended the drill through set -e, not through die, is named here (on stderr: the
  # failing command's own output may have been redirected to a file).
  if [ "$status" != 0 ] && [ "${drill_died:-0}" != 1 ]; then log "FAILED: exit $status at: $BASH_COMMAND" >&2; fi
  # A function run with & is a subshell: its children (the load tool) go first, by parent id.
  for pid in "${drill_pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${DRILL_KEEP_POSTGRES:-0}" = 1 ] || scripts/postgres.sh stop >/dev/null 2>&1 || true
  declare -F drill_cleanup >/dev/null && drill_cleanup
  return 0
}

export ClusterTls__Enabled=false RateLimits__Enabled=false Connections__MaxConnectionsPerAddress=100000 DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
export Logging__LogLevel__Default=Warning
drill_cluster_id=drill-$$
# Failures are found in seconds, as in the cluster tests' FastMembership.
drill_membership=(Silo__Membership__ProbeTimeout=00:00:02 Silo__Membership__NumMissedProbesLimit=2
  Silo__Membership__IAmAliveTablePublishTimeout=00:00:05 Silo__Membership__TableRefreshTimeout=00:00:05
  Logging__LogLevel__Orleans.Runtime.MembershipService=Information)

# drill_start_silo NAME [ADVERTISED_IP [NETNS [PG_HOST]]]: starts a silo, sets silo_pid and silo_http_<NAME>.
drill_start_silo() {
  local name=$1 address=${2:-127.0.0.1} netns=${3:-} pg_host=${4:-127.0.0.1}
  local http port gateway cs=$drill_app_cs
  http=$(free_port); port=$(free_port); gateway=$(free_port)
  cs=${cs/Host=127.0.0.1/Host=$pg_host}
  local -a run=()
  [ -n "$netns" ] && run=(ip netns exec "$netns")
  env Urls="http://$address:$http" Silo__SiloPort="$port" Silo__GatewayPort="$gateway" Silo__AdvertisedIPAddress="$address" \
    Silo__Clustering=AdoNet Silo__Storage=Postgres Silo__ClusterId="$drill_cluster_id" Postgres__ConnectionString="$cs" \
    Postgres__SslMode=VerifyCA Postgres__RootCertificateFile="$CLINIC_PG_CA" Silo__ShutdownTimeout=00:00:10 \
    Encryption__KeyRingFile="$DRILL_OUT/phi-key-ring.json" Audit__ChainKeyFile="$DRILL_OUT/audit-chain-keys.json" \
    "${drill_membership[@]}" \
    "${run[@]}" dotnet "$drill_bin/Silo/ClinicCluster.Silo.dll" >"$DRILL_OUT/$name.log" 2>&1 &
  silo_pid=$!
  drill_pids+=("$silo_pid")
  printf -v "silo_http_$name" '%s' "$http"
  printf -v "silo_address_$name" '%s' "$address"
  printf -v "silo_pid_$name" '%s' "$silo_pid"
}

drill_wait_silo() {
  local name=$1 http address pid
  http=silo_http_$name; address=silo_address_$name; pid=silo_pid_$name
  wait_ready "$name" "${!address}" "${!http}" /health/ready 120 "${!pid}" "$DRILL_OUT/$name.log"
}

drill_start_api() {
  api_port=$(free_port)
  Urls="http://127.0.0.1:$api_port" Cluster__Clustering=AdoNet Cluster__ClusterId="$drill_cluster_id" \
    Postgres__ConnectionString="$drill_api_cs" Auth__DevSigningKey=$drill_signing_key \
    dotnet "$drill_bin/Api/ClinicCluster.Api.dll" >"$DRILL_OUT/api.log" 2>&1 &
  api_pid=$!
  drill_pids+=("$api_pid")
  wait_ready api 127.0.0.1 "$api_port" /health/ready 120 "$api_pid" "$DRILL_OUT/api.log"
}

loadgen() {
  dotnet "$drill_bin/LoadGen/ClinicCluster.LoadGen.dll" "$1" --url "http://127.0.0.1:$api_port" --signing-key "$drill_signing_key" "${@:2}"
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
