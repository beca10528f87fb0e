#!/usr/bin/env bash
# The stack as every script starts it (bench, registration bench, drills, soak, backup drills,
# run-local): PostgreSQL, migrate, key rings, N silos and the API, as real processes on this
# machine. Source it after scripts/lib.sh, from the repository root; it defines functions and the
# stack_* variables below. The hosts' configuration lives here only, so that a new setting is one
# edit (docs/decisions/0034-one-stack-library-for-scripts.md).
#
#   stack_build CONFIGURATION [FOLDER]   the silo and the API (and the load tool, with FOLDER)
#                                        into FOLDER/<Name>, or in place (src/*/bin) without it;
#                                        STACK_NO_BUILD=1 reuses binaries that are already there
#   stack_postgres_start PREFIX          scripts/postgres.sh on PGPORT_CLINIC and a fresh database
#                                        PREFIX_<unix time>; stack_use_database OWNER APP [API] names
#                                        another server's (pitr-server.sh's) connection strings
#   stack_migrate                        the silo's `migrate` as the schema owner
#   stack_keys FOLDER                    the PHI key ring and the audit chain keys
#   stack_silo_start NAME [options] [VAR=VALUE...]   one silo (not waited for: stack_wait NAME...)
#   stack_api_start NAME [options] [VAR=VALUE...]    the API, waited for
#   stack_silo_command ARGS / stack_dev_token ARGS   the silo's one-shot commands, the API's dev-token
#   stack_stop                           SIGTERM to every host, wait, drop the database
#   stack_durable_on / stack_durable_reset   fsync, synchronous_commit, full_page_writes on (and max_wal_size) in the
#                                        private server for a run, and back to its own settings
#   stack_pgbench_ceiling OUT CONNECTIONS SECONDS   the durable-write ceiling: pgbench upserts on the
#                                        stack's database, tps on stdout, pgbench's report in OUT
#
# Each host runs from its bin folder (its content root: appsettings.json, as in the images) with
# its log in STACK_OUT/<name>.log; every listener takes a free_port unless given. Without a
# database (stack_postgres_start or stack_use_database) the hosts run on the embedded default
# (localhost clustering, in-memory storage). Settings:
#   STACK_OUT            logs and key rings (required)
#   STACK_LOAD=1         a load tool drives the stack from one address: edge rate limits off, the
#                        per-address connection cap raised, warnings only in the logs
#   STACK_SIGNING_KEY    the development signing key of the API and dev-token (a fixed test key;
#                        empty: the API's own configuration, run-local's user secret)
#   STACK_READY_SECONDS  how long a host may take to become ready (180)

stack_cluster_id=stack-$$
stack_database=""
stack_owner_cs=""
stack_app_cs=""
stack_api_cs=""
stack_pg_ca=""
stack_key_env=()
stack_pids=()
: "${STACK_SIGNING_KEY=stack-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz}"

stack_build() {
  local configuration=$1 folder=${2:-} project name
  local -a projects=(Silo Api)
  if [ -n "$folder" ]; then
    projects+=(LoadGen)
    stack_silo_dll=$folder/Silo/ClinicCluster.Silo.dll
    stack_api_dll=$folder/Api/ClinicCluster.Api.dll
    stack_loadgen_dll=$folder/LoadGen/ClinicCluster.LoadGen.dll
  else
    stack_silo_dll=src/Silo/bin/$configuration/net10.0/ClinicCluster.Silo.dll
    stack_api_dll=src/Api/bin/$configuration/net10.0/ClinicCluster.Api.dll
  fi
  if [ "${STACK_NO_BUILD:-0}" = 1 ] && [ -f "$stack_silo_dll" ] && [ -f "$stack_api_dll" ] && [ -f "${stack_loadgen_dll:-$stack_api_dll}" ]; then
    return 0
  fi
  echo "Building $configuration..."
  for name in "${projects[@]}"; do
    project=src/$name/$name.csproj
    [ "$name" = LoadGen ] && project=tools/LoadGen/LoadGen.csproj
    dotnet build "$project" -c "$configuration" --nologo -v quiet ${folder:+-o "$folder/$name"} >/dev/null
  done
}

