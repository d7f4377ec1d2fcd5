using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Providers;

namespace OutboundVault.Tests.Refresh;

/// <summary>The refresh tests' own vault (one per test class and database).</summary>
public abstract class RefreshVault(DatabaseKind kind) : VaultFixture(kind)
{
    /// <summary>Another vault over the same database whose provider calls give up after <paramref name="timeout"/>.</summary>
    public WebApplicationFactory<Program> WithProviderTimeout(TimeSpan timeout) => WithSetting("OAuth:ProviderTimeout", timeout.ToString());

    /// <summary>Another vault (another instance, as far as leases go) over the same database, with one setting changed.</summary>
    public WebApplicationFactory<Program> WithSetting(string key, string value) => Vault.WithWebHostBuilder(b => b.UseSetting(key, value));
}

public sealed class SqliteRefreshVault() : RefreshVault(DatabaseKind.Sqlite);

public sealed class PostgresRefreshVault() : RefreshVault(DatabaseKind.Postgres);

/// <summary>
/// A vault on a clock the test moves by hand (the worker's loop stays quiet: Refresh:Interval is an hour;
/// tests run its iterations themselves). SQLite gets a five-second busy timeout so a locked database
/// fails an iteration soon (the default is 30 s).
/// </summary>
public abstract class ClockedRefreshVault(DatabaseKind kind) : VaultFixture(kind)
{
    internal ManualTimeProvider Clock { get; } = new();

    public WebApplicationFactory<Program> Clocked { get; private set; } = null!;

    public string SqlitePath => Path.Combine(DataDirectory, "refresh.db");

    protected override IReadOnlyDictionary<string, string?> Settings => Kind == DatabaseKind.Sqlite
        ? new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={SqlitePath};Pooling=True;Default Timeout=5" }
        : new Dictionary<string, string?>();

    protected override Task AfterStartAsync()
    {
        Clocked = Vault.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        _ = Clocked.Server;
        return Task.CompletedTask;
    }
}

public sealed class SqliteClockedRefreshVault() : ClockedRefreshVault(DatabaseKind.Sqlite);

public sealed class PostgresClockedRefreshVault() : ClockedRefreshVault(DatabaseKind.Postgres);
