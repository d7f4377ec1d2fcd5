namespace OutboundVault.Apps;

/// <summary>An outbound app: a third-party OAuth provider or API-key service that users and tenants connect to.</summary>
sealed class OutboundApp
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? ClientId { get; set; }
    /// <summary>Sealed by <see cref="Security.SecretProtector"/>; never leaves the vault.</summary>
    public string? ClientSecretCipher { get; set; }
    public string? Logo { get; set; }
    public string? DiscoveryUrl { get; set; }
    public string? AuthorizationUrl { get; set; }
    public List<UrlParam> AuthorizationUrlParams { get; set; } = [];
    public string? TokenUrl { get; set; }
    public List<UrlParam> TokenUrlParams { get; set; } = [];
    public string? RevocationUrl { get; set; }
    public List<string> DefaultScopes { get; set; } = [];
    public string? DefaultRedirectUrl { get; set; }
    public string? CallbackDomain { get; set; }
    public bool Pkce { get; set; }
    public string? AccessType { get; set; }
    public List<string> Prompt { get; set; } = [];
    public bool UseDcr { get; set; }
    public string? DcrUrl { get; set; }
    public string AppType { get; set; } = AppTypes.OAuth;
    public string? TenantId { get; set; }
    public string? TemplateId { get; set; }
    /// <summary>How the vault authenticates at the token endpoint: client_secret_post (default), client_secret_basic or none.</summary>
    public string? TokenEndpointAuthMethod { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsApiKey => AppType == AppTypes.ApiKey;
}

sealed record UrlParam(string Key, string Value);

static class AppTypes
{
    public const string OAuth = "oauth";
    public const string ApiKey = "apikey";
}
