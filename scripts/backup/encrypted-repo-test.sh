#!/usr/bin/env bash
# Encrypted repository and retention test (about 60 s): proves that the pgBackRest repositories hold ciphertext
# only, and that a restore needs the passphrase.
#
#  1. an archiving server (pitr-server.sh, compression OFF so that only the cipher can hide data)
#     with a table of random marker strings; a control backup into a cleartext repository must
#     contain the markers (so the search below can find them when they are there);
#  2. full backups to repo1 and repo2, then a marker written only to WAL (archived afterwards);
#  3. no file of either repository contains any marker, and every backup file starts with the
#     OpenSSL "Salted__" header of pgBackRest's aes-256-cbc;
#  4. retention: with repo1-retention-full=2, two more full backups expire the first and its WAL;
#  5. a restore without the passphrase and one with a wrong passphrase fail; with the right one
#     the restored server holds every marker, including the WAL-only one.
# Uses PITR_PGPORT (PGPORT_CLINIC + 1) for the server and PITR_PGPORT + 10 for the restored one.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/backup/lib.sh
source scripts/backup/lib.sh

# The drill servers sit next to scripts/postgres.sh (PGPORT_CLINIC), never on its port.
export PITR_PGPORT=${PITR_PGPORT:-$((${PGPORT_CLINIC:-55432} + 1))}
restored_port=${PITR_RESTORED_PORT:-$((PITR_PGPORT + 10))}
export PITR_ROOT=/tmp/clinic-pitr-$PITR_PGPORT-cipher
export PITR_COMPRESS_TYPE=none
server=scripts/backup/pitr-server.sh
out=$PWD/.tmp/encrypted-repo
mkdir -p "$out"
started_at=$(now_seconds)

fail() {
  echo "encrypted-repo-test: FAILED: $*" >&2
  exit 1
}
cleanup() {
  local status=$?
  "$server" destroy >/dev/null 2>&1 || true
  [ $status = 0 ] && echo "encrypted-repo-test: PASSED in $(elapsed_since "$started_at") s"
}
trap cleanup EXIT

"$server" destroy >/dev/null
"$server" start >/dev/null
eval "$("$server" env)"
conf=$PGBACKREST_CONFIG_PATH

run_id=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
marker="PHI-MARKER-$run_id"
wal_marker="WAL-ONLY-MARKER-$run_id"
"$server" psql -d clinic -c "CREATE TABLE public.cipher_markers (id int PRIMARY KEY, note text NOT NULL)" \
  -c "INSERT INTO public.cipher_markers SELECT i, '$marker-' || i || ' Jane Doe 1980-01-01' FROM generate_series(1, 500) i" \
  -c "CHECKPOINT"

contains_marker() { # contains_marker FOLDER: lists files holding any marker
  grep -rlaF -e "$marker" -e "$wal_marker" "$1" 2>/dev/null || true
}

# Control: the same backup into a cleartext repository must expose the markers.
control=$PITR_ROOT/control
mkdir -p "$control/conf.d" "$control/repo"
sed -e "s|^repo1-path=.*|repo1-path=$control/repo|" -e '/^repo1-cipher-type/d' -e '/^repo2-/d' \
  -e 's/^archive-check=y/archive-check=n/' "$conf/pgbackrest.conf" >"$control/pgbackrest.conf"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$control"
pgbackrest_cmd --config-path="$control" stanza-create >/dev/null
pgbackrest_cmd --config-path="$control" --type=full backup >/dev/null
[ -n "$(contains_marker "$control/repo")" ] || fail "the cleartext control backup does not contain the markers: the search proves nothing"
rm -rf "$control"

