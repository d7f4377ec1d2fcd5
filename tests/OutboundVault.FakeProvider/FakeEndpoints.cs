using Microsoft.AspNetCore.WebUtilities;

namespace OutboundVault.FakeProvider;

/// <summary>The fake's routes other than /token.</summary>
static class FakeEndpoints
{
    static readonly string[] ResponseTypes = ["code"];
    static readonly string[] GrantTypes = ["authorization_code", "refresh_token"];
    static readonly string[] ChallengeMethods = ["S256", "plain"];
    static readonly string[] AuthMethods = ["client_secret_post", "client_secret_basic", "none"];
    static readonly string[] SubjectTypes = ["public"];
    static readonly string[] SigningAlgorithms = ["RS256"];

    public static void Map(WebApplication app, FakeOAuthProvider fake)
    {
        app.MapGet("/authorize", (HttpRequest request) => Authorize(request.HttpContext, fake));
        // HttpRequest rather than HttpContext parameters: a Func<HttpContext, Task<IResult>> would bind as a
        // RequestDelegate and the result would be discarded.
        app.MapPost("/token", (HttpRequest request) => FakeTokenEndpoint.HandleAsync(request.HttpContext, fake));
        app.MapPost("/revoke", (HttpRequest request) => RevokeAsync(request.HttpContext, fake));
        app.MapPost("/register", (HttpRequest request) => FakeRegistrationEndpoint.HandleAsync(request.HttpContext, fake));
        app.MapGet("/.well-known/openid-configuration", () => Discovery(fake));
        app.MapGet("/.well-known/oauth-authorization-server", () => Discovery(fake));
        app.MapGet("/jwks", () => Results.Json(fake.SigningKey.Jwks()));
        app.MapGet("/profile", (HttpRequest request) =>
            request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) && fake.Issued(header[7..])
                ? Results.Json(new { sub = fake.Options.Subject, name = "Fake Profile User" })
                : Results.Unauthorized());
        app.MapGet("/stats", () => Results.Json(new
        {
            refreshCalls = fake.RefreshCalls,
            codeExchanges = fake.CodeExchanges,
            revocations = fake.Revocations,
            invalidGrants = fake.InvalidGrants,
            discoveryRequests = fake.DiscoveryRequests,
            registrations = fake.Registrations,
            totalRequests = fake.TotalRequests,
        }));
    }

    // Auto-approves (or denies) and redirects back like a user clicking "Allow".
    static IResult Authorize(HttpContext http, FakeOAuthProvider fake)
    {
        var query = http.Request.Query;
        string? Get(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

        var redirectUri = Get("redirect_uri");
        var clientId = Get("client_id");
        // Never redirect for an unknown client or an unusable redirect_uri (RFC 6749 §4.1.2.1).
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _) || !fake.IsAuthorizedRedirect(clientId, redirectUri))
        {
            return Results.BadRequest("unknown client_id or invalid redirect_uri");
        }

        var state = Get("state");
        if (Get("response_type") != "code")
        {
            return RedirectBack(redirectUri!, state, ("error", "unsupported_response_type"));
        }

        if (fake.Options.DenyAuthorization)
        {
            return RedirectBack(redirectUri!, state, ("error", "access_denied"),
                ("error_description", "The user denied the request."));
        }

        var challenge = Get("code_challenge");
        var method = challenge is null ? null : Get("code_challenge_method") ?? "plain";
        var code = fake.Grants.IssueCode(clientId!, redirectUri!, challenge, method, Get("scope"));
        return RedirectBack(redirectUri!, state, ("code", code));
    }

    static IResult RedirectBack(string redirectUri, string? state, params (string Name, string Value)[] fields)
    {
        var query = fields.Select(field => KeyValuePair.Create(field.Name, (string?)field.Value)).ToList();
        if (state is not null)
        {
            query.Add(KeyValuePair.Create("state", (string?)state));
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, query));
    }

    static async Task<IResult> RevokeAsync(HttpContext http, FakeOAuthProvider fake)
    {
        fake.CountRevocation();
        if (fake.Options.FailRevocation)
        {
            return Results.Json(new { error = "server_error" }, statusCode: StatusCodes.Status500InternalServerError);
        }

        var form = (await http.Request.ReadFormAsync(http.RequestAborted))
            .ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        if (FakeClientAuthenticator.Authenticate(http.Request, form, fake) is null)
        {
            return FakeTokenEndpoint.Error(fake, StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed.");
        }

        if (!form.TryGetValue("token", out var token) || token.Length == 0)
        {
            return FakeTokenEndpoint.Error(fake, StatusCodes.Status400BadRequest, "invalid_request", "token is required.");
        }

        // RFC 7009 §2.2: unknown tokens are answered with 200 as well.
        fake.RecordRevocation(token);
        fake.Grants.Revoke(token);
        return Results.Ok();
    }

    static IResult Discovery(FakeOAuthProvider fake)
    {
        fake.CountDiscoveryRequest();
        if (fake.TakeDiscoveryFailure())
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        var metadata = new Dictionary<string, object>
        {
            ["issuer"] = fake.Issuer,
            ["authorization_endpoint"] = fake.AuthorizationUrl,
            ["token_endpoint"] = fake.TokenUrl,
            ["revocation_endpoint"] = fake.RevocationUrl,
            ["jwks_uri"] = fake.JwksUrl,
            ["response_types_supported"] = ResponseTypes,
            ["grant_types_supported"] = GrantTypes,
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        };
        if (fake.Options.PublishChallengeMethods)
        {
            metadata["code_challenge_methods_supported"] = ChallengeMethods;
        }

        if (fake.Options.PublishRegistrationEndpoint)
        {
            metadata["registration_endpoint"] = fake.RegistrationUrl;
        }

        return Results.Json(metadata);
    }
}
