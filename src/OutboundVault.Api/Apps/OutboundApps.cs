using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Apps;

/// <summary>
/// Looking up an outbound app, for every feature that names one: the app as stored, the one 404 every route
/// answers for an unknown id, and the app as the provider client needs it.
/// </summary>
sealed class OutboundApps(VaultDbContext db, SecretProtector protector)
{
    /// <summary>The app, untracked; null when there is none.</summary>
    public Task<OutboundApp?> FindAsync(string id, CancellationToken ct) =>
        db.Apps.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>The app or a 404; <paramref name="tracked"/> when the caller is going to change it.</summary>
    public async Task<OutboundApp> GetAsync(string id, CancellationToken ct, bool tracked = false) =>
        await (tracked ? db.Apps : db.Apps.AsNoTracking()).SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw NotFound(id);

    public Task<bool> ExistsAsync(string id, CancellationToken ct) => db.Apps.AnyAsync(a => a.Id == id, ct);

    /// <summary>Each app's type (oauth or apikey) by id; unknown ids are left out.</summary>
    public Task<Dictionary<string, string>> TypesAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        db.Apps.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AppType, ct);

    /// <summary>The app as the provider client needs it, or a 404.</summary>
    public async Task<ProviderApp> GetProviderAppAsync(string id, CancellationToken ct) => ToProviderApp(await GetAsync(id, ct));

    /// <summary>The app as the provider client needs it, with its client secret opened for the one call.</summary>
    public ProviderApp ToProviderApp(OutboundApp app) => new(
        app.Id,
        app.ClientId,
        protector.UnprotectOptional(app.ClientSecretCipher, SecretContext.AppClientSecret(app.Id)),
        app.AuthorizationUrl,
        app.TokenUrl,
        app.RevocationUrl,
        app.DiscoveryUrl,
        app.TokenUrlParams.Select(p => KeyValuePair.Create(p.Key, p.Value)).ToList(),
        app.TokenEndpointAuthMethod ?? ProviderApp.ClientSecretPost)
    {
        RegistrationUrl = app.DcrUrl,
    };

    /// <summary>The one answer for an id that names no app (long ids shortened, the message is echoed).</summary>
    public static VaultException NotFound(string id) =>
        VaultException.NotFound($"No outbound app with id '{(id.Length <= 100 ? id : id[..100] + "...")}'");
}
