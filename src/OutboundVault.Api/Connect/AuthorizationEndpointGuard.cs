using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Connect;

/// <summary>
/// The vault never calls the authorization URL (the browser does), but it would be sending users to
/// whatever an app definition names. With OAuth:AllowPrivateNetworkTargets off, an authorization URL
/// that resolves to a loopback, private or link-local address is refused at connect time, the same rule
/// the provider client applies to the endpoints the vault itself calls.
/// </summary>
sealed class AuthorizationEndpointGuard(IOptions<OAuthOptions> options, ILogger<AuthorizationEndpointGuard> logger)
{
    public async Task<string> CheckAsync(string appId, string? authorizationUrl, CancellationToken ct)
    {
        if (authorizationUrl is null)
            throw VaultException.Invalid($"App '{appId}' has no authorization URL: set authorizationUrl or discoveryUrl");
        if (!PrivateNetworkGuard.TryParseHttpUrl(authorizationUrl, out var uri))
            throw VaultException.Invalid($"App '{appId}' has an authorization URL that is not an absolute http(s) URL");
        if (options.Value.AllowPrivateNetworkTargets) return authorizationUrl;

        var host = uri.DnsSafeHost;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException ex)
        {
            logger.LogWarning("Authorization URL host {Host} of app {AppId} did not resolve ({SocketError})", host, appId, ex.SocketErrorCode);
            throw new VaultException(VaultError.ProviderFailure, $"The authorization URL host {host} of app '{appId}' could not be resolved");
        }
        if (addresses.Length == 0 || addresses.Any(PrivateNetworkGuard.IsPrivate))
        {
            throw VaultException.Invalid(
                $"The authorization URL host {host} of app '{appId}' resolves to a private or loopback network address; " +
                "set OAuth:AllowPrivateNetworkTargets=true to allow it");
        }

        return authorizationUrl;
    }
}
