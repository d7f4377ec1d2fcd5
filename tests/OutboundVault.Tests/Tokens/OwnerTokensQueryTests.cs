using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>
/// The fetch path reads token rows with a hand-written statement (OwnerTokensQuery) instead of through the model: it
/// must hand back every property the model maps, exactly as the model reads it, on both databases.
/// </summary>
public abstract class OwnerTokensQueryTests(VaultFixture fixture)
{
    [SkippableFact]
    public async Task The_fetch_read_returns_every_mapped_property_as_the_model_reads_it()
    {
        var appId = await fixture.Management.CreateAsync(TestApps.OAuth());
        await using var scope = fixture.Vault.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var properties = db.Model.FindEntityType(typeof(OutboundToken))!.GetProperties().Select(p => p.PropertyInfo!).ToList();
        var row = new OutboundToken();
        for (var i = 0; i < properties.Count; i++) properties[i].SetValue(row, SampleValue(properties[i], i));
        (row.AppId, row.UserId, row.TenantId) = (appId, TestApps.NewId("user"), TestApps.NewId("tenant"));
        db.Tokens.Add(row);
        await db.SaveChangesAsync();

        var asModelReads = await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == row.Id);
        var asFetchReads = (await scope.ServiceProvider.GetRequiredService<TokenStore>()
            .ListForOwnerAsync(appId, new TokenOwner(row.UserId, row.TenantId), CancellationToken.None)).Single();

        foreach (var property in properties)
            property.GetValue(asFetchReads).Should().BeEquivalentTo(property.GetValue(asModelReads), $"{property.Name} reads alike");
    }

    /// <summary>A value unlike the property's default and unlike every other property's, within the column's length.</summary>
    static object SampleValue(System.Reflection.PropertyInfo property, int index)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string)) return $"{property.Name[..Math.Min(property.Name.Length, 10)]}-{index}";
        if (type == typeof(DateTime)) return new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc).AddMilliseconds(1_001 * (index + 1));
        if (type == typeof(int)) return index + 1;
        if (type == typeof(Guid)) return Guid.NewGuid();
        if (type == typeof(List<string>)) return new List<string> { "scope-a", $"scope-{index}" };
        throw new InvalidOperationException($"{property.Name}: give {type.Name} a sample value here");
    }
}

public sealed class OwnerTokensQueryTests_Sqlite(SqliteVault fixture) : OwnerTokensQueryTests(fixture), IClassFixture<SqliteVault>;

public sealed class OwnerTokensQueryTests_Postgres(PostgresVault fixture) : OwnerTokensQueryTests(fixture), IClassFixture<PostgresVault>;
