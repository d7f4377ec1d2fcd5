using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;

namespace OutboundVault.Tokens;

/// <summary>
/// Owns the token rows: which grant a new one replaces, how secrets are sealed to their row, and which
/// token a fetch sees. Endpoints, the connect flow and the refresh engine all go through it.
/// </summary>
sealed class TokenStore(VaultDbContext db, PreparedReads reads, SecretProtector protector, TimeProvider clock, Audit.AuditLog audit)
{
    public static string NewId() => RandomIds.New("OT", 26);

    public static string ScopeKeyOf(IEnumerable<string> scopes) =>
        string.Join(' ', scopes.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Stores a grant and commits.</summary>
    public async Task<OutboundToken> SaveAsync(Grant grant, CancellationToken ct, Action<OutboundToken>? alongside = null) =>
        (await SaveManyAsync([grant], ct, alongside is null ? null : staged => alongside(staged[0])))[0];

    /// <summary>
    /// Adds or replaces grants and commits them together, all or nothing. An OAuth grant replaces the owner's token
    /// for the app when the scope sets are equal; an API key replaces the owner's previous key for the app; anything
    /// else adds a row. A unique index holds that rule in the database, so two writers racing for one owner end as
    /// one row: the loser (a unique or row-version conflict) stages its grants again over what the winner committed,
    /// and is applied after it.
    /// </summary>
    /// <param name="alongside">Stages rows that commit with the grants (a webhook event), again on every attempt.</param>
    public async Task<IReadOnlyList<OutboundToken>> SaveManyAsync(
        IReadOnlyList<Grant> grants, CancellationToken ct, Action<IReadOnlyList<OutboundToken>>? alongside = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var staged = await StageManyAsync(grants, ct);
            alongside?.Invoke(staged);
            try
            {
                await db.SaveChangesAsync(ct);
                foreach (var token in staged) audit.Record(Audit.AuditActions.TokenStore, token.AppId, new TokenOwner(token.UserId, token.TenantId), token.Id);
                return staged;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && DatabaseErrors.IsLostRace(ex))
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsForeignKeyViolation(ex))
            {
                db.ChangeTracker.Clear();
                throw VaultException.NotFound($"The outbound app was deleted while its tokens were being stored");
            }
        }
    }

    /// <summary>Racing writers for one owner settle in a few rounds; beyond that the caller is told (409).</summary>
    const int MaxAttempts = 5;

    /// <summary>
    /// Loads every row the grants could replace in one query and writes the grants into them or into new rows;
    /// change detection runs once at the commit instead of after every staged row.
    /// </summary>
    async Task<IReadOnlyList<OutboundToken>> StageManyAsync(IReadOnlyList<Grant> grants, CancellationToken ct)
    {
        var (appIds, userIds, tenantIds) = (Ids(grants, g => g.AppId), Ids(grants, g => g.Owner.UserId), Ids(grants, g => g.Owner.TenantId));
        await db.Tokens.Where(t => appIds.Contains(t.AppId) && userIds.Contains(t.UserId) && tenantIds.Contains(t.TenantId)).LoadAsync(ct);
        var newest = new Dictionary<ReplaceKey, OutboundToken>();
        foreach (var t in db.Tokens.Local.OrderByDescending(t => t.UpdatedAt)) newest.TryAdd(ReplaceKey.Of(t.AppId, t.UserId, t.TenantId, t.Kind, t.ScopeKey), t);

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var staged = new List<OutboundToken>(grants.Count);
            foreach (var grant in grants)
            {
                var key = ReplaceKey.Of(grant.AppId, grant.Owner.UserId, grant.Owner.TenantId, grant.Kind, ScopeKeyOf(grant.Scopes));
                staged.Add(newest[key] = Apply(newest.GetValueOrDefault(key), grant, key.ScopeKey));
            }
            return staged;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    static List<string> Ids(IEnumerable<Grant> grants, Func<Grant, string> id) => grants.Select(id).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// What makes one grant replace another: same app, owner and kind, and for OAuth the same scope set (an API key's
    /// scope key is always ""). The unique index of the GrantIdentity migration is this key.
    /// </summary>
    readonly record struct ReplaceKey(string AppId, string UserId, string TenantId, string Kind, string ScopeKey)
    {
        public static ReplaceKey Of(string appId, string userId, string tenantId, string kind, string scopeKey) =>
            new(appId, userId, tenantId, kind, kind == TokenKinds.ApiKey ? "" : scopeKey);
    }

    /// <summary>Writes a grant into the row it replaces, or into a new row.</summary>
    OutboundToken Apply(OutboundToken? token, Grant grant, string scopeKey)
    {
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
        token.ClearRefreshState();
        token.UpdatedAt = now;
        WriteSecrets(token, grant.AccessToken, grant.RefreshToken);
        return token;
    }

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
        SecretContext.Token(token.AppId, token.UserId, token.TenantId, token.Id, column);

    /// <summary>An owner's tokens for an app, newest first (the fetch path's one indexed query).</summary>
    public Task<List<OutboundToken>> ListForOwnerAsync(string appId, TokenOwner owner, CancellationToken ct) =>
        reads.ListAsync(OwnerTokensQuery.Sql, OwnerTokensQuery.Arguments(appId, owner), OwnerTokensQuery.Read, ct);
}
