namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// Vault processes for the tests: the server of the tests' own build configuration over a PostgreSQL database,
/// with the fixtures' project id, keys and a data directory of its own.
/// </summary>
static class VaultProcesses
{
    public static Task<VaultProcess> StartAsync(string postgresConnection, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("outboundvault-process-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["DataDirectory"] = dataDirectory,
            ["Database__Provider"] = "Postgres",
            // A small pool per process keeps two busy processes well inside the cluster's max_connections.
            ["Database__ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(postgresConnection) { MaxPoolSize = 20 }.ConnectionString,
            ["Management__ProjectId"] = VaultFactory.ProjectId,
            ["Management__Keys__0"] = VaultFactory.ManagementKey,
            ["Encryption__Keys__0"] = VaultFactory.EncryptionKey,
            ["OAuth__AllowPrivateNetworkTargets"] = "true",
            ["Refresh__Interval"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        return VaultProcess.StartAsync(ApiDll(), $"{VaultFactory.ProjectId}:{VaultFactory.ManagementKey}", environment, ownedDirectory: dataDirectory);
    }

    /// <summary>src/OutboundVault.Api/bin/{the tests' configuration}/net10.0/OutboundVault.Api.dll</summary>
    static string ApiDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OutboundVault.sln"))) root = root.Parent;
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Repository root not found"),
            "src", "OutboundVault.Api", "bin", configuration, framework, "OutboundVault.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution ({configuration}) first: {dll} is missing", dll);
    }
}
