using Microsoft.Extensions.Options;

namespace OutboundVault.Providers;

/// <summary>
/// The one typed client for every call to an OAuth provider: code exchange, refresh, revocation,
/// discovery and client registration. Every call goes through the SSRF-guarded handler registered by AddProviders.
/// Failures surface as <see cref="ProviderException"/>; the caller's cancellation as OperationCanceledException.
/// </summary>
sealed partial class ProviderClient(
    HttpClient httpClient,
    ProviderDiscoveryCache discoveryCache,
    IOptions<OAuthOptions> options,
    TimeProvider timeProvider,
    ProviderMetrics metrics,
    ILogger<ProviderClient> logger)
{
    /// <summary>The IHttpClientFactory name of the guarded client.</summary>
    public const string HttpClientName = "providers";

    /// <summary>Redeems an authorization code (RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636).</summary>
    public Task<ProviderTokenResponse> ExchangeCodeAsync(
        ProviderApp app, string code, string redirectUri, string? codeVerifier,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);

        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
        };
        if (!string.IsNullOrEmpty(codeVerifier))
        {
            form.Add(new("code_verifier", codeVerifier));
        }

        return RequestTokenAsync(app, ProviderOperation.CodeExchange, form, ct);
    }

    /// <summary>
    /// Redeems a refresh token (RFC 6749 §6). A null RefreshToken in the answer means the provider did
    /// not rotate and the caller keeps the one it has.
    /// </summary>
    public Task<ProviderTokenResponse> RefreshAsync(
        ProviderApp app, string refreshToken, IReadOnlyCollection<string>? scopes,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);

        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        };
        if (scopes is { Count: > 0 })
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        return RequestTokenAsync(app, ProviderOperation.Refresh, form, ct);
    }

    /// <summary>
    /// Revokes a token at the provider (RFC 7009). Does nothing when the app has no revocation endpoint.
    /// Throws on failure; callers treat revocation as best effort.
    /// </summary>
    public async Task RevokeAsync(
        ProviderApp app, string token, string tokenTypeHint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(token);

        var revocationUrl = string.IsNullOrWhiteSpace(app.RevocationUrl)
            ? (await ResolveEndpointsAsync(app, ct)).RevocationUrl
            : app.RevocationUrl;
        if (string.IsNullOrWhiteSpace(revocationUrl))
        {
            return;
        }

        var form = new List<KeyValuePair<string, string>> { new("token", token) };
        if (!string.IsNullOrEmpty(tokenTypeHint))
        {
            form.Add(new("token_type_hint", tokenTypeHint));
        }

        var endpoint = RequireUrl(app, ProviderOperation.Revocation, revocationUrl, "revocation URL");
        var reply = await PostFormAsync(
            app, ProviderOperation.Revocation, endpoint, form, includeTokenUrlParams: false, ct);
        if (!reply.IsSuccess)
        {
            using var document = ProviderResponseReader.TryParseObject(reply.Body);
            throw StatusFailure(app, ProviderOperation.Revocation, endpoint, reply.StatusCode,
                document is null ? null : ProviderResponseReader.ReadErrorCode(document.RootElement));
        }
    }

    async Task<ProviderTokenResponse> RequestTokenAsync(
        ProviderApp app, ProviderOperation operation, List<KeyValuePair<string, string>> form,
        CancellationToken ct)
    {
        var tokenUrl = string.IsNullOrWhiteSpace(app.TokenUrl)
            ? (await ResolveEndpointsAsync(app, ct)).TokenUrl
            : app.TokenUrl;
        if (string.IsNullOrWhiteSpace(tokenUrl))
        {
            throw Fail(app, operation, ProviderFailureKind.Configuration,
                "the app has no token URL (set tokenUrl or discoveryUrl)");
        }

        var endpoint = RequireUrl(app, operation, tokenUrl, "token URL");

        // Sent exactly once, never retried: the provider may have redeemed the code or rotated the refresh
        // token before the answer was lost, and a resend would then get invalid_grant and kill the grant.
        // The caller decides what a Transient failure means (the refresh coordinator re-reads and retries later).
        var reply = await PostFormAsync(
            app, operation, endpoint, form, includeTokenUrlParams: true, ct);

        using var document = ProviderResponseReader.TryParseObject(reply.Body);
        var error = document is null ? null : ProviderResponseReader.ReadErrorCode(document.RootElement);
        if (!reply.IsSuccess || error is not null)
        {
            throw StatusFailure(app, operation, endpoint, reply.StatusCode, error);
        }

        if (document is null)
        {
            throw Fail(app, operation, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} answered HTTP {reply.StatusCode} with a body that is not a JSON object",
                statusCode: reply.StatusCode);
        }

        return ProviderResponseReader.ReadToken(document.RootElement)
            ?? throw Fail(app, operation, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} answered HTTP {reply.StatusCode} without an access_token",
                statusCode: reply.StatusCode);
    }
}
