using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OutboundVault.Errors;

namespace OutboundVault.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;ProjectId&gt;:&lt;ManagementKey&gt;</c>, as every Descope SDK sends it.
/// Every failure answers the same 401, so the response never tells which part of a guess was right.
/// </summary>
sealed class ManagementKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ManagementCredentials credentials, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ManagementKey";
    public const string ManagementClaim = "outboundvault:management";
    public const string KeyIdClaim = "outboundvault:key", RoleClaim = "outboundvault:role", AppClaim = "outboundvault:app";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerParts.Read(Request) is not { } parts) return Task.FromResult(AuthenticateResult.NoResult());
        // Node appends its management key after a user token (pid:jwt:key), so the last segment may be the key.
        var key = credentials.Find(parts.ProjectId, parts.Rest)
            ?? (parts.Rest.Contains(':', StringComparison.Ordinal) ? credentials.Find(parts.ProjectId, parts.Rest[(parts.Rest.LastIndexOf(':') + 1)..]) : null);
        if (key is null) return Task.FromResult(AuthenticateResult.Fail("Invalid management credentials"));
        credentials.MarkUsed(key, clock.GetUtcNow().UtcDateTime);
        Claim[] claims = [new(ManagementClaim, "true"), new("project_id", parts.ProjectId), new(KeyIdClaim, key.Id), new(RoleClaim, key.Role),
            .. key.AppIds.Select(app => new Claim(AppClaim, app))];
        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The two halves of a Descope bearer: the project id, then the key and/or token after the first ':'.</summary>
sealed record BearerParts(string ProjectId, string Rest)
{
    public static BearerParts? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var value = header["Bearer ".Length..].Trim();
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        return separator <= 0 || separator == value.Length - 1 ? null : new BearerParts(value[..separator], value[(separator + 1)..]);
    }
}
