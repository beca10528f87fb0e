#!/usr/bin/env bash
# Restores the Clinic Cluster database. `make db-restore` calls this script.
#
#   db-restore.sh physical --pg-data DIR [--target-time TIME | --latest] [--repo N] [--set LABEL]
#       pgBackRest restore into DIR (absent or empty: never over a live data directory), then
#       recovery replays archived WAL up to TIME and promotes (a new timeline). TIME is what
#       PostgreSQL accepts for recovery_target_time, with a zone: '2026-12-02 05:41:07.123+00'.
#       pgBackRest picks the newest backup that ended before TIME. --latest replays all archived
#       WAL (the default). Does not start the server: start it with its own port and settings
#       (the drill: scripts/backup/pitr-server.sh start --port P).
#   db-restore.sh logical --input FILE --dbname CONNINFO [--drop-existing]
#       age --decrypt | pg_restore: recreates the dumped database (CREATE DATABASE from the dump)
#       while connected to CONNINFO, a maintenance database such as postgres, as a role with
#       CREATEDB (the schema owner). --drop-existing drops the database first; without it an
#       existing database makes the restore fail. The runtime roles (clinic_app...) must exist.
#
# Environment:
#   PGBACKREST_CONFIG_PATH, PGBACKREST_STANZA   as for db-backup.sh
#   CLINIC_BACKUP_AGE_IDENTITY_FILE   logical: the age identity (private key) file
# Exit codes: 0 restored, 1 a step failed, 64 usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/backup/lib.sh
source "$here/lib.sh"

physical() {
  local data="" target=() extra=()
  while [ $# -gt 0 ]; do
    case $1 in
      --pg-data) data=${2:?--pg-data needs a folder}; shift ;;
      --target-time) target=(--type=time "--target=${2:?--target-time needs a time}" --target-action=promote); shift ;;
      --latest) target=() ;;
      --repo) extra+=(--repo="${2:?--repo needs a number}"); shift ;;
      --set) extra+=(--set="${2:?--set needs a backup label}"); shift ;;
      *) usage ;;
    esac
    shift
  done
  [ -n "$data" ] || usage
  if [ -d "$data" ] && [ -n "$(ls -A "$data")" ]; then
    die "$data is not empty; restore into a new folder (never over a live data directory)"
  fi
  as_server_user mkdir -p "$data"
  chmod 700 "$data"
  local started
  started=$(now_seconds)
  # Options given on the command line are copied into the restore_command pgBackRest writes, so
  # the recovering server finds the same configuration whatever its environment.
  local config=()
  [ -n "${PGBACKREST_CONFIG_PATH:-}" ] && config=(--config-path="$PGBACKREST_CONFIG_PATH")
  pgbackrest_cmd "${config[@]}" --stanza="$PGBACKREST_STANZA" "${extra[@]}" --pg1-path="$data" "${target[@]}" restore
  echo "db-restore: pgBackRest restore into $data took $(elapsed_since "$started") s"
}

logical() {
  local input="" dbname="" clean=()
  while [ $# -gt 0 ]; do
    case $1 in
      --input) input=${2:?--input needs a file}; shift ;;
      --dbname) dbname=${2:?--dbname needs a connection string}; shift ;;
      --drop-existing) clean=(--clean --if-exists) ;;
      *) usage ;;
    esac
    shift
  done
  if [ -z "$input" ] || [ -z "$dbname" ]; then usage; fi
  [ -r "$input" ] || die "cannot read $input"
  [ -r "${CLINIC_BACKUP_AGE_IDENTITY_FILE:-}" ] || die "set CLINIC_BACKUP_AGE_IDENTITY_FILE to the age identity (private key) file"
  command -v age >/dev/null || die "age is not installed (scripts/prerequisites.sh installs it)."
  local bin started
  bin=$(pg_bin)
  started=$(now_seconds)
  # Decrypted only in the pipe. --exit-on-error: a partial restore is a failed restore.
  (set -o pipefail &&
    age --decrypt -i "$CLINIC_BACKUP_AGE_IDENTITY_FILE" "$input" |
      "$bin/pg_restore" --create "${clean[@]}" --exit-on-error --dbname="$dbname") ||
    die "age or pg_restore failed"
  echo "db-restore: logical restore of $input took $(elapsed_since "$started") s"
}

case ${1:-} in
  physical) shift; physical "$@" ;;
  logical) shift; logical "$@" ;;
  *) usage ;;
esac
