using System.Data.Common;
using OutboundVault.Data;

namespace OutboundVault.Tokens;

/// <summary>
/// The fetch path's one query: an owner's tokens for an app, newest first, over the owner index. It is written by hand
/// so that it stays compiled between fetches (<see cref="PreparedReads"/>); it reads every column the model maps, in
/// the order below, and a test holds the two together (OwnerTokensQueryTests).
/// </summary>
static class OwnerTokensQuery
{
    public const string Sql = """
        SELECT "Id", "AppId", "UserId", "TenantId", "Kind", "Scopes", "ScopeKey", "AccessTokenCipher", "RefreshTokenCipher",
               "KeyId", "TokenType", "AccessTokenExpiresAt", "TokenSub", "GrantedBy", "ExternalIdentifier", "Status",
               "LastRefreshAt", "LastRefreshError", "LastRefreshErrorAt", "RefreshAttempts", "RefreshNotBefore",
               "LeaseOwner", "LeaseExpiresAt", "CreatedAt", "UpdatedAt", "Version"
        FROM outbound_tokens WHERE "AppId" = @p0 AND "UserId" = @p1 AND "TenantId" = @p2
        ORDER BY "UpdatedAt" DESC, "Id" DESC
        """;

    public static string[] Arguments(string appId, TokenOwner owner) => [appId, owner.UserId, owner.TenantId];

    public static OutboundToken Read(DbDataReader row) => new()
    {
        Id = row.GetString(0),
        AppId = row.GetString(1),
        UserId = row.GetString(2),
        TenantId = row.GetString(3),
        Kind = row.GetString(4),
        Scopes = JsonColumn.Read<string>(row.GetString(5)),
        ScopeKey = row.GetString(6),
        AccessTokenCipher = Text(row, 7),
        RefreshTokenCipher = Text(row, 8),
        KeyId = row.GetString(9),
        TokenType = Text(row, 10),
        AccessTokenExpiresAt = Time(row, 11),
        TokenSub = Text(row, 12),
        GrantedBy = Text(row, 13),
        ExternalIdentifier = Text(row, 14),
        Status = row.GetString(15),
        LastRefreshAt = Time(row, 16),
        LastRefreshError = Text(row, 17),
        LastRefreshErrorAt = Time(row, 18),
        RefreshAttempts = row.GetInt32(19),
        RefreshNotBefore = Time(row, 20),
        LeaseOwner = Text(row, 21),
        LeaseExpiresAt = Time(row, 22),
        CreatedAt = Time(row, 23)!.Value,
        UpdatedAt = Time(row, 24)!.Value,
        Version = row.GetGuid(25),
    };

    static string? Text(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    /// <summary>Every time is UTC (<see cref="UtcDateTimeConverter"/>); SQLite hands it back unspecified.</summary>
    static DateTime? Time(DbDataReader row, int column) =>
        row.IsDBNull(column) ? null : DateTime.SpecifyKind(row.GetDateTime(column), DateTimeKind.Utc);
}
