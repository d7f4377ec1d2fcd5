using OutboundVault.Apps;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Connect;

internal static class ProviderAppMapping
{
    /// <summary>The app as the provider client needs it, with its client secret opened for the one call.</summary>
    public static ProviderApp ToProviderApp(this OutboundApp app, SecretProtector protector) => new(
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
}
