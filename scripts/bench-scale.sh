#!/usr/bin/env bash
# The cost of a request as a clinic's data grows (issue 21, decision 0056), outside CI: one silo and
# the API (Release) on durable PostgreSQL (fsync, synchronous_commit, full_page_writes on in the
# private server of scripts/postgres.sh, reset afterwards), one clinic of 50 providers measured at
# three sizes in one run:
#   empty  the clinic as LoadGen seeds it (50 providers, 100 patients)
#   10x    a tenth of 100x
#   100x   100,000 patients with similar names (LoadGen import: the real onboarding endpoint),
#          1,000,000 appointments over three years (the ledger's bulk seed, AuditScale
#          appointments: past ones fulfilled/cancelled/no-show, 5 % booked 130-180 days ahead),
#          1,000,000 audit events over the last year (AuditScale --add: the store's own append,
#          keyed chain; 1 % name the clinic's first patient, whose events the audit-by-patient
#          scenario pages through)
# The disclosures export is of a patient with the same 10,000 events (times the factor) at every
# size, written before the empty size and read by no other scenario: its ratio is the trail's
# growth around it, not the patient's own history.
# After each fill, VACUUM (ANALYZE) and a CHECKPOINT; then the silo and the API restart (grains load from the ledger), warm up unmeasured,
# measure both ceilings (HTTP: LoadGen ceiling; PostgreSQL: pgbench upserts, durable too), then
# every scenario on that clinic: register, MRN lookup, name search (Smi, Smith, the rare Zel), read
# patient, book, availability, provider day, patient appointments, audit by patient, audit by
# time window, disclosures export, and the sweeper's reads (AuditScale sweep: one round is one
# sweep's two ledger reads). Prints each scenario's throughput and p99 per size and the ratios
# 10x/empty and 100x/empty, marked (<) under 0.8x throughput or (>) over 1.5x p99; the
# figures and load averages in .tmp/bench-scale/summary.json. Exit code non-zero only on errors
# (an unexpected status, a failed fill), not on a missed ratio: those are findings.
#
# Settings: BENCH_SCALE_FACTOR (1: the sizes above; 0.1 makes 100x hold 10,000 patients...),
# BENCH_SCALE_AUDIT_ROWS (1000000 at 100x, before the factor), BENCH_SCALE_DURATION (10 s per
# scenario), BENCH_SCALE_WARMUP (3 s unmeasured before each), BENCH_SCALE_CONNECTIONS (16),
# STACK_NO_BUILD=1 (reuse .tmp/bench-scale/bin). BENCH_SCALE_SMOKE=1: factor 0.01, 2 s scenarios
# (not part of scripts/test.sh): 244 s with STACK_NO_BUILD=1, about 10 minutes with the build on the
# loaded shared machine (48 LoadGen starts, three host restarts). The full run took 2,140 s
# (docs/capacity.md); the smoke's ratios mean nothing (2 s windows, a 5 s JIT warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

smoke=${BENCH_SCALE_SMOKE:-0}
factor=${BENCH_SCALE_FACTOR:-1}
audit_rows=${BENCH_SCALE_AUDIT_ROWS:-1000000}
duration=${BENCH_SCALE_DURATION:-10}
warmup=${BENCH_SCALE_WARMUP:-3}
connections=${BENCH_SCALE_CONNECTIONS:-16}
jit_warmup=20
if [ "$smoke" = 1 ]; then factor=0.01; duration=2; warmup=1; jit_warmup=5; fi
providers=50
# Sizes at 100x (times the factor); 10x is a tenth. Patients in whole import chunks.
count() { python3 -c "import sys; print(int(round(float(sys.argv[1]) * float(sys.argv[2]))))" "$1" "$factor"; }
patients_100=$(count 100000) appointments_100=$(count 1000000) audit_100=$(count "$audit_rows")
chunk=1000
[ "$patients_100" -ge 10000 ] || chunk=100
[ "$patients_100" -ge "$((10 * chunk))" ] || die "bench-scale: BENCH_SCALE_FACTOR $factor leaves fewer than $((10 * chunk)) patients at 100x"

