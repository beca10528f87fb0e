#!/usr/bin/env bash
# A private PostgreSQL server for development and the storage tests: its own data directory under
# /tmp, listening on 127.0.0.1 only, never the machine's default cluster.
#
#   scripts/postgres.sh start    initdb if needed, start, create database "clinic" and the roles
#   scripts/postgres.sh status   exit 0 when running, 3 when not
#   scripts/postgres.sh env      print export lines: CLINIC_PG_OWNER, CLINIC_PG_APP, CLINIC_PG_API,
#                                CLINIC_PG_RETENTION (Npgsql strings), CLINIC_PG_CA (the CA file
#                                that signed the server's TLS certificate)
#   scripts/postgres.sh restart  fast shutdown and start on the same data (durability tests)
#   scripts/postgres.sh stop     stop the server and delete its data directory
#
# Port: PGPORT_CLINIC (55432). Passwords (local testing only): CLINIC_PG_OWNER_PASSWORD,
# CLINIC_PG_APP_PASSWORD, CLINIC_PG_API_PASSWORD, CLINIC_PG_RETENTION_PASSWORD. Roles: clinic_owner
# owns the database and runs migrations (it may create databases, for the tests' throwaway ones);
# clinic_app is the silo's runtime role, clinic_api the API's (gateway list and audit enqueue only),
# clinic_retention the only role that may truncate or drop audit history; each gets only what
# migrations grant it. Run as root, the server runs as the "postgres" OS user.
set -euo pipefail

port=${PGPORT_CLINIC:-55432}
owner_password=${CLINIC_PG_OWNER_PASSWORD:-clinic-owner-dev}
app_password=${CLINIC_PG_APP_PASSWORD:-clinic-app-dev}
api_password=${CLINIC_PG_API_PASSWORD:-clinic-api-dev}
retention_password=${CLINIC_PG_RETENTION_PASSWORD:-clinic-retention-dev}
database=clinic
root=/tmp/clinic-pg-$port
data=$root/data
socket_dir=$root/socket
tls_dir=$root/tls
log=$root/server.log
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $port =~ ^[0-9]+$ ]] || die "PGPORT_CLINIC must be a port number, not '$port'."

