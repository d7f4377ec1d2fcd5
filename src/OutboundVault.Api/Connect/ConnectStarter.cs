using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Connect;

/// <summary>
/// Starts an authorization-code flow: checks the app and the redirect URL, resolves the provider's
/// endpoints (discovery), stores the pending connection with its sealed PKCE verifier, and builds the
/// authorization URL. Every problem is a clear error here, before the user is sent anywhere.
/// </summary>
sealed class ConnectStarter(
    OutboundApps apps, ProviderClient providers, SecretProtector protector, CallbackUris callbacks, RedirectUrlPolicy redirects,
    AuthorizationEndpointGuard guard, PendingConnections pending, ILogger<ConnectStarter> logger,
    DynamicClientRegistration registration, ApiKeyConnectStarter apiKeys, IOptions<ConnectOptions> options, Hosting.VaultMetrics metrics)
{
    public const string CodeVerifierColumn = "codeVerifier";

    public async Task<string> StartAsync(ConnectRequest request, ConnectOwner owner, HttpRequest http, CancellationToken ct)
    {
        var app = await apps.GetAsync(request.EffectiveAppId!, ct);
        // API-key apps have no provider: the user types the key on the vault's hosted page (ApiKeyConnectStarter.cs).
        if (app.IsApiKey) return await apiKeys.StartAsync(app, request, owner, http, ct);
        // Checked before registering a client, so a refused request leaves nothing behind at the provider.
        var redirectUrl = redirects.Choose(app, request.Options?.RedirectUrl);
        // useDcr apps without a client register one at the provider first (DynamicClientRegistration.cs).
        app = await registration.EnsureClientAsync(app, http, ct);
        if (app.ClientId is null) throw VaultException.Invalid($"App '{app.Id}' has no clientId to send to the provider");
        var endpoints = await ResolveEndpointsAsync(app, ct);
        var authorizationEndpoint = await guard.CheckAsync(app.Id, endpoints.AuthorizationUrl, ct);
        if (endpoints.TokenUrl is null) throw VaultException.Invalid($"App '{app.Id}' has no token URL: set tokenUrl or discoveryUrl");

        var requested = request.Options?.Scopes?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var scopes = requested is { Count: > 0 } ? requested : app.DefaultScopes;
        var callbackUri = callbacks.For(app, http)!;
        var state = ConnectSecrets.NewState();
        var connection = PendingConnections.For(state, app, owner, request, redirectUrl, callbackUri);
        var verifier = app.Pkce ? ConnectSecrets.NewCodeVerifier() : null;
        connection.Scopes = scopes.ToList();
        connection.CodeVerifierCipher = protector.ProtectOptional(verifier, SecretContext.PendingConnection(connection.StateHash, CodeVerifierColumn));
        connection.BrowserBinding = options.Value.BindToBrowser ? BrowserBinding.Unopened : null;
        await pending.AddAsync(connection, ct);
        logger.LogInformation("Connect started for app {AppId}, {Owner}", app.Id, owner.Owner);
        metrics.Connect("started");
        return connection.BrowserBinding is null
            ? AuthorizationUrl.Build(authorizationEndpoint, app, callbackUri, scopes, state, verifier is null ? null : ConnectSecrets.S256Challenge(verifier))
            : QueryHelpers.AddQueryString(callbacks.VaultUrl(BrowserBinding.StartPath, http)!, "state", state);
    }

    /// <summary>The provider URL of a stored pending connection, for the start page of a bound connect.</summary>
    public async Task<string> AuthorizationUrlAsync(OutboundApp app, PendingConnection connection, string state, CancellationToken ct)
    {
        var endpoints = await ResolveEndpointsAsync(app, ct);
        var authorizationEndpoint = await guard.CheckAsync(app.Id, endpoints.AuthorizationUrl, ct);
        var verifier = protector.UnprotectOptional(connection.CodeVerifierCipher, SecretContext.PendingConnection(connection.StateHash, CodeVerifierColumn));
        return AuthorizationUrl.Build(authorizationEndpoint, app, connection.CallbackUri, connection.Scopes, state,
            verifier is null ? null : ConnectSecrets.S256Challenge(verifier));
    }

    async Task<ProviderEndpoints> ResolveEndpointsAsync(OutboundApp app, CancellationToken ct)
    {
        try
        {
            return await providers.ResolveEndpointsAsync(apps.ToProviderApp(app), ct);
        }
        catch (ProviderException ex)
        {
            throw ex.ToVaultException();
        }
    }
}