scripts/backup/db-backup.sh physical full >"$out/backup-repo1.log"
scripts/backup/db-backup.sh physical full --repo 2 >"$out/backup-repo2.log"
"$server" psql -d clinic -c "INSERT INTO public.cipher_markers VALUES (0, '$wal_marker')"
segment=$("$server" psql -d clinic -At -c "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 300); do
  [ "$("$server" psql -d clinic -At -c "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver")" = t ] && break
  sleep 0.1
done
# The live server's WAL holds the WAL-only marker in clear text (again: the search can see it).
[ -n "$(grep -rlaF "$wal_marker" "$PITR_ROOT/pg-$PITR_PGPORT/data/pg_wal" || true)" ] || fail "the WAL-only marker is not in pg_wal"

files=$(find "$PITR_ROOT/repo1" "$PITR_ROOT/repo2" -type f | wc -l)
leaks=$( (contains_marker "$PITR_ROOT/repo1"; contains_marker "$PITR_ROOT/repo2") | head -n 5)
[ -z "$leaks" ] || fail "marker strings found in the repository: $leaks"
archived=$(find "$PITR_ROOT/repo1/archive" -type f -name '0000*' | wc -l)
[ "$archived" -gt 0 ] || fail "no archived WAL in repo1"
plain=0
while IFS= read -r f; do
  [ "$(head -c 8 "$f")" = Salted__ ] || plain=$((plain + 1))
done < <(find "$PITR_ROOT/repo1" "$PITR_ROOT/repo2" -type f -size +0)
[ "$plain" = 0 ] || fail "$plain repository files lack the aes-256-cbc header"
echo "encrypted-repo-test: $files repository files ($archived archived WAL in repo1), none holds a marker, all encrypted"

# Retention (repo1-retention-full=2): a third full backup expires the first, and the WAL only it needed.
labels() { pgbackrest_cmd --repo=1 --output=json info | jq -r '.[0].backup[] | .label'; }
first=$(labels | head -n 1)
wal_min_before=$(pgbackrest_cmd --repo=1 --output=json info | jq -r '.[0].archive[0].min')
scripts/backup/db-backup.sh physical full >/dev/null
scripts/backup/db-backup.sh physical full >/dev/null
kept=$(labels | wc -l)
[ "$kept" = 2 ] || fail "repo1 keeps $kept full backups, the retention is 2"
if labels | grep -qx "$first"; then fail "the oldest backup $first was not expired"; fi
wal_min_after=$(pgbackrest_cmd --repo=1 --output=json info | jq -r '.[0].archive[0].min')
[[ $wal_min_after > $wal_min_before ]] || fail "archived WAL before the oldest kept backup was not expired ($wal_min_before -> $wal_min_after)"
echo "encrypted-repo-test: retention kept 2 of 3 full backups in repo1 and expired WAL up to $wal_min_after"

"$server" stop >/dev/null
target=$PITR_ROOT/pg-$restored_port/data
# Passphrase sets that must not open repository N: none at all, wrong ones, and only the other
# repository's correct one (each repository needs its own).
keyset() { # keyset NAME CONTENT
  mkdir -p "$PITR_ROOT/keys-$1.d"
  printf '%s' "$2" >"$PITR_ROOT/keys-$1.d/cipher.conf"
}
pass1=$(sed -n 's/^repo1-cipher-pass=//p' "$conf/conf.d/cipher.conf")
pass2=$(sed -n 's/^repo2-cipher-pass=//p' "$conf/conf.d/cipher.conf")
keyset none ''
keyset wrong $'[global]\nrepo1-cipher-pass=not-the-key\nrepo2-cipher-pass=not-the-key\n'
keyset only1 "$(printf '[global]\nrepo1-cipher-pass=%s\nrepo2-cipher-pass=not-the-key\n' "$pass1")"
keyset only2 "$(printf '[global]\nrepo1-cipher-pass=not-the-key\nrepo2-cipher-pass=%s\n' "$pass2")"
mkdir -p "$target"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PITR_ROOT"/keys-*.d "$PITR_ROOT/pg-$restored_port"
refused=0
for attempt in "1 none" "1 wrong" "1 only2" "2 none" "2 wrong" "2 only1"; do
  read -r repo keys <<<"$attempt"
  log=$out/restore-repo$repo-$keys.log
  if pgbackrest_cmd --config-path="$conf" --config-include-path="$PITR_ROOT/keys-$keys.d" --repo="$repo" \
    --pg1-path="$target" restore >"$log" 2>&1; then
    fail "repo$repo restored with passphrase set '$keys'"
  fi
  grep -Eq 'requires option: repo[12]-cipher-pass|unable to load info file' "$log" ||
    fail "the restore of repo$repo with '$keys' failed for another reason: $(head -n 2 "$log")"
  [ ! -f "$target/PG_VERSION" ] || fail "a failed restore from repo$repo left a data directory"
  refused=$((refused + 1))
done
echo "encrypted-repo-test: $refused restores refused (each repository without a passphrase, with a wrong one, with the other repository's)"

rmdir "$target"
scripts/backup/db-restore.sh physical --pg-data "$target" --repo 2 >/dev/null
"$server" start --port "$restored_port" >/dev/null
count=$("$server" psql --port "$restored_port" -d clinic -At -c "SELECT count(*) FILTER (WHERE note LIKE '$marker-%'), count(*) FILTER (WHERE note = '$wal_marker') FROM public.cipher_markers")
[ "$count" = "500|1" ] || fail "the restore with the passphrase holds $count marker rows, expected 500|1"
echo "encrypted-repo-test: with the passphrase, the offsite repo2 restores every marker row (500 from the backup, 1 from archived WAL)"
