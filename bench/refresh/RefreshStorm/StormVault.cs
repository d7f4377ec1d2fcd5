using OutboundVault.Testing;

namespace OutboundVault.Bench.RefreshStorm;

/// <summary>The storm's server processes on 127.0.0.1 over the storm database, configured through environment variables.</summary>
static class StormVault
{
    public const string ProjectId = "P2benchproject00000000000000";
    public const string ManagementKey = "bench-management-key-0123456789abcdef";

    public static Task<VaultProcess> StartAsync(string apiDll, string connectionString, string encryptionKey, string logPath, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["DataDirectory"] = Path.GetDirectoryName(logPath)!,
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = connectionString,
            ["Management__ProjectId"] = ProjectId,
            ["Management__Keys__0"] = ManagementKey,
            ["Encryption__Keys__0"] = encryptionKey,
            ["OAuth__AllowPrivateNetworkTargets"] = "true",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return VaultProcess.StartAsync(apiDll, $"{ProjectId}:{ManagementKey}", environment, logPath);
    }
}