out=.tmp/bench-scale
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.txt
started=$(date +%s)
STACK_OUT=$out STACK_LOAD=1
stack_build Release "$out/bin"
if [ "${STACK_NO_BUILD:-0}" != 1 ] || [ ! -f "$out/bin/AuditScale/ClinicCluster.AuditScale.dll" ]; then
  dotnet build tools/AuditScale/AuditScale.csproj -c Release --nologo -v quiet -o "$out/bin/AuditScale" >/dev/null
fi
stack_postgres_start clinic_scale
stack_migrate >/dev/null

stop() {
  trap - EXIT INT TERM
  stack_stop_hosts
  stack_durable_reset
  stack_stop
}
trap stop EXIT INT TERM
stack_durable_on
echo "PostgreSQL: $(stack_durable_settings)"
stack_keys "$out"

loadgen() { dotnet "$stack_loadgen_dll" "$1" --url "$stack_api_url" --signing-key "$STACK_SIGNING_KEY" "${@:2}"; }
scale_tool() { dotnet "$out/bin/AuditScale/ClinicCluster.AuditScale.dll" "$@"; }
field() { jq -r "$2" "$out/$1"; }
load_average() { uptime | sed 's/.*load average: //'; }

hosts_start() {
  stack_silo_start silo
  stack_wait silo
  stack_api_start api
}

hosts_start
loadgen seed --pairs "$providers" --clinic-file "$out/clinic.json" >/dev/null
clinic=$(jq -r .id "$out/clinic.json")
first_patient=$(jq -r '.patients[0]' "$out/clinic.json")
provider_list=$(jq -r '.providers | join(",")' "$out/clinic.json")
echo "Clinic $clinic: $providers providers, $(jq '.patients | length' "$out/clinic.json") patients"
export_patient=pat-export-000001 export_events=$(count 10000)
# --hot equal to --add: every added event names (or discloses) the export patient.
scale_tool --connection "$stack_owner_cs" --chain-key-file "$out/audit-chain-keys.json" --clinic "$clinic" --add "$export_events" \
  --hot-patient "$export_patient" --hot "$export_events" --patients 100 --start "$(date -u -d '30 days ago' +%F)" --days 30 \
  --parallelism 1 --skip-queries --skip-verify | grep -E '^load:'

