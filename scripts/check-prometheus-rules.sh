#!/usr/bin/env bash
# Checks the Prometheus files the Helm chart ships: alert rules (promtool check + unit tests) and
# the Prometheus Adapter / KEDA queries (each parsed by promtool as a recording rule, with the
# adapter's <<.Series>> templates filled in). Needs promtool (Debian package prometheus;
# scripts/prerequisites.sh installs it). Takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=deploy/helm/clinic-cluster/files/prometheus

command -v promtool >/dev/null || { echo "promtool is missing: run scripts/prerequisites.sh" >&2; exit 1; }

promtool check rules "$dir/alerts.yaml"
(cd "$dir" && promtool test rules alerts.test.yaml)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$dir" "$work/queries.yaml" <<'PY'
import re, sys
from pathlib import Path

directory, out = Path(sys.argv[1]), Path(sys.argv[2])

def scalars(path, key):
    """Values of `key:` lines (quoted or not) in a small YAML file; enough for our two files."""
    values = []
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*-?\s*" + key + r":\s*(.+?)\s*$", line)
        if m:
            values.append(m.group(1).strip("'\""))
    return values

queries = []
for series, query in zip(scalars(directory / "adapter-rules.yaml", "seriesQuery"),
                         scalars(directory / "adapter-rules.yaml", "metricsQuery")):
    name = series.split("{")[0]
    query = (query.replace("<<.Series>>", name)
                  .replace("<<.LabelMatchers>>", 'namespace="clinic",pod=~"p-0|p-1"')
                  .replace("<<.GroupBy>>", "namespace,pod"))
    queries += [series, query]
keda = [l.split(":", 1) for l in (directory / "keda-queries.yaml").read_text().splitlines()
        if l.strip() and not l.startswith("#")]
queries += [q.strip() for _, q in keda]
if len(keda) != 3 or len(queries) != 11:
    sys.exit(f"expected 3 KEDA queries and 4 adapter rules, found {len(keda)} and {(len(queries) - len(keda)) // 2}")

lines = ["groups:", "  - name: parse-only", "    rules:"]
for i, q in enumerate(queries):
    lines += [f"      - record: parse_check:query_{i}", "        expr: '" + q.replace("'", "''") + "'"]
out.write_text("\n".join(lines) + "\n")
PY
promtool check rules "$work/queries.yaml" >/dev/null
echo "Adapter and KEDA queries parse."
