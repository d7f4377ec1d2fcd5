namespace OutboundVault.Connect;

/// <summary>
/// The body of both connect routes. core-js sends <c>{appId, tenantId?, tenantLevel?, options}</c>;
/// connected-agent adds <c>provider</c>; a management-key caller names the owner with <c>userId</c>
/// and/or <c>tenantId</c>.
/// </summary>
sealed class ConnectRequest
{
    public string? AppId { get; set; }
    /// <summary>connected-agent's copy of the app id; used only when appId is absent.</summary>
    public string? Provider { get; set; }
    public string? UserId { get; set; }
    public string? TenantId { get; set; }
    public bool? TenantLevel { get; set; }
    public ConnectRequestOptions? Options { get; set; }

    public string? EffectiveAppId => string.IsNullOrWhiteSpace(AppId) ? Provider?.Trim() : AppId.Trim();

    public override string ToString() => $"ConnectRequest {EffectiveAppId}";
}

sealed class ConnectRequestOptions
{
    public string? RedirectUrl { get; set; }
    public List<string>? Scopes { get; set; }
    public string? ExternalIdentifier { get; set; }
}

/// <summary>The provider authorization URL the caller sends the browser to.</summary>
sealed record ConnectResponse(string Url);
