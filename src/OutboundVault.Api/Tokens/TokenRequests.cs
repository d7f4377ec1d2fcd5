using System.Text.Json.Serialization;

namespace OutboundVault.Tokens;

/// <summary>
/// <c>options</c> of the fetch routes. Python passes any dict through (or <c>null</c>); unknown keys are ignored.
/// </summary>
sealed class FetchOptions
{
    public bool? WithRefreshToken { get; set; }
    public bool? ForceRefresh { get; set; }
}

/// <summary>
/// A user fetch (docs/contract.md rows 7 and 8). Node omits unset keys, go sends <c>"scopes": null</c>, python sends
/// <c>"options": null, "tenantId": null</c>; the latest route ignores <see cref="Scopes"/>.
/// </summary>
sealed class UserTokenFetch
{
    public string? AppId { get; set; }
    public string? UserId { get; set; }
    public string? TenantId { get; set; }
    public List<string?>? Scopes { get; set; }
    public FetchOptions? Options { get; set; }
    /// <summary>Docs only (no SDK sends it): narrows the fetch to tokens connected with this identifier.</summary>
    public string? ExternalIdentifier { get; set; }
}

/// <summary>A tenant fetch (docs/contract.md rows 9 and 10).</summary>
sealed class TenantTokenFetch
{
    public string? AppId { get; set; }
    public string? TenantId { get; set; }
    public List<string?>? Scopes { get; set; }
    public FetchOptions? Options { get; set; }
    public string? ExternalIdentifier { get; set; }
}

/// <summary>An API key upload: a user's (row 14, <c>tenantId</c> optional) or a tenant's (row 15).</summary>
abstract class ApiKeyUpload
{
    public string? AppId { get; set; }
    public string? TenantId { get; set; }
    public string? ApiKey { get; set; }

    [JsonIgnore]
    public abstract TokenOwner Owner { get; }

    public override string ToString() => $"{GetType().Name} app {AppId} for {Owner}";
}

sealed class UserApiKeyUpload : ApiKeyUpload
{
    public string? UserId { get; set; }

    [JsonIgnore]
    public override TokenOwner Owner => TokenOwner.User(UserId ?? "", TenantId);
}

sealed class TenantApiKeyUpload : ApiKeyUpload
{
    [JsonIgnore]
    public override TokenOwner Owner => TokenOwner.Tenant(TenantId ?? "");
}

/// <summary>
/// An OAuth token to upload, as a batch item or (with <see cref="VerifyRefresh"/>) flat as a single upload.
/// <c>accessTokenExpiry</c> is epoch seconds; 0 or absent means unknown.
/// </summary>
abstract class TokenUpload
{
    public string? AppId { get; set; }
    public string? TenantId { get; set; }
    public string? RefreshToken { get; set; }
    public string? AccessToken { get; set; }
    public long? AccessTokenExpiry { get; set; }
    public string? AccessTokenType { get; set; }
    public List<string?>? Scopes { get; set; }
    public string? ExternalIdentifier { get; set; }
    public string? IdToken { get; set; }
    public string? GrantedBy { get; set; }
    /// <summary>Single uploads only: refresh at the provider first and store nothing when it refuses.</summary>
    public bool? VerifyRefresh { get; set; }

    [JsonIgnore]
    public abstract TokenOwner Owner { get; }

    /// <summary>The owner ids a batch failure echoes: only those given, never "".</summary>
    [JsonIgnore]
    public abstract (string? UserId, string? TenantId) OwnerIds { get; }

    public override string ToString() => $"{GetType().Name} app {AppId} ({(AccessToken is null ? "no " : "")}access, {(RefreshToken is null ? "no " : "")}refresh)";
}

sealed class UserTokenUpload : TokenUpload
{
    public string? UserId { get; set; }

    [JsonIgnore]
    public override TokenOwner Owner => TokenOwner.User(UserId ?? "", TenantId);
    [JsonIgnore]
    public override (string? UserId, string? TenantId) OwnerIds => (Arguments.NonEmpty(UserId), Arguments.NonEmpty(TenantId));
}

sealed class TenantTokenUpload : TokenUpload
{
    [JsonIgnore]
    public override TokenOwner Owner => TokenOwner.Tenant(TenantId ?? "");
    [JsonIgnore]
    public override (string? UserId, string? TenantId) OwnerIds => (null, Arguments.NonEmpty(TenantId));
}

/// <summary>Rows 18 and 19: <c>{"tokens": [...]}</c>, committed all or nothing.</summary>
sealed record UserTokenBatch(List<UserTokenUpload?>? Tokens);

sealed record TenantTokenBatch(List<TenantTokenUpload?>? Tokens);
