#!/usr/bin/env bash
# Runs every test: build with warnings as errors, formatting check, the xUnit suites (domain,
# grains on a test cluster, API over HTTP, PostgreSQL storage and audit, security at the edges
# (hostile input, limits, TLS and mTLS), multi-silo cluster with
# real processes), then the newcomer smoke test with the OpenAPI lint.
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
for project in Domain Grains Api Storage Security Cluster; do
  echo "-- tests/$project.Tests"
  dotnet test "tests/$project.Tests/$project.Tests.csproj" --no-build --nologo 2>&1 | tee -a .tmp/test-output.txt || status=1
done

echo "== smoke"
smoke=0
scripts/smoke.sh || smoke=1

passed=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' .tmp/test-output.txt | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' .tmp/test-output.txt | awk '{s+=$1} END {print s+0}')
passed=$((passed + (smoke == 0 ? 1 : 0)))
failed=$((failed + smoke))
echo "$passed passed, $failed failed"
[ "$status" = 0 ] && [ "$smoke" = 0 ]
