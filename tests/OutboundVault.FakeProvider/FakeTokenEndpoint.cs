using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OutboundVault.FakeProvider;

/// <summary>POST /token: authorization_code (with PKCE) and refresh_token grants, plus failure injection.</summary>
static class FakeTokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, FakeOAuthProvider fake)
    {
        using var inFlight = fake.TokenRequestInFlight();
        var options = fake.Options;
        var form = (await http.Request.ReadFormAsync(http.RequestAborted))
            .ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        var authorization = http.Request.Headers.Authorization.ToString();
        fake.RecordTokenRequest(new FakeTokenRequest(form, authorization.Length == 0 ? null : authorization));

        var grantType = form.GetValueOrDefault("grant_type");
        fake.CountGrant(grantType);

        try
        {
            if (options.Latency > TimeSpan.Zero)
            {
                await Task.Delay(options.Latency, http.RequestAborted);
            }

            // Injected failures leave codes and refresh tokens untouched, so a later call can still succeed.
            if (fake.Failures.TryTake(out var failure))
            {
                return await InjectAsync(failure, http, fake);
            }
        }
        catch (OperationCanceledException)
        {
            return Results.Empty; // The client gave up; nobody reads this answer.
        }

        if (FakeClientAuthenticator.Authenticate(http.Request, form, fake) is not { } clientId)
        {
            return Error(fake, StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed.");
        }

        return grantType switch
        {
            "authorization_code" => ExchangeCode(fake, form, clientId),
            "refresh_token" => Refresh(fake, form, clientId),
            _ => Error(fake, StatusCodes.Status400BadRequest, "unsupported_grant_type", "Unsupported grant_type."),
        };
    }

    public static IResult Error(FakeOAuthProvider fake, int status, string error, string description)
    {
        if (error == "invalid_grant")
        {
            fake.CountInvalidGrant();
        }

        return Results.Json(new { error, error_description = description }, statusCode: status);
    }

    static IResult ExchangeCode(FakeOAuthProvider fake, Dictionary<string, string> form, string clientId)
    {
        if (!form.TryGetValue("code", out var code) || fake.Grants.RedeemCode(code) is not { } pending)
        {
            return Error(fake, 400, "invalid_grant", "Unknown or already used authorization code.");
        }

        if (pending.ClientId != clientId || pending.RedirectUri != form.GetValueOrDefault("redirect_uri"))
        {
            return Error(fake, 400, "invalid_grant", "The code was issued to another client or redirect_uri.");
        }

        if (!VerifierMatches(pending, form.GetValueOrDefault("code_verifier")))
        {
            return Error(fake, 400, "invalid_grant", "PKCE verification failed.");
        }

        var scope = fake.Options.GrantedScope ?? pending.Scope;
        return Issue(fake, form, clientId, scope, fake.Grants.IssueRefreshToken(clientId, scope));
    }

    static IResult Refresh(FakeOAuthProvider fake, Dictionary<string, string> form, string clientId)
    {
        if (!form.TryGetValue("refresh_token", out var refreshToken)
            || fake.Grants.UseRefreshToken(refreshToken, clientId, fake.Options.RotateRefreshTokens) is not { } outcome)
        {
            return Error(fake, 400, "invalid_grant", "The refresh token is invalid, rotated or revoked.");
        }

        var scope = fake.Options.GrantedScope ?? form.GetValueOrDefault("scope") ?? outcome.Scope;
        return Issue(fake, form, clientId, scope, outcome.NewRefreshToken);
    }

    // OAuth 2.1: a verifier without a challenge is refused as well as a wrong one.
    static bool VerifierMatches(FakeGrantStore.PendingCode pending, string? verifier)
    {
        if (pending.CodeChallenge is null)
        {
            return verifier is null;
        }

        if (verifier is null)
        {
            return false;
        }

        var expected = pending.ChallengeMethod == "S256"
            ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(pending.CodeChallenge));
    }

    /// <summary>
    /// An opaque access token, or with an RFC 8707 <c>resource</c> a JWT for that audience (as an MCP server's
    /// authorization server issues them), signed with the key at /jwks.
    /// </summary>
    static IResult Issue(FakeOAuthProvider fake, Dictionary<string, string> form, string clientId, string? scope, string? refreshToken)
    {
        var options = fake.Options;
        var accessToken = form.TryGetValue("resource", out var resource)
            ? fake.SigningKey.CreateToken(fake.Issuer, resource, options.Subject, DateTime.UtcNow.AddHours(1),
                new Dictionary<string, object> { ["scope"] = scope ?? "", ["jti"] = FakeGrantStore.NewValue("jti") })
            : FakeGrantStore.NewValue("at");
        var body = new Dictionary<string, object>
        {
            ["access_token"] = fake.RecordAccessToken(accessToken),
            ["token_type"] = "Bearer",
        };
        AddIfPresent(body, "expires_in", options.ExpiresIn);
        AddIfPresent(body, "refresh_token", refreshToken);
        AddIfPresent(body, "scope", scope);
        if (options.IssueIdTokens)
        {
            body["id_token"] = fake.SigningKey.CreateIdToken(fake.Issuer, clientId, options.Subject);
        }

        return Results.Json(body);
    }

    static void AddIfPresent(Dictionary<string, object> body, string name, object? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    static async Task<IResult> InjectAsync(FakeFailure failure, HttpContext http, FakeOAuthProvider fake)
    {
        switch (failure)
        {
            case FakeFailure.Timeout:
                await Task.Delay(fake.Options.HangTime, http.RequestAborted);
                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
            case FakeFailure.MalformedJson:
                return Results.Text("not json", "application/json");
            case FakeFailure.InvalidGrant:
                return Error(fake, 400, "invalid_grant", "Injected invalid_grant.");
            case FakeFailure.InvalidClient:
                return Error(fake, 401, "invalid_client", "Injected invalid_client.");
            default:
                return Results.Json(new { error = "server_error" }, statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