# fill SIZE PATIENTS APPOINTMENTS AUDIT_EVENTS: the clinic grows to that many imported patients and
# seeded appointments, and the audit trail by that many events; each step timed into fill-SIZE.json.
imported=0
fill() {
  local size=$1 patients=$2 appointments=$3 events=$4 t0 t1 t2 t3 t4
  echo "Filling to $size: $patients patients, $appointments appointments, +$events audit events..."
  t0=$(date +%s.%N)
  loadgen import --clinic-file "$out/clinic.json" --run-id scale --start "$imported" --chunk "$chunk" \
    --max-requests $(( (patients - imported) / chunk )) --connections 4 --duration 590 --timeout 120 --out "$out/$size-import.json"
  # A line whose registration timed out may have been made before its resume: it counts as already registered.
  [ "$(field "$size-import.json" '.checks.created + .checks.alreadyRegistered')" = $((patients - imported)) ] \
    || die "bench-scale: the import to $size registered $(field "$size-import.json" '.checks.created + .checks.alreadyRegistered') of $((patients - imported))"
  imported=$patients
  t1=$(date +%s.%N)
  scale_tool appointments --connection "$stack_owner_cs" --clinic "$clinic" --providers "$provider_list" --count "$appointments" | tail -n 1 | tee "$out/$size-appointments.txt"
  t2=$(date +%s.%N)
  scale_tool --connection "$stack_owner_cs" --chain-key-file "$out/audit-chain-keys.json" --clinic "$clinic" --add "$events" \
    --hot-patient "$first_patient" --hot $((events / 100)) --patients "$patients" --start "$(date -u -d '365 days ago' +%F)" --days 365 \
    --parallelism 1 --skip-queries --skip-verify | grep -E '^(load|storage):' | tee "$out/$size-audit.txt"
  t3=$(date +%s.%N)
  # What autovacuum and the checkpointer would do in the hours after an import: the fill's own
  # I/O stays out of the size's measurements, and the planner has statistics for what it wrote.
  psql_owner -d "$stack_database" -c "VACUUM (ANALYZE)" 2>/dev/null
  psql_super -c "CHECKPOINT" >/dev/null
  t4=$(date +%s.%N)
  jq -n --argjson i "$(echo "$t1 - $t0" | bc)" --argjson a "$(echo "$t2 - $t1" | bc)" --argjson e "$(echo "$t3 - $t2" | bc)" \
    --argjson v "$(echo "$t4 - $t3" | bc)" --argjson p "$patients" --argjson n "$appointments" --argjson ev "$events" \
    '{patients: $p, appointments: $n, auditEventsAdded: $ev, importSeconds: $i, appointmentsSeconds: $a, auditSeconds: $e, vacuumSeconds: $v}' >"$out/fill-$size.json"
  # The grains load what was written beneath them: a restart, as after a deployment.
  stack_stop_hosts
  hosts_start
}

# measure SIZE INDEX: warm-up, ceilings, then every scenario on the clinic, into SIZE-*.json.
measure() {
  local size=$1 index=$2 name
  echo "Measuring $size (load average $(load_average))..."
  load_average >"$out/$size-load-before.txt"
  loadgen mixed --connections "$connections" --duration "$jit_warmup" --pairs 8 --out "$out/$size-jit-warmup.json" >/dev/null
  loadgen ceiling --connections "$connections" --duration "$duration" --warmup "$warmup" --out "$out/$size-ceiling-http.json"
  echo "pgbench upsert (durable): $(stack_pgbench_ceiling "$out/$size-pgbench.txt" "$connections" "$duration" | tee "$out/$size-pgbench-tps.txt") tps"
  run() { name=$1; shift; loadgen "$@" --connections "${connections_override:-$connections}" --duration "$duration" --warmup "$warmup" --out "$out/$size-$name.json"; }
  run register register --clinic-file "$out/clinic.json" --max-requests 1000000
  run mrn mrn --clinic-file "$out/clinic.json"
  for prefix in Smi Smith Zel; do run "search-$prefix" search --clinic-file "$out/clinic.json" --name "$prefix"; done
  run read-patient read-patient --clinic-file "$out/clinic.json"
  # Each size books its own 40 days of slots from tomorrow on (800 slots a provider).
  run book book --clinic-file "$out/clinic.json" --start $((index * 40000))
  run availability availability --clinic-file "$out/clinic.json"
  run provider-day provider-day --clinic-file "$out/clinic.json"
  run patient-appointments patient-appointments --clinic-file "$out/clinic.json"
  run audit-patient audit-patient --clinic-file "$out/clinic.json"
  run audit-window audit-window --clinic-file "$out/clinic.json"
  connections_override=4 run disclosures disclosures --clinic-file "$out/clinic.json" --patient "$export_patient" --timeout 120
  # The sweeper's reads (AuditScale sweep): one round is one sweep of the clinic, as its timer does.
  scale_tool sweep --connection "$stack_owner_cs" --clinic "$clinic" --key-ring-file "$out/phi-key-ring.json" --rounds 500 --out "$out/$size-sweep.json"
  load_average >"$out/$size-load-after.txt"
}

measure empty 0
fill 10x $((patients_100 / 10)) $((appointments_100 / 10)) $((audit_100 / 10))
measure 10x 1
fill 100x "$patients_100" "$appointments_100" $((audit_100 - audit_100 / 10))
measure 100x 2
echo "Whole run: $(( $(date +%s) - started )) s"

