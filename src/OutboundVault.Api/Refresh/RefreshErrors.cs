using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>How refresh outcomes reach callers. Every message is secret-free: it names ids and the provider's error code only.</summary>
static class RefreshErrors
{
    /// <summary>
    /// The one translation of a refresh outcome into what its caller receives: the token, or the error. A fetch
    /// (<paramref name="handsOutStored"/>) still takes a stored token that works when the refresh failed (not
    /// expired yet) or the grant died (until its known expiry); the console's refresh button asked for a refresh,
    /// so any failure is its answer.
    /// </summary>
    public static OutboundToken TokenOrThrow(RefreshResult result, OutboundToken asked, bool force, bool handsOutStored, DateTime now) => result.Outcome switch
    {
        RefreshOutcome.Refreshed or RefreshOutcome.Current => result.Token!,
        RefreshOutcome.NoRefreshToken when !force => result.Token!,
        RefreshOutcome.NoRefreshToken => throw NothingToRefresh(asked),
        RefreshOutcome.Dead when handsOutStored && !force && result.Token is { } last && RefreshPolicy.IsStillWorking(last, now) => last,
        RefreshOutcome.Dead => throw Reconnect(asked),
        RefreshOutcome.Failed when handsOutStored && result.Token is { } stored && RefreshPolicy.IsUsable(stored, now) => stored,
        RefreshOutcome.Failed => throw Failed(asked, result, now),
        _ => throw VaultException.NotFound($"Token '{asked.Id}' was deleted while it was being refreshed"),
    };

    public static VaultException Reconnect(OutboundToken token) => TokenErrors.Reconnect(token.AppId, new TokenOwner(token.UserId, token.TenantId));

    public static VaultException NothingToRefresh(OutboundToken token) => VaultException.Invalid(
        $"forceRefresh needs a refresh token, and token '{token.Id}' of app '{token.AppId}' has none: upload one or connect again");

    /// <summary>The refresh failed without killing the grant. Not 503: SDKs would retry it for ~10 s.</summary>
    static VaultException Failed(OutboundToken token, RefreshResult result, DateTime now) => new(VaultError.ProviderFailure,
        $"Token '{token.Id}' of app '{token.AppId}' could not be refreshed" +
        (result.Token is { } stored && !RefreshPolicy.IsUsable(stored, now) ? " and the stored one has expired. " : ". ") +
        $"{Hint(result.FailureKind)} Reason: {result.Error ?? "unknown"}");

    public static VaultException VerifyFailed(ProviderException ex) => ex.Kind switch
    {
        ProviderFailureKind.InvalidGrant => VaultException.Invalid(
            $"verifyRefresh: the provider refused the refresh token ({ex.ProviderError ?? "invalid_grant"}); nothing was stored"),
        ProviderFailureKind.Configuration or ProviderFailureKind.Blocked => VaultException.Invalid(
            $"verifyRefresh: the app cannot refresh tokens as configured; nothing was stored. {ex.Message}"),
        _ => new VaultException(VaultError.ProviderFailure,
            $"verifyRefresh: the provider did not confirm the refresh token; nothing was stored. {Hint(ex.Kind)} {ex.Message}"),
    };

    static string Hint(ProviderFailureKind? kind) => kind switch
    {
        ProviderFailureKind.Transient => "The provider is unavailable or answered badly; try again later.",
        ProviderFailureKind.Rejected => "The provider refused the app's request; check the app's client id, secret and settings.",
        ProviderFailureKind.Configuration or ProviderFailureKind.Blocked => "The app cannot refresh tokens as configured; check its token URL.",
        _ => "Try again later.",
    };
}
