using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Providers;

namespace OutboundVault.Tests.Refresh;

/// <summary>A vault whose provider calls give up after 2 s, so timeout tests stay short.</summary>
public abstract class RefreshVault(DatabaseKind kind) : VaultFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OAuth:ProviderTimeout"] = "00:00:02",
    };
}

public sealed class SqliteRefreshVault() : RefreshVault(DatabaseKind.Sqlite);

public sealed class PostgresRefreshVault() : RefreshVault(DatabaseKind.Postgres);

/// <summary>
/// A vault on a clock the test moves by hand (the worker's loop stays quiet: Refresh:Interval is an hour;
/// tests run its iterations themselves). SQLite gets a one-second busy timeout so a locked database
/// fails an iteration quickly.
/// </summary>
public abstract class ClockedRefreshVault(DatabaseKind kind) : VaultFixture(kind), IAsyncLifetime
{
    internal ManualTimeProvider Clock { get; } = new();

    public WebApplicationFactory<Program> Clocked { get; private set; } = null!;

    public string SqlitePath => Path.Combine(DataDirectory, "refresh.db");

    protected override IReadOnlyDictionary<string, string?> Settings => Kind == DatabaseKind.Sqlite
        ? new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={SqlitePath};Pooling=True;Default Timeout=1" }
        : new Dictionary<string, string?>();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Clocked = Vault.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        _ = Clocked.Server;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Clocked.DisposeAsync();
        await DisposeAsync();
    }
}

public sealed class SqliteClockedRefreshVault() : ClockedRefreshVault(DatabaseKind.Sqlite);

public sealed class PostgresClockedRefreshVault() : ClockedRefreshVault(DatabaseKind.Postgres);
