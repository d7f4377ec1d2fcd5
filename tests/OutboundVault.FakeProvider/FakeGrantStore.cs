using System.Security.Cryptography;

namespace OutboundVault.FakeProvider;

/// <summary>
/// Authorization codes and refresh-token grants of the fake, behind one lock. A grant has exactly one
/// live refresh token; rotating or revoking it kills the old value, like strict real providers.
/// </summary>
sealed class FakeGrantStore
{
    readonly Lock gate = new();
    readonly Dictionary<string, PendingCode> codes = new(StringComparer.Ordinal);
    readonly Dictionary<string, Grant> grantsByRefreshToken = new(StringComparer.Ordinal);

    public string IssueCode(string clientId, string redirectUri, string? codeChallenge, string? challengeMethod, string? scope)
    {
        var code = NewValue("code");
        lock (gate)
        {
            codes[code] = new PendingCode(clientId, redirectUri, codeChallenge, challengeMethod, scope);
        }

        return code;
    }

    /// <summary>Takes a code out of the store: codes are single use, even when the exchange then fails.</summary>
    public PendingCode? RedeemCode(string code)
    {
        lock (gate)
        {
            return codes.Remove(code, out var pending) ? pending : null;
        }
    }

    public string IssueRefreshToken(string clientId, string? scope)
    {
        var token = NewValue("rt");
        lock (gate)
        {
            grantsByRefreshToken[token] = new Grant(clientId, scope);
        }

        return token;
    }

    /// <summary>
    /// Uses a refresh token. Null when it is not the grant's live token (already rotated, revoked, unknown
    /// or another client's). With <paramref name="rotate"/> the token is replaced by a new one.
    /// </summary>
    public RefreshOutcome? UseRefreshToken(string refreshToken, string clientId, bool rotate)
    {
        lock (gate)
        {
            if (!grantsByRefreshToken.TryGetValue(refreshToken, out var grant) || grant.ClientId != clientId)
            {
                return null;
            }

            if (!rotate)
            {
                return new RefreshOutcome(grant.Scope, null);
            }

            grantsByRefreshToken.Remove(refreshToken);
            var next = NewValue("rt");
            grantsByRefreshToken[next] = grant;
            return new RefreshOutcome(grant.Scope, next);
        }
    }

    public bool Revoke(string token)
    {
        lock (gate)
        {
            return grantsByRefreshToken.Remove(token);
        }
    }

    public static string NewValue(string prefix) =>
        $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    internal sealed record PendingCode(
        string ClientId, string RedirectUri, string? CodeChallenge, string? ChallengeMethod, string? Scope);

    internal sealed record RefreshOutcome(string? Scope, string? NewRefreshToken);

    sealed record Grant(string ClientId, string? Scope);
}
