namespace OutboundVault.Providers;

// Endpoint resolution from OIDC discovery / RFC 8414 authorization server metadata.
sealed partial class ProviderClient
{
    static readonly TimeSpan DiscoveryRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The app's endpoints: its explicit URLs, with the gaps filled from its discovery document when it
    /// has a discovery URL. Discovery answers are cached per URL for OAuth:DiscoveryCacheLifetime.
    /// </summary>
    public async Task<ProviderEndpoints> ResolveEndpointsAsync(ProviderApp app, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authorizationUrl = NullIfBlank(app.AuthorizationUrl);
        var tokenUrl = NullIfBlank(app.TokenUrl);
        var revocationUrl = NullIfBlank(app.RevocationUrl);
        var registrationUrl = NullIfBlank(app.RegistrationUrl);
        if (NullIfBlank(app.DiscoveryUrl) is not { } discoveryUrl)
        {
            return new ProviderEndpoints(authorizationUrl, tokenUrl, revocationUrl, registrationUrl);
        }

        var discovered = await DiscoverAsync(app, discoveryUrl, ct);
        return new ProviderEndpoints(
            authorizationUrl ?? discovered.AuthorizationUrl,
            tokenUrl ?? discovered.TokenUrl,
            revocationUrl ?? discovered.RevocationUrl,
            registrationUrl ?? discovered.RegistrationUrl);
    }

    async Task<ProviderEndpoints> DiscoverAsync(ProviderApp app, string discoveryUrl, CancellationToken ct)
    {
        if (discoveryCache.TryGet(discoveryUrl, out var cached))
        {
            return cached;
        }

        var endpoint = RequireUrl(app, ProviderOperation.Discovery, discoveryUrl, "discovery URL");
        ProviderEndpoints discovered;
        try
        {
            discovered = await FetchDiscoveryAsync(app, endpoint, ct);
        }
        catch (ProviderException ex) when (ex.Kind == ProviderFailureKind.Transient)
        {
            // Discovery is a GET without side effects, so one retry is safe. Token and refresh POSTs are
            // never retried (see RequestTokenAsync).
            await Task.Delay(DiscoveryRetryDelay, timeProvider, ct);
            discovered = await FetchDiscoveryAsync(app, endpoint, ct);
        }

        // Failures are not cached: the next call asks again.
        discoveryCache.Set(discoveryUrl, discovered, options.Value.DiscoveryCacheLifetime);
        return discovered;
    }

    async Task<ProviderEndpoints> FetchDiscoveryAsync(ProviderApp app, Uri endpoint, CancellationToken ct)
    {
        var reply = await SendAsync(app, ProviderOperation.Discovery, new HttpRequestMessage(HttpMethod.Get, endpoint),
            ct);
        if (!reply.IsSuccess)
        {
            // A 4xx here means the discovery URL is wrong, which only the app's owner can fix.
            var kind = reply.StatusCode is >= 500 or 429 or 408
                ? ProviderFailureKind.Transient
                : ProviderFailureKind.Configuration;
            throw Fail(app, ProviderOperation.Discovery, kind,
                $"{Describe(endpoint)} answered HTTP {reply.StatusCode} instead of a metadata document",
                statusCode: reply.StatusCode);
        }

        using var document = ProviderResponseReader.TryParseObject(reply.Body)
            ?? throw Fail(app, ProviderOperation.Discovery, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} did not answer with a JSON metadata document", statusCode: reply.StatusCode);
        return ReadEndpoints(document.RootElement);
    }

    static ProviderEndpoints ReadEndpoints(System.Text.Json.JsonElement metadata) => new(
        NullIfBlank(ProviderResponseReader.ReadString(metadata, "authorization_endpoint")),
        NullIfBlank(ProviderResponseReader.ReadString(metadata, "token_endpoint")),
        NullIfBlank(ProviderResponseReader.ReadString(metadata, "revocation_endpoint")),
        NullIfBlank(ProviderResponseReader.ReadString(metadata, "registration_endpoint")));

    static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
