#!/usr/bin/env bash
# Issues certificates as cert-manager's CA Issuer would for the chart: one cluster CA (ECDSA
# P-256) and, per workload, a leaf certificate for server and client authentication, written as
# the Secret keys the chart mounts (tls.crt, tls.key, ca.crt) into DIR/<name>/.
#   scripts/certs.sh DIR NAME=SAN[,SAN...] [NAME=SAN...]
#   scripts/certs.sh .tmp/certs silo=DNS:clinic-silo,IP:10.0.0.11 pgbouncer=DNS:clinic-pgbouncer
# The CA (DIR/ca.crt, DIR/ca.key) is made once and kept; a leaf is reissued on every call. The
# first SAN is also the subject CN. Keys are readable by their containers' non-root users (0444):
# this is test material, as the chart's Secret volumes make them (defaultMode 0440 with fsGroup).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 64; }
dir=$1
shift
command -v openssl >/dev/null || { echo "certs.sh: openssl is missing" >&2; exit 1; }
mkdir -p "$dir"

if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=clinic-cluster test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi

for spec in "$@"; do
  name=${spec%%=*} sans=${spec#*=}
  # shellcheck disable=SC2015 # the message is the else branch of both tests
  [ -n "$name" ] && [ "$name" != "$spec" ] || { echo "certs.sh: '$spec' is not NAME=SAN[,SAN...]" >&2; exit 64; }
  cn=${sans%%,*}
  cn=${cn#*:}
  out=$dir/$name
  mkdir -p "$out"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
    -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' \
    "$sans" >"$out/ext.cnf"
  openssl x509 -req -in "$out/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 7 \
    -extfile "$out/ext.cnf" -out "$out/tls.crt" 2>/dev/null
  cp "$dir/ca.crt" "$out/ca.crt"
  rm -f "$out/tls.csr" "$out/ext.cnf"
  chmod 0444 "$out"/tls.key "$out"/tls.crt "$out"/ca.crt
done