# psql_owner ARGS: psql as the schema owner on PGPORT_CLINIC's server, unaligned, tuples only.
psql_owner() {
  PGPASSWORD=${CLINIC_PG_OWNER_PASSWORD:-clinic-owner-dev} psql -X -q -t -A -h 127.0.0.1 -p "${PGPORT_CLINIC:-55432}" -U clinic_owner "$@"
}

# psql_super ARGS: psql as the bootstrap superuser over that server's private socket (ALTER SYSTEM).
psql_super() {
  as_server_user "$(pg_bin)/psql" -X -q -t -A -h "/tmp/clinic-pg-${PGPORT_CLINIC:-55432}/socket" \
    -p "${PGPORT_CLINIC:-55432}" -U "$(server_user)" -d postgres "$@"
}

# stack_durable_on: production's commit settings (fsync, synchronous_commit, full_page_writes on) in
# the private server of scripts/postgres.sh, which runs without them, and production's checkpoint
# spacing: max_wal_size (docs/operations/postgresql.md) large enough that checkpoints come from
# checkpoint_timeout, not from WAL volume (with 1GB, the 100x run checkpointed every 20-60 s, each
# followed by a storm of full-page images); stack_durable_reset (in the caller's exit trap) gives
# the server back its own settings. Both reload, no restart.
stack_durable_on() {
  psql_super -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" \
    -c "ALTER SYSTEM SET max_wal_size = '${STACK_MAX_WAL_SIZE:-8GB}'" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
}

stack_durable_reset() {
  psql_super -c "ALTER SYSTEM RESET fsync" -c "ALTER SYSTEM RESET synchronous_commit" -c "ALTER SYSTEM RESET full_page_writes" \
    -c "ALTER SYSTEM RESET max_wal_size" -c "SELECT pg_reload_conf()" >/dev/null || true
}

# stack_durable_settings: those settings as the server has them now (for the run's output).
stack_durable_settings() {
  psql_owner -d clinic -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'max_wal_size', 'checkpoint_timeout')"
}

# stack_pgbench_ceiling OUT CONNECTIONS SECONDS: what PostgreSQL itself commits per second here, a
# one-row upsert per transaction on the stack's database (table public.bench_upsert), with the
# server's current settings; prints the tps, keeps pgbench's output in OUT.
stack_pgbench_ceiling() {
  local report=$1 connections=$2 seconds=$3 script
  script=$(mktemp)
  psql_owner -d "$stack_database" -c "CREATE TABLE IF NOT EXISTS public.bench_upsert (k integer PRIMARY KEY, v bigint NOT NULL)"
  cat >"$script" <<'SQL'
\set k random(1, 100000)
INSERT INTO public.bench_upsert (k, v) VALUES (:k, 1) ON CONFLICT (k) DO UPDATE SET v = bench_upsert.v + 1;
SQL
  PGPASSWORD=${CLINIC_PG_OWNER_PASSWORD:-clinic-owner-dev} pgbench -n -h 127.0.0.1 -p "${PGPORT_CLINIC:-55432}" -U clinic_owner \
    -c "$connections" -j 2 -T "$seconds" -f "$script" "$stack_database" >"$report" 2>&1
  rm -f "$script"
  sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$report" | head -n 1
}

stack_postgres_start() {
  scripts/postgres.sh start >/dev/null
  eval "$(scripts/postgres.sh env)"
  stack_database=${1}_$(date +%s)
  psql_owner -d clinic -c "CREATE DATABASE $stack_database"
  stack_use_database "${CLINIC_PG_OWNER/Database=clinic/Database=$stack_database}" \
    "${CLINIC_PG_APP/Database=clinic/Database=$stack_database}" "${CLINIC_PG_API/Database=clinic/Database=$stack_database}"
  stack_pg_ca=$CLINIC_PG_CA
}

# stack_use_database OWNER APP [API]: the hosts' connection strings (the API uses APP without API).
stack_use_database() {
  stack_owner_cs=$1 stack_app_cs=$2 stack_api_cs=${3:-$2}
}

