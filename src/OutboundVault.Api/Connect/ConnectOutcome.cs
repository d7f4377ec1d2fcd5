namespace OutboundVault.Connect;

/// <summary>
/// How a callback ended, for the browser. <see cref="ErrorCode"/> is one of <see cref="ConnectErrors"/>
/// (or the provider's own OAuth error code, such as <c>access_denied</c>); the description is meant for
/// people and never carries a code, state, verifier, token or secret.
/// </summary>
sealed record ConnectOutcome(string? AppId, string? RedirectUrl, string? ErrorCode, string? ErrorDescription)
{
    public bool Succeeded => ErrorCode is null;

    public static ConnectOutcome Success(PendingConnection pending) => new(pending.AppId, pending.RedirectUrl, null, null);

    /// <summary>A failure; <paramref name="pending"/> is null when the state named no pending connection (no redirect is known).</summary>
    public static ConnectOutcome Failure(PendingConnection? pending, string errorCode, string description) =>
        new(pending?.AppId, pending?.RedirectUrl, errorCode, description);
}

/// <summary>The vault's own values of the <c>outbound_error</c> marker.</summary>
static class ConnectErrors
{
    /// <summary>No state, or one never issued or already used (a replay).</summary>
    public const string InvalidState = "invalid_state";
    /// <summary>The hosted page's form arrived unreadable (a malformed or truncated body).</summary>
    public const string InvalidForm = "invalid_form";
    /// <summary>The user took longer than ten minutes.</summary>
    public const string ExpiredState = "expired_state";
    /// <summary>The provider redirected back with neither a code nor an error.</summary>
    public const string MissingCode = "missing_code";
    /// <summary>The provider sent an error code the vault will not echo (not a plain OAuth error token).</summary>
    public const string AuthorizationFailed = "authorization_failed";
    /// <summary>The token endpoint refused the code: invalid, used, another client's, or a PKCE mismatch.</summary>
    public const string InvalidGrant = "invalid_grant";
    /// <summary>The token endpoint refused for another reason (invalid_client, unauthorized_client, ...).</summary>
    public const string TokenRejected = "token_rejected";
    /// <summary>The token endpoint failed: 5xx, timeout, network error, malformed answer.</summary>
    public const string ProviderUnavailable = "provider_unavailable";
    /// <summary>The token endpoint resolves to a private address and OAuth:AllowPrivateNetworkTargets is off.</summary>
    public const string ProviderBlocked = "provider_blocked";
    /// <summary>The app cannot make the exchange as configured (no token URL, bad auth method).</summary>
    public const string AppMisconfigured = "app_misconfigured";
    /// <summary>The vault could not finish (for example a stored secret it cannot decrypt).</summary>
    public const string ServerError = "server_error";
}
