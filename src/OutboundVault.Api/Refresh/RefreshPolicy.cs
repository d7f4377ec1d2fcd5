using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>When a token needs a refresh, and when a stored one can still be handed out.</summary>
static class RefreshPolicy
{
    /// <summary>
    /// Due when it expires within <paramref name="window"/>. A token with unknown expiry never is (only
    /// forceRefresh refreshes it), nor is an API key. While a failed refresh backs off, a token that has
    /// not expired yet is handed out as it is instead of asking the provider again.
    /// </summary>
    public static bool IsDue(OutboundToken token, DateTime now, TimeSpan window) =>
        token.Kind != TokenKinds.ApiKey
        && token.AccessTokenExpiresAt is { } expiresAt
        && expiresAt - now < window
        && !(expiresAt > now && token.RefreshNotBefore > now);

    /// <summary>Not expired yet (an unknown expiry counts as usable).</summary>
    public static bool IsUsable(OutboundToken token, DateTime now) =>
        token.AccessTokenExpiresAt is not { } expiresAt || expiresAt > now;

    /// <summary>
    /// A token whose grant is dead (needs a reconnect) still works until its known expiry; with no known expiry the
    /// vault cannot tell, and asks for the reconnect.
    /// </summary>
    public static bool IsStillWorking(OutboundToken token, DateTime now) => token.AccessTokenExpiresAt is { } expiresAt && expiresAt > now;
}
