#!/bin/bash
# The image's entrypoint: runs PgBouncer and makes it reload (SIGHUP, its RELOAD) when one of the
# TLS files its configuration names changes. PgBouncer reads them only at start and on RELOAD, and
# in Kubernetes nothing signals it when cert-manager renews its certificate or the PostgreSQL CA
# rolls (the kubelet swaps the Secret's files), so without this a pod presents its old certificate
# until it expires (decision 0047). Established connections keep their TLS session.
#   pgbouncer-run.sh [PGBOUNCER_ARGS...]   (the last argument is the configuration file)
# PGBOUNCER_TLS_RELOAD_SECONDS: seconds between checks (default 30); 0 turns the check off.
set -u
config=${*: -1}
interval=${PGBOUNCER_TLS_RELOAD_SECONDS:-30}
case $interval in '' | *[!0-9]*) echo "pgbouncer-run: PGBOUNCER_TLS_RELOAD_SECONDS '$interval' is not a whole number of seconds" >&2; exit 2 ;; esac

/usr/sbin/pgbouncer "$@" &
child=$!
# Stop signals go to PgBouncer (SIGINT: wait for clients; SIGTERM: now), which decides how to stop.
trap 'kill -INT "$child" 2>/dev/null' INT
trap 'kill -TERM "$child" 2>/dev/null' TERM

files=()
if [ -r "$config" ]; then
  mapfile -t files < <(sed -n 's/^[[:space:]]*\(client\|server\)_tls_\(cert\|key\|ca\)_file[[:space:]]*=[[:space:]]*\([^[:space:];]*\).*$/\3/p' "$config")
fi
# The files' bytes, not their times: a Secret volume changes by renaming its ..data symlink.
digest() { cat "${files[@]}" 2>/dev/null | sha256sum; }
if [ "$interval" -gt 0 ] && [ ${#files[@]} -gt 0 ]; then
  last=$(digest)
  while kill -0 "$child" 2>/dev/null; do
    sleep "$interval" &
    wait $! 2>/dev/null
    now=$(digest)
    if [ "$now" != "$last" ]; then
      echo "pgbouncer-run: TLS files changed (${files[*]}); reloading PgBouncer" >&2
      kill -HUP "$child" 2>/dev/null
      last=$now
    fi
  done
fi
# PgBouncer's own exit code (wait returns early when a trapped signal arrives: wait again).
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || exit "$status"
done
