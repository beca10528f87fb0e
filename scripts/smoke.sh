#!/usr/bin/env bash
# The newcomer's path, end to end: starts the system with run-local.sh on spare ports, then with
# curl registers a patient, books, moves and cancels an appointment with the printed token, and
# lints the served OpenAPI document with Redocly. Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export API_PORT=${API_PORT:-15080} API_MANAGEMENT_PORT=${API_MANAGEMENT_PORT:-15081} SILO_HTTP_PORT=${SILO_HTTP_PORT:-18081} SILO_PORT=${SILO_PORT:-21111} GATEWAY_PORT=${GATEWAY_PORT:-31000}
out=.tmp/smoke
mkdir -p "$out"
scripts/run-local.sh >"$out/run-local.out" 2>&1 &
runner=$!
cleanup() { kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 360); do
  grep -q '^export TOKEN=' "$out/run-local.out" 2>/dev/null && break
  kill -0 "$runner" 2>/dev/null || { cat "$out/run-local.out"; exit 1; }
  sleep 0.5
done
token=$(sed -n 's/^export TOKEN=//p' "$out/run-local.out")
[ -n "$token" ] || { echo "run-local.sh printed no token" >&2; cat "$out/run-local.out"; exit 1; }

api="http://127.0.0.1:$API_PORT/api/clinics/demo"
call() { # call METHOD PATH EXPECTED_STATUS [BODY]: prints the response body, fails on another status
  local method=$1 path=$2 expected=$3 body=${4:-} status
  status=$(curl -sS -o "$out/body.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${body:+-d "$body"} "$api$path")
  if [ "$status" != "$expected" ]; then
    echo "smoke: $method $path answered $status, expected $expected: $(cat "$out/body.json")" >&2
    exit 1
  fi
  cat "$out/body.json"
}
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# A weekday a week ahead in the clinic's zone: the demo provider works Monday to Friday, 9-17.
day=$(clinic_weekday 7)
offset=$(zone_offset "$day" 10:00)
patient=$(call POST /patients 201 '{"mrn":"SMOKE-1","givenName":"Sam","familyName":"Smoke","birthDate":"1990-05-01","sex":"other"}' | field id)
booked=$(call POST /appointments 201 "{\"patientId\":\"$patient\",\"providerId\":\"prv-demo\",\"appointmentType\":\"checkup\",\"start\":\"${day}T10:00:00$offset\",\"reason\":\"smoke\"}")
appointment=$(echo "$booked" | field id)
call POST /appointments 409 "{\"patientId\":\"pat-demo\",\"providerId\":\"prv-demo\",\"appointmentType\":\"checkup\",\"start\":\"${day}T10:00:00$offset\"}" >/dev/null
call POST "/appointments/$appointment/reschedule" 200 "{\"start\":\"${day}T11:00:00$offset\"}" | grep -q "T11:00:00"
call POST "/appointments/$appointment/cancel" 200 '{"reason":"smoke test"}' | grep -q '"status":"cancelled"'
call GET "/patients/$patient/appointments" 200 | grep -q "$appointment"
echo "smoke: booked, rescheduled and cancelled $appointment"

# The README's curl flow, run as written (only the port differs): every curl must succeed.
awk '/^## Book, move and cancel with curl/ { section = 1 } section && /^```bash$/ { inside = 1; next }
  inside && /^```$/ { exit } inside' README.md | sed "s#http://127.0.0.1:5080#http://127.0.0.1:$API_PORT#" >"$out/readme-flow.sh"
# shellcheck disable=SC2016 # the literal text of the README
grep -q 'appointments/$appointment/cancel' "$out/readme-flow.sh" || { echo "smoke: README curl block not found" >&2; exit 1; }
TOKEN=$token bash -c 'set -euo pipefail; curl() { command curl --fail-with-body "$@"; }; source "$1"' _ "$out/readme-flow.sh" >"$out/readme-flow.out" 2>&1 ||
  { echo "smoke: the README curl flow failed:" >&2; cat "$out/readme-flow.out" >&2; exit 1; }
grep -q '"status":"cancelled"' "$out/readme-flow.out" || { echo "smoke: the README flow did not end cancelled" >&2; cat "$out/readme-flow.out" >&2; exit 1; }
echo "smoke: the README curl flow runs as written"

# The embedded default scrapes anonymously; the booking and the conflict are counted by outcome.
curl -sSf "http://127.0.0.1:$API_MANAGEMENT_PORT/metrics" >"$out/api-metrics.txt"
grep -q '^clinic_bookings_total{.*outcome="conflict"' "$out/api-metrics.txt"
curl -sSf "http://127.0.0.1:$SILO_HTTP_PORT/metrics" >"$out/silo-metrics.txt"
grep -q '^orleans_catalog_activations' "$out/silo-metrics.txt"
echo "smoke: both hosts serve /metrics on their management ports"

curl -sS -o "$out/openapi.json" "http://127.0.0.1:$API_PORT/openapi/v1.json"
(cd tools/openapi-lint && npx --no-install redocly lint "../../$out/openapi.json")
echo "smoke: OpenAPI document passes redocly lint"
