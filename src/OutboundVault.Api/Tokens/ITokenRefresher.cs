namespace OutboundVault.Tokens;

/// <summary>
/// The fetch path's view of the refresh engine: hand out a token valid for at least Refresh:MinValidity,
/// refreshing it first when it expires sooner, or always when <paramref name="force"/> is set.
/// </summary>
interface ITokenRefresher
{
    /// <returns>The token to hand out (the stored one, or the freshly refreshed and committed one).</returns>
    /// <exception cref="Errors.VaultException">ReconnectRequired, ProviderFailure, or InvalidRequest when forced without a refresh token.</exception>
    Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct);

    /// <summary>
    /// An upload's <c>verifyRefresh</c>: refreshes the uploaded refresh token at the provider before anything
    /// is stored and returns the grant carrying the provider's new pair (the uploaded refresh token may
    /// have just been rotated away). Throws, and nothing is stored, when the provider refuses.
    /// </summary>
    Task<Grant> VerifyGrantAsync(Grant grant, CancellationToken ct);
}

/// <summary>Revokes deleted tokens at their provider (RFC 7009), best-effort and off the caller's path.</summary>
interface ITokenRevoker
{
    /// <summary>
    /// Called after the rows were deleted and committed; never blocks or fails the delete. A delete that
    /// removed the app too passes it, since its row (and revocation URL) is gone by the time revocation runs.
    /// </summary>
    void RevokeDeleted(IReadOnlyList<OutboundToken> deletedRows, OutboundVault.Apps.OutboundApp? deletedApp = null);
}
