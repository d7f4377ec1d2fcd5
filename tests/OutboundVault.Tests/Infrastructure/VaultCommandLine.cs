using System.Diagnostics;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// <c>dotnet OutboundVault.Api.dll ...</c> as an operator types it, on an SQLite data directory, run to its exit:
/// commands, or a server start that is expected to refuse.
/// </summary>
public static class VaultCommandLine
{
    /// <summary>What a run printed: its result alone on stdout, its logs and complaints on stderr.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public void Deconstruct(out int exitCode, out string output) => (exitCode, output) = (ExitCode, StandardOutput + StandardError);
    }

    public static async Task<Result> RunAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OutboundVault.Api.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DataDirectory"] = dataDirectory;
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Management__ProjectId"] = VaultFactory.ProjectId;
        start.Environment["Management__Keys__0"] = VaultFactory.ManagementKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet OutboundVault.Api.dll {string.Join(' ', args)} did not exit within two minutes");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
