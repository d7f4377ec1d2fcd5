namespace OutboundVault.Hosting;

/// <summary>Operator commands run instead of the server: <c>dotnet OutboundVault.Api.dll &lt;command&gt;</c>.</summary>
internal static class VaultCommands
{
    /// <returns>True when <paramref name="args"/> named a command, which has then run.</returns>
    public static Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        _ = app;
        return Task.FromResult(args.Length > 0 && args[0] == "--no-command-yet");
    }
}
