namespace OutboundVault.Providers;

/// <summary>The client metadata the vault asks a provider to register (RFC 7591 §2).</summary>
/// <param name="ClientName">Shown to users on the provider's consent screen.</param>
/// <param name="RedirectUris">The vault's callback URI for the app; the code exchange must repeat it exactly.</param>
/// <param name="TokenEndpointAuthMethod">"client_secret_post", "client_secret_basic" or "none" (a public client).</param>
/// <param name="Scopes">Sent space-joined as "scope" when not empty.</param>
sealed record ClientRegistrationRequest(
    string ClientName,
    IReadOnlyList<string> RedirectUris,
    string TokenEndpointAuthMethod,
    IReadOnlyList<string> Scopes);

/// <summary>A provider's answer to a client registration (RFC 7591 §3.2.1).</summary>
/// <param name="ClientSecret">Null for a public client.</param>
/// <param name="ClientSecretExpiresAt">Null when the secret never expires (the RFC's 0) or the provider did not say.</param>
/// <param name="TokenEndpointAuthMethod">The method the provider registered, which may differ from the one asked for.</param>
sealed record ProviderClientRegistration(
    string ClientId,
    string? ClientSecret,
    DateTimeOffset? ClientSecretExpiresAt,
    string TokenEndpointAuthMethod)
{
    // The compiler-generated ToString would print ClientSecret into any log or assertion message.
    public override string ToString() =>
        $"ProviderClientRegistration {{ ClientId = {ClientId}, HasClientSecret = {ClientSecret is not null}, " +
        $"ClientSecretExpiresAt = {ClientSecretExpiresAt:O}, TokenEndpointAuthMethod = {TokenEndpointAuthMethod} }}";
}
