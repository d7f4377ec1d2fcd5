using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Providers;

namespace OutboundVault.Connect;

/// <summary>
/// The redirect_uri providers send users back to: <c>OAuth:PublicBaseUrl</c> + the callback path; an
/// app's <c>callbackDomain</c> replaces the host (always https); with neither, the request's own scheme
/// and host (forwarded headers already applied).
/// </summary>
sealed class CallbackUris(IOptions<OAuthOptions> options)
{
    public const string CallbackPath = "/v1/outbound/oauth/callback";

    public string? For(OutboundApp app, HttpRequest? request) =>
        app.CallbackDomain is { } domain ? $"https://{domain}{CallbackPath}" : VaultUrl(CallbackPath, request);

    /// <summary>A URL of the vault itself as browsers reach it: <c>OAuth:PublicBaseUrl</c>, else the request's scheme and host.</summary>
    public string? VaultUrl(string path, HttpRequest? request)
    {
        if (options.Value.PublicBaseUrl is { Length: > 0 } baseUrl) return baseUrl.TrimEnd('/') + path;
        return request is null ? null : $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
    }
}
