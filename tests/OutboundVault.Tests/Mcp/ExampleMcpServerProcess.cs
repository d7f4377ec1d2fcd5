using System.Diagnostics;
using System.Net;

namespace OutboundVault.Tests.Mcp;

/// <summary>examples/McpServer in its own process on a free 127.0.0.1 port, started with the given settings.</summary>
public sealed class ExampleMcpServerProcess : IDisposable
{
    readonly Process process;

    ExampleMcpServerProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT; the MCP endpoint is <see cref="McpUrl"/>.</summary>
    public string BaseUrl { get; }

    public string McpUrl => BaseUrl + "/mcp";

    /// <summary>A free port, known before the server starts (its settings name its own public URL).</summary>
    public static string NewBaseUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public static async Task<ExampleMcpServerProcess> StartAsync(string baseUrl, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ExampleDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Example__PublicBaseUrl"] = baseUrl;
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ExampleMcpServerProcess(process, baseUrl);
        try
        {
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The MCP server exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/.well-known/oauth-protected-resource")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The MCP server did not come up");
    }

    static string ExampleDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OutboundVault.sln"))) root = root.Parent;
        return Path.Combine(root!.FullName, "examples", "McpServer", "bin", output.Parent!.Name, output.Name, "McpServer.dll");
    }
}
