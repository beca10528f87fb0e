#!/usr/bin/env bash
# Shared helpers for the scripts in this folder. Source it; it defines functions only.

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

# wait_ready NAME HOST PORT PATH SECONDS: waits until the URL answers 200, or fails.
wait_ready() {
  local name=$1 host=$2 port=$3 path=$4 seconds=$5 i
  for ((i = 0; i < seconds * 2; i++)); do
    if [ "$(http_status "$host" "$port" "$path")" = 200 ]; then
      return 0
    fi
    sleep 0.5
  done
  echo "$name did not become ready on http://$host:$port$path within ${seconds}s" >&2
  return 1
}