# The key rings a Secret mounts in production (the silo refuses durable storage without them). A
# restored database is only readable with the ring it was written with: reuse the folder then.
stack_keys() {
  local folder
  mkdir -p "$1"
  folder=$(cd "$1" && pwd)
  key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
  (
    umask 077
    printf '{"activeKeyId":"phi-1","keys":{"phi-1":"%s"},"indexKey":"%s"}\n' "$(key)" "$(key)" >"$folder/phi-key-ring.json"
    printf '{"activeKeyId":"chain-1","keys":{"chain-1":"%s"}}\n' "$(key)" >"$folder/audit-chain-keys.json"
  )
  stack_key_env=("Encryption__KeyRingFile=$folder/phi-key-ring.json" "Audit__ChainKeyFile=$folder/audit-chain-keys.json")
}

# The settings both hosts take from the stack: environment, database, cluster, load.
stack_common_env() {
  local -n into=$1
  into=(DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development)
  if [ -n "$stack_app_cs" ]; then
    # One machine: no mutual TLS between the processes (Security.Tests proves it).
    into+=(ClusterTls__Enabled=false)
    [ -z "$stack_pg_ca" ] || into+=(Postgres__SslMode=VerifyCA "Postgres__RootCertificateFile=$stack_pg_ca")
  fi
  [ "${STACK_LOAD:-0}" != 1 ] || into+=(RateLimits__Enabled=false Connections__MaxConnectionsPerAddress=100000 Logging__LogLevel__Default=Warning)
}

# stack_run NAME DLL VAR=VALUE... [-- PREFIX...]: starts DLL from its bin folder in the background
# with those settings (PREFIX: a command to run it under, e.g. ip netns exec NS); the process is
# dotnet itself (exec all the way down), so its PID is the host's.
stack_run() {
  local name=$1 dll=$2 log=$STACK_OUT/$1.log
  shift 2
  local -a vars=() prefix=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
  [ $# = 0 ] || { shift; prefix=("$@"); }
  (cd "${dll%/*}" && exec env "${vars[@]}" "${prefix[@]}" dotnet "${dll##*/}") >"$log" 2>&1 &
  stack_pids+=($!)
  name=${name//[^[:alnum:]_]/_}
  printf -v "stack_pid_$name" '%s' "$!"
  printf -v "stack_log_$name" '%s' "$log"
}

# stack_silo_start NAME [--address IP] [--netns NS] [--pg-host HOST] [--http PORT] [VAR=VALUE...]:
# one silo advertising IP (127.0.0.1), its probes on the management port (--http, or free),
# optionally inside network namespace NS reaching PostgreSQL at HOST. Sets stack_pid_NAME and
# stack_http_NAME (NAME with every other character than letters, digits and _ as _).
stack_silo_start() {
  local name=$1 address=127.0.0.1 netns="" pg_host=127.0.0.1 http="" cs var
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --address) address=$2; shift 2 ;;
      --netns) netns=$2; shift 2 ;;
      --pg-host) pg_host=$2; shift 2 ;;
      --http) http=$2; shift 2 ;;
      *) break ;;
    esac
  done
  [ -n "$http" ] || http=$(free_port)
  local -a env
  stack_common_env env
  # Without its own Urls the silo listens on the management port only (probes, metrics, dashboard).
  env+=("Management__Port=$http" "Management__BindAddress=$address" "Silo__AdvertisedIPAddress=$address"
    "Silo__SiloPort=$(free_port)" "Silo__GatewayPort=$(free_port)")
  if [ -n "$stack_app_cs" ]; then
    cs=${stack_app_cs/Host=127.0.0.1/Host=$pg_host}
    env+=(Silo__Clustering=AdoNet Silo__Storage=Postgres "Silo__ClusterId=$stack_cluster_id" "Postgres__ConnectionString=$cs")
  fi
  env+=("${stack_key_env[@]}" "$@")
  stack_run "$name" "$stack_silo_dll" "${env[@]}" ${netns:+-- ip netns exec "$netns"}
  var=${name//[^[:alnum:]_]/_}
  printf -v "stack_http_$var" '%s' "$http"
  printf -v "stack_address_$var" '%s' "$address"
}

