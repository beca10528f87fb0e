#!/usr/bin/env bash
# Runs every test: build with warnings as errors, formatting check, the xUnit suites (domain,
# grains on a test cluster, API over HTTP, PostgreSQL storage and audit, hostile input and TLS,
# observability with a real Prometheus and Chromium, multi-silo cluster with real processes), then
# the script suites: the newcomer smoke test with the OpenAPI lint, the load tool's smoke and its registration-scale smoke, the
# Helm chart checks, the contract checks (chart, code, scripts and documents agree), the Makefile
# check (every target dry-runs, the cheap ones run), the
# Prometheus rule tests, the backup drills (pgBackRest PITR, encrypted repository, logical round
# trip), the production rehearsal (scripts/rehearse.sh: the chart's pod specs on Docker with
# production values), the compose stack (scripts/compose.sh check) and the resilience drills (PostgreSQL restart, partition, short soak).
# Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh

# The storage, cluster and audit suites share one private PostgreSQL server (each test fixture
# creates its own database on it); it is stopped whatever happens.
scripts/postgres.sh start
trap 'scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT

echo "== build"
dotnet build Orleans.sln --nologo -v quiet -warnaserror

echo "== format"
dotnet format Orleans.sln --verify-no-changes --no-restore

echo "== tests"
mkdir -p .tmp
status=0
: >.tmp/test-output.txt
# One project at a time: the cluster suite measures failover times and should not share two
# cores with the others.
for project in Domain Grains Api Fhir Storage Security Observability Cluster; do
  echo "-- tests/$project.Tests"
  dotnet test "tests/$project.Tests/$project.Tests.csproj" --no-build --nologo 2>&1 | tee -a .tmp/test-output.txt || status=1
done

# Script suites: each counts as one test, passed when its script exits 0.
script_passed=0
script_failed=0
suite() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    script_passed=$((script_passed + 1))
  else
    echo "FAILED: $name"
    script_failed=$((script_failed + 1))
  fi
}

suite "script date helpers" scripts/tests/lib-dates.sh
suite smoke scripts/smoke.sh
suite "load tool smoke" env BENCH_SMOKE=1 scripts/bench.sh
suite "registration scale smoke" env REGISTER_SMOKE=1 scripts/bench-register.sh
suite "chart checks" scripts/chart-check.sh
suite "contract checks" scripts/check-contracts.sh
suite "makefile checks" scripts/check-make.sh
suite "prometheus rules" scripts/check-prometheus-rules.sh
suite "backup drills" env DRILL_NO_BUILD=1 scripts/backup/test.sh
# The production rehearsal: every image (base images cached in Docker between runs), the chart
# rendered with values-production.yaml, run and driven as users would; about 8 minutes warm.
suite "production rehearsal" scripts/rehearse.sh
# compose.yaml as a newcomer starts it (Debian's docker-compose), on the images the rehearsal just
# built: up, the README's curl flow, the chart's helm test script, Prometheus, down; 4 min 20 s on
# the shared machine at load average 55 (next to a rehearsal), most of it the stack's start.
suite "compose stack" scripts/compose.sh check
# Resilience drills on their own PostgreSQL servers (55611, 55612): about 4 + 3 + 3 minutes
# (docs/reliability.md); the full 10-minute soak is scripts/soak.sh, run by hand.
suite "postgres restart drill" env DRILL_CONFIGURATION=Debug scripts/drills/pg-restart.sh
suite "partition drill" env DRILL_NO_BUILD=1 scripts/drills/partition.sh
suite "soak (short)" env DRILL_NO_BUILD=1 SOAK_SECONDS=60 scripts/soak.sh

passed=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' .tmp/test-output.txt | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' .tmp/test-output.txt | awk '{s+=$1} END {print s+0}')
passed=$((passed + script_passed))
failed=$((failed + script_failed))
echo "$passed passed, $failed failed"
[ "$status" = 0 ] && [ "$script_failed" = 0 ]
