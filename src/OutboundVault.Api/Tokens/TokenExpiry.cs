namespace OutboundVault.Tokens;

/// <summary>
/// The one rule for when a stored access token expires, whether it came from a connect, a refresh, a verified
/// upload (a lifetime, <c>expires_in</c>) or a plain upload (an instant, <c>accessTokenExpiry</c>): nothing, 0 or
/// a negative value is unknown (null; refreshed only on forceRefresh), and no lifetime is longer than ten years,
/// which keeps a hostile value from overflowing <see cref="DateTime"/>.
/// </summary>
static class TokenExpiry
{
    static readonly long MaxLifetimeSeconds = (long)TimeSpan.FromDays(3650).TotalSeconds;

    /// <summary>The expiry an answer's <c>expires_in</c> (seconds from <paramref name="now"/>) means.</summary>
    public static DateTime? FromLifetime(long? expiresIn, DateTime now) =>
        expiresIn is > 0 and var seconds ? now.AddSeconds(Math.Min(seconds, MaxLifetimeSeconds)) : null;

    /// <summary>The expiry an upload's epoch seconds mean, held to the same ten-year bound.</summary>
    public static DateTime? FromEpochSeconds(long? epochSeconds, DateTime now)
    {
        if (epochSeconds is not { } epoch || epoch <= 0) return null;
        var latest = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)).ToUnixTimeSeconds() + MaxLifetimeSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(Math.Min(epoch, latest)).UtcDateTime;
    }
}
