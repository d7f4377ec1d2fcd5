using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;

namespace OutboundVault.Examples.Mcp;

/// <summary>
/// The vault as the MCP server sees it. Without <c>Vault:ManagementKey</c> every call carries the caller's own
/// access token (<c>Bearer &lt;ProjectId&gt;:&lt;token&gt;</c>): the vault checks who the user is. With it,
/// calls carry the key and name the caller's <c>sub</c>.
/// </summary>
public sealed class VaultClient(HttpClient http, IConfiguration configuration)
{
    string Setting(string name) => configuration[$"Vault:{name}"] ?? throw new InvalidOperationException($"Vault:{name} is required");
    string? ManagementKey => configuration["Vault:ManagementKey"] is { Length: > 0 } key ? key : null;

    /// <summary>The caller's access token for <paramref name="appId"/>, or null when the user must connect (first or again).</summary>
    public async Task<string?> FetchTokenAsync(ClaimsPrincipal caller, string appId, CancellationToken ct)
    {
        using var response = await SendAsync(caller, "/v1/mgmt/outbound/app/user/token/latest", new JsonObject
        {
            ["appId"] = appId,
            ["userId"] = Subject(caller),
        }, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null; // E081404 connect first, E081410 reconnect
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body?["token"]?["accessToken"]?.GetValue<string>();
    }

    /// <summary>The vault's connect URL for the caller, returning the browser to <paramref name="redirectUrl"/>.</summary>
    public async Task<string> ConnectUrlAsync(ClaimsPrincipal caller, string appId, string redirectUrl, CancellationToken ct)
    {
        var path = ManagementKey is null ? "/v1/outbound/oauth/connect" : "/v1/mgmt/outbound/app/connect";
        using var response = await SendAsync(caller, path, new JsonObject
        {
            ["appId"] = appId,
            ["userId"] = Subject(caller),
            ["options"] = new JsonObject { ["redirectUrl"] = redirectUrl },
        }, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body?["url"]?.GetValue<string>() ?? throw new InvalidOperationException("The vault answered a connect without a url");
    }

    async Task<HttpResponseMessage> SendAsync(ClaimsPrincipal caller, string path, JsonObject body, CancellationToken ct)
    {
        var credential = ManagementKey ?? caller.FindFirst(CallerAuthentication.AccessTokenClaim)?.Value
            ?? throw new InvalidOperationException("The caller's access token is not available");
        using var request = new HttpRequestMessage(HttpMethod.Post, Setting("BaseUrl").TrimEnd('/') + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{Setting("ProjectId")}:{credential}");
        return await http.SendAsync(request, ct);
    }

    static string Subject(ClaimsPrincipal caller) => caller.FindFirst("sub")?.Value ?? throw new InvalidOperationException("The caller's token has no sub");
}

public static class VaultClientServiceCollectionExtensions
{
    public static IServiceCollection AddVaultClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient<VaultClient>();
        services.AddHttpClient("profile");
        return services;
    }
}
