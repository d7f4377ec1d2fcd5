namespace OutboundVault.Tokens;

/// <summary>
/// Which of an owner's tokens a fetch hands out (docs/contract.md, "Semantics"): the most recently stored or
/// refreshed valid one, and for a by-scopes fetch the most recent valid one whose granted scopes include
/// every requested scope. A token that needs a reconnect is handed out only while its access token has not expired
/// (its known expiry); then the caller is told to reconnect.
/// </summary>
static class TokenSelection
{
    /// <param name="newestFirst">The owner's tokens for the app, most recently stored or refreshed first.</param>
    /// <param name="requiredScopes">Empty for "latest".</param>
    /// <returns>The token, or null with <c>OnlyDead</c> telling whether a matching token exists but needs a reconnect.</returns>
    public static (OutboundToken? Token, bool OnlyDead) Pick(
        IReadOnlyList<OutboundToken> newestFirst, IReadOnlyCollection<string> requiredScopes, string? externalIdentifier, DateTime now)
    {
        var onlyDead = false;
        OutboundToken? stillWorking = null;
        foreach (var token in newestFirst)
        {
            if (!Matches(token, requiredScopes, externalIdentifier)) continue;
            if (token.Status == TokenStatuses.Valid) return (token, false);
            if (token.Status == TokenStatuses.NeedsReconnect && token.AccessTokenExpiresAt > now) stillWorking ??= token;
            onlyDead = true;
        }
        return (stillWorking, stillWorking is null && onlyDead);
    }

    static bool Matches(OutboundToken token, IReadOnlyCollection<string> requiredScopes, string? externalIdentifier) =>
        (externalIdentifier is null || token.ExternalIdentifier == externalIdentifier)
        && (requiredScopes.Count == 0 || requiredScopes.All(token.Scopes.Contains));
}
