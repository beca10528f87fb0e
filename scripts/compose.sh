#!/usr/bin/env bash
# The compose.yaml stack on the locally built images.
#   scripts/compose.sh up      generate passwords, keys and cluster certificates into .tmp/compose,
#                              start, wait until the API's management port says ready
#   scripts/compose.sh token   print a development token (role admin, clinic demo)
#   scripts/compose.sh check   up, book an appointment, check Prometheus scrapes, down
#   scripts/compose.sh down    stop and remove the containers and volumes
# Build the images first: scripts/image.sh (or BUILD_ONLY=1 scripts/image.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.tmp/compose
compose() { docker-compose -p clinic-cluster --env-file "$dir/env" -f compose.yaml "$@"; }
command -v docker-compose >/dev/null || { echo "compose.sh: docker-compose is missing (apt-get install docker-compose)" >&2; exit 1; }

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
wait_api() {
  for _ in $(seq 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://127.0.0.1:5081/health/ready || true)" = 200 ] && return 0
    sleep 1
  done
  compose ps
  compose logs --tail 20 api silo1
  echo "compose.sh: the API did not become ready" >&2
  return 1
}

token() {
  # shellcheck disable=SC1091
  . "$dir/env"
  docker run --rm --read-only --tmpfs /tmp -e ASPNETCORE_ENVIRONMENT=Development -e DOTNET_ENVIRONMENT=Development \
    -e Auth__DevSigningKey="$CLINIC_DEV_SIGNING_KEY" "clinic-cluster/api:${IMAGE_TAG:-dev}" dev-token --clinic demo --role admin
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
    prepare
    trap 'compose down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
    compose up -d
    wait_api
    auth=(-H "Authorization: Bearer $(token)" -H "Content-Type: application/json")
    api=http://127.0.0.1:5080/api/clinics/demo
    from=$(date -u -d '+14 days' +%F) to=$(date -u -d '+20 days' +%F) slot=""
    for _ in $(seq 60); do
      slot=$(curl -s "${auth[@]}" "$api/providers/prv-demo/availability?from=$from&to=$to&type=checkup" | sed -n 's/[^[]*\[{"start":"\([^"]*\)".*/\1/p')
      [ -n "$slot" ] && break
      sleep 1
    done
    status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -H "Idempotency-Key: compose-$$" "$api/appointments" \
      -d "{\"patientId\":\"pat-demo\",\"providerId\":\"prv-demo\",\"appointmentType\":\"checkup\",\"start\":\"$slot\",\"reason\":\"compose check\"}")
    [ "$status" = 201 ] || { echo "compose.sh: booking answered $status" >&2; exit 1; }
    echo "compose: booked at $slot (201)"
    # The chart's `helm test` script, as rendered, against this API (needs scripts/chart-check.sh's Helm).
    helm=.tmp/chart-check/bin/helm/helm
    if [ -x "$helm" ]; then
      "$helm" template clinic deploy/helm/clinic-cluster -f deploy/helm/clinic-cluster/values-local.yaml \
        --show-only templates/tests/test-booking.yaml >"$dir/test-pod.yaml"
      token >"$dir/test-token"
      node -e 'const y=require("./tools/chart-check/node_modules/yaml");const fs=require("fs");
        process.stdout.write(y.parse(fs.readFileSync(process.argv[1],"utf8")).spec.containers[0].args[0])' "$dir/test-pod.yaml" |
        sed -e "s|http://clinic-api:80|http://127.0.0.1:5080|; s|/var/run/secrets/clinic/test/token|$dir/test-token|" >"$dir/test-pod.sh"
      sh -e "$dir/test-pod.sh" | sed 's/^/compose: helm test script: /'
    fi
    for _ in $(seq 60); do
      targets=$(curl -s http://127.0.0.1:9090/api/v1/targets || true)
      [ "$(grep -o '"health":"[a-z]*"' <<<"$targets" | wc -l)" -ge 3 ] && break
      sleep 1
    done
    # Listed and scraped; "up" once the hosts serve /metrics on the management port.
    echo "compose: Prometheus targets: $(grep -o '"scrapeUrl":"[^"]*"\|"health":"[a-z]*"' <<<"$targets" | sed 's/"scrapeUrl"://; s/"health"://' | paste -sd' ')"
    [ "$(grep -o '"health":"[a-z]*"' <<<"$targets" | wc -l)" -ge 3 ] || { echo "compose.sh: Prometheus lists fewer than 3 targets" >&2; exit 1; }
    ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
