using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Providers;

namespace OutboundVault.Connect;

/// <summary>
/// The redirect_uri providers send users back to: <c>OAuth:PublicBaseUrl</c> + the callback path; an
/// app's <c>callbackDomain</c> replaces the host (always https); with neither, the request's own scheme
/// and host (forwarded headers already applied).
/// </summary>
public sealed class CallbackUris(IOptions<OAuthOptions> options)
{
    public const string CallbackPath = "/v1/outbound/oauth/callback";

    public string? For(OutboundApp app, HttpRequest? request)
    {
        if (app.CallbackDomain is { } domain) return $"https://{domain}{CallbackPath}";
        if (options.Value.PublicBaseUrl is { Length: > 0 } baseUrl) return baseUrl.TrimEnd('/') + CallbackPath;
        return request is null ? null : $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}";
    }
}
