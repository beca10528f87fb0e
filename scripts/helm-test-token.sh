#!/usr/bin/env bash
# Creates or refreshes the Secret `helm test` reads its bearer token from (tests.tokenSecret, key
# token), for one installed environment:
#   scripts/helm-test-token.sh NAMESPACE VALUES_FILE [RELEASE]      (RELEASE: clinic-cluster)
# The token: HELM_TEST_TOKEN if set (e.g. a development token on a local cluster), else a
# client-credentials token of the identity provider named by the values' api.auth.authority
# (discovered through /.well-known/openid-configuration) for the service client
# HELM_TEST_CLIENT_ID / HELM_TEST_CLIENT_SECRET, whose tokens must carry the API's audience and
# clinic_roles "helm-test:admin" (docs/operations/deploy.md). Names come from the chart as rendered
# with that values file, so they cannot drift from what the test pod mounts.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 64; }
namespace=$1 values=$2 release=${3:-clinic-cluster}
chart=deploy/helm/clinic-cluster
helm=${HELM:-helm}

show() { "$helm" template "$release" "$chart" -n "$namespace" -f "$values" --show-only "$1"; }
secret=$(show templates/tests/test-booking.yaml | sed -n 's/^ *secretName: *//p' | head -n 1)
[ -n "$secret" ] || { echo "helm-test-token: tests.enabled is off in $values" >&2; exit 1; }

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
if [ -n "${HELM_TEST_TOKEN:-}" ]; then
  token=$HELM_TEST_TOKEN
else
  : "${HELM_TEST_CLIENT_ID:?set HELM_TEST_CLIENT_ID and HELM_TEST_CLIENT_SECRET (or HELM_TEST_TOKEN)}"
  : "${HELM_TEST_CLIENT_SECRET:?set HELM_TEST_CLIENT_SECRET}"
  authority=$(show templates/api-deployment.yaml | grep -A1 'name: Auth__Authority' | sed -n 's/^ *value: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p')
  [ -n "$authority" ] || { echo "helm-test-token: no api.auth.authority in $values" >&2; exit 1; }
  endpoint=$(curl -fsS "${authority%/}/.well-known/openid-configuration" | json_field token_endpoint)
  token=$(curl -fsS -u "$HELM_TEST_CLIENT_ID:$HELM_TEST_CLIENT_SECRET" -d grant_type=client_credentials "$endpoint" | json_field access_token)
fi
kubectl -n "$namespace" create secret generic "$secret" --from-literal=token="$token" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
echo "helm-test-token: $namespace/$secret refreshed"
