#!/usr/bin/env bash
# Starts the whole system on the embedded default: one silo (localhost clustering, in-memory
# storage, Orleans Dashboard) and the API, seeded with a demo clinic. Needs only the .NET SDK.
# Ctrl-C stops both. Ports: API_PORT (5080), API_MANAGEMENT_PORT (5081: its probes and /metrics),
# SILO_HTTP_PORT (8081: the silo's management port, probes, /metrics, dashboard), SILO_PORT (11111),
# GATEWAY_PORT (30000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

api_port=${API_PORT:-5080}
silo_http_port=${SILO_HTTP_PORT:-8081}
api_management_port=${API_MANAGEMENT_PORT:-5081}
logs=.tmp/logs
mkdir -p "$logs"

echo "Building..."
dotnet build src/Api/Api.csproj --nologo -v quiet >/dev/null
dotnet build src/Silo/Silo.csproj --nologo -v quiet >/dev/null

# The development signing key lives in this machine's user secrets, never in the repository or a
# published file: created once, random, and read by the API and `dev-token` in Development.
if ! dotnet user-secrets list --project src/Api 2>/dev/null | grep -q '^Auth:DevSigningKey = '; then
  dotnet user-secrets set Auth:DevSigningKey "$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')" --project src/Api >/dev/null
fi

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
Management__Port="$silo_http_port" \
Silo__SiloPort=${SILO_PORT:-11111} Silo__GatewayPort=${GATEWAY_PORT:-30000} \
  dotnet run --no-build --no-launch-profile --project src/Silo >"$logs/silo.log" 2>&1 &
pids+=($!)
wait_ready silo 127.0.0.1 "$silo_http_port" /health/ready 90

Urls="http://127.0.0.1:$api_port" Management__Port="$api_management_port" Demo__Seed=true Cluster__GatewayPort=${GATEWAY_PORT:-30000} \
  dotnet run --no-build --no-launch-profile --project src/Api >"$logs/api.log" 2>&1 &
pids+=($!)
wait_ready api 127.0.0.1 "$api_management_port" /health/ready 90

token=$(dotnet run --no-build --no-launch-profile --project src/Api -- dev-token --clinic demo --role admin --subject newcomer)

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
wait -n "${pids[@]}"
echo "A process stopped; see $logs/." >&2
exit 1
