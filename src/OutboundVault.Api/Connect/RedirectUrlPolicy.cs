using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Errors;

namespace OutboundVault.Connect;

/// <summary>
/// Where a finished connect may send the browser, so the vault can never be used as an open redirector (README,
/// "Connecting users and tenants"): the origin (scheme, host, port) of the app's <c>defaultRedirectUrl</c>, or an entry
/// of <c>Connect:AllowedRedirectHosts</c>: a full origin (<c>https://app.example.com:8443</c>) matched exactly, or a bare
/// host matched on any port over https only (over http too for loopback hosts, where local tools run).
/// </summary>
sealed class RedirectUrlPolicy(IOptions<ConnectOptions> options)
{
    /// <summary>The redirect URL to keep with the pending connection (the app default when none is asked for).</summary>
    public string? Choose(OutboundApp app, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return app.DefaultRedirectUrl;
        if (!Uri.TryCreate(requested.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0)
        {
            throw VaultException.Invalid("options.redirectUrl must be an absolute http(s) URL without user info");
        }

        if (!IsAllowed(app, uri))
        {
            throw VaultException.Invalid(
                $"options.redirectUrl origin '{uri.GetLeftPart(UriPartial.Authority)}' is not allowed: use the origin of the app's defaultRedirectUrl or one allowed by Connect:AllowedRedirectHosts");
        }

        return uri.AbsoluteUri;
    }

    bool IsAllowed(OutboundApp app, Uri uri)
    {
        if (Uri.TryCreate(app.DefaultRedirectUrl, UriKind.Absolute, out var fallback) && SameOrigin(fallback, uri)) return true;
        return options.Value.AllowedRedirectHosts.Any(entry => Allows(entry.Trim(), uri));
    }

    static bool Allows(string entry, Uri uri)
    {
        if (entry.Contains("://", StringComparison.Ordinal)) return Uri.TryCreate(entry, UriKind.Absolute, out var origin) && SameOrigin(origin, uri);
        return SameHost(entry, uri.IdnHost) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback);
    }

    static bool SameOrigin(Uri a, Uri b) => a.Scheme == b.Scheme && SameHost(a.IdnHost, b.IdnHost) && a.Port == b.Port;

    static bool SameHost(string a, string b) => a.Length > 0 && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
