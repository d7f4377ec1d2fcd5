namespace OutboundVault.Providers;

/// <summary>A successful token endpoint answer (code exchange or refresh).</summary>
sealed class ProviderTokenResponse
{
    static readonly char[] ScopeSeparators = [' ', ','];

    public required string AccessToken { get; init; }

    public string TokenType { get; init; } = "Bearer";

    /// <summary>Lifetime in seconds as the provider stated it; null when it said nothing usable.</summary>
    public long? ExpiresIn { get; init; }

    /// <summary>Null means the provider did not rotate: the caller keeps the refresh token it has.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The granted scope exactly as the provider sent it.</summary>
    public string? Scope { get; init; }

    /// <summary>
    /// The granted scopes, split on spaces and also on commas, which several providers (GitHub, Slack)
    /// use despite RFC 6749.
    /// </summary>
    public IReadOnlyList<string> Scopes =>
        Scope is null
            ? []
            : Scope.Split(ScopeSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToArray();

    /// <summary>
    /// What was granted: the answer's scopes, or the <paramref name="requested"/> ones when it names none
    /// (RFC 6749 §5.1 leaves <c>scope</c> out when it equals the request).
    /// </summary>
    public IReadOnlyList<string> ScopesOr(IReadOnlyList<string> requested) => Scopes.Count > 0 ? Scopes : requested;

    public string? IdToken { get; init; }

    /// <summary>
    /// The id_token's "sub", read without signature validation: the token came straight from the token
    /// endpoint over TLS on the back channel (OIDC Core 3.1.3.7), not through the browser.
    /// </summary>
    public string? IdTokenSubject { get; init; }

    // Never print tokens: this object ends up in logs and assertion messages.
    public override string ToString() =>
        $"ProviderTokenResponse {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn}, " +
        $"HasRefreshToken = {RefreshToken is not null}, Scope = {Scope}, HasIdToken = {IdToken is not null}, " +
        $"IdTokenSubject = {IdTokenSubject} }}";
}
