using System.Globalization;

namespace OutboundVault.Tokens;

/// <summary>
/// A token as the SDKs read it (docs/contract.md, "The token object"). Times are strings of epoch seconds because go's SDK declares
/// them <c>string</c> and fails on a JSON number; <c>"0"</c> means unknown (expiry) or never (refresh).
/// Null fields are left out, so tenant tokens carry no <c>userId</c> and user tokens no <c>tenantId</c>
/// unless they are tenant-scoped, and Java's SDK gets no times (<see cref="WithoutTimes"/>).
/// </summary>
sealed record TokenResponse(
    string Id,
    string AppId,
    string? UserId,
    string? TenantId,
    string? TokenSub,
    string? AccessToken,
    string? AccessTokenType,
    string? AccessTokenExpiry,
    bool HasRefreshToken,
    string? RefreshToken,
    string? LastRefreshTime,
    string? LastRefreshError,
    IReadOnlyList<string> Scopes,
    string? GrantedBy,
    string? ExternalIdentifier)
{
    public override string ToString() => $"TokenResponse {Id} (app {AppId})";

    /// <summary>The token for a caller that cannot parse its times (<see cref="Hosting.SdkDialect.OmitsTokenTimes"/>).</summary>
    public TokenResponse WithoutTimes() => this with { AccessTokenExpiry = null, LastRefreshTime = null };

    /// <summary>Shapes the row for the wire with its opened secrets (the refresh token only when it was asked for).</summary>
    public static TokenResponse For(OutboundToken token, string? accessToken, string? refreshToken) => new(
        token.Id,
        token.AppId,
        Arguments.NonEmpty(token.UserId),
        Arguments.NonEmpty(token.TenantId),
        token.TokenSub,
        accessToken,
        token.TokenType,
        EpochSeconds(token.AccessTokenExpiresAt),
        token.HasRefreshToken,
        refreshToken,
        EpochSeconds(token.LastRefreshAt),
        token.LastRefreshError,
        token.Scopes,
        token.GrantedBy,
        token.ExternalIdentifier);

    public static string EpochSeconds(DateTime? time) => time is { } t
        ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
        : "0";
}

sealed record TokenEnvelope(TokenResponse Token);

/// <summary>A batch upload's answer: empty on success; otherwise every failing item and nothing was stored.</summary>
sealed record BatchUploadResponse(IReadOnlyList<UploadFailure> Failures);

/// <summary>One failing batch item. Only the ids the item carried are present (absent, not "").</summary>
sealed record UploadFailure(string AppId, string? UserId, string? TenantId, string ErrorCode, string Reason);

sealed record AppIdsResponse(IReadOnlyList<string> AppIds);

/// <summary>
/// A token in the management view: everything about the grant except the secrets themselves. Times are
/// epoch seconds as numbers here (this is the vault's own API, not an SDK contract).
/// </summary>
sealed record TokenMetadata(
    string Id,
    string AppId,
    string? UserId,
    string? TenantId,
    string Kind,
    string Status,
    IReadOnlyList<string> Scopes,
    string? AccessTokenType,
    long? AccessTokenExpiry,
    bool HasAccessToken,
    bool HasRefreshToken,
    string? TokenSub,
    string? GrantedBy,
    string? ExternalIdentifier,
    long? LastRefreshTime,
    string? LastRefreshError,
    long? LastRefreshErrorTime,
    int RefreshAttempts,
    string KeyId,
    long CreatedTime,
    long UpdatedTime)
{
    public static TokenMetadata For(OutboundToken t) => new(
        t.Id, t.AppId, Arguments.NonEmpty(t.UserId), Arguments.NonEmpty(t.TenantId), t.Kind, t.Status, t.Scopes,
        t.TokenType, Seconds(t.AccessTokenExpiresAt), t.AccessTokenCipher is not null, t.HasRefreshToken,
        t.TokenSub, t.GrantedBy, t.ExternalIdentifier, Seconds(t.LastRefreshAt), t.LastRefreshError,
        Seconds(t.LastRefreshErrorAt), t.RefreshAttempts, t.KeyId, Seconds(t.CreatedAt)!.Value, Seconds(t.UpdatedAt)!.Value);

    static long? Seconds(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds() : null;
}

sealed record TokenPage(IReadOnlyList<TokenMetadata> Tokens, int Total, int Page, int PageSize);
