using System.Diagnostics;
using System.Net;
using System.Text;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>
/// The built server (OutboundVault.Api.dll of the same build configuration as the tests) running as its own
/// process on 127.0.0.1, configured through environment variables exactly as an operator would.
/// </summary>
public sealed class VaultProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly string dataDirectory;

    VaultProcess(Process process, string baseUrl, string dataDirectory)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{VaultFactory.ManagementKey}");
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    public static async Task<VaultProcess> StartAsync(string postgresConnection, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = ApiDll();
        var port = Loopback.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var dataDirectory = Directory.CreateTempSubdirectory("outboundvault-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
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
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var vault = new VaultProcess(process, baseUrl, dataDirectory);
        process.OutputDataReceived += (_, e) => vault.Append(e.Data);
        process.ErrorDataReceived += (_, e) => vault.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await vault.WaitUntilLiveAsync();
        return vault;
    }

    async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The vault process exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The vault process did not come up at {BaseUrl}:\n{Output}");
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
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

    /// <summary>kill -9: the process ends mid-work, its leases and connections left as they were.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }


    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
