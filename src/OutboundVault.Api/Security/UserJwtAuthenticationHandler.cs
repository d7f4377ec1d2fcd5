using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OutboundVault.Errors;

namespace OutboundVault.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;ProjectId&gt;:&lt;user JWT&gt;</c> (also with node's trailing
/// <c>:&lt;key&gt;</c>), the way core-js <c>outbound.connect</c> sends it. The principal's <c>sub</c> is the user id.
/// A failed challenge says why (expired, audience, issuer, signature, project id) without quoting the token.
/// </summary>
internal sealed class UserJwtAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ManagementCredentials credentials, UserJwtValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "UserJwt";
    public const string UserClaim = "outboundvault:user";

    /// <summary>The JWT in a Descope bearer, or null when the part after the project id is not a JWT.</summary>
    public static string? ReadJwt(HttpRequest request)
    {
        if (BearerParts.Read(request) is not { } parts) return null;
        var separator = parts.Rest.IndexOf(':', StringComparison.Ordinal);
        var token = separator < 0 ? parts.Rest : parts.Rest[..separator];
        // A compact JWS: base64url header starting with '{"' ("ey"), then payload and signature.
        return token.StartsWith("ey", StringComparison.Ordinal) && token.Count(c => c == '.') == 2 ? token : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadJwt(Request) is not { } jwt) return AuthenticateResult.NoResult();
        var projectId = BearerParts.Read(Request)!.ProjectId;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(projectId), Encoding.UTF8.GetBytes(credentials.ProjectId)))
            return AuthenticateResult.Fail(new VaultException(VaultError.Unauthorized,
                "Invalid user token: the project id before the token is not this vault's Management:ProjectId"));
        try
        {
            var subject = await validator.ValidateAsync(jwt, Context.RequestAborted);
            var identity = new ClaimsIdentity([new Claim(UserClaim, subject), new Claim("project_id", projectId)], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }
        catch (VaultException rejected)
        {
            return AuthenticateResult.Fail(rejected);
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted) return;
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure as VaultException
            ?? new VaultException(VaultError.Unauthorized, "Missing or invalid credentials: send Authorization: Bearer <ProjectId>:<user JWT>");
        Response.StatusCode = failure.Error.Status;
        await Response.WriteAsJsonAsync(DescopeError.From(failure.Error, failure.Message));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        await Response.WriteAsJsonAsync(DescopeError.From(VaultError.Forbidden, "These credentials may not call this route"));
    }
}
