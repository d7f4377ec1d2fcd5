using System.ComponentModel;
using System.Security.Claims;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace OutboundVault.Examples.Mcp;

/// <summary>The example's tools: each needs a third-party credential the vault keeps for the caller.</summary>
[McpServerToolType]
public sealed class VaultTools(VaultClient vault, IHttpClientFactory http, IConfiguration configuration, PendingElicitations pending)
{
    [McpServerTool(Name = "get_profile"), Description("The caller's profile at the connected provider.")]
    public async Task<CallToolResult> GetProfile(McpServer server, ClaimsPrincipal user, CancellationToken ct)
    {
        var appId = Setting("Vault:AppId");
        if (await vault.FetchTokenAsync(user, appId, ct) is not { } token) return await ConnectFirstAsync(server, user, appId, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, Setting("Example:ProfileUrl"));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.CreateClient("profile").SendAsync(request, ct);
        return Text(await response.Content.ReadAsStringAsync(ct), isError: !response.IsSuccessStatusCode);
    }

    [McpServerTool(Name = "get_api_key_status"), Description("Whether the caller has stored an API key for the API-key service (never the key).")]
    public async Task<CallToolResult> GetApiKeyStatus(McpServer server, ClaimsPrincipal user, CancellationToken ct)
    {
        var appId = Setting("Vault:ApiKeyAppId");
        return await vault.FetchTokenAsync(user, appId, ct) is null
            ? await ConnectFirstAsync(server, user, appId, ct)
            : Text($"An API key for {appId} is stored.", isError: false);
    }

    /// <summary>
    /// Adaptive Connect: the vault's connect URL, by URL elicitation (-32042) when the client declared it, else as
    /// an error result carrying the link. The connect returns the browser to this server's /connected page.
    /// </summary>
    async Task<CallToolResult> ConnectFirstAsync(McpServer server, ClaimsPrincipal user, string appId, CancellationToken ct)
    {
        var elicitationId = Guid.NewGuid().ToString("N");
        var redirectUrl = $"{Setting("Example:PublicBaseUrl").TrimEnd('/')}/connected?elicitationId={elicitationId}";
        var url = await vault.ConnectUrlAsync(user, appId, redirectUrl, ct);
        var message = $"Connect your {appId} account to continue.";
        pending.Add(elicitationId, new PendingElicitation(server, user, appId));
        if (server.ClientCapabilities?.Elicitation?.Url is null)
            return Text($"{message} Open {url} in a browser, then call the tool again.", isError: true);
        throw new UrlElicitationRequiredException(message,
            [new ElicitRequestParams { Mode = "url", ElicitationId = elicitationId, Url = url, Message = message }]);
    }

    string Setting(string name) => configuration[name] is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is required");

    static CallToolResult Text(string text, bool isError) => new() { Content = [new TextContentBlock { Text = text }], IsError = isError };
}
