#!/usr/bin/env bash
# Starts the whole system on the embedded default: one silo (localhost clustering, in-memory
# storage, Orleans Dashboard) and the API, seeded with a demo clinic. Needs only the .NET SDK.
# Ctrl-C stops both. Ports: API_PORT (5080), API_MANAGEMENT_PORT (5081: its probes and /metrics),
# SILO_HTTP_PORT (8081: the silo's management port, probes, /metrics, dashboard), SILO_PORT (11111),
# GATEWAY_PORT (30000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

api_port=${API_PORT:-5080}
silo_http_port=${SILO_HTTP_PORT:-8081}
api_management_port=${API_MANAGEMENT_PORT:-5081}
logs=.tmp/logs
mkdir -p "$logs"
# The stack of scripts/lib/stack.sh without a database: the embedded default.
STACK_OUT=$logs
stack_build Debug

# The development signing key lives in this machine's user secrets, never in the repository or a
# published file: created once, random, and read by the API and `dev-token` in Development.
STACK_SIGNING_KEY=""
if ! dotnet user-secrets list --project src/Api 2>/dev/null | grep -q '^Auth:DevSigningKey = '; then
  dotnet user-secrets set Auth:DevSigningKey "$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')" --project src/Api >/dev/null
fi

# shellcheck disable=SC2317 # run by the trap
stop() {
  trap - EXIT INT TERM
  stack_stop_hosts
}
trap stop EXIT INT TERM

stack_silo_start silo --http "$silo_http_port" Silo__SiloPort="${SILO_PORT:-11111}" Silo__GatewayPort="${GATEWAY_PORT:-30000}"
stack_wait silo
stack_api_start api --port "$api_port" --management "$api_management_port" Demo__Seed=true Cluster__GatewayPort="${GATEWAY_PORT:-30000}"

# The scope claim is for the FHIR routes (SMART v2 user/ scopes, docs/fhir.md); native routes ignore it.
token=$(stack_dev_token --clinic demo --role admin --subject newcomer --scope 'user/*.crus')

cat <<TXT

Clinic Cluster is running (logs in $logs/).
  API:        http://127.0.0.1:$api_port
  API docs:   http://127.0.0.1:$api_port/docs   (OpenAPI document: /openapi/v1.json)
  Dashboard:  http://127.0.0.1:$silo_http_port/dashboard
  Metrics:    http://127.0.0.1:$silo_http_port/metrics (silo), http://127.0.0.1:$api_management_port/metrics (API)
  Demo data:  clinic "demo", provider "prv-demo", patient "pat-demo"

A development token for clinic "demo", role admin (8 hours):
export TOKEN=$token

Try:  curl -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$api_port/api/clinics/demo
Press Ctrl-C to stop.
TXT

# Stay up until Ctrl-C, or until either process dies.
wait -n "${stack_pids[@]}"
echo "A process stopped; see $logs/." >&2
exit 1
