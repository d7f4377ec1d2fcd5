namespace OutboundVault.Security;

/// <summary>
/// Section "Access": which inbound access tokens may use which app's tokens. Kept out of the app record on
/// purpose: every SDK update replaces all of an app's fields and would wipe it.
/// <c>Access:Apps:&lt;appId&gt;:Scopes:0..n</c> and <c>Access:Apps:&lt;appId&gt;:ClientIds:0..n</c>: a token may fetch
/// (and connect) that app when it carries one of the scopes or was issued to one of the clients. An app
/// without an entry is open to every token with <c>outbound.token.fetch</c>.
/// </summary>
sealed class AccessOptions : Hosting.ISettings
{
    public static string SectionName => "Access";

    public Dictionary<string, AppAccessRule> Apps { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Problems() => Apps
        .Where(app => app.Value.Scopes.Concat(app.Value.ClientIds).Any(string.IsNullOrWhiteSpace))
        .Select(app => $"Access:Apps:{app.Key}: scopes and client ids must not be empty.");
}

sealed class AppAccessRule
{
    public List<string> Scopes { get; set; } = [];
    public List<string> ClientIds { get; set; } = [];
}
