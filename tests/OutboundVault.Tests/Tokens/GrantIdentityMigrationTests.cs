using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>
/// The migration that gives each grant one row, run on a database written before it: duplicates of one grant
/// (the race's leftovers) are merged to the newest, the rest marked for revocation, other grants untouched.
/// </summary>
public sealed class GrantIdentityMigrationTests
{
    [SkippableTheory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Duplicates_of_a_grant_are_merged_to_the_newest_and_the_others_superseded(DatabaseKind kind)
    {
        var directory = Directory.CreateTempSubdirectory("outboundvault-migration-").FullName;
        var postgres = kind == DatabaseKind.Postgres ? await TestPostgres.CreateDatabaseAsync() : null;
        try
        {
            await using (var before = Open(kind, directory, postgres))
            {
                var migrations = before.Database.GetMigrations().ToList();
                await before.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(migrations.Single(m => m.EndsWith("_GrantIdentity", StringComparison.Ordinal))) - 1]);
                before.Apps.Add(new OutboundApp { Id = "app", Name = "App", AppType = AppTypes.OAuth, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
                before.Tokens.AddRange(
                    Row("old", "u", "read", minutesAgo: 10), Row("new", "u", "read", minutesAgo: 1), Row("other-scopes", "u", "write", minutesAgo: 5),
                    Row("key-old", "u", "", minutesAgo: 9, TokenKinds.ApiKey), Row("key-new", "u", "x", minutesAgo: 2, TokenKinds.ApiKey));
                await before.SaveChangesAsync();
            }

            await using var after = Open(kind, directory, postgres);
            await after.Database.MigrateAsync();

            var statuses = await after.Tokens.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id + "=" + t.Status).ToListAsync();
            statuses.Should().Equal("key-new=valid", "key-old=superseded", "new=valid", "old=superseded", "other-scopes=valid");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (postgres is not null) await TestPostgres.DropDatabaseAsync(postgres);
            Directory.Delete(directory, recursive: true);
        }
    }

    static OutboundToken Row(string id, string userId, string scopeKey, int minutesAgo, string kind = TokenKinds.OAuth) => new()
    {
        Id = id, AppId = "app", UserId = userId, Kind = kind, ScopeKey = scopeKey, Scopes = scopeKey.Length == 0 ? [] : [scopeKey],
        KeyId = "k1", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow.AddMinutes(-minutesAgo), Version = Guid.NewGuid(),
    };

    static VaultDbContext Open(DatabaseKind kind, string directory, string? postgres) => kind == DatabaseKind.Postgres
        ? new PostgresVaultDbContext(new DbContextOptionsBuilder<PostgresVaultDbContext>().UseNpgsql(postgres).Options)
        : new SqliteVaultDbContext(new DbContextOptionsBuilder<SqliteVaultDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "vault.db")}").Options);
}
