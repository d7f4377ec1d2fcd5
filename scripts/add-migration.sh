#!/usr/bin/env bash
# Adds a migration named $1 for both database providers (SQLite and PostgreSQL).
# Microsoft.EntityFrameworkCore.Design cannot restore from the registry as-is, so the project
# references it by path when EfDesign=true (see OutboundVault.Api.csproj).
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
export EfDesign=true
dotnet build src/OutboundVault.Api >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/OutboundVault.Api --context "${provider}VaultDbContext" \
    --output-dir "Data/Migrations/$provider"
done
