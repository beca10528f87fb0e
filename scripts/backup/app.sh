#!/usr/bin/env bash
# The application side of the backup drills: the stack of scripts/lib/stack.sh (binaries built in
# place, one silo and the API on a pitr-server.sh database named with stack_use_database) and curl
# calls with a development token. Source it after scripts/lib.sh; the drill sets drill_out.
# DRILL_APP_ENV="VAR=VALUE ..." adds settings to both hosts.
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh

# start_app SILO_NAME API_NAME: one silo on silo_port/gateway_port (kept across the restore: the
# restored membership table names the old silo at this address, and a new generation on the same
# address supersedes it at once) and the API on api_port; logs in drill_out/<name>.log.
# shellcheck disable=SC2154 # drill_out, silo_port, gateway_port and api_port belong to the drill
start_app() {
  local -a extra
  read -ra extra <<<"${DRILL_APP_ENV:-}"
  STACK_OUT=$drill_out
  stack_silo_start "$1" "Silo__SiloPort=$silo_port" "Silo__GatewayPort=$gateway_port" "${extra[@]}"
  stack_wait "$1"
  stack_api_start "$2" --port "$api_port" "${extra[@]}"
}

# api METHOD PATH EXPECTED [BODY] [IDEMPOTENCY_KEY]: prints the body; fails on another status.
# Needs api_base, token and a work folder (drill_out).
# shellcheck disable=SC2154 # api_base, token and drill_out belong to the calling drill
api() {
  local method=$1 path=$2 expected=$3 body=${4:-} key=${5:-} status
  for _ in 1 2 3 4 5 6; do
    status=$(curl -sS -o "$drill_out/body.json" -w '%{http_code}' -X "$method" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      ${key:+-H "Idempotency-Key: $key"} ${body:+-d "$body"} "$api_base$path")
    # 503: the cluster is still settling (a silo joining); 429: a rate limit. Else the answer.
    if { [ "$status" != 503 ] && [ "$status" != 429 ]; } || [ "$status" = "$expected" ]; then break; fi
    sleep 2
  done
  if [ "$status" != "$expected" ]; then
    echo "$method $path answered $status, expected $expected: $(head -c 400 "$drill_out/body.json")" >&2
    return 1
  fi
  cat "$drill_out/body.json"
}
