using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OutboundVault.Data;

// Used only by `dotnet ef` (scripts/add-migration.sh) to build each provider's model; no database is opened.

sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVaultDbContext>
{
    public SqliteVaultDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteVaultDbContext>().UseSqlite("Data Source=design.db").Options);
}

sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresVaultDbContext>
{
    public PostgresVaultDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresVaultDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
