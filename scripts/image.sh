#!/usr/bin/env bash
# Builds every image that compose.yaml and the Helm chart name, then runs the silo and API images
# for real: PostgreSQL, the migration, two silos and the API on a Docker network of their own
# (cluster mTLS, key ring, audit chain key, as the chart mounts them), then books an appointment
# through the API. Checks: no development settings in any image layer, the health endpoints
# answer, every process runs as a non-root user on a read-only root filesystem with no capabilities.
#   scripts/image.sh            build (local base-image stand-ins if no registry) and run
#   IMAGE_TAG=dev scripts/image.sh
#   BUILD_ONLY=1 scripts/image.sh
#   COMPOSE=1 scripts/image.sh  also runs compose.yaml (scripts/compose.sh check)
#   scripts/image.sh --list     print the image references it builds, one a line, and exit
#   IMAGE_BASES=0 ...           do not build local base-image stand-ins (a registry is reachable)
# Images and tags: clinic-cluster/{silo,api,pgbouncer,backup}:$IMAGE_TAG (compose.yaml,
# values-local.yaml) and $IMAGE_REGISTRY/{silo,api,pgbouncer,backup}:<chart appVersion> (the
# chart's defaults; IMAGE_REGISTRY defaults to the chart's ghcr.io/clinic-cluster), plus
# $EXTRA_TAG on the registry names when set (the deploy workflow's <version>-<sha>); the
# PostgreSQL and Prometheus images of compose.yaml come from scripts/image-bases.sh.
# Needs root and docker.io; starts dockerd itself if none runs (and stops it again). Slow the
# first time (base images, NuGet restore inside the build): see docs/operations/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

tag=${IMAGE_TAG:-dev}
registry=${IMAGE_REGISTRY:-ghcr.io/clinic-cluster}
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' deploy/helm/clinic-cluster/Chart.yaml)
work=.tmp/image
targets=(silo api pgbouncer backup)
refs() {
  local t
  for t in "${targets[@]}"; do
    printf 'clinic-cluster/%s:%s\n%s/%s:%s\n' "$t" "$tag" "$registry" "$t" "$app_version"
    [ -z "${EXTRA_TAG:-}" ] || printf '%s/%s:%s\n' "$registry" "$t" "$EXTRA_TAG"
  done
  printf 'clinic-cluster/postgres:15-local\nclinic-cluster/prometheus:local\n'
}
if [ "${1:-}" = --list ]; then refs; exit 0; fi
mkdir -p "$work"
run_id=clinic-image-$$
started_dockerd=""
log() { printf '== %s\n' "$*"; }

command -v docker >/dev/null || die "docker is missing (apt-get install docker.io)"
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || die "no Docker daemon and no dockerd to start"
  log "starting dockerd (log: $work/dockerd.log)"
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not start: $(tail -3 "$work/dockerd.log")"
fi

cleanup() {
  local status=$?
  if [ "$status" != 0 ] && docker ps -a --filter "label=$run_id" -q | grep -q .; then
    for c in $(docker ps -a --filter "label=$run_id" --format '{{.Names}}'); do
      echo "-- last log lines of $c" >&2
      docker logs --tail 15 "$c" 2>&1 | sed 's/^/   /' >&2 || true
    done
  fi
  docker ps -a --filter "label=$run_id" -q | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "$run_id" >/dev/null 2>&1 || true
  rm -rf "$work/secrets-$run_id"
  if [ -n "$started_dockerd" ]; then kill "$started_dockerd" 2>/dev/null || true; wait "$started_dockerd" 2>/dev/null || true; fi
  exit "$status"
}
trap cleanup EXIT

# Official base images when a registry answers, local stand-ins with the same names otherwise.
if ! docker image inspect mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/aspnet:10.0 >/dev/null 2>&1; then
  if ! docker pull -q mcr.microsoft.com/dotnet/sdk:10.0 >/dev/null 2>&1 || ! docker pull -q mcr.microsoft.com/dotnet/aspnet:10.0 >/dev/null 2>&1; then
    log "no registry reachable: building local stand-ins for the base images"
  fi
