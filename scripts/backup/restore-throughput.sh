#!/usr/bin/env bash
# Longer variant, not in CI (about 3-5 minutes at the default scale): measures what the RTO of a
# real-sized database is made of, on this machine. Loads pgbench data (PITR_SCALE, default 30:
# about 450 MB) into an archiving pitr-server.sh server, takes a full backup, writes WAL with a
# timed pgbench run, then restores to the end of the archive into a new data directory and
# reports: backup and restore throughput (MB/s of database), WAL generated and replay rate,
# and archive lag under write load. docs/operations/backups.md turns these into RTO/RPO.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/backup/lib.sh
source scripts/backup/lib.sh

# The drill servers sit next to scripts/postgres.sh (PGPORT_CLINIC), never on its port.
export PITR_PGPORT=${PITR_PGPORT:-$((${PGPORT_CLINIC:-55432} + 1))}
restored_port=${PITR_RESTORED_PORT:-$((PITR_PGPORT + 10))}
export PITR_ROOT=/tmp/clinic-pitr-$PITR_PGPORT-throughput
scale=${PITR_SCALE:-30}
seconds=${PITR_WRITE_SECONDS:-30}
server=scripts/backup/pitr-server.sh
bin=$(pg_bin)
trap '"$server" destroy >/dev/null 2>&1 || true' EXIT

report() { printf '%-46s %s\n' "$1" "$2"; }
sql() { "$server" psql --port "${2:-$PITR_PGPORT}" -d clinic -At -c "$1"; }

"$server" destroy >/dev/null
"$server" start >/dev/null
eval "$("$server" env)"
socket=$CLINIC_PG_SUPERUSER_SOCKET
as_server_user "$bin/pgbench" -q -i -s "$scale" -h "$socket" -p "$PITR_PGPORT" clinic >/dev/null 2>&1
size_mb=$(sql "SELECT round(pg_database_size('clinic') / 1048576.0)")
report "database size (MB)" "$size_mb"

started=$(now_seconds)
scripts/backup/db-backup.sh physical full >/dev/null
took=$(elapsed_since "$started")
report "full backup (s)" "$took"
report "full backup throughput (MB/s)" "$(awk -v s="$size_mb" -v t="$took" 'BEGIN { printf "%.0f", s / t }')"

lsn_before=$(sql "SELECT pg_current_wal_lsn()")
as_server_user "$bin/pgbench" -n -c 4 -j 2 -T "$seconds" -h "$socket" -p "$PITR_PGPORT" clinic >/dev/null 2>&1
wal_mb=$(sql "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn_before') / 1048576.0)")
report "WAL written by ${seconds} s of pgbench (MB)" "$wal_mb"
pending=$(sql "SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")
report "segments waiting for the archiver at the end" "$pending"
started=$(now_seconds)
segment=$(sql "SELECT pg_walfile_name(pg_switch_wal())")
until [ "$(sql "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver")" = t ]; do sleep 0.1; done
report "archive lag, last segment after the load (s)" "$(elapsed_since "$started")"
"$server" stop >/dev/null

target=$PITR_ROOT/pg-$restored_port/data
started=$(now_seconds)
scripts/backup/db-restore.sh physical --pg-data "$target" --latest >/dev/null
took=$(elapsed_since "$started")
report "pgBackRest restore (s)" "$took"
report "restore throughput (MB/s)" "$(awk -v s="$size_mb" -v t="$took" 'BEGIN { printf "%.0f", s / t }')"
started=$(now_seconds)
"$server" start --port "$restored_port" >/dev/null
took=$(elapsed_since "$started")
report "WAL replay and promotion (s)" "$took"
report "WAL replay rate (MB/s)" "$(awk -v s="$wal_mb" -v t="$took" 'BEGIN { printf "%.0f", s / t }')"
report "rows after restore (pgbench_accounts)" "$(sql "SELECT count(*) FROM pgbench_accounts" "$restored_port")"