# pg_bin (the newest installed server, installed when missing and we are root), server_user,
# as_server_user and die come from lib.sh.
is_running() {
  [ -f "$data/PG_VERSION" ] && as_server_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# psql over the private unix socket as the bootstrap superuser (trust on a socket only we can reach).
superuser_psql() {
  as_server_user "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$port" -U "$(server_user)" "$@"
}

init_cluster() {
  mkdir -p "$root"
  chmod 700 "$root"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$root"
  fi
  as_server_user mkdir -p "$socket_dir"
  rm -rf "$data" # what a failed initdb left behind; we only get here without PG_VERSION
  as_server_user "$bin/initdb" -D "$data" -U "$(server_user)" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # Loopback TCP for clients, a private socket for this script. The durability settings are off
  # because this server holds only throwaway development and test data; they make tests faster.
  as_server_user tee -a "$data/postgresql.conf" >/dev/null <<CONF

# scripts/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
}

# TLS is always on: a throwaway CA and a server certificate for 127.0.0.1 and localhost, made with
# openssl the first time, so clients can connect with SSL Mode=VerifyFull and this CA.
ensure_tls() {
  [ -f "$tls_dir/server.crt" ] && return 0
  command -v openssl >/dev/null || die "openssl is needed for the server's TLS certificate (scripts/prerequisites.sh installs it)."
  mkdir -p "$tls_dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=clinic-cluster test CA $port" \
    -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls_dir/server.key" -out "$tls_dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls_dir/server.ext"
  openssl x509 -req -in "$tls_dir/server.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" -CAcreateserial \
    -days 30 -extfile "$tls_dir/server.ext" -out "$tls_dir/server.crt" 2>/dev/null
  rm -f "$tls_dir/server.csr" "$tls_dir/server.ext" "$tls_dir/ca.key" "$tls_dir/ca.srl"
  chmod 755 "$tls_dir"
  chmod 644 "$tls_dir/ca.crt" "$tls_dir/server.crt"
  chmod 600 "$tls_dir/server.key"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$tls_dir"
  fi
  as_server_user tee -a "$data/postgresql.conf" >/dev/null <<CONF
ssl = on
ssl_cert_file = '$tls_dir/server.crt'
ssl_key_file = '$tls_dir/server.key'
ssl_min_protocol_version = 'TLSv1.2'
CONF
}

# Roles and database; safe to run on every start. Passwords go through psql variables, never
# through string concatenation.
provision() {
  superuser_psql -d postgres -v owner_pw="$owner_password" -v app_pw="$app_password" \
    -v api_pw="$api_password" -v retention_pw="$retention_password" <<'SQL'
SELECT format('CREATE ROLE clinic_owner LOGIN CREATEDB PASSWORD %L', :'owner_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_owner') \gexec
SELECT format('CREATE ROLE clinic_app LOGIN PASSWORD %L', :'app_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') \gexec
SELECT format('ALTER ROLE clinic_owner LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD %L', :'owner_pw') \gexec
SELECT format('ALTER ROLE clinic_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app_pw') \gexec
SELECT format('CREATE ROLE clinic_api LOGIN PASSWORD %L', :'api_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_api') \gexec
SELECT format('ALTER ROLE clinic_api LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'api_pw') \gexec
SELECT format('CREATE ROLE clinic_retention LOGIN PASSWORD %L', :'retention_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') \gexec
SELECT format('ALTER ROLE clinic_retention LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'retention_pw') \gexec
-- The providers' bootstrap query names the Orleans query table without a schema.
ALTER ROLE clinic_app SET search_path = orleans;
ALTER ROLE clinic_api SET search_path = orleans;
SELECT 'CREATE DATABASE clinic OWNER clinic_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'clinic') \gexec
SQL
}

start() {
  if [ ! -f "$data/PG_VERSION" ]; then
    init_cluster
  fi
  if [ ! -f "$tls_dir/server.crt" ]; then
    ensure_tls
    # A server started before TLS was added picks it up on reload (ssl is a reloadable setting).
    if is_running; then
      as_server_user "$bin/pg_ctl" -D "$data" reload >/dev/null
      sleep 1
    fi
  fi
  if ! is_running; then
    # 9>&-: the server must not inherit (and so hold forever) this script's lock.
    if ! as_server_user "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 9>&-; then
      tail -n 20 "$log" >&2 || true
      die "the server did not start (port $port in use?); log: $log"
    fi
  fi
  provision
  echo "PostgreSQL is running on 127.0.0.1:$port (data: $data)."
}

stop() {
  if is_running; then
    as_server_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
  # Only ever this script's own folder.
  case $root in
    /tmp/clinic-pg-[0-9]*) rm -rf "$root" ;;
    *) die "refusing to delete $root" ;;
  esac
  echo "PostgreSQL on port $port stopped and its data removed."
}

connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' "$port" "$database" "$1" "$2"
}

# Single-quoted for the shell: readable, and eval-safe even if a password holds a quote.
quote() {
  local q="'\\''"
  printf "'%s'" "${1//\'/$q}"
}

env_lines() {
  echo "export CLINIC_PG_OWNER=$(quote "$(connection_string clinic_owner "$owner_password")")"
  echo "export CLINIC_PG_APP=$(quote "$(connection_string clinic_app "$app_password")")"
  echo "export CLINIC_PG_CA=$(quote "$tls_dir/ca.crt")"
  echo "export CLINIC_PG_API=$(quote "$(connection_string clinic_api "$api_password")")"
  echo "export CLINIC_PG_RETENTION=$(quote "$(connection_string clinic_retention "$retention_password")")"
  # The bootstrap superuser over the private socket (trust): for tests that play an intruder.
  echo "export CLINIC_PG_SUPERUSER=$(quote "Host=$socket_dir;Port=$port;Database=clinic;Username=$(server_user)")"
}

# Test runs and developers may call start or stop at the same moment: one at a time per port.
lock() {
  if command -v flock >/dev/null; then
    exec 9>"/tmp/clinic-pg-$port.lock"
    flock -w 120 9 || die "another postgres.sh holds /tmp/clinic-pg-$port.lock"
  fi
}

case ${1:-} in
  start)
    lock
    bin=$(pg_bin)
    start
    ;;
  stop)
    lock
    bin=$(pg_bin)
    stop
    ;;
  restart)
    lock
    bin=$(pg_bin)
    is_running || die "not running (port $port)"
    as_server_user "$bin/pg_ctl" -D "$data" -l "$log" -m fast -w -t 60 restart >/dev/null 9>&-
    echo "PostgreSQL on port $port restarted (data kept)."
    ;;
  status)
    bin=$(pg_bin)
    if is_running; then
      echo "running on 127.0.0.1:$port (data: $data)"
    else
      echo "not running (port $port)"
      exit 3
    fi
    ;;
  env)
    env_lines
    ;;
  *)
    echo "usage: $0 {start|restart|stop|status|env}" >&2
    exit 64
    ;;
esac