fi
# IMAGE_BASES=0 (a machine with a registry, e.g. the deploy workflow): Docker pulls the bases.
[ "${IMAGE_BASES:-1}" = 0 ] || scripts/image-bases.sh

start=$(date +%s)
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
# Every tag of one target: the local one and the registry ones.
tags() { printf -- '-t\nclinic-cluster/%s:%s\n-t\n%s/%s:%s\n' "$1" "$tag" "$registry" "$1" "$app_version"; [ -z "${EXTRA_TAG:-}" ] || printf -- '-t\n%s/%s:%s\n' "$registry" "$1" "$EXTRA_TAG"; }
for target in "${targets[@]}"; do
  mapfile -t tag_args < <(tags "$target")
  log "docker build $target: $(printf '%s ' "${tag_args[@]}" | sed 's/-t //g')"
  case $target in
    silo | api)
      # One build stage for both: the second build reuses the first's published output (layer cache).
      docker build ${DOCKER_BUILD_NETWORK:+--network "$DOCKER_BUILD_NETWORK"} --target "$target" "${tag_args[@]}" . ;;
    pgbouncer)
      docker build --network host --build-arg APT_MIRROR="$mirror" "${tag_args[@]}" deploy/images/pgbouncer ;;
    backup)
      # Its own small context: the repository's .dockerignore keeps scripts/ out of the host images.
      rm -rf "$work/ctx-backup" && mkdir -p "$work/ctx-backup/scripts"
      cp deploy/images/backup/Dockerfile "$work/ctx-backup/"
      cp scripts/backup/db-backup.sh scripts/backup/db-restore.sh scripts/backup/lib.sh "$work/ctx-backup/scripts/"
      cp scripts/lib.sh "$work/ctx-backup/scripts/common.sh"
      docker build --network host --build-arg APT_MIRROR="$mirror" "${tag_args[@]}" "$work/ctx-backup" ;;
  esac >"$work/build-$target.log" 2>&1 || { tail -30 "$work/build-$target.log"; die "build of $target failed"; }
done
log "images built in $(($(date +%s) - start)) s"
for ref in $(refs); do docker image inspect "$ref" >/dev/null 2>&1 || die "$ref was not built"; done

for target in "${targets[@]}"; do
  image=clinic-cluster/$target:$tag
  user=$(docker image inspect -f '{{.Config.User}}' "$image")
  # shellcheck disable=SC2015 # die is the else branch of the tests
  [ -n "$user" ] && [ "$user" != 0 ] && [ "$user" != root ] || die "$image runs as '$user', not a non-root user"
  # Every layer, not only the final file system: a file deleted in a later layer still ships.
  # (The layers are tar files inside the saved tar; --ignore-zeros reads them one after another.)
  docker save "$image" | tar -xO --wildcards '*/layer.tar' 2>/dev/null | tar -t --ignore-zeros 2>/dev/null >"$work/layers-$target.txt" || true
  grep -q "$(case $target in silo) echo app/ClinicCluster.Silo.dll ;; api) echo app/ClinicCluster.Api.dll ;; pgbouncer) echo usr/sbin/pgbouncer ;; backup) echo scripts/db-backup.sh ;; esac)" "$work/layers-$target.txt" \
    || die "could not list the layers of $image (its main file is missing)"
  if grep -E 'appsettings\.Development\.json|launchSettings\.json' "$work/layers-$target.txt"; then
    die "$image carries development settings"
  fi
  log "$image: user $user, no development settings in $(wc -l <"$work/layers-$target.txt") layer entries"
done

[ "${BUILD_ONLY:-0}" = 1 ] && { log "BUILD_ONLY=1: not running the stack"; exit 0; }

