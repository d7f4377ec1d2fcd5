using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>How refresh outcomes reach callers. Every message is secret-free: it names ids and the provider's error code only.</summary>
internal static class RefreshErrors
{
    public static VaultException Reconnect(OutboundToken token) => new(VaultError.ReconnectRequired,
        $"The token of {Owner(token)} for app '{token.AppId}' can no longer be refreshed (the provider refused it): connect again to grant a new one");

    public static VaultException NothingToRefresh(OutboundToken token) => VaultException.Invalid(
        $"forceRefresh needs a refresh token, and token '{token.Id}' of app '{token.AppId}' has none: upload one or connect again");

    /// <summary>The stored token has expired and the refresh failed without killing the grant. Not 503: SDKs would retry it for ~10 s.</summary>
    public static VaultException Failed(OutboundToken token, RefreshResult result) => new(VaultError.ProviderFailure,
        $"Token '{token.Id}' of app '{token.AppId}' could not be refreshed and the stored one has expired. {Hint(result.FailureKind)} " +
        $"Reason: {result.Error ?? "unknown"}");

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

    static TokenOwner Owner(OutboundToken token) => new(token.UserId, token.TenantId);
}
