using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

enum RefreshOutcome
{
    /// <summary>This refresh called the provider and committed the new pair.</summary>
    Refreshed,

    /// <summary>No call was needed: the row is fresh enough, or someone else refreshed or replaced it meanwhile.</summary>
    Current,

    /// <summary>The provider call failed without killing the grant (transient, or the app is misconfigured); recorded on the row.</summary>
    Failed,

    /// <summary>The provider refused the refresh token for good: the row is "needs reconnect".</summary>
    Dead,

    /// <summary>The row has no refresh token to refresh with.</summary>
    NoRefreshToken,

    /// <summary>The row is gone (deleted meanwhile).</summary>
    NotFound,

    /// <summary>The worker's claim on the row was lost to another refresh; nothing was done.</summary>
    Skipped,
}

/// <summary>
/// What a refresh attempt ended with, and the row as it stands afterwards (null when gone or skipped).
/// <see cref="Error"/> is the secret-free reason recorded on the row.
/// </summary>
sealed record RefreshResult(RefreshOutcome Outcome, OutboundToken? Token, string? Error = null, ProviderFailureKind? FailureKind = null)
{
    public static RefreshResult NotFound { get; } = new(RefreshOutcome.NotFound, null);
    public static RefreshResult Skipped { get; } = new(RefreshOutcome.Skipped, null);

    public static RefreshResult Current(OutboundToken token) => new(RefreshOutcome.Current, token);
}
