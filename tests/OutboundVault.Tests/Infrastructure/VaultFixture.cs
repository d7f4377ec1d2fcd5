namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// One running vault per test class, over its own database. Tests in a class share it and use unique
/// ids. <see cref="StartAsync"/> can start further vaults over the same database (restarts, several instances).
/// </summary>
public abstract class VaultFixture(DatabaseKind kind) : IAsyncLifetime
{
    readonly List<VaultFactory> factories = [];

    public DatabaseKind Kind => kind;
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("outboundvault-test-").FullName;
    public string? PostgresConnection { get; private set; }
    public VaultFactory Vault { get; private set; } = null!;
    public HttpClient Management { get; private set; } = null!;

    /// <summary>Settings every vault of this fixture starts with (feature fixtures override it).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Runs before the first vault starts (what its <see cref="Settings"/> point at).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Runs once the first vault is up.</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    /// <summary>Runs after every vault of the fixture has stopped.</summary>
    protected virtual Task AfterStopAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        if (kind == DatabaseKind.Postgres) PostgresConnection = await TestPostgres.CreateDatabaseAsync();
        Vault = Start();
        Management = Vault.CreateManagementClient();
        await AfterStartAsync();
    }

    /// <summary>Starts another vault over this fixture's database and data directory.</summary>
    public VaultFactory Start(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        var factory = new VaultFactory(kind, DataDirectory, PostgresConnection, settings);
        _ = factory.Server; // start now, so start-up failures surface here
        factories.Add(factory);
        return factory;
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in factories) await factory.DisposeAsync();
        await AfterStopAsync();
        if (PostgresConnection is not null) await TestPostgres.DropDatabaseAsync(PostgresConnection);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class SqliteVault() : VaultFixture(DatabaseKind.Sqlite);

public sealed class PostgresVault() : VaultFixture(DatabaseKind.Postgres);
