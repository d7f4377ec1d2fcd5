using System.Text.Json;
using System.Text.RegularExpressions;
using OutboundVault.Security;

namespace OutboundVault.Providers;

/// <summary>
/// What a remote MCP server (an OAuth protected resource) publishes about getting a token for it.
/// </summary>
/// <param name="Resource">The resource identifier: the RFC 8707 <c>resource</c> parameter of every authorization and token request.</param>
/// <param name="Scopes">The scopes the server's 401 challenge asked for, else its <c>scopes_supported</c>.</param>
/// <param name="AuthorizationServerMetadataUrl">Where the authorization server's RFC 8414 / OIDC metadata was found.</param>
sealed record ProtectedResourceMetadata(
    string Resource,
    string? ResourceName,
    IReadOnlyList<string> Scopes,
    string AuthorizationServerMetadataUrl,
    ProviderEndpoints Endpoints,
    IReadOnlyList<string> TokenEndpointAuthMethods);

// Discovery the way MCP clients do it (README, "Connecting to remote MCP servers"): the server's 401 challenge or RFC 9728 well-known
// metadata names the authorization server, whose RFC 8414 or OIDC metadata names the endpoints. Every
// request goes through the provider HttpClient, so the private-network guard checks each discovered URL.
sealed partial class ProviderClient
{
    const string ResourceMetadataPath = "/.well-known/oauth-protected-resource";
    const ProviderOperation ResourceDiscovery = ProviderOperation.ResourceDiscovery;

    public async Task<ProtectedResourceMetadata> DiscoverProtectedResourceAsync(
        string appId, string resourceUrl, CancellationToken ct = default)
    {
        var app = new ProviderApp(appId, null, null, null, null, null, null, [], ProviderApp.ClientSecretPost);
        var resourceUri = RequireUrl(app, ResourceDiscovery, resourceUrl, "MCP server URL");

        // An MCP server answers an unauthenticated request with 401 and, per RFC 9728 §5.1, names its metadata.
        var probe = await SendAsync(app, ResourceDiscovery, new HttpRequestMessage(HttpMethod.Get, resourceUri), ct);
        var challenge = probe.StatusCode == StatusCodes.Status401Unauthorized ? probe.Challenge : "";
        Uri[] resourceCandidates = ChallengeParameter(challenge, "resource_metadata") is { } named
            ? [RequireUrl(app, ResourceDiscovery, named, "resource_metadata URL")]
            : WellKnownUrls(resourceUri, ResourceMetadataPath);
        var (_, resourceDocument) = await FirstDocumentAsync(app, resourceCandidates, "protected resource metadata (RFC 9728)", ct);
        using var resourceMetadata = resourceDocument;
        var root = resourceMetadata.RootElement;

        var resource = ProviderResponseReader.ReadString(root, "resource");
        if (resource is null || !PrivateNetworkGuard.TryParseHttpUrl(resource, out var resourceIdentifier) || !Covers(resourceIdentifier, resourceUri))
        {
            // RFC 9728 §3.3: metadata for another resource must not be used (it could send users to anyone's server).
            throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration,
                $"the protected resource metadata names the resource '{resource}', which is not {Describe(resourceUri)} or a parent of it");
        }

