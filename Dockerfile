# syntax=docker/dockerfile:1
# The `dbintegrity` image: a framework-dependent build of tools/DbIntegrity.Cli on the chiseled (distroless) .NET
# runtime, running as the non-root `app` user. Configure it with the plugin daemon's own variables (reference §1.1,
# §3.1), as you would the daemon: DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE, DB_SSL_MODE;
# PLUGIN_STORAGE_OSS_BUCKET, S3_ENDPOINT, S3_USE_PATH_STYLE, AWS_REGION, AWS_ACCESS_KEY / AWS_SECRET_KEY or
# S3_USE_AWS_MANAGED_IAM=true (task role); PLUGIN_INSTALLED_PATH, PLUGIN_PACKAGE_CACHE_PATH, PLUGIN_MEDIA_CACHE_PATH.
#
#   docker build -t dbintegrity .
#   docker run --rm --env-file daemon.env dbintegrity check
ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled

FROM ${DOTNET_SDK_IMAGE} AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CI=true
WORKDIR /src
# Restore first, from the project files and lock files only, so the package layer survives source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY migrations/DbIntegrity.Migrations/DbIntegrity.Migrations.csproj migrations/DbIntegrity.Migrations/packages.lock.json migrations/DbIntegrity.Migrations/
COPY tools/DbIntegrity.Core/DbIntegrity.Core.csproj tools/DbIntegrity.Core/packages.lock.json tools/DbIntegrity.Core/
COPY tools/DbIntegrity.Simulator/DbIntegrity.Simulator.csproj tools/DbIntegrity.Simulator/packages.lock.json tools/DbIntegrity.Simulator/
COPY tools/DbIntegrity.Cli/DbIntegrity.Cli.csproj tools/DbIntegrity.Cli/packages.lock.json tools/DbIntegrity.Cli/
RUN dotnet restore tools/DbIntegrity.Cli/DbIntegrity.Cli.csproj --locked-mode
COPY migrations/DbIntegrity.Migrations/ migrations/DbIntegrity.Migrations/
COPY tools/DbIntegrity.Core/ tools/DbIntegrity.Core/
COPY tools/DbIntegrity.Simulator/ tools/DbIntegrity.Simulator/
COPY tools/DbIntegrity.Cli/ tools/DbIntegrity.Cli/
# Framework-dependent (the runtime image has .NET), English only, no XML docs.
RUN dotnet publish tools/DbIntegrity.Cli/DbIntegrity.Cli.csproj -c Release --no-restore -o /out \
      -p:UseAppHost=false -p:SatelliteResourceLanguages=en -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false \
 && mkdir -p /staging/work

FROM ${DOTNET_RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="dbintegrity" \
      org.opencontainers.image.description="Checks a self-hosted Dify plugin daemon's PostgreSQL metadata against its S3 objects, gates migrations, repairs breakage."
# The daemon's defaults (reference §1.1, §3.1): set only what does not identify a deployment.
ENV DB_TYPE=postgresql \
    DB_PORT=5432 \
    DB_DATABASE=dify_plugin \
    PLUGIN_STORAGE_TYPE=aws_s3 \
    PLUGIN_INSTALLED_PATH=plugin \
    PLUGIN_PACKAGE_CACHE_PATH=plugin_packages \
    PLUGIN_MEDIA_CACHE_PATH=assets \
    PERSISTENCE_STORAGE_PATH=persistence \
    DOTNET_gcServer=0
WORKDIR /app
COPY --from=build /out ./
# Reports and repair plans (-o FILE) go to the working directory: the only place the app user can write.
COPY --from=build --chown=1654:1654 /staging/work /work
WORKDIR /work
USER 1654
ENTRYPOINT ["dotnet", "/app/dbintegrity.dll"]
CMD ["--help"]
