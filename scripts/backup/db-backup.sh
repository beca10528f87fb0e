#!/usr/bin/env bash
# Takes a backup of the Clinic Cluster database. `make db-backup` calls this script.
#
#   db-backup.sh physical [full|diff|incr] [--repo N]
#       pgBackRest backup of the stanza (default: incr; pgBackRest takes a full one when the
#       repository has none). Without --repo it backs up to repo1; run it again with --repo 2 for
#       the offsite copy. Expires backups beyond the retention policy afterwards, and prints
#       `pgbackrest info`. Run it on the database host (or a host reaching it over SSH/TLS).
#   db-backup.sh logical --output FILE [--dbname CONNINFO]
#       pg_dump, custom format, piped through age: the dump is never on disk in clear text.
#       For small installations and migrations. FILE conventionally ends in .dump.age.
#   db-backup.sh scheduled          (also: no arguments with BACKUP_TARGET set; the chart's CronJob)
#       logical dump to BACKUP_DIR/clinic-<UTC time>.dump.age, keeping the BACKUP_KEEP newest
#       (default 14); with BACKUP_TARGET=s3 the file then goes to BACKUP_S3_URL (aws CLI) and the
#       bucket's lifecycle rule expires old ones. Connection from the PG* variables.
#   db-backup.sh check
#       pgbackrest check (archiving works end to end: a WAL segment is pushed and found) and info.
#
# Environment:
#   PGBACKREST_CONFIG_PATH   folder with pgbackrest.conf and conf.d/ (default /etc/pgbackrest)
#   PGBACKREST_STANZA        stanza name (default clinic)
#   CLINIC_BACKUP_DATABASE_URL   logical: libpq connection string of the schema owner
#                            (else --dbname, else the PG* variables libpq reads)
#   CLINIC_BACKUP_AGE_RECIPIENTS_FILE   logical: age recipients file (public keys; alias
#                            AGE_RECIPIENTS_FILE), or
#   CLINIC_BACKUP_AGE_RECIPIENT         one age public key (age1...)
# Exit codes: 0 done, 1 a step failed, 64 usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/backup/lib.sh
source "$here/lib.sh"

physical() {
  local type=incr repo=()
  while [ $# -gt 0 ]; do
    case $1 in
      full | diff | incr) type=$1 ;;
      --repo) repo=(--repo="${2:?--repo needs a number}"); shift ;;
      *) usage ;;
    esac
    shift
  done
  local started
  started=$(now_seconds)
  pgbackrest_cmd "${repo[@]}" --type="$type" backup
  echo "db-backup: $type backup of stanza $PGBACKREST_STANZA${repo:+ (${repo[*]})} took $(elapsed_since "$started") s"
  pgbackrest_cmd "${repo[@]}" expire
  pgbackrest_cmd "${repo[@]}" info
}

recipients() {
  : "${CLINIC_BACKUP_AGE_RECIPIENTS_FILE:=${AGE_RECIPIENTS_FILE:-}}"
  if [ -n "${CLINIC_BACKUP_AGE_RECIPIENTS_FILE:-}" ]; then
    [ -r "$CLINIC_BACKUP_AGE_RECIPIENTS_FILE" ] || die "cannot read $CLINIC_BACKUP_AGE_RECIPIENTS_FILE"
    echo "-R"
    echo "$CLINIC_BACKUP_AGE_RECIPIENTS_FILE"
  elif [ -n "${CLINIC_BACKUP_AGE_RECIPIENT:-}" ]; then
    echo "-r"
    echo "$CLINIC_BACKUP_AGE_RECIPIENT"
  else
    die "set CLINIC_BACKUP_AGE_RECIPIENTS_FILE or CLINIC_BACKUP_AGE_RECIPIENT: a dump is never written unencrypted"
  fi
}

logical() {
  local output="" dbname=${CLINIC_BACKUP_DATABASE_URL:-}
  while [ $# -gt 0 ]; do
    case $1 in
      --output) output=${2:?--output needs a file}; shift ;;
      --dbname) dbname=${2:?--dbname needs a connection string}; shift ;;
      *) usage ;;
    esac
    shift
  done
  [ -n "$output" ] || usage
  command -v age >/dev/null || die "age is not installed (scripts/prerequisites.sh installs it)."
  local age_args started bin
  mapfile -t age_args < <(recipients)
  bin=$(pg_bin)
  started=$(now_seconds)
  # Written next to the target and renamed at the end, so a failed dump never looks like a good one.
  local partial="$output.partial"
  (umask 077 && set -o pipefail &&
    "$bin/pg_dump" --format=custom --compress=6 ${dbname:+--dbname="$dbname"} |
      age --encrypt "${age_args[@]}" -o "$partial") || {
    rm -f "$partial"
    die "pg_dump or age failed; no dump written"
  }
  mv "$partial" "$output"
  echo "db-backup: logical dump $output ($(stat -c %s "$output") bytes, age-encrypted) took $(elapsed_since "$started") s"
}

scheduled() {
  local target=${BACKUP_TARGET:-pvc} dir=${BACKUP_DIR:-} keep=${BACKUP_KEEP:-14} file
  [[ $keep =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a positive number"
  if [ -z "$dir" ]; then
    [ "$target" = s3 ] || die "set BACKUP_DIR (the mounted volume)"
    dir=$(mktemp -d)
  fi
  file=$dir/clinic-$(date -u +%Y%m%dT%H%M%SZ).dump.age
  logical --output "$file"
  case $target in
    pvc)
      # Newest first by name (the UTC time in it); only our own files are ever removed.
      find "$dir" -maxdepth 1 -name 'clinic-*.dump.age' -printf '%f\n' | sort -r | tail -n +$((keep + 1)) |
        while read -r old; do rm -f -- "$dir/$old"; echo "db-backup: removed old dump $old"; done
      ;;
    s3)
      [ -n "${BACKUP_S3_URL:-}" ] || die "set BACKUP_S3_URL (s3://bucket/prefix)"
      command -v aws >/dev/null || die "the aws CLI is needed for BACKUP_TARGET=s3"
      aws s3 cp --only-show-errors "$file" "${BACKUP_S3_URL%/}/$(basename "$file")"
      rm -f "$file"
      echo "db-backup: uploaded to ${BACKUP_S3_URL%/}/$(basename "$file")"
      ;;
    *) die "BACKUP_TARGET must be pvc or s3, not $target" ;;
  esac
}

if [ $# = 0 ] && [ -n "${BACKUP_TARGET:-}" ]; then
  set -- scheduled
fi
case ${1:-} in
  physical) shift; physical "$@" ;;
  logical) shift; logical "$@" ;;
  scheduled) scheduled ;;
  check) pgbackrest_cmd check && pgbackrest_cmd info ;;
  *) usage ;;
esac
