#!/usr/bin/env bash
# Logical backup round trip (about 15 s): on a running pitr-server.sh server (PITR_PORT, default
# PITR_PGPORT) whose database "clinic" holds data, fingerprints every table (row count and a
# checksum of all rows), every sequence and the schema (relations, constraints, triggers, grants),
# dumps with db-backup.sh logical (pg_dump custom format, age-encrypted with a fresh key pair),
# checks the file is ciphertext, DROPS the database, restores it with db-restore.sh logical, and
# requires identical fingerprints. Also checks that a wrong age identity cannot restore.
# pitr-drill.sh runs it on the database it restored; stop the application hosts first (they write).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/backup/lib.sh

# The drill servers sit next to scripts/postgres.sh (PGPORT_CLINIC), never on its port.
export PITR_PGPORT=${PITR_PGPORT:-$((${PGPORT_CLINIC:-55432} + 1))}
export PITR_ROOT=${PITR_ROOT:-/tmp/clinic-pitr-$PITR_PGPORT}
port=${PITR_PORT:-$PITR_PGPORT}
server=scripts/backup/pitr-server.sh
work=$PITR_ROOT/logical
rm -rf "$work"
mkdir -p "$work"
chmod 700 "$work"
owner_password=${CLINIC_PG_OWNER_PASSWORD:-clinic-owner-dev}
owner_url="postgresql://clinic_owner:$owner_password@127.0.0.1:$port"

fail() {
  echo "logical-roundtrip: FAILED: $*" >&2
  exit 1
}

fingerprint() { # fingerprint FILE: one line per table, sequence and schema aspect
  "$server" psql --port "$port" -d clinic -At -F ' ' >"$1" <<'SQL'
SELECT format('SELECT %L, count(*), coalesce(md5(string_agg(t::text, E''\n'' ORDER BY t::text)), ''-'') FROM %s t',
              'table ' || c.oid::regclass, c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY c.oid::regclass::text \gexec
SELECT format('SELECT %L, last_value, is_called FROM %s', 'sequence ' || c.oid::regclass, c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY c.oid::regclass::text \gexec
SELECT 'schema relations', count(*), md5(string_agg(n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, ''), E'\n' ORDER BY n.nspname, c.relname))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%';
SELECT 'schema constraints', count(*), md5(string_agg(conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid), E'\n' ORDER BY conrelid::regclass::text, conname))
FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace);
SELECT 'schema triggers', count(*), md5(string_agg(tgrelid::regclass::text || ' ' || tgname || ' ' || pg_get_triggerdef(oid), E'\n' ORDER BY tgrelid::regclass::text, tgname))
FROM pg_trigger WHERE NOT tgisinternal;
SELECT 'schema functions', count(*), md5(string_agg(p.oid::regprocedure::text || ' ' || md5(p.prosrc), E'\n' ORDER BY p.oid::regprocedure::text))
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema');
SQL
}

fingerprint "$work/before.txt"
tables=$(grep -c '^table ' "$work/before.txt")
rows=$(awk '$1 == "table" { s += $3 } END { print s + 0 }' "$work/before.txt")
[ "$rows" -gt 0 ] || fail "the database holds no rows: nothing to prove"

age-keygen -o "$work/identity.txt" 2>/dev/null
age-keygen -o "$work/wrong-identity.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/identity.txt")
echo "$recipient" >"$work/recipients.txt"

started=$(now_seconds)
CLINIC_BACKUP_AGE_RECIPIENT=$recipient scripts/backup/db-backup.sh logical \
  --output "$work/clinic.dump.age" --dbname "$owner_url/clinic"
dump_seconds=$(elapsed_since "$started")

# Ciphertext: the age header, no pg_dump magic, no table or role names.
head -c 21 "$work/clinic.dump.age" | grep -q '^age-encryption.org/v1' || fail "the dump is not an age file"
for needle in PGDMP appointment_ledger clinic_app grain_state; do
  if grep -aq "$needle" "$work/clinic.dump.age"; then fail "the encrypted dump contains '$needle'"; fi
done

if CLINIC_BACKUP_AGE_IDENTITY_FILE=$work/wrong-identity.txt scripts/backup/db-restore.sh logical \
  --input "$work/clinic.dump.age" --dbname "$owner_url/postgres" >"$work/wrong-key.log" 2>&1; then
  fail "a restore with the wrong age identity succeeded"
fi
grep -q 'no identity matched' "$work/wrong-key.log" || fail "the wrong-key restore failed for another reason: $(tail -n 3 "$work/wrong-key.log")"
"$server" psql --port "$port" -d clinic -At -c 'SELECT 1' >/dev/null || fail "the failed restore touched the database"

"$server" psql --port "$port" -d postgres -c 'DROP DATABASE clinic WITH (FORCE)'
if "$server" psql --port "$port" -d clinic -c 'SELECT 1' >/dev/null 2>&1; then fail "the database was not dropped"; fi

started=$(now_seconds)
CLINIC_BACKUP_AGE_IDENTITY_FILE=$work/identity.txt scripts/backup/db-restore.sh logical \
  --input "$work/clinic.dump.age" --dbname "$owner_url/postgres"
restore_seconds=$(elapsed_since "$started")

# The chart's CronJob mode: PG* connection, timestamped files, only the newest BACKUP_KEEP kept.
mkdir -p "$work/scheduled"
for _ in 1 2; do
  PGHOST=127.0.0.1 PGPORT=$port PGUSER=clinic_owner PGPASSWORD=$owner_password PGDATABASE=clinic \
    AGE_RECIPIENTS_FILE=$work/recipients.txt BACKUP_TARGET=pvc BACKUP_DIR=$work/scheduled BACKUP_KEEP=1 \
    scripts/backup/db-backup.sh >/dev/null
  sleep 1
done
[ "$(find "$work/scheduled" -name 'clinic-*.dump.age' | wc -l)" = 1 ] || fail "the scheduled mode did not keep exactly BACKUP_KEEP=1 dump"

fingerprint "$work/after.txt"
diff -u "$work/before.txt" "$work/after.txt" || fail "the restored database differs"
echo "logical-roundtrip: PASSED: $tables tables ($rows rows), sequences and schema identical after drop + restore;" \
  "dump $dump_seconds s ($(stat -c %s "$work/clinic.dump.age") bytes), restore $restore_seconds s; wrong age key refused"
