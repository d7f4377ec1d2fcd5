using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Errors;

namespace OutboundVault.Connect;

/// <summary>
/// Where a finished connect may send the browser: a <c>redirectUrl</c> whose host is the host of the app's
/// <c>defaultRedirectUrl</c> or one of <c>Connect:AllowedRedirectHosts</c>. Anything else is refused, so the
/// vault can never be used as an open redirector.
/// </summary>
internal sealed class RedirectUrlPolicy(IOptions<ConnectOptions> options)
{
    /// <summary>The redirect URL to keep with the pending connection (the app default when none is asked for).</summary>
    public string? Choose(OutboundApp app, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return app.DefaultRedirectUrl;
        if (!Uri.TryCreate(requested.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0)
            throw VaultException.Invalid("options.redirectUrl must be an absolute http(s) URL without user info");
        if (!IsAllowedHost(app, uri.IdnHost))
            throw VaultException.Invalid(
                $"options.redirectUrl host '{uri.IdnHost}' is not allowed: use the host of the app's defaultRedirectUrl or one listed in Connect:AllowedRedirectHosts");
        return uri.AbsoluteUri;
    }

    bool IsAllowedHost(OutboundApp app, string host)
    {
        if (Uri.TryCreate(app.DefaultRedirectUrl, UriKind.Absolute, out var fallback) && SameHost(fallback.IdnHost, host)) return true;
        return options.Value.AllowedRedirectHosts.Any(allowed => SameHost(allowed.Trim(), host));
    }

    static bool SameHost(string a, string b) => a.Length > 0 && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
