#!/usr/bin/env bash
# Shared helpers for the scripts in this folder. Source it; it defines functions only. One copy of
# each: die, the PostgreSQL binary finder, readiness waits, free ports, dates. The backup image
# ships it beside db-backup.sh as common.sh (scripts/image.sh), so it needs nothing but bash, awk
# and coreutils. The stack itself (PostgreSQL, migrate, key rings, silos, the API) is lib/stack.sh.

# die MESSAGE: the script's name and MESSAGE on stderr, exit 1. Sets died=1 so that an EXIT trap
# knows the failure has been reported.
die() {
  echo "${0##*/}: $*" >&2
  # shellcheck disable=SC2034 # read by the caller's EXIT trap
  died=1
  exit 1
}

# pg_bin: the newest installed PostgreSQL's bin folder (server and client programs of one
# version). Installs Debian's package when none is found and we are root.
pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL..." >&2
    # 9>&-: a server the package may start must not inherit a caller's lock.
    apt-get update -qq 9>&-
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 9>&-
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin | sort -V | tail -n 1)
  fi
  [ -n "$dir" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql (scripts/prerequisites.sh installs them)."
  echo "$dir"
}

# server_user: the OS user that owns a private server's data directory: postgres when we are root
# (the server refuses to run as root), ourselves otherwise.
server_user() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# as_server_user COMMAND...: runs COMMAND as that user, keeping the environment (PG*, pgBackRest's).
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# http_get URL: prints the status code of a GET on a loopback URL, using bash's /dev/tcp so the
# scripts need no curl on a fresh machine. Prints 000 when nothing answers.
http_status() {
  local host=$1 port=$2 path=$3 line
  if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
    echo 000
    return
  fi
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
  IFS= read -r -t 5 line <&3 || line=""
  exec 3<&- 3>&-
  line=${line#HTTP/* }
  echo "${line%% *}"
}

# wait_ready NAME HOST PORT PATH SECONDS [PID LOG]: waits until the URL answers 200, or fails.
# Given the host's PID and log, it fails as soon as the process has exited and, either way, prints
# the log's last lines: a host that dies while starting should say why in the script's output (CI
# keeps nothing else).
wait_ready() {
  local name=$1 host=$2 port=$3 path=$4 seconds=$5 pid=${6:-} log=${7:-} i
  for ((i = 0; i < seconds * 2; i++)); do
    if [ "$(http_status "$host" "$port" "$path")" = 200 ]; then
      return 0
    fi
    if [ -n "$pid" ] && ! process_running "$pid"; then
      echo "$name exited before it was ready on http://$host:$port$path" >&2
      log_tail "$log"
      return 1
    fi
    sleep 0.5
  done
  echo "$name did not become ready on http://$host:$port$path within ${seconds}s" >&2
  log_tail "$log"
  return 1
}

# clinic_weekday DAYS [ZONE]: the first Monday-to-Friday date at least DAYS days after today in
# ZONE (default America/New_York, the demo clinic's zone), as YYYY-MM-DD. The demo provider works
# weekdays only, so a date that is simply "today + 7" fails every weekend. CLINIC_TODAY=YYYY-MM-DD
# stands in for today (the script tests walk a whole week with it).
clinic_weekday() {
  local days=$1 zone=${2:-America/New_York} today day
  today=${CLINIC_TODAY:-$(TZ=$zone date +%F)}
  day=$(date -d "$today + $days days" +%F)
  while [ "$(date -d "$day" +%u)" -gt 5 ]; do day=$(date -d "$day + 1 day" +%F); done
  echo "$day"
}

# zone_offset DAY TIME [ZONE]: the UTC offset (+HH:MM) of that wall-clock time in ZONE, so an
# instant written for the API carries the offset that holds on that date (summer or winter).
zone_offset() { TZ=${3:-America/New_York} date -d "$1 $2" +%:z; }

# process_running PID: the process runs (an exited child is a zombie until waited for, which
# kill -0 still finds).
process_running() { [ -r "/proc/$1/stat" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat")" != Z ]; }

log_tail() {
  [ -n "${1:-}" ] && [ -f "$1" ] || return 0
  echo "--- last 40 lines of $1" >&2
  tail -n 40 "$1" >&2
  echo "---" >&2
}

# free_port: prints a TCP port for a listener the script is about to start. One rule for every
# script, because a port that merely nothing listens on is not enough: a port inside the kernel's
# ephemeral range can be the local end of an outgoing connection (a pooled database connection, a
# load-tool client, a socket in TIME_WAIT) and the host's bind then fails. So the port lies outside
# that range, no socket of any state holds it (/proc/net/tcp and tcp6), and this script has not
# handed it out before (three ports picked for one host before it binds any of them).
free_port() {
  local low high from=20000 span port hex i handed=${TMPDIR:-/tmp}/clinic-ports.$$
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || { low=32768; high=60999; }
  span=$((low - from))
  # A machine whose ephemeral range starts low: the ports above it instead.
  if [ "$span" -lt 1000 ]; then from=$((high + 1)); span=$((65536 - from)); fi
  for ((i = 0; i < 200; i++)); do
    port=$((from + RANDOM % span))
    printf -v hex ':%04X' "$port"
    if awk -v hex="$hex" 'FNR > 1 && substr($2, length($2) - 4) == hex { found = 1 } END { exit !found }' \
      /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      continue
    fi
    grep -qx "$port" "$handed" 2>/dev/null && continue
    echo "$port" >>"$handed"
    echo "$port"
    return 0
  done
  echo "no free port outside the ephemeral range $low-$high" >&2
  return 1
}
