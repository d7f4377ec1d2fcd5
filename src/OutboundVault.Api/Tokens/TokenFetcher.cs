using OutboundVault.Errors;

namespace OutboundVault.Tokens;

/// <summary>
/// The fetch path: one indexed read of the owner's tokens, the selection rule, then the refresh engine's
/// word on freshness (it refreshes when the token expires within Refresh:MinValidity, or when forced).
/// </summary>
sealed class TokenFetcher(TokenStore store, Apps.OutboundApps apps, ITokenRefresher refresher, TimeProvider clock)
{
    public async Task<TokenEnvelope> FetchAsync(
        string appId, TokenOwner owner, IReadOnlyCollection<string> requiredScopes, FetchOptions? options, string? externalIdentifier, CancellationToken ct)
    {
        var candidates = await store.ListForOwnerAsync(appId, owner, ct);
        var (token, onlyDead) = TokenSelection.Pick(candidates, requiredScopes, externalIdentifier, clock.GetUtcNow().UtcDateTime);
        if (token is null)
        {
            throw onlyDead ? TokenErrors.Reconnect(appId, owner) : await NotFoundAsync(appId, owner, requiredScopes, ct);
        }
        var fresh = await refresher.EnsureFreshAsync(token, options?.ForceRefresh == true, ct);
        var refreshToken = options?.WithRefreshToken == true ? store.ReadRefreshToken(fresh) : null;
        return new TokenEnvelope(TokenResponse.For(fresh, store.ReadAccessToken(fresh), refreshToken));
    }

    /// <summary>Only on the miss path: telling an unknown app from a missing connection costs one more query.</summary>
    async Task<VaultException> NotFoundAsync(string appId, TokenOwner owner, IReadOnlyCollection<string> requiredScopes, CancellationToken ct)
    {
        if (!await apps.ExistsAsync(appId, ct)) return Apps.OutboundApps.NotFound(appId);
        var scopes = requiredScopes.Count == 0 ? "" : $" with scopes {string.Join(' ', requiredScopes)}";
        return VaultException.NotFound($"No token of {owner} for app '{appId}'{scopes}: connect first");
    }
}
