using OutboundVault.Security;

namespace OutboundVault.Hosting;

/// <summary>
/// Operator commands run instead of the server: <c>dotnet OutboundVault.Api.dll &lt;command&gt;</c> (or
/// <c>dotnet run --project src/OutboundVault.Api -- &lt;command&gt;</c>), with the same configuration as the
/// server. They run after the start-up preparation (migrations, key check).
/// </summary>
internal static class VaultCommands
{
    /// <returns>True when <paramref name="args"/> named a command, which has then run (the exit code says how it went).</returns>
    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        // Options (--urls, --Database:Provider=...) and key=value settings belong to the server.
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=', StringComparison.Ordinal)) return false;
        switch (args[0])
        {
            case ReencryptCommand.Name:
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var report = await ActivatorUtilities.CreateInstance<ReencryptCommand>(scope.ServiceProvider).RunAsync(CancellationToken.None);
                    report.WriteTo(Console.Out);
                    Environment.ExitCode = report.Complete ? 0 : 3;
                }
                return true;
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{args[0]}'. Commands: {ReencryptCommand.Name} (seal every stored secret under the primary encryption key).");
                Environment.ExitCode = 2;
                return true;
        }
    }
}