python3 - "$out" "$(( $(date +%s) - started ))" <<'PY'
import json, sys
out, seconds = sys.argv[1], int(sys.argv[2])
sizes = ["empty", "10x", "100x"]
scenarios = ["register", "mrn", "search-Smi", "search-Smith", "search-Zel", "read-patient", "book", "availability",
             "provider-day", "patient-appointments", "audit-patient", "audit-window", "disclosures", "sweep"]
expected = {"register": "201", "book": "201"}
load = lambda f: json.load(open(f"{out}/{f}"))
text = lambda f: open(f"{out}/{f}").read().strip()
summary = {"seconds": seconds, "sizes": {}, "scenarios": {}}
errors = []
for size in sizes:
    s = {"loadAverageBefore": text(f"{size}-load-before.txt"), "loadAverageAfter": text(f"{size}-load-after.txt"),
         "httpCeiling": round(load(f"{size}-ceiling-http.json")["throughput"], 1), "pgbenchTps": float(text(f"{size}-pgbench-tps.txt") or 0)}
    if size != "empty":
        s["fill"] = load(f"fill-{size}.json")
        s["fill"]["appointmentsReport"] = text(f"{size}-appointments.txt")
        s["fill"]["auditReport"] = text(f"{size}-audit.txt")
    summary["sizes"][size] = s
for name in scenarios:
    row = {}
    for size in sizes:
        d = load(f"{size}-{name}.json")
        ok = expected.get(name, "200")
        bad = {k: v for k, v in d["statuses"].items() if k != ok}
        if bad or d.get("dropped", 0):
            errors.append(f"{size} {name}: statuses {d['statuses']} dropped {d.get('dropped', 0)}")
        row[size] = {"throughput": round(d["throughput"], 1), "p99": round(d["latencyMs"]["p99"], 2), "statuses": d["statuses"]}
    for size in sizes[1:]:
        base = row["empty"]
        row[size]["throughputRatio"] = round(row[size]["throughput"] / base["throughput"], 3) if base["throughput"] else None
        row[size]["p99Ratio"] = round(row[size]["p99"] / base["p99"], 3) if base["p99"] else None
    summary["scenarios"][name] = row
summary["errors"] = errors
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)

def mark(r, limit, below):
    if r is None:
        return "  n/a"
    return f"{r:5.2f}{'<' if below and r < limit else '>' if not below and r > limit else ' '}"
print()
print("| Size | patients | appointments | load average (1/5/15 min, before -> after) | HTTP ceiling req/s | pgbench tps (durable) |")
print("|---|---|---|---|---|---|")
for size in sizes:
    s = summary["sizes"][size]
    fill = s.get("fill", {})
    print(f"| {size} | {fill.get('patients', 0):,} imported | {fill.get('appointments', 0):,} seeded | {s['loadAverageBefore']} -> {s['loadAverageAfter']} | {s['httpCeiling']:,.0f} | {s['pgbenchTps']:,.0f} |")
print()
print("| Scenario | empty req/s | p99 ms | 10x req/s | p99 ms | 100x req/s | p99 ms | 10x/empty req/s | p99 | 100x/empty req/s | p99 |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, row in summary["scenarios"].items():
    cells = [f"{row[s]['throughput']:,.1f} | {row[s]['p99']:,.1f}" for s in sizes]
    ratios = [f"{mark(row[s]['throughputRatio'], 0.8, True)} | {mark(row[s]['p99Ratio'], 1.5, False)}" for s in sizes[1:]]
    print(f"| {name} | {' | '.join(cells)} | {' | '.join(ratios)} |")
print("(< throughput below 0.8x of empty, > p99 above 1.5x of empty)")
for e in errors:
    print("error:", e)
sys.exit(1 if errors else 0)
PY
