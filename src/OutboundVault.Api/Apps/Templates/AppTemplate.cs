namespace OutboundVault.Apps.Templates;

/// <summary>A well-known provider's settings: everything but the operator's own client id and secret.</summary>
sealed record AppTemplate(
    string Id,
    string Name,
    string Description,
    string AppType,
    string? AuthorizationUrl = null,
    string? TokenUrl = null,
    string? RevocationUrl = null,
    string? DiscoveryUrl = null,
    IReadOnlyList<string>? DefaultScopes = null,
    bool Pkce = false,
    string? AccessType = null,
    IReadOnlyList<string>? Prompt = null,
    IReadOnlyList<UrlParam>? AuthorizationUrlParams = null,
    IReadOnlyList<UrlParam>? TokenUrlParams = null,
    string? TokenEndpointAuthMethod = null)
{
    /// <summary>The template as app fields, ready for the caller's values and overrides.</summary>
    public AppRequest ToRequest() => new()
    {
        Name = Name,
        Description = Description,
        AppType = AppType,
        AuthorizationUrl = AuthorizationUrl,
        TokenUrl = TokenUrl,
        RevocationUrl = RevocationUrl,
        DiscoveryUrl = DiscoveryUrl,
        DefaultScopes = DefaultScopes?.ToList(),
        Pkce = Pkce,
        AccessType = AccessType,
        Prompt = Prompt?.ToList(),
        AuthorizationUrlParams = AuthorizationUrlParams?.Select(p => new UrlParamInput { Key = p.Key, Value = p.Value }).ToList(),
        TokenUrlParams = TokenUrlParams?.Select(p => new UrlParamInput { Key = p.Key, Value = p.Value }).ToList(),
        TokenEndpointAuthMethod = TokenEndpointAuthMethod,
        TemplateId = Id,
    };
}
