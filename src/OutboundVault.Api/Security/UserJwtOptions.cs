namespace OutboundVault.Security;

/// <summary>
/// Section "Connect:Jwt": the identity provider whose user tokens may start a connect. The authority's
/// OIDC discovery document names the issuer and the JWKS that signs the tokens.
/// </summary>
sealed class UserJwtOptions : Hosting.ISettings
{
    public static string SectionName => "Connect:Jwt";

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read for the issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> a user token must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>True by default: the discovery document and JWKS must come over https. Turn off only for a local IdP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);

    public string MetadataAddress => Authority!.TrimEnd('/') + "/.well-known/openid-configuration";

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrWhiteSpace(Authority) && !PrivateNetworkGuard.TryParseHttpUrl(Authority, out _))
            yield return "Connect:Jwt:Authority must be an absolute http(s) URL.";
        if (string.IsNullOrWhiteSpace(Authority) != string.IsNullOrWhiteSpace(Audience))
            yield return "Connect:Jwt:Authority and Connect:Jwt:Audience must be set together.";
    }
}