# A network of our own with fixed addresses: silos advertise their address to each other and to
# the API through the membership table (in Kubernetes that is the pod IP).
subnet=10.213.$((RANDOM % 200 + 20))
docker network create --subnet "$subnet.0/24" --label "$run_id" "$run_id" >/dev/null
pg_ip=$subnet.10 silo1_ip=$subnet.11 silo2_ip=$subnet.12 api_ip=$subnet.20

# Secrets as files, mounted read-only, like the chart's Secret volumes (the *File settings).
secrets=$work/secrets-$run_id
mkdir -p "$secrets/database" "$secrets/keys"
pw() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
key() { head -c 32 /dev/urandom | base64; }
super_pw=$(pw) owner_pw=$(pw) app_pw=$(pw) api_pw=$(pw)
printf 'Host=%s;Port=5432;Database=clinic;Username=clinic_owner;Password=%s' "$pg_ip" "$owner_pw" >"$secrets/database/migration"
printf 'Host=%s;Port=5432;Database=clinic;Username=clinic_app;Password=%s' "$pg_ip" "$app_pw" >"$secrets/database/silo"
# The API's own least-privilege role (migration 0401).
printf 'Host=%s;Port=5432;Database=clinic;Username=clinic_api;Password=%s' "$pg_ip" "$api_pw" >"$secrets/database/api"
# The PHI key ring and the audit chain key (KeyRing.cs shapes), as the chart's Secrets hold them.
printf '{"activeKeyId":"image-1","keys":{"image-1":"%s"},"indexKey":"%s"}' "$(key)" "$(key)" >"$secrets/keys/key-ring.json"
printf '{"activeKeyId":"image-chain-1","keys":{"image-chain-1":"%s"}}' "$(key)" >"$secrets/keys/chain-key"
chmod 0444 "$secrets"/database/* "$secrets"/keys/*
# Cluster mTLS as cert-manager would issue it (scripts/certs.sh): one CA, a leaf per container.
scripts/certs.sh "$secrets/tls" silo1=DNS:silo1,IP:"$silo1_ip" silo2=DNS:silo2,IP:"$silo2_ip" api=DNS:api,IP:"$api_ip"
tls_env=(-e ClusterTls__Enabled=true -e ClusterTls__CertificateFile=/var/run/secrets/clinic/cluster-tls/tls.crt
  -e ClusterTls__KeyFile=/var/run/secrets/clinic/cluster-tls/tls.key -e ClusterTls__CaFile=/var/run/secrets/clinic/cluster-tls/ca.crt)
tls_mount() { printf -- '-v\n%s:/var/run/secrets/clinic/cluster-tls:ro\n' "$PWD/$secrets/tls/$1"; }

# What the chart's securityContext enforces, as docker run flags.
hardening=(--read-only --tmpfs '/tmp:rw,size=64m' --cap-drop ALL --security-opt no-new-privileges
  --label "$run_id" --network "$run_id" -v "$PWD/$secrets/database:/var/run/secrets/clinic/database:ro")
key_mounts=(-v "$PWD/$secrets/keys/key-ring.json:/var/run/secrets/clinic/encryption/key-ring.json:ro"
  -v "$PWD/$secrets/keys/chain-key:/var/run/secrets/clinic/audit/chain-key:ro"
  -e Encryption__KeyRingFile=/var/run/secrets/clinic/encryption/key-ring.json -e Audit__ChainKeyFile=/var/run/secrets/clinic/audit/chain-key)

log "PostgreSQL (clinic-cluster/postgres:15-local) at $pg_ip"
docker run -d --name "$run_id-postgres" --label "$run_id" --network "$run_id" --ip "$pg_ip" \
  --read-only --tmpfs /tmp --tmpfs /var/run/postgresql --tmpfs /var/lib/postgresql/data:uid="$(docker run --rm --entrypoint id clinic-cluster/postgres:15-local -u)",mode=0700 \
  -e POSTGRES_PASSWORD="$super_pw" clinic-cluster/postgres:15-local >/dev/null
for _ in $(seq 60); do
  docker exec "$run_id-postgres" pg_isready -q -h 127.0.0.1 2>/dev/null && break
  sleep 1
done
# The roles and database the migrations expect (clinic_owner, clinic_app, clinic_api for 0401,
# clinic_retention for 0402): the same file compose.yaml's db-init runs.
docker exec -i -e PGPASSWORD="$super_pw" "$run_id-postgres" psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres \
  -v owner_pw="$owner_pw" -v app_pw="$app_pw" -v api_pw="$api_pw" -f - >/dev/null <deploy/compose/init-roles.sql

log "migrate"
docker run --rm "${hardening[@]}" -e Postgres__MigrationConnectionStringFile=/var/run/secrets/clinic/database/migration \
  "clinic-cluster/silo:$tag" migrate | tail -3

silo_env=(-e Silo__Clustering=AdoNet -e Silo__Storage=Postgres -e Silo__ClusterId=image-test -e Silo__ServiceId=image-test
  -e Postgres__ConnectionStringFile=/var/run/secrets/clinic/database/silo -e Management__Port=8081 -e Management__BindAddress=0.0.0.0
  "${key_mounts[@]}" "${tls_env[@]}")
for n in 1 2; do
  ip_var=silo${n}_ip
  log "silo $n at ${!ip_var} (cluster mTLS)"
  mapfile -t mount < <(tls_mount "silo$n")
  docker run -d --name "$run_id-silo$n" "${hardening[@]}" "${mount[@]}" --ip "${!ip_var}" "${silo_env[@]}" \
    -e Silo__AdvertisedIPAddress="${!ip_var}" "clinic-cluster/silo:$tag" >/dev/null
done

# Development environment only for the development token and the demo clinic; the signing key
# exists for this run alone and is passed at run time, never built in.
dev_key=$(head -c 48 /dev/urandom | base64 | tr -d '/+=')
api_env=(-e ASPNETCORE_ENVIRONMENT=Development -e DOTNET_ENVIRONMENT=Development -e Auth__DevSigningKey="$dev_key" -e Cluster__Clustering=AdoNet
  -e Cluster__ClusterId=image-test -e Cluster__ServiceId=image-test -e Demo__Seed=true
  -e Postgres__ConnectionStringFile=/var/run/secrets/clinic/database/api -e Management__Port=8081 -e Management__BindAddress=0.0.0.0
  "${tls_env[@]}")

http() { curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 --max-time 5 "$@" || true; }
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ] || die "container $1 exited: $(docker logs --tail 3 "$1" 2>&1)"; }
wait_200() {
  local url=$1 seconds=$2 container=${3:-}
  for _ in $(seq $((seconds * 2))); do
    [ -n "$container" ] && running "$container"
    [ "$(http "$url")" = 200 ] && return 0
    sleep 0.5
  done
  die "$url did not answer 200 within ${seconds}s"
}
# The management listener (port 8081) where the host has one, else the probes on the main port.
health_base() {
  local ip=$1 main=$2
  if [ "$(http "http://$ip:8081/health/live")" = 200 ]; then echo "http://$ip:8081"; else echo "http://$ip:$main"; fi
}

for n in 1 2; do
  ip_var=silo${n}_ip
  wait_200 "http://${!ip_var}:8081/health/ready" 120 "$run_id-silo$n"
done
active=$(docker exec -e PGPASSWORD="$super_pw" "$run_id-postgres" psql -tA -h 127.0.0.1 -U postgres -d clinic \
  -c "SELECT count(*) FROM orleans.membership WHERE deployment_id = 'image-test' AND status = 3")
[ "$active" = 2 ] || die "the membership table lists $active active silos, not 2"
log "both silos ready, one cluster: 2 active members in the membership table"

log "API at $api_ip"
mapfile -t mount < <(tls_mount api)
docker run -d --name "$run_id-api" "${hardening[@]}" "${mount[@]}" --ip "$api_ip" "${api_env[@]}" "clinic-cluster/api:$tag" >/dev/null
for _ in $(seq 120); do
  running "$run_id-api"
  base=$(health_base "$api_ip" 8080)
  [ "$(http "$base/health/ready")" = 200 ] && break
  sleep 0.5
done
wait_200 "$base/health/ready" 5

for target in "$silo1_ip 8081" "$silo2_ip 8081" "$api_ip 8080"; do
  read -r ip main <<<"$target"
  base=$(health_base "$ip" "$main")
  for probe in live ready startup; do
    [ "$(http "$base/health/$probe")" = 200 ] || die "$base/health/$probe did not answer 200"
  done
  log "health $base/health/{live,ready,startup}: 200"
done

token=$(docker run --rm "${hardening[@]}" "${mount[@]}" "${api_env[@]}" "clinic-cluster/api:$tag" dev-token --clinic demo --role admin)
api=http://$api_ip:8080/api/clinics/demo
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
# The demo clinic is seeded by the API once a silo answers; retry until it is there.
from=$(date -u -d '+14 days' +%F) to=$(date -u -d '+20 days' +%F)
for _ in $(seq 60); do
  slots=$(curl -s --max-time 10 "${auth[@]}" "$api/providers/prv-demo/availability?from=$from&to=$to&type=checkup" || true)
  slot=$(printf '%s' "$slots" | sed -n 's/[^[]*\[{"start":"\([^"]*\)".*/\1/p')
  [ -n "$slot" ] && break
  sleep 1