        var issuer = ReadStrings(root, "authorization_servers").FirstOrDefault()
            ?? throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration,
                "the protected resource metadata names no authorization_servers");
        var issuerUri = RequireUrl(app, ResourceDiscovery, issuer, "authorization server");
        var (metadataUrl, serverDocument) = await FirstDocumentAsync(app, AuthorizationServerMetadataUrls(issuerUri),
            "authorization server metadata (RFC 8414 or OpenID Connect discovery)", ct);
        using var serverMetadata = serverDocument;
        var server = serverMetadata.RootElement;
        if (!SameIdentifier(ProviderResponseReader.ReadString(server, "issuer"), issuer))
        {
            // RFC 8414 §3.3: the issuer in the document must be the one it was looked up for.
            throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration,
                $"the authorization server metadata at {Describe(metadataUrl)} is for another issuer");
        }

        var endpoints = ReadEndpoints(server);
        if (endpoints.AuthorizationUrl is null || endpoints.TokenUrl is null)
        {
            throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration,
                $"the authorization server metadata at {Describe(metadataUrl)} lacks authorization_endpoint or token_endpoint");
        }

        if (!ReadStrings(server, "code_challenge_methods_supported").Contains("S256", StringComparer.Ordinal))
        {
            // The MCP authorization spec: without advertised S256 PKCE a client must not proceed.
            throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration,
                $"the authorization server {Describe(issuerUri)} does not advertise PKCE with S256");
        }

        var challengedScopes = ChallengeParameter(challenge, "scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new ProtectedResourceMetadata(
            resourceIdentifier.OriginalString,
            ProviderResponseReader.ReadString(root, "resource_name"),
            challengedScopes ?? ReadStrings(root, "scopes_supported"),
            metadataUrl.AbsoluteUri,
            endpoints,
            ReadStrings(server, "token_endpoint_auth_methods_supported"));
    }

    /// <summary>The first candidate answering 2xx with a JSON object; the others are tried in order.</summary>
    async Task<(Uri Url, JsonDocument Document)> FirstDocumentAsync(
        ProviderApp app, Uri[] candidates, string what, CancellationToken ct)
    {
        var answers = new List<string>();
        foreach (var candidate in candidates)
        {
            var reply = await SendAsync(app, ResourceDiscovery, new HttpRequestMessage(HttpMethod.Get, candidate), ct);
            if (reply.IsSuccess && ProviderResponseReader.TryParseObject(reply.Body) is { } document)
            {
                return (candidate, document);
            }

            answers.Add($"{Describe(candidate)} answered HTTP {reply.StatusCode}");
        }

        throw Fail(app, ResourceDiscovery, ProviderFailureKind.Configuration, $"no {what} found: {string.Join("; ", answers)}");
    }

    /// <summary>RFC 9728 §3.1 / RFC 8414 §3.1: the well-known segment goes between the host and the path.</summary>
    static Uri[] WellKnownUrls(Uri identifier, string wellKnown)
    {
        var origin = identifier.GetLeftPart(UriPartial.Authority);
        var path = identifier.AbsolutePath.TrimEnd('/');
        return path.Length == 0
            ? [new Uri(origin + wellKnown)]
            : [new Uri(origin + wellKnown + path), new Uri(origin + wellKnown)];
    }

    /// <summary>The order the MCP authorization spec gives: RFC 8414, then OIDC with the path inserted, then appended.</summary>
    static Uri[] AuthorizationServerMetadataUrls(Uri issuer)
    {
        var origin = issuer.GetLeftPart(UriPartial.Authority);
        var path = issuer.AbsolutePath.TrimEnd('/');
        return path.Length == 0
            ? [new Uri(origin + "/.well-known/oauth-authorization-server"), new Uri(origin + "/.well-known/openid-configuration")]
            :
            [
                new Uri(origin + "/.well-known/oauth-authorization-server" + path),
                new Uri(origin + "/.well-known/openid-configuration" + path),
                new Uri(origin + path + "/.well-known/openid-configuration"),
            ];
    }

    /// <summary>A resource identifier covers the URL it was discovered from: same origin, and a path prefix of it.</summary>
    static bool Covers(Uri resource, Uri requested)
    {
        if (!string.Equals(resource.GetLeftPart(UriPartial.Authority), requested.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var prefix = resource.AbsolutePath.TrimEnd('/') + "/";
        return (requested.AbsolutePath.TrimEnd('/') + "/").StartsWith(prefix, StringComparison.Ordinal);
    }

    static bool SameIdentifier(string? a, string b) =>
        a is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    static string[] ReadStrings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray()
            : [];

    /// <summary>A parameter of a <c>Bearer</c> challenge (RFC 6750 §3), quoted or not.</summary>
    static string? ChallengeParameter(string challenge, string name)
    {
        var match = Regex.Match(challenge, $@"(?:^|[\s,]){Regex.Escape(name)}=(?:""(?<v>[^""]*)""|(?<v>[^\s,]+))", RegexOptions.IgnoreCase);
        return match.Success && match.Groups["v"].Value.Length > 0 ? match.Groups["v"].Value : null;
    }
}
