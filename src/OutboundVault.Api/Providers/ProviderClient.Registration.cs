using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OutboundVault.Providers;

// Dynamic client registration (RFC 7591).
sealed partial class ProviderClient
{
    static readonly string[] RegisteredGrantTypes = ["authorization_code", "refresh_token"];
    static readonly string[] RegisteredResponseTypes = ["code"];

    /// <summary>
    /// Registers the vault as an OAuth client of the app's provider at <see cref="ProviderApp.RegistrationUrl"/>,
    /// else at the discovery document's registration_endpoint. Sent exactly once, never retried: a
    /// registration whose answer was lost may still have created a client, and a resend would create another.
    /// </summary>
    public async Task<ProviderClientRegistration> RegisterClientAsync(
        ProviderApp app, ClientRegistrationRequest registration, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(registration);
        var requestedMethod = ProviderClientAuthentication.Normalize(registration.TokenEndpointAuthMethod)
            ?? throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Configuration,
                "the token endpoint auth method is not one of client_secret_post, client_secret_basic, none");

        var registrationUrl = (await ResolveEndpointsAsync(app, ct)).RegistrationUrl
            ?? throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Configuration,
                "the app has no registration endpoint (set dcrUrl, or a discoveryUrl whose metadata lists registration_endpoint)");
        var endpoint = RequireUrl(app, ProviderOperation.Registration, registrationUrl, "registration URL");

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(RegistrationBody(registration, requestedMethod), Encoding.UTF8, "application/json"),
        };
        var reply = await SendAsync(app, ProviderOperation.Registration, request, ct);

        using var document = ProviderResponseReader.TryParseObject(reply.Body);
        if (!reply.IsSuccess)
        {
            throw StatusFailure(app, ProviderOperation.Registration, endpoint, reply.StatusCode,
                document is null ? null : ProviderResponseReader.ReadErrorCode(document.RootElement));
        }

        if (document is null)
        {
            throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} answered HTTP {reply.StatusCode} with a body that is not a JSON object",
                statusCode: reply.StatusCode);
        }

        var registered = ReadRegistration(app, endpoint, reply.StatusCode, document.RootElement, requestedMethod);
        logger.LogInformation("Registered OAuth client {ClientId} for app {AppId} at {Endpoint} ({AuthMethod})",
            registered.ClientId, app.AppId, Describe(endpoint), registered.TokenEndpointAuthMethod);
        if (registered.ClientSecretExpiresAt is { } expiresAt)
        {
            logger.LogWarning("The client secret registered for app {AppId} expires at {ExpiresAt:O}; clear the app's clientId to register again after that",
                app.AppId, expiresAt);
        }

        return registered;
    }

    static string RegistrationBody(ClientRegistrationRequest registration, string authMethod)
    {
        var body = new Dictionary<string, object>
        {
            ["redirect_uris"] = registration.RedirectUris,
            ["client_name"] = registration.ClientName,
            ["grant_types"] = RegisteredGrantTypes,
            ["response_types"] = RegisteredResponseTypes,
            ["token_endpoint_auth_method"] = authMethod,
        };
        if (registration.Scopes.Count > 0)
        {
            body["scope"] = string.Join(' ', registration.Scopes);
        }

        return JsonSerializer.Serialize(body);
    }

    ProviderClientRegistration ReadRegistration(
        ProviderApp app, Uri endpoint, int statusCode, JsonElement root, string requestedMethod)
    {
        if (ProviderResponseReader.ReadString(root, "client_id") is not { Length: > 0 } clientId)
        {
            throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} answered HTTP {statusCode} without a client_id", statusCode: statusCode);
        }

        // The provider may register another method than the one asked for (RFC 7591 §3.2.1); the vault
        // must then authenticate the way it says, or not use the client at all.
        var answeredMethod = ProviderResponseReader.ReadString(root, "token_endpoint_auth_method");
        var method = string.IsNullOrWhiteSpace(answeredMethod) ? requestedMethod : ProviderClientAuthentication.Normalize(answeredMethod);
        if (method is null)
        {
            var named = MethodNamePattern().IsMatch(answeredMethod!) ? $"'{answeredMethod}'" : "a method";
            throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Rejected,
                $"{Describe(endpoint)} registered the client for {named} the vault does not support " +
                "(client_secret_post, client_secret_basic, none)", statusCode: statusCode);
        }

        var secret = ProviderResponseReader.ReadString(root, "client_secret") is { Length: > 0 } value ? value : null;
        if (secret is null && method != ProviderApp.NoClientAuthentication)
        {
            throw Fail(app, ProviderOperation.Registration, ProviderFailureKind.Rejected,
                $"{Describe(endpoint)} answered without a client_secret for a client that authenticates with {method}",
                statusCode: statusCode);
        }

        // 0 means "never expires"; anything the reader cannot use is treated the same way.
        var expiresAt = secret is not null && ProviderResponseReader.ReadSeconds(root, "client_secret_expires_at") is > 0 and var seconds
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return new ProviderClientRegistration(clientId, secret, expiresAt, method);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex MethodNamePattern();
}
