# Clinic Cluster images: one build stage, one runtime target per host.
#   docker build --target silo -t clinic-cluster/silo:TAG .
#   docker build --target api  -t clinic-cluster/api:TAG .
# The silo image also runs the one-shot commands of the same binary:
#   docker run ... clinic-cluster/silo:TAG migrate | audit verify --clinic ID | reconcile --clinic ID | encryption rotate
# Base images are the official Microsoft ones; override them (a mirror, a pinned digest) with
#   --build-arg SDK_IMAGE=... --build-arg RUNTIME_IMAGE=...
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# Restore first, from the project files only, so this layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Grains.Abstractions/Grains.Abstractions.csproj src/Grains.Abstractions/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/ServiceDefaults/ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Persistence.Postgres/Persistence.Postgres.csproj src/Persistence.Postgres/
COPY src/Silo/Silo.csproj src/Silo/
COPY src/Fhir/Fhir.csproj src/Fhir/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Silo/Silo.csproj && dotnet restore src/Api/Api.csproj
COPY src/ src/
# Belt and braces after .dockerignore: no development settings (the development signing key) in any image.
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -o /out/silo /p:UseAppHost=false \
    && dotnet publish src/Api/Api.csproj -c Release --no-restore -o /out/api /p:UseAppHost=false \
    && find /out -name 'appsettings.Development.json' -delete \
    && ! find /out -name 'appsettings.*.json' | grep -q .

FROM ${RUNTIME_IMAGE} AS runtime-base
# The official images define the non-root user "app" with this UID; numeric so Kubernetes'
# runAsNonRoot can verify it.
ARG APP_UID=1654
# Read-only root filesystem: nothing writes outside /tmp (an emptyDir / tmpfs at run time), and
# the diagnostics IPC socket is off.
ENV ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_ENVIRONMENT=Production \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    TMPDIR=/tmp \
    DOTNET_EnableDiagnostics=0 \
    Management__Port=8081 \
    Management__BindAddress=0.0.0.0
WORKDIR /app
USER ${APP_UID}

FROM runtime-base AS silo
COPY --from=build --chown=0:0 /out/silo/ /app/
# 8081 management (health, /metrics, /dashboard; the silo's appsettings.json listens there),
# 11111 silo-to-silo, 30000 gateway.
EXPOSE 8081 11111 30000
ENTRYPOINT ["dotnet", "/app/ClinicCluster.Silo.dll"]

FROM runtime-base AS api
COPY --from=build --chown=0:0 /out/api/ /app/
# 8080 public API, 8081 management.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 ASPNETCORE_HTTP_PORTS=
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/ClinicCluster.Api.dll"]
