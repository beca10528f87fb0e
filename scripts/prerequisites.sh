#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, only when it is missing: curl (smoke test),
# Node.js and npm (Redocly CLI), PostgreSQL server binaries (storage and cluster tests), openssl
# (the private server's TLS certificates).
# Needs root for apt-get; prints what is missing otherwise.
set -euo pipefail

missing=()
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl) # test certificates: PostgreSQL TLS
command -v npm >/dev/null || missing+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)

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
