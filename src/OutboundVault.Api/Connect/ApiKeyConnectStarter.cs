using Microsoft.AspNetCore.WebUtilities;
using OutboundVault.Apps;

namespace OutboundVault.Connect;

/// <summary>
/// Starts a connect for an API-key app. There is no provider to send the user to, so the URL it answers is
/// the vault's own hosted page where the user types the key (<see cref="ApiKeyPageEndpoints"/>). The pending
/// connection is the same row an OAuth connect stores (state hash, owner, redirect URL, ten minutes, single
/// use), without a PKCE verifier; its CallbackUri is the page, which is how the page tells its own
/// connections from OAuth ones.
/// </summary>
sealed class ApiKeyConnectStarter(
    CallbackUris urls, RedirectUrlPolicy redirects, PendingConnections pending, ILogger<ApiKeyConnectStarter> logger)
{
    public async Task<string> StartAsync(OutboundApp app, ConnectRequest request, ConnectOwner owner, HttpRequest http, CancellationToken ct)
    {
        var redirectUrl = redirects.Choose(app, request.Options?.RedirectUrl);
        // The vault's public base, never the app's callbackDomain: that names where a provider sends users
        // back, and an API-key app has no provider.
        var pageUrl = urls.VaultUrl(ApiKeyPageEndpoints.Path, http)!;
        var state = ConnectSecrets.NewState();
        await pending.AddAsync(PendingConnections.For(state, app, owner, request, redirectUrl, pageUrl), ct);
        logger.LogInformation("Connect started for API-key app {AppId}, {Owner}", app.Id, owner.Owner);
        return QueryHelpers.AddQueryString(pageUrl, "state", state);
    }

    /// <summary>Whether a pending connection was started here (and not by an OAuth connect, whose state a provider has seen).</summary>
    public static bool StartedHere(PendingConnection connection) =>
        connection.CodeVerifierCipher is null && connection.CallbackUri.EndsWith(ApiKeyPageEndpoints.Path, StringComparison.Ordinal);
}