done
[ -n "$slot" ] || die "no open slot of the demo provider: $slots"
status=$(curl -s -o "$work/booking.json" -w '%{http_code}' --max-time 20 "${auth[@]}" -H "Idempotency-Key: image-$run_id" "$api/appointments" \
  -d "{\"patientId\":\"pat-demo\",\"providerId\":\"prv-demo\",\"appointmentType\":\"checkup\",\"start\":\"$slot\",\"reason\":\"image test\"}")
[ "$status" = 201 ] || die "booking answered $status: $(cat "$work/booking.json")"
appointment=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$work/booking.json")
[ "$(http "${auth[@]}" "$api/appointments/$appointment")" = 200 ] || die "the booked appointment $appointment cannot be read back"
log "booked appointment $appointment at $slot through the API (201), read it back (200)"

for c in silo1 silo2 api; do
  name=$run_id-$c
  uid=$(docker exec "$name" sh -c 'sed -n "s/^Uid:[[:space:]]*\([0-9]*\).*/\1/p" /proc/1/status')
  [ "$uid" != 0 ] || die "$c runs as root"
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$name")" = true ] || die "$c root filesystem is writable"
  if docker exec "$name" sh -c 'touch /app/probe' 2>/dev/null; then die "$c could write to /app"; fi
  caps=$(docker exec "$name" sh -c 'sed -n "s/^CapEff:[[:space:]]*//p" /proc/1/status')
  [ "$caps" = 0000000000000000 ] || die "$c has capabilities $caps"
  log "$c: UID $uid, read-only root filesystem (write to /app refused), no capabilities"
done

log "audit verify --clinic demo"
docker run --rm "${hardening[@]}" "${key_mounts[@]}" -e Postgres__ConnectionStringFile=/var/run/secrets/clinic/database/migration \
  -e Postgres__MigrationConnectionStringFile=/var/run/secrets/clinic/database/migration \
  "clinic-cluster/silo:$tag" audit verify --clinic demo | tail -2

log "image test passed in $(($(date +%s) - start)) s"

if [ "${COMPOSE:-0}" = 1 ]; then
  log "compose.yaml stack (scripts/compose.sh check)"
  scripts/compose.sh check
fi
