namespace OutboundVault.Providers;

/// <summary>
/// An app's OAuth client as the provider client needs it. The caller decrypts the secret; this record
/// lives only for the duration of a call and never prints the secret.
/// </summary>
/// <param name="TokenEndpointAuthMethod">"client_secret_post" (default), "client_secret_basic" or "none".</param>
sealed record ProviderApp(
    string AppId,
    string? ClientId,
    string? ClientSecret,
    string? AuthorizationUrl,
    string? TokenUrl,
    string? RevocationUrl,
    string? DiscoveryUrl,
    IReadOnlyList<KeyValuePair<string, string>> TokenUrlParams,
    string TokenEndpointAuthMethod)
{
    public const string ClientSecretPost = "client_secret_post";
    public const string ClientSecretBasic = "client_secret_basic";
    public const string NoClientAuthentication = "none";

    /// <summary>The app's explicit client registration endpoint (RFC 7591, the app's dcrUrl); discovery fills it otherwise.</summary>
    public string? RegistrationUrl { get; init; }

    // The compiler-generated ToString would print ClientSecret into any log or assertion message.
    public override string ToString() =>
        $"ProviderApp {{ AppId = {AppId}, ClientId = {ClientId}, HasClientSecret = {ClientSecret is not null}, " +
        $"TokenEndpointAuthMethod = {TokenEndpointAuthMethod} }}";
}

/// <summary>The endpoints of an app after discovery; explicit app fields win over discovered ones.</summary>
/// <param name="RegistrationUrl">The RFC 7591 client registration endpoint (metadata "registration_endpoint").</param>
sealed record ProviderEndpoints(string? AuthorizationUrl, string? TokenUrl, string? RevocationUrl, string? RegistrationUrl = null);
