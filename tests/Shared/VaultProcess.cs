using System.Diagnostics;
using System.Net;
using System.Text;

namespace OutboundVault.Testing;

/// <summary>
/// The built server (OutboundVault.Api.dll) running as its own process on 127.0.0.1, configured through
/// environment variables exactly as an operator would. The tests and the refresh-storm benchmark both start
/// servers with it (this file is compiled into both).
/// </summary>
sealed class VaultProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly TextWriter? log;
    readonly string? ownedDirectory;

    VaultProcess(Process process, string baseUrl, string bearer, TextWriter? log, string? ownedDirectory)
    {
        this.process = process;
        this.log = log;
        this.ownedDirectory = ownedDirectory;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
    }

    public string BaseUrl { get; }

    /// <summary>A client that calls the vault with the management key it was started with.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far (empty when it logs to a file).</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>The prefix of every lease this process takes (Data/Leases.cs: machine, process id, then a random part).</summary>
    public string LeasePrefix => $"{Environment.MachineName}/{process.Id}/";

    /// <summary>
    /// Starts <paramref name="apiDll"/> with <paramref name="environment"/> (which must configure the project id and
    /// management key <paramref name="bearer"/> uses) and waits until <c>/health/live</c> answers.
    /// </summary>
    /// <param name="logPath">Where the output goes; null keeps it in <see cref="Output"/>.</param>
    /// <param name="ownedDirectory">A directory (its data directory) deleted when the process is disposed.</param>
    public static async Task<VaultProcess> StartAsync(
        string apiDll, string bearer, IReadOnlyDictionary<string, string> environment, string? logPath = null, string? ownedDirectory = null)
    {
        var baseUrl = $"http://127.0.0.1:{Loopback.FreePort()}";
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
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = logPath is null ? null : new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        var vault = new VaultProcess(process, baseUrl, bearer, log, ownedDirectory);
        process.OutputDataReceived += (_, e) => vault.Append(e.Data);
        process.ErrorDataReceived += (_, e) => vault.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await vault.WaitUntilLiveAsync(logPath);
        return vault;
    }

    async Task WaitUntilLiveAsync(string? logPath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var where = logPath is null ? "" : $"; see {logPath}";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The vault process exited with {process.ExitCode}{where}:\n{Output}");
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
        throw new TimeoutException($"The vault process did not come up at {BaseUrl}{where}:\n{Output}");
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            if (log is null) output.AppendLine(line);
            else log.WriteLine(line);
        }
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
        lock (output) log?.Dispose();
        if (ownedDirectory is null) return;
        try
        {
            Directory.Delete(ownedDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }
}
