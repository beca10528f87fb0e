#!/usr/bin/env bash
# Registration and name search as a clinic grows (issue 21, decision 0030): one silo and the API on
# a fresh PostgreSQL database, N registrations into one clinic with similar names (LoadGen
# "register"), the rate over the first and the last window of 10,000 (a tenth of a smaller run),
# then name search p99 at that size for a common, a shorter and a rare prefix, and a booking round
# of the same run for scale, and the onboarding import of as many patients (run twice: idempotent). REGISTER_PATIENTS (default 100000), REGISTER_CONNECTIONS (16),
# REGISTER_MAX_RUNS (6 LoadGen runs of at most 10 minutes each).
# REGISTER_DURABLE=1 turns fsync, synchronous_commit and full_page_writes on in this checkout's
# private server (scripts/postgres.sh) for the run and back off after it; otherwise the numbers are
# on that server's non-durable settings. REGISTER_SMOKE=1 is the CI version: 600 patients, Debug
# build, every request answered and every window computed (no rate is asserted: too noisy here;
# the structural check is tests/Storage.Tests/PatientIndexScaleTests.cs). The 100,000 run is by
# hand: about 10-15 minutes here. Loopback only; every step bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

smoke=${REGISTER_SMOKE:-0}
patients=${REGISTER_PATIENTS:-100000}
connections=${REGISTER_CONNECTIONS:-16}
durable=${REGISTER_DURABLE:-0}
configuration=Release
if [ "$smoke" = 1 ]; then patients=600; connections=8; durable=0; configuration=${REGISTER_CONFIGURATION:-Debug}; fi

out=.tmp/bench-register
mkdir -p "$out"
rm -f "$out"/*.json
# The stack (scripts/lib/stack.sh): one silo and the API on a fresh database of the private server.
STACK_OUT=$out STACK_LOAD=1
stack_build "$configuration" "$out/bin"
stack_postgres_start clinic_register
stack_migrate >/dev/null

stop() {
  trap - EXIT INT TERM
  stack_stop_hosts
  [ "$durable" != 1 ] || stack_durable_reset
  stack_stop
}
trap stop EXIT INT TERM

[ "$durable" != 1 ] || stack_durable_on
echo "PostgreSQL: $(stack_durable_settings)"

stack_keys "$out"
stack_silo_start silo
stack_wait silo
stack_api_start api

loadgen() { dotnet "$stack_loadgen_dll" "$@" --url "$stack_api_url" --signing-key "$STACK_SIGNING_KEY"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# LoadGen runs at most 10 minutes at a time: larger clinics are filled in consecutive runs, each
# continuing the numbering, and the windows are taken from the first and the last run.
clinic=""; done_count=0; run=0
max_runs=${REGISTER_MAX_RUNS:-6}
while [ "$done_count" -lt "$patients" ] && [ "$run" -lt "$max_runs" ]; do
  run=$((run + 1))
  left=$((patients - done_count))
  loadgen register --connections "$connections" --duration 590 --max-requests "$left" --start "$done_count" \
    ${clinic:+--clinic "$clinic"} --out "$out/register-$run.json"
  clinic=$(json "$out/register-$run.json" "d['checks']['clinic']")
  done_count=$((done_count + $(json "$out/register-$run.json" "d['checks']['created']")))
done
# Short of the target after REGISTER_MAX_RUNS runs: the figures below are for the size reached.
[ "$done_count" -ge "$patients" ] || echo "bench-register: $done_count of $patients registered in $run run(s)" >&2

for name in Smith Smi Zel; do
  loadgen search --clinic "$clinic" --name "$name" --connections 8 --duration "$([ "$smoke" = 1 ] && echo 2 || echo 15)" --out "$out/search-$name.json"
done
# The onboarding import of the same number of patients into a new clinic, 1,000 lines a request,
# then the same file again: nothing may be created twice.
chunks=$(( (patients + 999) / 1000 ))
loadgen import --connections 4 --chunk 1000 --max-requests "$chunks" --duration 590 --timeout 120 --out "$out/import.json"
import_clinic=$(json "$out/import.json" "d['checks']['clinic']")
import_run=$(json "$out/import.json" "d['checks']['runId']")
loadgen import --connections 4 --chunk 1000 --max-requests "$chunks" --duration 590 --timeout 120 \
  --clinic "$import_clinic" --run-id "$import_run" --out "$out/import-again.json"

loadgen book --connections 64 --duration "$([ "$smoke" = 1 ] && echo 2 || echo 10)" --pairs "$([ "$smoke" = 1 ] && echo 4 || echo 32)" --out "$out/book.json"

python3 - "$out" "$run" <<'PY'
import json, sys
out, runs = sys.argv[1], int(sys.argv[2])
first = json.load(open(f"{out}/register-1.json"))
last = json.load(open(f"{out}/register-{runs}.json"))
errors = 0
for f in [f"register-{i}.json" for i in range(1, runs + 1)] + ["search-Smith.json", "search-Smi.json", "search-Zel.json", "book.json", "import.json", "import-again.json"]:
    d = json.load(open(f"{out}/{f}"))
    ok = {"register": "201", "search": "200", "book": "201", "import": "200"}[d["scenario"]]
    errors += sum(v for k, v in d["statuses"].items() if k != ok) + d.get("dropped", 0)
fw, lw = first["checks"]["firstWindowPerSecond"], last["checks"]["lastWindowPerSecond"]
book = json.load(open(f"{out}/book.json"))["throughput"]
print(f"register: {sum(json.load(open(f'{out}/register-{i}.json'))['checks']['created'] for i in range(1, runs + 1))} patients in {runs} run(s), "
      f"window {first['checks']['window']}: first {fw}/s, last {lw}/s, last/first {lw / fw:.3f}; booking {book:.1f}/s, first-window registration/booking {fw / book:.3f}")
for name in ["Smith", "Smi", "Zel"]:
    d = json.load(open(f"{out}/search-{name}.json"))
    print(f"search {name!r}: {d['throughput']:.1f}/s p50 {d['latencyMs']['p50']:.2f} ms p99 {d['latencyMs']['p99']:.2f} ms")
imp, again = json.load(open(f"{out}/import.json")), json.load(open(f"{out}/import-again.json"))
print(f"import: {imp['checks']['created']} created in {imp['endedAtUnix'] - imp['startedAtUnix']:.1f} s; "
      f"again: {again['checks']['created']} created, {again['checks']['alreadyRegistered']} already registered in {again['endedAtUnix'] - again['startedAtUnix']:.1f} s")
expected = imp["checks"]["created"] + imp["checks"]["alreadyRegistered"]
if again["checks"]["created"] != 0 or again["checks"]["alreadyRegistered"] != expected or imp["checks"]["invalid"] != 0:
    errors += 1
    print("import: not idempotent, or lines refused")
print(f"errors: {errors}")
sys.exit(1 if errors else 0)
PY
