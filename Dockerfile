# OutboundVault container: one process, HTTP on 8080, state in /data (the embedded SQLite database
# and, without Encryption__Keys, the generated key file). Runs as the image's non-root `app` user.
#
#   docker build -t outboundvault .
#   docker run -p 8080:8080 -v outboundvault-data:/data outboundvault

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
# Restore first, from the files that decide it, so source edits reuse the cached layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/OutboundVault.Api/OutboundVault.Api.csproj src/OutboundVault.Api/
RUN dotnet restore src/OutboundVault.Api/OutboundVault.Api.csproj
COPY . .
# The project publishes ReadyToRun, compiled for the platform it is built on (the image's): the publish restores
# that platform's compiler on top of the layer above.
RUN dotnet publish src/OutboundVault.Api -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ENV DataDirectory=/data \
    ASPNETCORE_URLS=http://+:8080
# The data directory must exist and belong to `app` before it is declared a volume.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data && chmod 700 /data
WORKDIR /app
COPY --from=build /app ./
# $APP_UID is the image's `app` user (UID 1654); numeric so runAsNonRoot policies can verify it.
USER $APP_UID
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "OutboundVault.Api.dll"]
