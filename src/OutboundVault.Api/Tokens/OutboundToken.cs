namespace OutboundVault.Tokens;

/// <summary>
/// One grant held for an owner: a user (optionally within a tenant) or a tenant. OAuth grants carry an
/// access and maybe a refresh token; API-key grants carry the key as the access token. Secrets are
/// sealed with associated data naming app, owner and column. <see cref="Version"/> is the concurrency
/// token: a writer holding a stale copy cannot overwrite a freshly rotated refresh token.
/// </summary>
sealed class OutboundToken : Data.ILeased
{
    public string Id { get; set; } = "";
    public string AppId { get; set; } = "";
    /// <summary>"" for tenant-level tokens.</summary>
    public string UserId { get; set; } = "";
    /// <summary>"" for user tokens that belong to no tenant.</summary>
    public string TenantId { get; set; } = "";
    public string Kind { get; set; } = TokenKinds.OAuth;
    public List<string> Scopes { get; set; } = [];
    /// <summary>The scopes sorted and space-joined: grants with equal scope sets replace each other.</summary>
    public string ScopeKey { get; set; } = "";
    public string? AccessTokenCipher { get; set; }
    public string? RefreshTokenCipher { get; set; }
    /// <summary>The key the secrets are sealed with, so rotation can find rows still on an old key.</summary>
    public string KeyId { get; set; } = "";
    public string? TokenType { get; set; }
    /// <summary>Null when unknown: such tokens are refreshed only on forceRefresh.</summary>
    public DateTime? AccessTokenExpiresAt { get; set; }
    public string? TokenSub { get; set; }
    public string? GrantedBy { get; set; }
    public string? ExternalIdentifier { get; set; }
    public string Status { get; set; } = TokenStatuses.Valid;
    public DateTime? LastRefreshAt { get; set; }
    public string? LastRefreshError { get; set; }
    public DateTime? LastRefreshErrorAt { get; set; }
    public int RefreshAttempts { get; set; }
    /// <summary>Back-off after a failed refresh: the worker leaves the token alone until then.</summary>
    public DateTime? RefreshNotBefore { get; set; }
    /// <summary>Which instance is refreshing the token, and until when its claim holds.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public bool HasRefreshToken => RefreshTokenCipher is not null;

    /// <summary>
    /// A fresh grant or a successful refresh: valid again, no error, no back-off, no lease. The one place that
    /// resets the refresh bookkeeping (a refresh's commit writes these same values back).
    /// </summary>
    public void ClearRefreshState()
    {
        Status = TokenStatuses.Valid;
        LastRefreshError = null;
        LastRefreshErrorAt = null;
        RefreshAttempts = 0;
        RefreshNotBefore = null;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    public override string ToString() => $"OutboundToken {Id} (app {AppId}, user '{UserId}', tenant '{TenantId}')";
}

static class TokenKinds
{
    public const string OAuth = "oauth";
    public const string ApiKey = "apikey";
}

static class TokenStatuses
{
    public const string Valid = "valid";
    /// <summary>The provider refused the refresh token for good: the owner must connect again.</summary>
    public const string NeedsReconnect = "needs_reconnect";
    /// <summary>An older duplicate of a grant, merged away by the GrantIdentity migration: revoked and deleted at start.</summary>
    public const string Superseded = "superseded";
}

static class TokenColumns
{
    public const string AccessToken = "accessToken";
    public const string RefreshToken = "refreshToken";
}
