using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OutboundVault.Bench.RefreshStorm;

/// <summary>One built server process on 127.0.0.1 over the storm database, configured through environment variables.</summary>
sealed class StormVault : IAsyncDisposable
{
    public const string ProjectId = "P2benchproject00000000000000";
    public const string ManagementKey = "bench-management-key-0123456789abcdef";

    readonly Process process;
    readonly StreamWriter log;

    StormVault(Process process, string baseUrl, StreamWriter log)
    {
        this.process = process;
        this.log = log;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", $"{ProjectId}:{ManagementKey}");
    }

    public HttpClient Client { get; }

    public static async Task<StormVault> StartAsync(string apiDll, string connectionString, string encryptionKey, string logPath, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(apiDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataDirectory"] = Path.GetDirectoryName(logPath)!,
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = connectionString,
            ["Management__ProjectId"] = ProjectId,
            ["Management__Keys__0"] = ManagementKey,
            ["Encryption__Keys__0"] = encryptionKey,
            ["OAuth__AllowPrivateNetworkTargets"] = "true",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var vault = new StormVault(process, baseUrl, log);
        await vault.WaitUntilLiveAsync(logPath);
        return vault;
    }

    static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    async Task WaitUntilLiveAsync(string logPath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The vault process exited with {process.ExitCode}; see {logPath}");
            try
            {
                if ((await Client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The vault process did not come up; see {logPath}");
    }

    /// <summary>The prefix of every lease this process takes (TokenLeases: machine, process id, then a random part).</summary>
    public string LeasePrefix => $"{Environment.MachineName}/{process.Id}/";

    /// <summary>kill -9, mid-storm: its leases and in-flight provider calls are left as they were.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        lock (log) log.Dispose();
    }
}
