#!/usr/bin/env bash
# Shared helpers of the backup scripts. Source it; it defines functions and a few variables only.
#
# pgBackRest reads its own settings: PGBACKREST_CONFIG_PATH (a folder holding pgbackrest.conf and a
# conf.d/ with the repository cipher passphrases; default /etc/pgbackrest) and PGBACKREST_STANZA
# (default "clinic"). Everything pgBackRest does runs as the OS user that owns the data directory:
# "postgres" when we are root, ourselves otherwise.

backup_die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

: "${PGBACKREST_STANZA:=clinic}"
export PGBACKREST_STANZA

# The newest installed PostgreSQL's bin folder (the client programs match the server we drill on).
pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] || backup_die "PostgreSQL binaries not found under /usr/lib/postgresql (scripts/prerequisites.sh installs them)."
  echo "$dir"
}

server_user() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# Runs a command as the server's OS user, keeping the environment (pgBackRest options, PG*).
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pgbackrest_cmd() {
  command -v pgbackrest >/dev/null || backup_die "pgbackrest is not installed (scripts/prerequisites.sh installs it)."
  as_server_user pgbackrest "$@"
}

# Seconds since the epoch with milliseconds, for the measured numbers the drills print.
now_seconds() {
  date +%s.%3N
}

elapsed_since() {
  awk -v a="$1" -v b="$(now_seconds)" 'BEGIN { printf "%.1f", b - a }'
}
