namespace OutboundVault.Providers;

/// <summary>What a failed provider call means for the caller.</summary>
enum ProviderFailureKind
{
    /// <summary>5xx, 429, timeout, network error, malformed body: worth trying again later.</summary>
    Transient,

    /// <summary>The provider answered invalid_grant: the code or refresh token is dead (re-read, then reconnect).</summary>
    InvalidGrant,

    /// <summary>Any other refusal (invalid_client, unauthorized_client, invalid_scope, ...): fix the app.</summary>
    Rejected,

    /// <summary>The SSRF guard refused the target address; no request was sent.</summary>
    Blocked,

    /// <summary>The app cannot make this call as configured (no token URL, bad URL, unknown auth method).</summary>
    Configuration,
}
