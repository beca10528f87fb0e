#!/usr/bin/env bash
# Helpers of the backup drills for the application side: built binaries, free ports, one silo and
# the API on a given database, and curl calls with a development token. Source it after lib.sh.
# Kept apart from the drills so that a change of the hosts' settings is one edit here.
# The hosts run from their bin folders (their content root: appsettings.Development.json).

silo_dll=src/Silo/bin/Debug/net10.0/ClinicCluster.Silo.dll
api_dll=src/Api/bin/Debug/net10.0/ClinicCluster.Api.dll

build_app() {
  if [ "${DRILL_NO_BUILD:-0}" = 1 ] && [ -f "$silo_dll" ] && [ -f "$api_dll" ]; then
    return
  fi
  dotnet build src/Silo/Silo.csproj --nologo -v quiet >/dev/null
  dotnet build src/Api/Api.csproj --nologo -v quiet >/dev/null
}

# free_port and wait_ready come from scripts/lib.sh (sourced first). Health answers on the
# management port only (Management:Port), so that is the port waited on.
app_pids=()

# write_key_rings FOLDER: the PHI key ring (Encryption:KeyRingFile) and the audit chain keys
# (Audit:ChainKeyFile) the hosts mount from Secrets in production. A restored database is only
# readable with the key ring it was written with, so the drill gives the restored cluster the same
# files. Sets app_key_env for start_silo, start_api and the silo's commands.
write_key_rings() {
  local folder=$1 key
  key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
  (
    umask 077
    printf '{"activeKeyId":"drill-1","keys":{"drill-1":"%s"},"indexKey":"%s"}\n' "$(key)" "$(key)" >"$folder/phi-key-ring.json"
    printf '{"activeKeyId":"chain-1","keys":{"chain-1":"%s"}}\n' "$(key)" >"$folder/audit-chain-keys.json"
  )
  app_key_env=("Encryption__KeyRingFile=$folder/phi-key-ring.json" "Audit__ChainKeyFile=$folder/audit-chain-keys.json")
}
app_key_env=()

# silo_command ARGS...: a one-shot silo command (migrate, audit verify) with the key rings.
silo_command() {
  env "${app_key_env[@]}" dotnet "$silo_dll" "$@"
}

# start_silo NAME CONNECTION SILO_PORT GATEWAY_PORT LOG: one silo, ADO.NET clustering, PostgreSQL storage.
start_silo() {
  local name=$1 connection=$2 silo_port=$3 gateway_port=$4 log=$5 http mgmt
  http=$(free_port)
  mgmt=$(free_port)
  # shellcheck disable=SC2016 # the inner shell expands $1
  env DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
    Urls="http://127.0.0.1:$http" Management__Port="$mgmt" \
    Silo__Clustering=AdoNet Silo__Storage=Postgres Postgres__ConnectionString="$connection" ClusterTls__Enabled=false \
    Silo__SiloPort="$silo_port" Silo__GatewayPort="$gateway_port" Silo__AdvertisedIPAddress=127.0.0.1 \
    "${app_key_env[@]}" ${DRILL_APP_ENV:+$DRILL_APP_ENV} \
    bash -c 'cd "$(dirname "$1")" && exec dotnet "$(basename "$1")"' silo "$silo_dll" >>"$log" 2>&1 &
  app_pids+=($!)
  wait_ready "$name" 127.0.0.1 "$mgmt" /health/ready 180 $! "$log" || backup_die "$name did not start; log: $log"
}

# start_api CONNECTION PORT LOG: the API as a client of the cluster found in the membership table.
start_api() {
  local connection=$1 port=$2 log=$3 mgmt
  mgmt=$(free_port)
  # shellcheck disable=SC2016 # the inner shell expands $1
  env DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
    Urls="http://127.0.0.1:$port" Management__Port="$mgmt" \
    Cluster__Clustering=AdoNet Postgres__ConnectionString="$connection" ClusterTls__Enabled=false \
    "${app_key_env[@]}" ${DRILL_APP_ENV:+$DRILL_APP_ENV} \
    bash -c 'cd "$(dirname "$1")" && exec dotnet "$(basename "$1")"' api "$api_dll" >>"$log" 2>&1 &
  app_pids+=($!)
  wait_ready api 127.0.0.1 "$mgmt" /health/ready 180 $! "$log" || backup_die "api did not start; log: $log"
}

# SIGTERM to every host started here, then wait for them to leave.
stop_app() {
  local pid
  for pid in "${app_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${app_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  app_pids=()
}

dev_token() {
  (cd src/Api/bin/Debug/net10.0 && DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
    dotnet ClinicCluster.Api.dll dev-token --clinic '*' --role admin --subject backup-drill)
}

# api METHOD PATH EXPECTED [BODY] [IDEMPOTENCY_KEY]: prints the body; fails on another status.
# Needs api_base, token and a work folder (drill_out).
# shellcheck disable=SC2154 # api_base, token and drill_out belong to the calling drill
api() {
  local method=$1 path=$2 expected=$3 body=${4:-} key=${5:-} status
  for _ in 1 2 3 4 5 6; do
    status=$(curl -sS -o "$drill_out/body.json" -w '%{http_code}' -X "$method" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      ${key:+-H "Idempotency-Key: $key"} ${body:+-d "$body"} "$api_base$path")
    # 503: the cluster is still settling (a silo joining); 429: a rate limit. Else the answer.
    if { [ "$status" != 503 ] && [ "$status" != 429 ]; } || [ "$status" = "$expected" ]; then break; fi
    sleep 2
  done
  if [ "$status" != "$expected" ]; then
    echo "$method $path answered $status, expected $expected: $(head -c 400 "$drill_out/body.json")" >&2
    return 1
  fi
  cat "$drill_out/body.json"
}
