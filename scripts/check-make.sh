#!/usr/bin/env bash
# The Makefile works: every target `make help` lists dry-runs (`make -n`) and the scripts it would
# run exist; every target the Makefile defines is listed; the cheap ones run for real: `help`, the
# usage guards of `db-backup` and `db-restore` (exit 64 through make's 2, nothing touched), and
# `db-start` + `db-stop` on a private PostgreSQL port of its own. Ends with
# "check-make: N passed, N failed". About 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# A port of its own, so a developer's or another run's server on PGPORT_CLINIC is never touched.
port=$(free_port)
export PGPORT_CLINIC=$port

help=$(make help 2>&1) || { echo "$help"; die "make help failed"; }
pass "make help"
mapfile -t listed < <(sed -n 's/^  make \([a-z][a-z-]*\) .*/\1/p' <<<"$help")
mapfile -t defined < <(sed -n 's/^\([a-z][a-z-]*\):.*/\1/p' Makefile)
unlisted=$(comm -13 <(printf '%s\n' "${listed[@]}" | sort) <(printf '%s\n' "${defined[@]}" | sort))
if [ -z "$unlisted" ]; then pass "make help lists all ${#defined[@]} targets"; else fail "make help does not list: $unlisted"; fi

problems=()
for target in "${listed[@]}"; do
  if ! dry=$(make -n "$target" 2>&1); then
    problems+=("make -n $target: $dry")
    continue
  fi
  while read -r path; do
    [ -z "$path" ] || [ -f "$path" ] || problems+=("make $target runs $path, which does not exist")
  done < <(grep -oE '(^|[^/[:alnum:]_.-])scripts/[[:alnum:]_./-]+\.sh' <<<"$dry" | sed 's/^[^s]*//' | sort -u)
done
if [ ${#problems[@]} = 0 ]; then pass "make -n for all ${#listed[@]} listed targets; the scripts they run exist"; else fail "make -n"; printf '       %s\n' "${problems[@]}"; fi

# The guards answer with their usage before anything runs.
for target in db-backup db-restore; do
  status=0
  output=$(make -s "$target" BACKUP= DBNAME= 2>&1) || status=$?
  if [ "$status" = 2 ] && grep -q "^usage: make $target" <<<"$output"; then pass "make $target without BACKUP prints its usage"; else fail "make $target without BACKUP: exit $status: $output"; fi
done

cleanup() { scripts/postgres.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
if make -s db-start >/dev/null && scripts/postgres.sh status >/dev/null; then pass "make db-start (port $port)"; else fail "make db-start (port $port)"; fi
if make -s db-stop >/dev/null && ! scripts/postgres.sh status >/dev/null && [ ! -e "/tmp/clinic-pg-$port" ]; then pass "make db-stop (port $port)"; else fail "make db-stop (port $port)"; fi

echo "check-make: $passed passed, $failed failed"
[ "$failed" = 0 ]
