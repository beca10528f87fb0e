#!/usr/bin/env bash
# Idle grain memory of a real silo (issue 21): one silo process on a fresh PostgreSQL database,
# GRAIN_MEMORY_CLINICS x GRAIN_MEMORY_PER_CLINIC registered patients (default 200 x 5,000 =
# 1,000,000) whose grain states are written through the silo's own grain storage
# (`GrainMemory seed`, the bulk path of docs/capacity.md), then GRAIN_MEMORY_ACTIVE (100,000) of them
# read through the cluster, so each is an active patient grain, and the silo's RSS reported before,
# at the peak and after its idle collection deactivated them, against the chart's silo
# resources.limits.memory (deploy/helm/clinic-cluster/values.yaml). The silo runs with
# Silo__GrainCollection__CollectionAge=GRAIN_MEMORY_COLLECTION_AGE (00:01:00) so that the idle phase
# takes minutes, not the default quarter hour. After the deactivation it waits up to
# GRAIN_MEMORY_TRIM_WAIT (00:03:00) for the silo's memory trim (Silo:MemoryTrim, decision 0055; its
# defaults, GRAIN_MEMORY_TRIM=false turns it off for comparison) and prints the trim's log lines.
# Not in CI (minutes; the options binding and the trim rule are tested in tests/Storage.Tests:
# SiloGrainCollectionOptionsTests, MemoryTrimOptionsTests, MemoryTrimRuleTests). Loopback only;
# every step bounded. Exit code 1 when the peak passes the limit, the grains do not deactivate, or
# RSS does not come back to before + GRAIN_MEMORY_RETURN_BOUND_PERCENT (25) % of (peak - before).
# GRAIN_MEMORY_CONFIGURATION (Release), STACK_NO_BUILD=1 reuses the binaries that are there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

clinics=${GRAIN_MEMORY_CLINICS:-200}
per_clinic=${GRAIN_MEMORY_PER_CLINIC:-5000}
active=${GRAIN_MEMORY_ACTIVE:-100000}
age=${GRAIN_MEMORY_COLLECTION_AGE:-00:01:00}
trim=${GRAIN_MEMORY_TRIM:-true}
trim_wait=${GRAIN_MEMORY_TRIM_WAIT:-00:03:00}
return_bound=${GRAIN_MEMORY_RETURN_BOUND_PERCENT:-25}
out=.tmp/grain-memory
mkdir -p "$out"

# The silo's memory limit as the chart documents it: resources.limits.memory under the top-level silo key.
limit=$(awk '/^[a-z]/ { section = $1 } section == "silo:" && /limits:.*memory:/ { sub(/.*memory: */, ""); sub(/[ }].*/, ""); print; exit }' \
  deploy/helm/clinic-cluster/values.yaml)
case $limit in
  *Gi) limit_mib=$(( ${limit%Gi} * 1024 )) ;;
  *Mi) limit_mib=${limit%Mi} ;;
  *) die "cannot read the silo's memory limit from deploy/helm/clinic-cluster/values.yaml ('$limit')" ;;
esac

STACK_OUT=$out
# Only the silo (stack_build would build the API too, which this run does not start).
configuration=${GRAIN_MEMORY_CONFIGURATION:-Release}
stack_silo_dll=src/Silo/bin/$configuration/net10.0/ClinicCluster.Silo.dll
tool_dll=tools/GrainMemory/bin/$configuration/net10.0/ClinicCluster.GrainMemory.dll
if [ "${STACK_NO_BUILD:-0}" != 1 ] || [ ! -f "$stack_silo_dll" ] || [ ! -f "$tool_dll" ]; then
  echo "Building the silo and tools/GrainMemory ($configuration)..."
  dotnet build src/Silo/Silo.csproj -c "$configuration" --nologo -v quiet >/dev/null
  dotnet build tools/GrainMemory/GrainMemory.csproj -c "$configuration" --nologo -v quiet >/dev/null
fi
stack_postgres_start clinic_grain_memory
stack_migrate >/dev/null
trap stack_stop EXIT INT TERM
stack_keys "$out"
# A connection may wait a while on a loaded machine (TLS handshakes starved of CPU): 60 s, not 15.
cs="$stack_app_cs;Timeout=60"
# tool SECONDS ARGS: the GrainMemory tool with the stack's keys and runtime role, bounded in time.
tool() { local seconds=$1; shift; timeout "$seconds" env "${stack_key_env[@]}" "Postgres__ConnectionString=$cs" dotnet "$tool_dll" "$@"; }

started=$(date +%s)
tool 3600 seed --clinics "$clinics" --patients-per-clinic "$per_clinic"
seeded=$(date +%s)
stack_silo_start silo "Silo__GrainCollection__CollectionAge=$age" Silo__GrainCollection__CollectionQuantum=00:00:05 \
  "Postgres__ConnectionString=$cs" Logging__LogLevel__Default=Warning "Silo__MemoryTrim__Enabled=$trim" \
  Logging__LogLevel__ClinicCluster.Silo.Memory=Debug
stack_wait silo
echo "PostgreSQL: $(psql_owner -d "$stack_database" -c "SELECT pg_size_pretty(pg_total_relation_size('orleans.grain_state')) || ' of grain state (' || (SELECT count(*) FROM orleans.grain_state) || ' rows, ' || pg_total_relation_size('orleans.grain_state') / greatest(1, (SELECT count(*) FROM orleans.grain_state)) || ' bytes a row with its index)'")"
status=0
tool 1800 activate --silo-pid "$(stack_pid silo)" --cluster-id "$stack_cluster_id" --clinics "$clinics" \
  --patients-per-clinic "$per_clinic" --active "$active" --limit-mib "$limit_mib" \
  --trim-wait "$trim_wait" --return-bound-percent "$return_bound" | tee "$out/report.json" || status=$?
echo "Memory trims logged by the silo (Silo:MemoryTrim:Enabled=$trim):"
silo_log=stack_log_silo  # set by stack_silo_start through printf -v
grep -h "Memory trim" "${!silo_log}" || echo "  none"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "grain-memory: seed $((seeded - started)) s, activation and idle $(( $(date +%s) - seeded )) s; silo limit $limit (chart values.yaml); report $out/report.json"
exit "$status"
