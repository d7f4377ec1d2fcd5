namespace OutboundVault.Tokens;

/// <summary>
/// The fetch path's view of the refresh engine: hand out a token valid for at least Refresh:MinValidity,
/// refreshing it first when it expires sooner, or always when <paramref name="force"/> is set.
/// </summary>
public interface ITokenRefresher
{
    /// <returns>The token to hand out (the stored one, or the freshly refreshed and committed one).</returns>
    /// <exception cref="Errors.VaultException">ReconnectRequired, ProviderFailure, or InvalidRequest when forced without a refresh token.</exception>
    Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct);
}

/// <summary>Revokes deleted tokens at their provider (RFC 7009), best-effort and off the caller's path.</summary>
public interface ITokenRevoker
{
    /// <summary>Called after the rows were deleted and committed; never blocks or fails the delete.</summary>
    void RevokeDeleted(IReadOnlyList<OutboundToken> deletedRows);
}
