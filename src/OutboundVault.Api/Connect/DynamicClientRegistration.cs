using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Connect;

/// <summary>
/// Dynamic client registration (RFC 7591) for apps with <c>useDcr</c> and no client id: the first connect
/// registers the vault at the provider and stores the client on the app row, every later connect and
/// refresh uses it. The store is a conditional UPDATE (only while the row still has no client id), so of
/// two first connects racing on one instance or several, exactly one client is kept and both use it; the
/// loser's freshly registered client stays unused at the provider.
/// </summary>
sealed class DynamicClientRegistration(
    VaultDbContext db, OutboundApps apps, ProviderClient providers, SecretProtector protector, CallbackUris callbacks, TimeProvider clock,
    ILogger<DynamicClientRegistration> logger)
{
    public const string ClientNamePrefix = "OutboundVault: ";

    /// <summary>The app as it must be used for a connect: unchanged unless it still needs a registered client.</summary>
    public async Task<OutboundApp> EnsureClientAsync(OutboundApp app, HttpRequest http, CancellationToken ct)
    {
        if (!app.UseDcr || app.ClientId is not null) return app;

        var registered = await RegisterAsync(app, callbacks.For(app, http)!, ct);
        var secretCipher = protector.ProtectOptional(registered.ClientSecret, SecretContext.AppClientSecret(app.Id));
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = await db.Apps
            .Where(a => a.Id == app.Id && a.ClientId == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.ClientId, registered.ClientId)
                .SetProperty(a => a.ClientSecretCipher, secretCipher)
                .SetProperty(a => a.TokenEndpointAuthMethod, registered.TokenEndpointAuthMethod)
                .SetProperty(a => a.UpdatedAt, now), ct);
        if (stored == 1)
        {
            logger.LogInformation("App {AppId} now uses the client {ClientId} it registered at its provider", app.Id, registered.ClientId);
            app.ClientId = registered.ClientId;
            app.ClientSecretCipher = secretCipher;
            app.TokenEndpointAuthMethod = registered.TokenEndpointAuthMethod;
            app.UpdatedAt = now;
            return app;
        }

        // Another connect (or an operator's update) stored a client first: use that one, so every
        // authorization URL and every code exchange agree on the client.
        logger.LogWarning("App {AppId} got its client from a concurrent registration; client {ClientId} registered by this request stays unused at the provider",
            app.Id, registered.ClientId);
        return await apps.GetAsync(app.Id, ct);
    }

    async Task<ProviderClientRegistration> RegisterAsync(OutboundApp app, string callbackUri, CancellationToken ct)
    {
        var request = new ClientRegistrationRequest(ClientNamePrefix + app.Name, [callbackUri],
            app.TokenEndpointAuthMethod ?? ProviderApp.ClientSecretPost, app.DefaultScopes);
        try
        {
            return await providers.RegisterClientAsync(apps.ToProviderApp(app), request, ct);
        }
        catch (ProviderException ex)
        {
            throw ex.ToVaultException();
        }
    }
}
