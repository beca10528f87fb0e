#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, only when it is missing: curl (smoke test),
# Node.js and npm (Redocly CLI, chart checks), PostgreSQL server binaries with pgbench (storage
# and cluster tests, the load tool's smoke and scripts/bench.sh), pgBackRest, age and jq (the
# backup drills in scripts/backup/), unzip, python3, yamllint and shellcheck (chart checks),
# Prometheus and promtool (alert rule tests, the observability scrape test), Chromium (the
# dashboard test), openssl (the private server's TLS certificates), and for the production
# rehearsal (scripts/rehearse.sh) docker.io (started here when no daemon runs), debootstrap (local
# base images) and PyYAML (the pod-spec converter), and for compose.yaml (scripts/compose.sh)
# Debian's docker-compose (v1; the docker.io package has no `docker compose` plugin).
# Needs root for apt-get; prints what is missing otherwise.
set -euo pipefail

missing=()
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl) # test certificates: PostgreSQL TLS
command -v npm >/dev/null || missing+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbackrest >/dev/null || missing+=(pgbackrest)
command -v age >/dev/null || missing+=(age)
command -v jq >/dev/null || missing+=(jq)
command -v unzip >/dev/null || missing+=(unzip)
command -v python3 >/dev/null || missing+=(python3)
command -v yamllint >/dev/null || missing+=(yamllint)
command -v shellcheck >/dev/null || missing+=(shellcheck)
{ command -v prometheus >/dev/null && command -v promtool >/dev/null; } || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
# The daemon decides, not the client: a machine can carry a docker client without Debian's daemon.
{ command -v docker >/dev/null && command -v dockerd >/dev/null; } || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing: ${missing[*]}. Install them (apt-get install -y ${missing[*]}) or run as root." >&2
    exit 1
  fi
  echo "Installing ${missing[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Redocly CLI for the OpenAPI lint, from the committed lock file.
if [ ! -x tools/openapi-lint/node_modules/.bin/redocly ]; then
  (cd tools/openapi-lint && npm ci --legacy-peer-deps --no-audit --no-fund --silent)
fi

# The rehearsal's Docker daemon: started when none answers (CI runs on a machine where nothing
# else started it), left running for the rest of the test run.
if [ "$(id -u)" = 0 ] && ! docker info >/dev/null 2>&1; then
  mkdir -p .tmp
  echo "Starting dockerd (log: .tmp/dockerd.log)..."
  nohup dockerd >.tmp/dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start: $(tail -3 .tmp/dockerd.log)" >&2; exit 1; }
fi
