using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Security;

namespace OutboundVault.Tokens;

/// <summary>
/// Owns the token rows: which grant a new one replaces, how secrets are sealed to their row, and which
/// token a fetch sees. Endpoints, the connect flow and the refresh engine all go through it.
/// </summary>
public sealed class TokenStore(VaultDbContext db, SecretProtector protector, TimeProvider clock)
{
    const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public VaultDbContext Db => db;

    public static string NewId() => "OT" + RandomNumberGenerator.GetString(IdAlphabet, 26);

    public static string ScopeKeyOf(IEnumerable<string> scopes) =>
        string.Join(' ', scopes.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Stores a grant and commits.</summary>
    public async Task<OutboundToken> SaveAsync(Grant grant, CancellationToken ct)
    {
        var token = await StageAsync(grant, ct);
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>
    /// Adds or replaces a grant without committing (batches commit once, all or nothing). An OAuth grant
    /// replaces the owner's token for the app when the scope sets are equal; an API key replaces the
    /// owner's previous key for the app; anything else adds a row.
    /// </summary>
    public async Task<OutboundToken> StageAsync(Grant grant, CancellationToken ct)
    {
        var scopeKey = ScopeKeyOf(grant.Scopes);
        var token = db.Tokens.Local.FirstOrDefault(t => Replaces(t, grant, scopeKey))
            ?? await db.Tokens.Where(t => t.AppId == grant.AppId && t.UserId == grant.Owner.UserId && t.TenantId == grant.Owner.TenantId && t.Kind == grant.Kind)
                .Where(t => grant.Kind == TokenKinds.ApiKey || t.ScopeKey == scopeKey)
                .OrderByDescending(t => t.UpdatedAt).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is null)
        {
            token = new OutboundToken { Id = NewId(), AppId = grant.AppId, UserId = grant.Owner.UserId, TenantId = grant.Owner.TenantId, CreatedAt = now };
            db.Tokens.Add(token);
        }
        token.Kind = grant.Kind;
        token.Scopes = grant.Scopes.Distinct(StringComparer.Ordinal).ToList();
        token.ScopeKey = scopeKey;
        token.TokenType = grant.TokenType;
        token.AccessTokenExpiresAt = grant.ExpiresAt;
        token.TokenSub = grant.TokenSub;
        token.GrantedBy = grant.GrantedBy;
        token.ExternalIdentifier = grant.ExternalIdentifier;
        token.Status = TokenStatuses.Valid;
        token.LastRefreshError = null;
        token.LastRefreshErrorAt = null;
        token.RefreshAttempts = 0;
        token.RefreshNotBefore = null;
        token.LeaseOwner = null;
        token.LeaseExpiresAt = null;
        token.UpdatedAt = now;
        WriteSecrets(token, grant.AccessToken, grant.RefreshToken);
        return token;
    }

    static bool Replaces(OutboundToken t, Grant grant, string scopeKey) =>
        t.AppId == grant.AppId && t.UserId == grant.Owner.UserId && t.TenantId == grant.Owner.TenantId && t.Kind == grant.Kind
        && (grant.Kind == TokenKinds.ApiKey || t.ScopeKey == scopeKey);

    /// <summary>Seals both secrets to this row under the primary key and gives the row a new version.</summary>
    public void WriteSecrets(OutboundToken token, string? accessToken, string? refreshToken)
    {
        token.AccessTokenCipher = protector.ProtectOptional(accessToken, Context(token, TokenColumns.AccessToken));
        token.RefreshTokenCipher = protector.ProtectOptional(refreshToken, Context(token, TokenColumns.RefreshToken));
        token.KeyId = protector.PrimaryKeyId;
        token.Version = Guid.NewGuid();
    }

    public string? ReadAccessToken(OutboundToken token) =>
        protector.UnprotectOptional(token.AccessTokenCipher, Context(token, TokenColumns.AccessToken));

    public string? ReadRefreshToken(OutboundToken token) =>
        protector.UnprotectOptional(token.RefreshTokenCipher, Context(token, TokenColumns.RefreshToken));

    static SecretContext Context(OutboundToken token, string column) =>
        SecretContext.Token(token.AppId, token.UserId, token.TenantId, column);

    /// <summary>An owner's tokens for an app, newest first (the fetch path's one indexed query).</summary>
    public Task<List<OutboundToken>> ListForOwnerAsync(string appId, TokenOwner owner, CancellationToken ct) =>
        db.Tokens.AsNoTracking()
            .Where(t => t.AppId == appId && t.UserId == owner.UserId && t.TenantId == owner.TenantId)
            .OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id)
            .ToListAsync(ct);
}
