#!/usr/bin/env bash
# Shared helpers of the backup scripts. Source it; it defines functions and a few variables only.
#
# pgBackRest reads its own settings: PGBACKREST_CONFIG_PATH (a folder holding pgbackrest.conf and a
# conf.d/ with the repository cipher passphrases; default /etc/pgbackrest) and PGBACKREST_STANZA
# (default "clinic"). Everything pgBackRest does runs as the OS user that owns the data directory:
# "postgres" when we are root, ourselves otherwise.

# die, pg_bin, server_user and as_server_user: scripts/lib.sh in the repository; the backup image
# ships this folder flat, with that file beside this one as common.sh (scripts/image.sh).
backup_lib_dir=$(dirname "${BASH_SOURCE[0]}")
if [ -f "$backup_lib_dir/common.sh" ]; then
  # shellcheck source=scripts/lib.sh
  source "$backup_lib_dir/common.sh"
else
  # shellcheck source=scripts/lib.sh
  source "$backup_lib_dir/../lib.sh"
fi

: "${PGBACKREST_STANZA:=clinic}"
export PGBACKREST_STANZA

# usage: the calling script's header comment on stderr, exit 64.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 64
}

pgbackrest_cmd() {
  command -v pgbackrest >/dev/null || die "pgbackrest is not installed (scripts/prerequisites.sh installs it)."
  as_server_user pgbackrest "$@"
}

# Seconds since the epoch with milliseconds, for the measured numbers the drills print.
now_seconds() {
  date +%s.%3N
}

elapsed_since() {
  awk -v a="$1" -v b="$(now_seconds)" 'BEGIN { printf "%.1f", b - a }'
}
