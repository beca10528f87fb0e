#!/usr/bin/env bash
# Contract checks between the chart, the code, the scripts and the operators' documents (issue 20):
# renders the chart with each values file (Helm from scripts/chart-check.sh's tools) for the release
# name and namespace docs/runbooks/README.md documents, then tools/contracts/contracts.py checks
#   - every env key a rendered .NET pod (and a compose.yaml silo or API) sets is bound by the
#     host's code, and every setting its mode requires is set (cluster mTLS or ClusterTls__Enabled=false, key ring, chain key, *File
#     paths under a mounted volume, the PostgreSQL CA with VerifyFull); chart-made secret data in
#     the format the code parses; HPA custom metrics only with adapter rules, outside the release
#     namespace; Proxy__KnownNetworks when the Ingress is on;
#   - every image of ours the chart, compose.yaml and the workflows name is built by scripts/image.sh;
#   - every script path the chart, Makefile, README, docs/runbooks and docs/operations name exists;
#   - every helm/kubectl command of docs/runbooks and docs/operations/deploy.md (and deploy.yml)
#     uses the documented release and namespace, and names only resources the chart renders;
#   - every Secret a production or staging install needs has a `kubectl create secret` in the docs;
# and here: the rendered `helm test` script, run twice against tools/contracts/stub_api.py, creates
# its own clinic once and cancels what it books. (The Makefile's own check is scripts/check-make.sh.)
# Ends with "contracts: N passed, N failed". About 10 s once chart-check's tools are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

chart=deploy/helm/clinic-cluster
out=.tmp/contracts
helm=.tmp/chart-check/bin/helm/helm
mkdir -p "$out"
if [ ! -x "$helm" ]; then
  echo "check-contracts: installing Helm through scripts/chart-check.sh"
  scripts/chart-check.sh >"$out/chart-check.log" 2>&1 || { tail -20 "$out/chart-check.log"; exit 1; }
fi

# The release and namespace every runbook starts from (docs/runbooks/README.md).
release=$(sed -n 's/.*export NS=[^ ]* RELEASE=\([^ ]*\).*/\1/p' docs/runbooks/README.md)
namespace=$(sed -n 's/.*export NS=\([^ ]*\) .*/\1/p' docs/runbooks/README.md)
# shellcheck disable=SC2015 # the message is the else branch of both tests
[ -n "$release" ] && [ -n "$namespace" ] || { echo "FAIL docs/runbooks/README.md exports no NS= RELEASE= line"; exit 1; }
echo "documented release $release in namespace $namespace"

passed=0
failed=0
renders=()
for values in "$chart"/values-local.yaml "$chart"/values-staging.yaml "$chart"/values-production.yaml "$chart"/ci/*.yaml; do
  name=$(basename "$values" .yaml)
  case $name in
    values-local) ns=default ;;
    values-staging) ns=clinic-staging ;;
    *) ns=$namespace ;;
  esac
  if "$helm" template "$release" "$chart" -n "$ns" -f "$values" >"$out/$name.yaml" 2>"$out/$name.err"; then
    renders+=(--render "$name=$out/$name.yaml=$values=$ns")
  else
    echo "FAIL helm template $name"; head -5 "$out/$name.err"; failed=$((failed + 1))
  fi
done

status=0
python3 tools/contracts/contracts.py "${renders[@]}" | tee "$out/contracts.txt" || status=$?
passed=$((passed + $(grep -c '^ok ' "$out/contracts.txt" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$out/contracts.txt" || true)))
[ "$status" -le 100 ] || failed=$((failed + 1))

# The chart's `helm test` script, as rendered for production, against a stand-in of the API
# (tools/contracts/stub_api.py): the first run creates its clinic, provider and patient, the second
# reuses them; each cancels what it booked.
stub_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'contract-test-token' >"$out/test-token"
rm -f "$out/stub-state.json"
python3 tools/contracts/stub_api.py "$stub_port" contract-test-token "$out/stub-state.json" &
stub_pid=$!
trap 'kill "$stub_pid" 2>/dev/null || true' EXIT
"$helm" template "$release" "$chart" -n "$namespace" -f "$chart/values-production.yaml" --show-only templates/tests/test-booking.yaml |
  python3 -c 'import sys, yaml; print(yaml.safe_load(sys.stdin)["spec"]["containers"][0]["args"][0])' |
  sed -e "s|http://$release-api:80|http://127.0.0.1:$stub_port|; s|/var/run/secrets/clinic/test/token|$out/test-token|" >"$out/test-pod.sh"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$stub_port") 2>/dev/null && break; sleep 0.1; done
runs_ok=1
for run in 1 2; do
  sh -e "$out/test-pod.sh" >"$out/test-pod-$run.log" 2>&1 || { runs_ok=0; sed 's/^/       /' "$out/test-pod-$run.log"; }
done
state=$(cat "$out/stub-state.json" 2>/dev/null || echo '{}')
if [ "$runs_ok" = 1 ] && [ "$state" = '{"helm-test": {"providers": 1, "patients": 1, "appointments": 2, "cancelled": 2}}' ]; then
  passed=$((passed + 1)); echo "ok   helm test script: own clinic created once and reused, 2 bookings, both cancelled"
else
  failed=$((failed + 1)); echo "FAIL helm test script against the API stand-in (state: $state)"
fi
kill "$stub_pid" 2>/dev/null || true

echo "contracts: $passed passed, $failed failed"
[ "$failed" = 0 ]
