#!/usr/bin/env bash
# Builds local stand-ins for the base images the Dockerfile names, for machines that reach no
# container registry: Debian bookworm made with debootstrap from the configured apt mirror, and
# the .NET SDK / ASP.NET Core runtime copied from this machine's own .NET installation. They are
# tagged with the official names (debian:bookworm-slim, mcr.microsoft.com/dotnet/sdk:10.0,
# mcr.microsoft.com/dotnet/aspnet:10.0), so the Dockerfile stays the one a registry build uses.
# Also builds the PostgreSQL and Prometheus images the image test and compose.yaml run (Debian's
# postgresql and prometheus packages).
# Idempotent: an image that exists is kept (FORCE=1 rebuilds). Needs root and a running dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."

work=.tmp/image
mkdir -p "$work"
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}

have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

if ! have debian:bookworm-slim; then
  if [ ! -x "$work/rootfs/bin/sh" ]; then
    echo "== debootstrap bookworm from $mirror"
    rm -rf "$work/rootfs"
    # What the ASP.NET Core runtime needs beyond minbase (the official runtime-deps list).
    debootstrap --variant=minbase \
      --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g,libstdc++6,libgcc-s1 \
      bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log"
  fi
  echo "== import debian:bookworm-slim"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import \
    -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - debian:bookworm-slim >/dev/null
fi

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")

if ! have mcr.microsoft.com/dotnet/aspnet:10.0; then
  echo "== mcr.microsoft.com/dotnet/aspnet:10.0 from $dotnet_root (runtime only)"
  ctx=$work/base-aspnet
  rm -rf "$ctx" && mkdir -p "$ctx/dotnet"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$dotnet_root/LICENSE.txt" "$ctx/dotnet/"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
# The same user, variables and layout as the official image.
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_ROOT=/usr/share/dotnet
RUN groupadd --gid 1654 app && useradd --uid 1654 --gid app --no-create-home --home-dir /home/app app \
    && mkdir -p /home/app && chown app:app /home/app
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
EOF
  docker build -q -t mcr.microsoft.com/dotnet/aspnet:10.0 "$ctx" >/dev/null
  rm -rf "$ctx/dotnet"
fi

if ! have mcr.microsoft.com/dotnet/sdk:10.0; then
  echo "== mcr.microsoft.com/dotnet/sdk:10.0 from $dotnet_root"
  ctx=$work/base-sdk
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -a "$dotnet_root" "$ctx/dotnet"
  # This machine's trust store, so NuGet restore works behind whatever TLS proxy the host trusts.
  # Only the build stage uses this image: nothing of it reaches the runtime images.
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NUGET_XMLDOC_MODE=skip
COPY dotnet /usr/share/dotnet
EOF
  docker build -q -t mcr.microsoft.com/dotnet/sdk:10.0 "$ctx" >/dev/null
  rm -rf "$ctx/dotnet"
fi

if ! have clinic-cluster/postgres:15-local; then
  echo "== clinic-cluster/postgres:15-local (debian:bookworm-slim + Debian's postgresql)"
  ctx=$work/base-postgres
  rm -rf "$ctx" && mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM debian:bookworm-slim
RUN printf 'deb $mirror bookworm main\n' >/etc/apt/sources.list \\
    && apt-get update -qq \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \\
    && rm -rf /var/lib/apt/lists/* \\
    && install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:\$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER postgres
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
EOF
  # Development server only: initialises once with a password for the superuser, listens on all addresses.
  cat >"$ctx/entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE"); fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required}" >/tmp/pwfile
  initdb -D "$PGDATA" -U postgres --pwfile=/tmp/pwfile --auth=scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp
EOF
  chmod +x "$ctx/entrypoint.sh"
  docker build --network host -q -t clinic-cluster/postgres:15-local "$ctx" >/dev/null
fi

if ! have clinic-cluster/prometheus:local; then
  echo "== clinic-cluster/prometheus:local (debian:bookworm-slim + Debian's prometheus), for compose.yaml"
  ctx=$work/base-prometheus
  rm -rf "$ctx" && mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM debian:bookworm-slim
RUN printf 'deb $mirror bookworm main\n' >/etc/apt/sources.list \\
    && apt-get update -qq \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \\
    && rm -rf /var/lib/apt/lists/* \\
    && install -d -o prometheus -g prometheus /prometheus
USER prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  docker build --network host -q -t clinic-cluster/prometheus:local "$ctx" >/dev/null
fi

docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'bookworm-slim|dotnet|postgres:15-local|prometheus:local'
