using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OutboundVault.Security;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// The real service in memory (WebApplicationFactory) over a real database: a SQLite file in a fresh data
/// directory, or a fresh database on the test PostgreSQL cluster. Settings go in through configuration,
/// by the same names an operator uses.
/// </summary>
public sealed class VaultFactory(DatabaseKind kind, string dataDirectory, string? postgresConnection, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<Program>
{
    public const string ProjectId = "P2testproject0000000000000000";
    public const string ManagementKey = "test-management-key-0123456789abcdef";
    public static readonly string EncryptionKey = KeyRing.Format("test1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public LogCapture Logs { get; } = new();
    public DatabaseKind Kind => kind;
    public string DataDirectory => dataDirectory;
    public string? PostgresConnection => postgresConnection;

    public static Dictionary<string, string?> DefaultSettings(DatabaseKind kind, string dataDirectory, string? postgresConnection) => new()
    {
        ["DataDirectory"] = dataDirectory,
        ["Database:Provider"] = kind.ToString(),
        ["Database:ConnectionString"] = postgresConnection,
        ["Management:ProjectId"] = ProjectId,
        ["Management:Keys:0"] = ManagementKey,
        ["Encryption:Keys:0"] = kind == DatabaseKind.Postgres ? EncryptionKey : null,
        ["OAuth:AllowPrivateNetworkTargets"] = "true",
        ["Refresh:Interval"] = "01:00:00",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = DefaultSettings(kind, dataDirectory, postgresConnection);
        foreach (var (key, value) in settings) all[key] = value;
        foreach (var (key, value) in all) builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(services => services.AddSingleton(Logs));
    }
}

public static class ManagementClients
{
    /// <summary>A client that sends <c>Bearer ProjectId:ManagementKey</c>, as every Descope SDK does.</summary>
    public static HttpClient CreateManagementClient(this WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{VaultFactory.ManagementKey}");
        return client;
    }
}