# stack_pid NAME: the PID of the host started as NAME.
stack_pid() {
  local var=stack_pid_${1//[^[:alnum:]_]/_}
  echo "${!var}"
}

# stack_wait NAME...: each host answers /health/ready, or the script fails with its log's tail.
stack_wait() {
  local name var http address pid log
  for name in "$@"; do
    var=${name//[^[:alnum:]_]/_}
    http=stack_http_$var address=stack_address_$var pid=stack_pid_$var log=stack_log_$var
    wait_ready "$name" "${!address}" "${!http}" /health/ready "${STACK_READY_SECONDS:-180}" "${!pid}" "${!log}" ||
      die "$name did not become ready; log: ${!log}"
  done
}

# stack_api_start NAME [--port PORT] [--management PORT] [VAR=VALUE...]: the API on
# 127.0.0.1:PORT (free unless given), its probes and metrics on the management port, a client of
# the cluster in the membership table; waits until it is ready. Sets stack_api_port,
# stack_api_url, stack_api_pid.
stack_api_start() {
  local name=$1 port="" management=""
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --port) port=$2; shift 2 ;;
      --management) management=$2; shift 2 ;;
      *) break ;;
    esac
  done
  [ -n "$port" ] || port=$(free_port)
  [ -n "$management" ] || management=$(free_port)
  local -a env
  stack_common_env env
  env+=("Urls=http://127.0.0.1:$port" "Management__Port=$management")
  if [ -n "$stack_app_cs" ]; then
    env+=(Cluster__Clustering=AdoNet "Cluster__ClusterId=$stack_cluster_id" "Postgres__ConnectionString=$stack_api_cs")
  fi
  [ -z "$STACK_SIGNING_KEY" ] || env+=("Auth__DevSigningKey=$STACK_SIGNING_KEY")
  env+=("${stack_key_env[@]}" "$@")
  stack_run "$name" "$stack_api_dll" "${env[@]}"
  local var=${name//[^[:alnum:]_]/_}
  printf -v "stack_http_$var" '%s' "$management"
  printf -v "stack_address_$var" '%s' 127.0.0.1
  # shellcheck disable=SC2034 # read by the scripts that source this file
  stack_api_port=$port stack_api_url=http://127.0.0.1:$port stack_api_pid=$(stack_pid "$name")
  stack_wait "$name"
}

# stack_silo_command ARGS: a one-shot silo command (migrate, audit verify, reconcile, encryption
# ...) on the stack's database as its runtime role, with the key rings; Postgres__ConnectionString
# in the caller's environment overrides the role.
stack_silo_command() {
  local -a env
  stack_common_env env
  [ -z "$stack_app_cs" ] || env+=("Postgres__ConnectionString=${Postgres__ConnectionString:-$stack_app_cs}")
  (cd "${stack_silo_dll%/*}" && exec env "${env[@]}" "${stack_key_env[@]}" dotnet "${stack_silo_dll##*/}" "$@")
}

stack_migrate() {
  Postgres__ConnectionString=$stack_owner_cs stack_silo_command migrate
}

# stack_dev_token ARGS: the API's dev-token with the stack's signing key.
stack_dev_token() {
  local -a env
  stack_common_env env
  [ -z "$STACK_SIGNING_KEY" ] || env+=("Auth__DevSigningKey=$STACK_SIGNING_KEY")
  (cd "${stack_api_dll%/*}" && exec env "${env[@]}" dotnet "${stack_api_dll##*/}" dev-token "$@")
}

# stack_stop_hosts: SIGTERM to every host started here, then wait for each to leave.
stack_stop_hosts() {
  local pid
  for pid in "${stack_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${stack_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stack_pids=()
}

# stack_stop: the hosts, then the database stack_postgres_start made (the server keeps running).
stack_stop() {
  stack_stop_hosts
  [ -z "$stack_database" ] || psql_owner -d clinic -c "DROP DATABASE IF EXISTS $stack_database WITH (FORCE)" 2>/dev/null || true
}
