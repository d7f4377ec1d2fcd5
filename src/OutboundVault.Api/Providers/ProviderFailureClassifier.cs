namespace OutboundVault.Providers;

/// <summary>Maps a provider's HTTP status and OAuth error code to what the failure means.</summary>
static class ProviderFailureClassifier
{
    // GitHub answers a dead refresh token or code with HTTP 200 and these codes instead of invalid_grant.
    static readonly HashSet<string> InvalidGrantCodes =
        new(StringComparer.Ordinal) { "invalid_grant", "bad_refresh_token", "bad_verification_code" };

    // Codes that mean "not now" even when a provider sends them with a 4xx.
    static readonly HashSet<string> TransientCodes =
        new(StringComparer.Ordinal) { "temporarily_unavailable", "server_error", "slow_down" };

    public static ProviderFailureKind Classify(int statusCode, string? providerError)
    {
        if (providerError is not null && InvalidGrantCodes.Contains(providerError)
            && statusCode is 200 or 400 or 401)
        {
            return ProviderFailureKind.InvalidGrant;
        }

        if (providerError is not null && TransientCodes.Contains(providerError))
        {
            return ProviderFailureKind.Transient;
        }

        return statusCode switch
        {
            >= 500 or 429 or 408 => ProviderFailureKind.Transient,
            // Redirects are never followed (SSRF guard); a token endpoint that redirects is a wrong URL.
            >= 300 and < 400 => ProviderFailureKind.Configuration,
            >= 400 => ProviderFailureKind.Rejected,
            // A 2xx carrying an "error" field (GitHub style) is a refusal too.
            >= 200 when providerError is not null => ProviderFailureKind.Rejected,
            _ => ProviderFailureKind.Transient,
        };
    }
}
