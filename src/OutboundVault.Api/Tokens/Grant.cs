namespace OutboundVault.Tokens;

/// <summary>
/// A grant to store, secrets in plaintext: from an upload, a completed connect or an API key.
/// <see cref="ToString"/> leaves the secrets out.
/// </summary>
sealed record Grant(
    string AppId,
    TokenOwner Owner,
    string Kind,
    string? AccessToken,
    string? RefreshToken,
    string? TokenType,
    DateTime? ExpiresAt,
    IReadOnlyList<string> Scopes,
    string? TokenSub = null,
    string? GrantedBy = null,
    string? ExternalIdentifier = null)
{
    public override string ToString() => $"Grant for {Owner} on app {AppId} ({Kind}, {Scopes.Count} scopes)";

    public static Grant ApiKey(string appId, TokenOwner owner, string apiKey, string? grantedBy = null) =>
        new(appId, owner, TokenKinds.ApiKey, apiKey, null, null, null, [], GrantedBy: grantedBy);
}
