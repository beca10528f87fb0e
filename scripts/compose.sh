#!/usr/bin/env bash
# The compose.yaml stack on the locally built images.
#   scripts/compose.sh up      generate passwords, keys and cluster certificates into .tmp/compose,
#                              start, wait until the API's management port says ready
#   scripts/compose.sh token   print a development token (role admin, clinic demo)
#   scripts/compose.sh check   up, the README's curl flow, the chart's helm test script, Prometheus
#                              scraping both silos and the API, down (builds missing images first)
#   scripts/compose.sh down    stop and remove the containers and volumes
# Build the images first: scripts/image.sh (or BUILD_ONLY=1 scripts/image.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.tmp/compose
compose() { docker-compose -p clinic-cluster --env-file "$dir/env" -f compose.yaml "$@"; }
fail() { echo "compose.sh: $*" >&2; exit 1; }
command -v docker-compose >/dev/null || fail "docker-compose is missing (scripts/prerequisites.sh installs it: apt-get install docker-compose)"
command -v jq >/dev/null || fail "jq is missing (scripts/prerequisites.sh installs it)"
docker info >/dev/null 2>&1 || fail "no Docker daemon answers (scripts/prerequisites.sh starts one as root)"

secret() { [ -s "$dir/$1" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/$1"; }
prepare() {
  mkdir -p "$dir"
  for name in postgres-password owner-password app-password api-password metrics-token; do secret "$name"; done
  printf 'Host=postgres;Port=5432;Database=clinic;Username=clinic_owner;Password=%s' "$(cat "$dir/owner-password")" >"$dir/migration-connection"
  printf 'Host=postgres;Port=5432;Database=clinic;Username=clinic_app;Password=%s' "$(cat "$dir/app-password")" >"$dir/app-connection"
  # The API's own role: the gateway list and the audit queue, nothing else (migration 0401).
  printf 'Host=postgres;Port=5432;Database=clinic;Username=clinic_api;Password=%s' "$(cat "$dir/api-password")" >"$dir/api-connection"
  # The PHI key ring and the audit chain key (KeyRing.cs shapes), made once per checkout.
  [ -s "$dir/key-ring.json" ] || printf '{"activeKeyId":"compose-1","keys":{"compose-1":"%s"},"indexKey":"%s"}' \
    "$(head -c 32 /dev/urandom | base64)" "$(head -c 32 /dev/urandom | base64)" >"$dir/key-ring.json"
  [ -s "$dir/chain-key" ] || printf '{"activeKeyId":"compose-chain-1","keys":{"compose-chain-1":"%s"}}' \
    "$(head -c 32 /dev/urandom | base64)" >"$dir/chain-key"
  # The dashboard's operator: one name:password line (OperatorCredentials.cs).
  [ -s "$dir/dashboard-credentials" ] || printf 'operator:%s\n' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$dir/dashboard-credentials"
  # Cluster mTLS: a CA and one certificate per container, as cert-manager would issue them.
  [ -s "$dir/tls/api/tls.crt" ] || scripts/certs.sh "$dir/tls" silo1=DNS:silo1,IP:10.214.0.11 silo2=DNS:silo2,IP:10.214.0.12 api=DNS:api,IP:10.214.0.20
  [ -s "$dir/env" ] || printf 'CLINIC_DEV_SIGNING_KEY=%s\n' "$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" >"$dir/env"
  # Read by the non-root users of the containers (compose bind-mounts file secrets as they are).
  find "$dir" -maxdepth 1 -type f -exec chmod 0444 {} +
}

# Health answers only on the management listener (published on loopback as 5081), never on 5080.
# 300 s: on a loaded 2-core machine the API's demo seeding can time out while the silos start;
# it then exits and compose restarts it (restart: on-failure).
wait_api() {
  local deadline=$(($(date +%s) + 300))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://127.0.0.1:5081/health/ready || true)" = 200 ] && return 0
    sleep 1
  done
  compose ps
  compose logs --tail 20 api silo1
  fail "the API did not answer 200 on http://127.0.0.1:5081/health/ready within 300 s"
}

# token [dev-token options]: a development token, by default role admin in clinic demo.
token() {
  [ $# -gt 0 ] || set -- --clinic demo --role admin
  # shellcheck disable=SC1091
  . "$dir/env"
  docker run --rm --read-only --tmpfs /tmp -e ASPNETCORE_ENVIRONMENT=Development -e DOTNET_ENVIRONMENT=Development \
    -e Auth__DevSigningKey="$CLINIC_DEV_SIGNING_KEY" "clinic-cluster/api:${IMAGE_TAG:-dev}" dev-token "$@"
}

case ${1:-} in
  up)
    prepare
    compose up -d
    wait_api
    echo "API ready at http://127.0.0.1:5080; token: scripts/compose.sh token"
    ;;
  token) token ;;
  down) prepare; compose down -v --remove-orphans ;;
  check)
    started=$(date +%s)
    # The images compose.yaml names, as scripts/image.sh builds them (cached layers: seconds when
    # the rehearsal or an earlier run built them).
    missing=$(for ref in "clinic-cluster/silo:${IMAGE_TAG:-dev}" "clinic-cluster/api:${IMAGE_TAG:-dev}" \
      "${POSTGRES_IMAGE:-clinic-cluster/postgres:15-local}" "${PROMETHEUS_IMAGE:-clinic-cluster/prometheus:local}"; do
      docker image inspect "$ref" >/dev/null 2>&1 || echo "$ref"; done)
    if [ -n "$missing" ]; then
      echo "compose: building $(echo "$missing" | paste -sd' ') with scripts/image.sh (log: $dir/image.log)"
      mkdir -p "$dir"
      BUILD_ONLY=1 scripts/image.sh >"$dir/image.log" 2>&1 || { tail -15 "$dir/image.log" >&2; fail "scripts/image.sh failed"; }
    fi
    prepare
    trap 'compose down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    compose up -d >"$dir/up.log" 2>&1 || { cat "$dir/up.log" >&2; compose logs --tail 20 >&2 || true; fail "docker-compose up failed"; }
    wait_api
    echo "compose: up and ready (API management port) in $(($(date +%s) - started)) s"
    # The README's curl flow as written (demo clinic, dates computed in the clinic's zone).
    awk '/^## Book, move and cancel with curl/ { section = 1 } section && /^```bash$/ { inside = 1; next }
      inside && /^```$/ { exit } inside' README.md >"$dir/readme-flow.sh"
    # shellcheck disable=SC2016 # the literal text of the README
    grep -q 'appointments/$appointment/cancel' "$dir/readme-flow.sh" || fail "the README's curl block was not found"
    TOKEN=$(token) bash -e "$dir/readme-flow.sh" >"$dir/readme-flow.out" 2>&1 || { cat "$dir/readme-flow.out" >&2; fail "the README's curl flow failed"; }
    grep -q '"status":"cancelled"' "$dir/readme-flow.out" || { cat "$dir/readme-flow.out" >&2; fail "the README's curl flow did not end cancelled"; }
    echo "compose: the README's curl flow (patient, availability, book, reschedule, cancel) ends cancelled"
    # The chart's `helm test` script, as rendered, against this API (needs scripts/chart-check.sh's Helm).
    helm=.tmp/chart-check/bin/helm/helm
    if [ -x "$helm" ]; then
      "$helm" template clinic deploy/helm/clinic-cluster -f deploy/helm/clinic-cluster/values-local.yaml \
        --show-only templates/tests/test-booking.yaml >"$dir/test-pod.yaml"
      node -e 'const y=require("./tools/chart-check/node_modules/yaml");const fs=require("fs");
        process.stdout.write(y.parse(fs.readFileSync(process.argv[1],"utf8")).spec.containers[0].args[0])' "$dir/test-pod.yaml" |
        sed -e "s|http://clinic-api:80|http://127.0.0.1:5080|; s|/var/run/secrets/clinic/test/token|$dir/test-token|" >"$dir/test-pod.sh"
      # Its token is an administrator of its own test clinic only, as tests.tokenSecret's in production.
      test_clinic=$(sed -n 's/^clinic="\([^"]*\)"$/\1/p' "$dir/test-pod.sh")
      [ -n "$test_clinic" ] || fail "the rendered helm test script names no test clinic"
      token --grant "$test_clinic:admin" >"$dir/test-token"
      sh -e "$dir/test-pod.sh" | sed 's/^/compose: helm test script: /' || fail "the chart's helm test script failed against compose"
    fi
    # Prometheus scrapes both silos and the API (up = 1) with the metrics token.
    up=0
    for _ in $(seq 90); do
      up=$(curl -s --max-time 3 'http://127.0.0.1:9090/api/v1/query?query=up' | jq '[.data.result[]? | select(.value[1] == "1")] | length' 2>/dev/null || echo 0)
      [ "$up" = 3 ] && break
      sleep 1
    done
    [ "$up" = 3 ] || fail "Prometheus scrapes $up of 3 targets: $(curl -s --max-time 3 http://127.0.0.1:9090/api/v1/targets | jq -c '[.data.activeTargets[]? | {scrapeUrl, health, lastError}]' 2>/dev/null)"
    echo "compose: Prometheus: up = 1 for silo1, silo2 and the API"
    compose down -v --remove-orphans >/dev/null 2>&1 || fail "docker-compose down failed"
    trap - EXIT
    echo "compose: check passed in $(($(date +%s) - started)) s (up, README flow, helm test script, Prometheus, down)"
    ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
